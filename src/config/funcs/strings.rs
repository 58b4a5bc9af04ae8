//! String functions: Go's string semantics as Terraform exposes them (grapheme clusters for
//! lengths and offsets, RE2 regular expressions, Go's `strings.Title`).

use crate::config::value::Map;

use crate::config::value::Value;
use unicode_segmentation::UnicodeSegmentation;

use super::value::{string, whole};
use super::{Fail, FuncContext};

type R = Result<Value, Fail>;

fn s(v: String) -> R {
    Ok(Value::String(v))
}

pub(crate) fn join(args: &[Value], _: &FuncContext) -> R {
    let sep = string(args, 0)?;
    if args.len() < 2 {
        return Err(Fail::call("at least one list is required"));
    }
    let mut parts = Vec::new();
    for (i, list) in args.iter().enumerate().skip(1) {
        let (Value::List(items) | Value::Set(items)) = list else {
            return Err(Fail::arg(i, "list of string required"));
        };
        for (n, item) in items.iter().enumerate() {
            match item {
                Value::Null => {
                    return Err(Fail::arg(
                        i,
                        format!("element {n} is null; cannot concatenate null values"),
                    ))
                }
                v => parts.push(
                    super::value::primitive_to_string(v)
                        .ok_or_else(|| Fail::arg(i, "list of string required"))?,
                ),
            }
        }
    }
    s(parts.join(&sep))
}

pub(crate) fn split(args: &[Value], _: &FuncContext) -> R {
    let sep = string(args, 0)?;
    let text = string(args, 1)?;
    // Go's strings.Split: an empty separator splits after each UTF-8 sequence, and an empty
    // string split by an empty separator has no parts.
    let parts: Vec<Value> = if sep.is_empty() {
        text.chars().map(|c| Value::String(c.to_string())).collect()
    } else {
        text.split(sep.as_str())
            .map(|p| Value::String(p.to_string()))
            .collect()
    };
    Ok(Value::List(parts))
}

pub(crate) fn replace(args: &[Value], _: &FuncContext) -> R {
    let text = string(args, 0)?;
    let substr = string(args, 1)?;
    let replacement = string(args, 2)?;
    if substr.len() > 1 && substr.starts_with('/') && substr.ends_with('/') {
        let pattern = &substr[1..substr.len() - 1];
        let re = regex::Regex::new(&go_syntax(pattern))
            .map_err(|e| Fail::call(format!("error parsing regexp: {}", regex_error(&e))))?;
        // Go's Expand and the regex crate agree on `$1`, `$name`, `${name}` and `$$`.
        return s(re.replace_all(&text, replacement.as_str()).into_owned());
    }
    s(text.replace(substr.as_str(), &replacement))
}

/// The first line of a regex syntax error, without the crate's caret diagram.
fn regex_error(e: &regex::Error) -> String {
    match e {
        regex::Error::Syntax(msg) => msg
            .lines()
            .rev()
            .find(|l| l.starts_with("error:"))
            .map(|l| l.trim_start_matches("error:").trim().to_string())
            .unwrap_or_else(|| msg.clone()),
        other => other.to_string(),
    }
}

/// Rewrites RE2's ASCII-only Perl classes and word boundaries (`\\w`, `\\d`, `\\s`, `\\b` and
/// their negations) into explicit ASCII forms: the regex crate's are Unicode-aware, Go's
/// are not. Nested classes make the same text valid inside brackets too.
pub(crate) fn go_syntax(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('w') => out.push_str("[0-9A-Za-z_]"),
            Some('W') => out.push_str("[^0-9A-Za-z_]"),
            Some('d') => out.push_str("[0-9]"),
            Some('D') => out.push_str("[^0-9]"),
            Some('s') => out.push_str("[\\t\\n\\f\\r ]"),
            Some('S') => out.push_str("[^\\t\\n\\f\\r ]"),
            Some('b') => out.push_str("(?-u:\\b)"),
            Some('B') => out.push_str("(?-u:\\B)"),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

fn compile(pattern: &str) -> Result<regex::Regex, Fail> {
    let re = regex::Regex::new(&go_syntax(pattern))
        .map_err(|e| Fail::arg(0, format!("invalid regexp pattern: {}", regex_error(&e))))?;
    let names: Vec<Option<&str>> = re.capture_names().skip(1).collect();
    if names.iter().any(Option::is_some) && names.iter().any(Option::is_none) {
        return Err(Fail::arg(
            0,
            "invalid regexp pattern: cannot mix both named and unnamed capture groups",
        ));
    }
    Ok(re)
}

/// One match as Terraform shapes it: the matched text without capture groups, a tuple of
/// the groups (null for a group that did not participate), or an object of named groups.
fn shape(re: &regex::Regex, caps: &regex::Captures<'_>) -> Value {
    let group = |i: usize| {
        caps.get(i)
            .map(|m| Value::String(m.as_str().to_string()))
            .unwrap_or(Value::Null)
    };
    if re.captures_len() == 1 {
        return group(0);
    }
    let named: Vec<(usize, &str)> = re
        .capture_names()
        .enumerate()
        .filter_map(|(i, n)| n.map(|n| (i, n)))
        .collect();
    if named.is_empty() {
        Value::List((1..re.captures_len()).map(group).collect())
    } else {
        let mut obj = Map::new();
        for (i, n) in named {
            obj.insert(n.to_string(), group(i));
        }
        Value::Object(obj)
    }
}

pub(crate) fn regex(args: &[Value], _: &FuncContext) -> R {
    let re = compile(&string(args, 0)?)?;
    let text = string(args, 1)?;
    let caps = re
        .captures(&text)
        .ok_or_else(|| Fail::call("pattern did not match any part of the given string"))?;
    Ok(shape(&re, &caps))
}

pub(crate) fn regexall(args: &[Value], _: &FuncContext) -> R {
    let re = compile(&string(args, 0)?)?;
    let text = string(args, 1)?;
    Ok(Value::List(
        re.captures_iter(&text).map(|c| shape(&re, &c)).collect(),
    ))
}

/// Go's `unicode.ToLower` for one rune: the simple mapping, never one rune to several and
/// never context-dependent (no final sigma).
fn lower_rune(c: char) -> char {
    if c == '\u{130}' {
        return 'i';
    }
    single(c.to_lowercase()).unwrap_or(c)
}

/// Go's `unicode.ToUpper` (and `ToTitle`, the same outside a few digraphs) for one rune.
fn upper_rune(c: char) -> char {
    single(c.to_uppercase()).unwrap_or(c)
}

/// Go's `unicode.ToTitle`: the upper-case mapping except for the four Latin digraphs,
/// whose title case is their own letter (ǆ → ǅ, not Ǆ).
fn title_rune(c: char) -> char {
    match c {
        '\u{1c4}'..='\u{1c6}' => '\u{1c5}',
        '\u{1c7}'..='\u{1c9}' => '\u{1c8}',
        '\u{1ca}'..='\u{1cc}' => '\u{1cb}',
        '\u{1f1}'..='\u{1f3}' => '\u{1f2}',
        c => upper_rune(c),
    }
}

/// The mapping when it is one rune; Rust's full mappings that expand (ß → SS) have no
/// simple counterpart, and Go leaves such runes unchanged.
fn single(mut it: impl Iterator<Item = char>) -> Option<char> {
    let first = it.next()?;
    it.next().is_none().then_some(first)
}

pub(crate) fn lower(args: &[Value], _: &FuncContext) -> R {
    s(string(args, 0)?.chars().map(lower_rune).collect())
}

pub(crate) fn upper(args: &[Value], _: &FuncContext) -> R {
    s(string(args, 0)?.chars().map(upper_rune).collect())
}

/// Go's `strings.Title`: upper-cases the first letter of every word, where a word starts
/// after anything but an ASCII letter, digit or underscore, or a non-ASCII letter or digit.
pub(crate) fn title(args: &[Value], _: &FuncContext) -> R {
    fn is_separator(c: char) -> bool {
        if c.is_ascii() {
            return !(c.is_ascii_alphanumeric() || c == '_');
        }
        if c.is_alphanumeric() {
            return false;
        }
        c.is_whitespace()
    }
    let mut out = String::new();
    let mut prev = ' ';
    for c in string(args, 0)?.chars() {
        if is_separator(prev) {
            out.push(title_rune(c));
        } else {
            out.push(c);
        }
        prev = c;
    }
    s(out)
}

pub(crate) fn trimspace(args: &[Value], _: &FuncContext) -> R {
    // Rust's White_Space set is Go's unicode.IsSpace set.
    s(string(args, 0)?.trim().to_string())
}

pub(crate) fn trim(args: &[Value], _: &FuncContext) -> R {
    let text = string(args, 0)?;
    let cutset = string(args, 1)?;
    s(text.trim_matches(|c| cutset.contains(c)).to_string())
}

pub(crate) fn trimprefix(args: &[Value], _: &FuncContext) -> R {
    let text = string(args, 0)?;
    let prefix = string(args, 1)?;
    s(text
        .strip_prefix(prefix.as_str())
        .unwrap_or(&text)
        .to_string())
}

pub(crate) fn trimsuffix(args: &[Value], _: &FuncContext) -> R {
    let text = string(args, 0)?;
    let suffix = string(args, 1)?;
    s(text
        .strip_suffix(suffix.as_str())
        .unwrap_or(&text)
        .to_string())
}

/// Offsets and lengths count grapheme clusters, as Terraform's `length` does. A negative
/// offset counts from the end (clamped to the start); a negative length means "to the end",
/// and so does a zero length after a negative offset (only a zero length from a
/// non-negative offset is the empty string).
pub(crate) fn substr(args: &[Value], _: &FuncContext) -> R {
    let text = string(args, 0)?;
    let offset = whole(args, 1)?;
    let length = whole(args, 2)?;
    let graphemes: Vec<&str> = text.graphemes(true).collect();
    let n = graphemes.len() as i64;
    let mut start = offset;
    if start < 0 {
        start = (start + n).max(0);
    }
    if start >= n {
        return s(String::new());
    }
    if length == 0 && offset >= 0 {
        return s(String::new());
    }
    let end = if length <= 0 {
        n
    } else {
        start.saturating_add(length).min(n)
    };
    s(graphemes[start as usize..end as usize].concat())
}

pub(crate) fn startswith(args: &[Value], _: &FuncContext) -> R {
    let text = string(args, 0)?;
    Ok(Value::Bool(text.starts_with(string(args, 1)?.as_str())))
}

pub(crate) fn endswith(args: &[Value], _: &FuncContext) -> R {
    let text = string(args, 0)?;
    Ok(Value::Bool(text.ends_with(string(args, 1)?.as_str())))
}

pub(crate) fn strcontains(args: &[Value], _: &FuncContext) -> R {
    let text = string(args, 0)?;
    Ok(Value::Bool(text.contains(string(args, 1)?.as_str())))
}

pub(crate) fn strrev(args: &[Value], _: &FuncContext) -> R {
    s(string(args, 0)?.graphemes(true).rev().collect())
}

pub(crate) fn chomp(args: &[Value], _: &FuncContext) -> R {
    s(string(args, 0)?.trim_end_matches(['\r', '\n']).to_string())
}

pub(crate) fn indent(args: &[Value], _: &FuncContext) -> R {
    let spaces = whole(args, 0)?;
    let text = string(args, 1)?;
    // Built in memory for every line: a huge count would abort the process.
    if spaces > i64::from(u16::MAX) {
        return Err(Fail::arg(
            0,
            format!(
                "{spaces} spaces is more than tfrecon indents by (at most {})",
                u16::MAX
            ),
        ));
    }
    let pad = " ".repeat(spaces.max(0) as usize);
    s(text.replace('\n', &format!("\n{pad}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(name: &str, args: &[Value]) -> Value {
        let ctx = FuncContext {
            base_dir: ".".into(),
        };
        super::super::call(name, args, &ctx).unwrap()
    }

    fn st(x: &str) -> Value {
        Value::String(x.into())
    }

    #[test]
    fn title_follows_go_word_boundaries() {
        assert_eq!(
            call("title", &[st("o'neil foo_bar 3rd-x")]),
            st("O'Neil Foo_bar 3rd-X")
        );
    }

    #[test]
    fn substr_counts_grapheme_clusters() {
        let family = "👨‍👩‍👧x";
        assert_eq!(call("substr", &[st(family), 1.into(), 1.into()]), st("x"));
        assert_eq!(
            call("substr", &[st("hello"), (-3).into(), 2.into()]),
            st("ll")
        );
    }

    #[test]
    fn perl_classes_are_ascii_as_in_re2() {
        assert_eq!(call("regex", &[st("\\w+"), st("héllo")]), st("h"));
        assert_eq!(call("regex", &[st("[\\w.]+"), st("a.b-c")]), st("a.b"));
        assert_eq!(go_syntax("\\\\w"), "\\\\w");
    }

    #[test]
    fn regex_replacement_references() {
        assert_eq!(
            call(
                "replace",
                &[st("2024-01"), st("/(?P<y>\\d+)-(\\d+)/"), st("$2/${y}")]
            ),
            st("01/2024")
        );
    }
}
