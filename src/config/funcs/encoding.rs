//! Encodings and hashes: JSON and YAML as Terraform writes and reads them (go-cty's JSON with
//! Go's HTML-safe escaping; go-cty-yaml's YAML 1.1 style), Base64, URL query escaping,
//! digests and name-based UUIDs.

use crate::config::value::Map;
use base64::Engine as _;

use crate::config::value::{Number, Value};
use md5::Digest as _;

use super::value::{number_to_string, string};
use super::{Fail, FuncContext};

type R = Result<Value, Fail>;

// ---- JSON

/// JSON text as Terraform's `jsonencode` writes it: object keys sorted, numbers without
/// exponent, `<`, `>`, `&`, U+2028 and U+2029 escaped as Go's encoder does.
pub(crate) fn json_text(v: &Value) -> String {
    let mut out = String::new();
    write_json(v, &mut out);
    out
}

fn write_json(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&number_to_string(n)),
        Value::String(s) => write_json_string(s, out),
        Value::List(items) | Value::Set(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(item, out);
            }
            out.push(']');
        }
        Value::Object(obj) => {
            let mut entries: Vec<(&String, &Value)> = obj.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (i, (k, v)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json_string(k, out);
                out.push(':');
                write_json(v, out);
            }
            out.push('}');
        }
        // Never reached: unknown arguments make jsonencode's result unknown before it runs.
        Value::Unknown | Value::Partial(_) => out.push_str("null"),
    }
}

fn write_json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

pub(crate) fn jsonencode(args: &[Value], _: &FuncContext) -> R {
    Ok(Value::String(json_text(&args[0])))
}

pub(crate) fn jsondecode(args: &[Value], _: &FuncContext) -> R {
    let text = string(args, 0)?;
    let parsed = Value::from_json_text(&text).map_err(|e| {
        use serde_json::error::Category;
        let msg = match e.classify() {
            Category::Eof => "EOF".to_string(),
            _ if e.to_string().starts_with("trailing characters") => {
                "extraneous data after JSON object".to_string()
            }
            _ => format!("invalid JSON: {e}"),
        };
        Fail::call(msg)
    })?;
    Ok(parsed)
}

// ---- YAML

/// YAML as Terraform's `yamlencode` writes it (go-cty-yaml, a go-yaml v2 emitter): block
/// style, every string and key double-quoted unless a multi-line string can be a literal
/// block, sequences inside mappings not indented, empty collections in flow style, and
/// double-quoted strings folded at spaces past column 80.
pub(crate) fn yaml_text(v: &Value) -> String {
    let v = &super::value::sets_as_lists(v);
    let mut out = String::new();
    match v {
        Value::List(items) if !items.is_empty() => yaml_seq(items, 0, &mut out),
        Value::Object(obj) if !obj.is_empty() => yaml_map(obj, 0, &mut out),
        // A top-level scalar is indented as if inside a block; a plain one leaves the
        // document open, so the emitter closes it with "...".
        other => {
            push_line(&mut out, yaml_scalar(other, 2, 0));
            if matches!(other, Value::Null | Value::Bool(_) | Value::Number(_)) {
                out.push_str("...\n");
            }
        }
    }
    out
}

fn push_line(out: &mut String, text: String) {
    let ends_with_break = text.ends_with('\n');
    out.push_str(&text);
    if !ends_with_break {
        out.push('\n');
    }
}

fn is_block(v: &Value) -> bool {
    matches!(v, Value::List(a) if !a.is_empty()) || matches!(v, Value::Object(o) if !o.is_empty())
}

fn yaml_seq(items: &[Value], indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    for item in items {
        out.push_str(&pad);
        out.push_str("- ");
        match item {
            Value::List(inner) if !inner.is_empty() => {
                // The first entry continues the "- " line; the rest align under it.
                let mut nested = String::new();
                yaml_seq(inner, indent + 2, &mut nested);
                out.push_str(nested.trim_start());
            }
            Value::Object(obj) if !obj.is_empty() => {
                let mut nested = String::new();
                yaml_map(obj, indent + 2, &mut nested);
                out.push_str(nested.trim_start());
            }
            scalar => push_line(out, yaml_scalar(scalar, indent + 2, indent + 2)),
        }
    }
}

fn yaml_map(obj: &Map<Value>, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    let mut entries: Vec<(&String, &Value)> = obj.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    for (k, v) in entries {
        out.push_str(&pad);
        // Keys are simple keys: never folded.
        let key = yaml_double_quoted(k, indent, indent, false);
        let key_width = key.chars().count();
        out.push_str(&key);
        out.push(':');
        if is_block(v) {
            out.push('\n');
            match v {
                Value::List(items) => yaml_seq(items, indent, out),
                Value::Object(inner) => yaml_map(inner, indent + 2, out),
                _ => {}
            }
        } else {
            out.push(' ');
            push_line(out, yaml_scalar(v, indent + 2, indent + key_width + 2));
        }
    }
}

/// A scalar whose continuation lines are indented by `indent`, starting at `column`.
fn yaml_scalar(v: &Value, indent: usize, column: usize) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => number_to_string(n),
        Value::String(s) if s.contains('\n') && literal_allowed(s) => yaml_literal(s, indent),
        Value::String(s) => yaml_double_quoted(s, indent, column, true),
        Value::List(_) | Value::Set(_) => "[]".into(),
        Value::Object(_) | Value::Partial(_) => "{}".into(),
        Value::Unknown => "null".into(),
    }
}

/// go-yaml's printable set: what it writes without escaping (no characters outside the
/// Basic Multilingual Plane).
fn yaml_printable(c: char) -> bool {
    let u = c as u32;
    c == '\n'
        || (0x20..=0x7e).contains(&u)
        || (0xa0..=0xd7ff).contains(&u)
        || ((0xe000..=0xfffd).contains(&u) && u != 0xfeff)
}

/// The emitter refuses a literal block for strings with a space before a line break, a
/// trailing space, or characters it must escape.
fn literal_allowed(s: &str) -> bool {
    !s.ends_with(' ') && !s.contains(" \n") && s.chars().all(yaml_printable)
}

fn yaml_literal(s: &str, indent: usize) -> String {
    let mut out = String::from("|");
    if s.starts_with(' ') || s.starts_with('\n') {
        out.push('2');
    }
    let trailing = s.len() - s.trim_end_matches('\n').len();
    match trailing {
        0 => out.push('-'),
        // Nothing but line breaks: clipping would drop them all, so go-yaml keeps them.
        1 if trailing < s.len() => {}
        _ => out.push('+'),
    }
    out.push('\n');
    let pad = " ".repeat(indent);
    let mut at_line_start = true;
    for c in s.chars() {
        if c == '\n' {
            out.push('\n');
            at_line_start = true;
        } else {
            if at_line_start {
                out.push_str(&pad);
                at_line_start = false;
            }
            out.push(c);
        }
    }
    out
}

fn yaml_escape(c: char) -> Option<String> {
    let e = match c {
        '"' => "\\\"",
        '\\' => "\\\\",
        '\0' => "\\0",
        '\u{7}' => "\\a",
        '\u{8}' => "\\b",
        '\t' => "\\t",
        '\n' => "\\n",
        '\u{b}' => "\\v",
        '\u{c}' => "\\f",
        '\r' => "\\r",
        '\u{1b}' => "\\e",
        '\u{85}' => "\\N",
        '\u{a0}' => "\\_",
        '\u{2028}' => "\\L",
        '\u{2029}' => "\\P",
        c if !yaml_printable(c) => {
            let u = c as u32;
            return Some(if u <= 0xff {
                format!("\\x{u:02X}")
            } else if u <= 0xffff {
                format!("\\u{u:04X}")
            } else {
                format!("\\U{u:08X}")
            });
        }
        _ => return None,
    };
    Some(e.to_string())
}

/// go-yaml's double-quoted writer: past column 80 a single space becomes a line break and
/// the continuation is indented (a following space is escaped so it survives folding).
fn yaml_double_quoted(s: &str, indent: usize, column: usize, allow_breaks: bool) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::from("\"");
    let mut column = column + 1;
    let mut spaces = false;
    for (i, &c) in chars.iter().enumerate() {
        if let Some(e) = yaml_escape(c) {
            column += e.chars().count();
            out.push_str(&e);
            spaces = false;
        } else if c == ' ' {
            if allow_breaks && !spaces && column > 80 && i != 0 && i != chars.len() - 1 {
                out.push('\n');
                out.push_str(&" ".repeat(indent));
                column = indent;
                if chars.get(i + 1) == Some(&' ') {
                    out.push('\\');
                    column += 1;
                }
            } else {
                out.push(' ');
                column += 1;
            }
            spaces = true;
        } else {
            out.push(c);
            column += 1;
            spaces = false;
        }
    }
    out.push('"');
    out
}

pub(crate) fn yamlencode(args: &[Value], _: &FuncContext) -> R {
    Ok(Value::String(yaml_text(&args[0])))
}

/// Builds values from parser events, resolving plain scalars as go-yaml v2 does (YAML 1.1:
/// `yes`/`no`/`on`/`off` are booleans, `0x` and `0o` integers...).
struct Frame {
    value: Value,
    key: Option<String>,
    anchor: usize,
    /// Mappings merged in with `<<`: their keys apply where the mapping has none.
    merges: Vec<Map<Value>>,
}

struct YamlBuilder {
    stack: Vec<Frame>,
    anchors: std::collections::HashMap<usize, Value>,
    result: Option<Value>,
    error: Option<String>,
}

impl YamlBuilder {
    fn push_value(&mut self, v: Value, anchor: usize) {
        if anchor > 0 {
            self.anchors.insert(anchor, v.clone());
        }
        match self.stack.last_mut() {
            None => {
                if self.result.is_some() {
                    self.error
                        .get_or_insert_with(|| "unexpected extra content after value".into());
                }
                self.result = Some(v);
            }
            Some(Frame {
                value: Value::List(items),
                ..
            }) => items.push(v),
            Some(Frame {
                value: Value::Object(map),
                key,
                merges,
                ..
            }) => match key.take() {
                None => match v {
                    Value::String(s) => *key = Some(s),
                    Value::Number(n) => *key = Some(number_to_string(&n)),
                    Value::Bool(b) => *key = Some(b.to_string()),
                    Value::Null => *key = Some("null".into()),
                    _ => {
                        self.error
                            .get_or_insert_with(|| "only string keys are supported".into());
                    }
                },
                Some(k) if k == "<<" => match v {
                    Value::Object(m) => merges.push(m),
                    // go-cty-yaml merges single mappings only.
                    other => {
                        let what = super::value::type_name(&other);
                        self.error
                            .get_or_insert_with(|| format!("cannot merge {what} into mapping"));
                    }
                },
                Some(k) => {
                    map.insert(k, v);
                }
            },
            Some(_) => {}
        }
    }
}

/// Resolves a plain scalar as go-cty-yaml does: YAML 1.1 booleans and nulls, decimal
/// integers (leading zeros included), `0x` hex and `0o` octal without sign, decimal floats,
/// dates as RFC 3339 timestamps; anything else is a string.
fn resolve_plain(s: &str) -> Value {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            return Value::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return Value::Bool(false)
        }
        _ => {}
    }
    let radix = |prefix: &str, radix: u32| {
        s.strip_prefix(prefix)
            .filter(|d| !d.is_empty())
            .and_then(|d| i64::from_str_radix(d, radix).ok())
    };
    if let Some(i) = radix("0x", 16).or_else(|| radix("0o", 8)) {
        return Value::Number(Number::from(i));
    }
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    if !body.is_empty() && body.bytes().all(|b| b.is_ascii_digit()) {
        let digits = body.trim_start_matches('0');
        let text = if digits.is_empty() { "0" } else { digits };
        let signed = if s.starts_with('-') {
            format!("-{text}")
        } else {
            text.to_string()
        };
        if let Some(n) = Number::parse(&signed) {
            return Value::Number(n);
        }
    }
    let float_like = {
        let b = body.as_bytes();
        !b.is_empty()
            && body
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
            && (b[0].is_ascii_digit() || (b[0] == b'.' && b.len() > 1 && b[1].is_ascii_digit()))
    };
    if float_like {
        // cty reads YAML numbers from their text, as it reads literals.
        if let Some(n) = Number::parse(s) {
            return Value::Number(n);
        }
        if let Ok(f) = s.parse::<f64>() {
            if let Some(n) = Number::from_f64(f) {
                return Value::Number(n);
            }
        }
    }
    let b = s.as_bytes();
    let is_date = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    if is_date {
        return Value::String(format!("{s}T00:00:00Z"));
    }
    Value::String(s.to_string())
}

impl yaml_rust2::parser::MarkedEventReceiver for YamlBuilder {
    fn on_event(&mut self, ev: yaml_rust2::Event, _mark: yaml_rust2::scanner::Marker) {
        use yaml_rust2::parser::Event;
        use yaml_rust2::scanner::TScalarStyle;
        match ev {
            Event::Scalar(text, style, anchor, tag) => {
                let v = match (&style, &tag) {
                    (_, Some(t)) if t.suffix == "str" => Value::String(text),
                    (TScalarStyle::Plain, _) => resolve_plain(&text),
                    _ => Value::String(text),
                };
                self.push_value(v, anchor);
            }
            Event::SequenceStart(anchor, _) => self.stack.push(Frame {
                value: Value::List(Vec::new()),
                key: None,
                anchor,
                merges: Vec::new(),
            }),
            Event::MappingStart(anchor, _) => self.stack.push(Frame {
                value: Value::Object(Map::new()),
                key: None,
                anchor,
                merges: Vec::new(),
            }),
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some(mut frame) = self.stack.pop() {
                    if let Value::Object(m) = &mut frame.value {
                        for merged in frame.merges {
                            for (k, v) in merged {
                                m.entry(k).or_insert(v);
                            }
                        }
                    }
                    self.push_value(frame.value, frame.anchor);
                }
            }
            Event::Alias(id) => {
                let v = self.anchors.get(&id).cloned().unwrap_or(Value::Null);
                self.push_value(v, 0);
            }
            _ => {}
        }
    }
}

pub(crate) fn yamldecode(args: &[Value], _: &FuncContext) -> R {
    let text = string(args, 0)?;
    let mut builder = YamlBuilder {
        stack: Vec::new(),
        anchors: Default::default(),
        result: None,
        error: None,
    };
    let mut parser = yaml_rust2::parser::Parser::new_from_str(&text);
    parser.load(&mut builder, true).map_err(|e| {
        let m = e.marker();
        Fail::call(format!(
            "on line {}, column {}: {}",
            m.line(),
            m.col() + 1,
            e.info()
        ))
    })?;
    if let Some(err) = builder.error {
        return Err(Fail::call(format!("on line 1, column 1: {err}")));
    }
    builder
        .result
        .ok_or_else(|| Fail::call("on line 1, column 1: missing start of document"))
}

// ---- Base64, URL, digests, UUIDs

pub(crate) fn base64encode(args: &[Value], _: &FuncContext) -> R {
    Ok(Value::String(
        base64::engine::general_purpose::STANDARD.encode(string(args, 0)?),
    ))
}

pub(crate) fn base64decode(args: &[Value], _: &FuncContext) -> R {
    let text = string(args, 0)?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text.as_bytes())
        .map_err(|_| Fail::call(format!("failed to decode base64 data \"{text}\"")))?;
    String::from_utf8(bytes)
        .map(Value::String)
        .map_err(|_| Fail::call("the result of decoding the provided string is not valid UTF-8"))
}

/// The character encodings `textencodebase64` and `textdecodebase64` handle here.
#[derive(Clone, Copy)]
enum TextEncoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    /// Big-endian with a byte-order mark; decoding honours either mark.
    Utf16,
    Latin1,
}

/// IANA names Terraform accepts but this library does not convert: the result is unknown.
const OTHER_IANA: &[&str] = &[
    "us-ascii",
    "ascii",
    "windows-1250",
    "windows-1251",
    "windows-1252",
    "windows-1253",
    "windows-1254",
    "windows-1255",
    "windows-1256",
    "windows-1257",
    "windows-1258",
    "shift_jis",
    "euc-jp",
    "iso-2022-jp",
    "euc-kr",
    "gbk",
    "gb18030",
    "gb2312",
    "big5",
    "koi8-r",
    "koi8-u",
    "ibm437",
    "ibm850",
    "ibm866",
    "macintosh",
    "iso-8859-2",
    "iso-8859-3",
    "iso-8859-4",
    "iso-8859-5",
    "iso-8859-6",
    "iso-8859-7",
    "iso-8859-8",
    "iso-8859-9",
    "iso-8859-10",
    "iso-8859-13",
    "iso-8859-14",
    "iso-8859-15",
    "iso-8859-16",
];

fn text_encoding(args: &[Value], i: usize, function: &str) -> Result<TextEncoding, Fail> {
    let name = string(args, i)?;
    let lower = name.to_ascii_lowercase();
    Ok(match lower.as_str() {
        "utf-8" | "csutf8" => TextEncoding::Utf8,
        "utf-16le" | "csutf16le" => TextEncoding::Utf16Le,
        "utf-16be" | "csutf16be" => TextEncoding::Utf16Be,
        "utf-16" | "csutf16" => TextEncoding::Utf16,
        "iso-8859-1" | "iso_8859-1" | "iso_8859-1:1987" | "latin1" | "l1" | "ibm819"
        | "cp819" | "csisolatin1" | "iso-ir-100" => TextEncoding::Latin1,
        other if OTHER_IANA.contains(&other) => {
            return Err(Fail::Done(super::FuncError::Unsupported(format!(
                "{function} with encoding {name}"
            ))))
        }
        _ => {
            return Err(Fail::arg(
                i,
                format!("\"{name}\" is not a supported IANA encoding name or alias in this Terraform version"),
            ))
        }
    })
}

pub(crate) fn textencodebase64(args: &[Value], _: &FuncContext) -> R {
    let text = string(args, 0)?;
    let utf16 = |big: bool| -> Vec<u8> {
        text.encode_utf16()
            .flat_map(|u| {
                if big {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                }
            })
            .collect()
    };
    let bytes = match text_encoding(args, 1, "textencodebase64")? {
        TextEncoding::Utf8 => text.clone().into_bytes(),
        TextEncoding::Utf16Le => utf16(false),
        TextEncoding::Utf16Be => utf16(true),
        TextEncoding::Utf16 => [vec![0xfe, 0xff], utf16(true)].concat(),
        TextEncoding::Latin1 => text
            .chars()
            .map(|c| u8::try_from(u32::from(c)).ok())
            .collect::<Option<Vec<u8>>>()
            .ok_or_else(|| {
                Fail::arg(
                    0,
                    "the given string contains characters that cannot be represented in ISO_8859-1:1987",
                )
            })?,
    };
    Ok(Value::String(b64(&bytes)))
}

pub(crate) fn textdecodebase64(args: &[Value], _: &FuncContext) -> R {
    let source = string(args, 0)?;
    let encoding = text_encoding(args, 1, "textdecodebase64")?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(source.as_bytes())
        .map_err(|e| {
            let offset = match e {
                base64::DecodeError::InvalidByte(o, _)
                | base64::DecodeError::InvalidLastSymbol(o, _) => o,
                _ => 0,
            };
            Fail::arg(
                0,
                format!("the given value is has an invalid base64 symbol at offset {offset}"),
            )
        })?;
    let utf16 = |bytes: &[u8], big: bool| -> String {
        let units: Vec<u16> = bytes
            .chunks(2)
            .map(|c| match (c, big) {
                ([a, b], true) => u16::from_be_bytes([*a, *b]),
                ([a, b], false) => u16::from_le_bytes([*a, *b]),
                _ => 0xfffd,
            })
            .collect();
        String::from_utf16_lossy(&units)
    };
    let text = match encoding {
        TextEncoding::Utf8 => String::from_utf8(bytes).map_err(|_| {
            Fail::arg(
                0,
                "the given string contains symbols that are not defined for UTF-8",
            )
        })?,
        TextEncoding::Utf16Le => utf16(&bytes, false),
        TextEncoding::Utf16Be => utf16(&bytes, true),
        TextEncoding::Utf16 => match bytes.as_slice() {
            [0xfe, 0xff, rest @ ..] => utf16(rest, true),
            [0xff, 0xfe, rest @ ..] => utf16(rest, false),
            rest => utf16(rest, true),
        },
        TextEncoding::Latin1 => bytes.iter().map(|&b| char::from(b)).collect(),
    };
    Ok(Value::String(text))
}

/// Go's `url.QueryEscape`: unreserved characters stay, space becomes `+`.
pub(crate) fn urlencode(args: &[Value], _: &FuncContext) -> R {
    let text = string(args, 0)?;
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    Ok(Value::String(out))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

pub(crate) fn md5(args: &[Value], _: &FuncContext) -> R {
    Ok(Value::String(hex(&md5::Md5::digest(string(args, 0)?))))
}

pub(crate) fn sha1(args: &[Value], _: &FuncContext) -> R {
    Ok(Value::String(hex(&sha1::Sha1::digest(string(args, 0)?))))
}

pub(crate) fn sha256(args: &[Value], _: &FuncContext) -> R {
    Ok(Value::String(hex(&sha2::Sha256::digest(string(args, 0)?))))
}

pub(crate) fn sha512(args: &[Value], _: &FuncContext) -> R {
    Ok(Value::String(hex(&sha2::Sha512::digest(string(args, 0)?))))
}

pub(crate) fn base64sha256(args: &[Value], _: &FuncContext) -> R {
    Ok(Value::String(b64(&sha2::Sha256::digest(string(args, 0)?))))
}

pub(crate) fn base64sha512(args: &[Value], _: &FuncContext) -> R {
    Ok(Value::String(b64(&sha2::Sha512::digest(string(args, 0)?))))
}

/// A UUID in its 36-character or 32-hex-digit form, as Go's uuid.Parse reads the usual ones.
fn parse_uuid(s: &str) -> Result<[u8; 16], String> {
    let hexdigits: String = match s.len() {
        36 => {
            let b = s.as_bytes();
            if b[8] != b'-' || b[13] != b'-' || b[18] != b'-' || b[23] != b'-' {
                return Err("invalid UUID format".into());
            }
            s.replace('-', "")
        }
        32 => s.to_string(),
        n => return Err(format!("invalid UUID length: {n}")),
    };
    let mut out = [0u8; 16];
    for (i, chunk) in hexdigits.as_bytes().chunks(2).enumerate() {
        let text = std::str::from_utf8(chunk).map_err(|_| "invalid UUID format".to_string())?;
        out[i] = u8::from_str_radix(text, 16).map_err(|_| "invalid UUID format".to_string())?;
    }
    Ok(out)
}

pub(crate) fn uuidv5(args: &[Value], _: &FuncContext) -> R {
    let ns = string(args, 0)?;
    let name = string(args, 1)?;
    let namespace = match ns.as_str() {
        "dns" => "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
        "url" => "6ba7b811-9dad-11d1-80b4-00c04fd430c8",
        "oid" => "6ba7b812-9dad-11d1-80b4-00c04fd430c8",
        "x500" => "6ba7b814-9dad-11d1-80b4-00c04fd430c8",
        other => other,
    };
    let ns_bytes = parse_uuid(namespace)
        .map_err(|e| Fail::call(format!("uuidv5() doesn't support namespace {ns} ({e})")))?;
    let mut h = sha1::Sha1::new();
    h.update(ns_bytes);
    h.update(name.as_bytes());
    let digest = h.finalize();
    let mut u = [0u8; 16];
    u.copy_from_slice(&digest[..16]);
    u[6] = (u[6] & 0x0f) | 0x50;
    u[8] = (u[8] & 0x3f) | 0x80;
    let x = hex(&u);
    Ok(Value::String(format!(
        "{}-{}-{}-{}-{}",
        &x[0..8],
        &x[8..12],
        &x[12..16],
        &x[16..20],
        &x[20..32]
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_literal_blocks_and_quoting() {
        let v = Value::Object(Map::from_iter([
            ("b".to_string(), Value::String("x\ny".into())),
            (
                "a".to_string(),
                Value::List(vec![1.into(), Value::List(vec![])]),
            ),
        ]));
        assert_eq!(yaml_text(&v), "\"a\":\n- 1\n- []\n\"b\": |-\n  x\n  y\n");
        assert_eq!(yaml_text(&Value::String("a \nb".into())), "\"a \\nb\"\n");
    }

    #[test]
    fn yaml_plain_scalars_resolve_as_yaml_1_1() {
        assert_eq!(resolve_plain("on"), Value::Bool(true));
        assert_eq!(resolve_plain("0x1F"), Value::Number(31.into()));
        assert_eq!(
            resolve_plain("1.5"),
            Value::Number(Number::from_f64(1.5).unwrap())
        );
        assert_eq!(resolve_plain("017"), Value::Number(17.into()));
        assert_eq!(resolve_plain("-0x10"), Value::String("-0x10".into()));
        assert_eq!(resolve_plain("1_000"), Value::String("1_000".into()));
        assert_eq!(
            resolve_plain("2024-01-01"),
            Value::String("2024-01-01T00:00:00Z".into())
        );
    }

    #[test]
    fn json_escapes_like_go() {
        assert_eq!(
            json_text(&Value::String("<&>\u{2028}\u{1}".into())),
            "\"\\u003c\\u0026\\u003e\\u2028\\u0001\""
        );
    }
}

#[cfg(test)]
mod roundtrip {
    use super::*;
    use proptest::prelude::*;

    fn value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|i| Value::Number(Number::from(i))),
            // Numbers as configuration literals give them (512-bit, from decimal text).
            (-1e6f64..1e6).prop_map(|f| Value::Number(Number::parse(&f.to_string()).unwrap())),
            // Spaces, line breaks, quotes, escapes and non-ASCII: what YAML folding,
            // literal blocks and JSON escaping must all survive.
            "[ a-z\"\\\\\n\t<&é🙂]{0,120}".prop_map(Value::String),
        ];
        leaf.prop_recursive(3, 24, 5, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(Value::List),
                prop::collection::btree_map("[a-z ]{0,6}", inner, 0..5)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    fn decode(f: fn(&[Value], &FuncContext) -> R, text: String) -> Value {
        let ctx = FuncContext {
            base_dir: ".".into(),
        };
        f(&[Value::String(text)], &ctx).unwrap_or_else(|e| panic!("{e:?}"))
    }

    proptest! {
        #[test]
        fn json_round_trips(v in value()) {
            prop_assert_eq!(decode(jsondecode, json_text(&v)), v);
        }

        #[test]
        fn yaml_round_trips(v in value()) {
            // YAML floats come back as 64-bit floats, which print as the literal did.
            prop_assert_eq!(json_text(&decode(yamldecode, yaml_text(&v))), json_text(&v));
        }
    }
}
