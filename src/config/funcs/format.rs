//! `format` and `formatlist`: Terraform's printf verbs, flags, widths, precisions and
//! `%[n]` argument indexes, with Go's number rendering and Terraform's error messages.

use crate::config::value::{Number, Value};

use super::encoding::json_text;
use super::value::{as_whole, number_to_string, parse_decimal, primitive_to_string, type_name};
use super::{Fail, FuncContext};

/// The largest width or precision a verb may ask for.
const MAX_WIDTH: usize = u16::MAX as usize;

#[derive(Default)]
struct Spec {
    minus: bool,
    plus: bool,
    space: bool,
    zero: bool,
    sharp: bool,
    width: Option<usize>,
    precision: Option<usize>,
}

/// Formats `fmt` with `args`: the engine of both functions.
fn sprintf(fmt: &str, args: &[Value]) -> Result<String, String> {
    let mut out = String::new();
    let bytes = fmt.as_bytes();
    let mut i = 0;
    let mut next_arg = 0usize;
    let mut used_max = 0usize;
    while i < bytes.len() {
        let Some(rel) = fmt[i..].find('%') else {
            out.push_str(&fmt[i..]);
            break;
        };
        out.push_str(&fmt[i..i + rel]);
        let start = i + rel;
        i = start + 1;
        if i < bytes.len() && bytes[i] == b'%' {
            out.push('%');
            i += 1;
            continue;
        }
        let mut spec = Spec::default();
        while i < bytes.len() {
            match bytes[i] {
                b'-' => spec.minus = true,
                b'+' => spec.plus = true,
                b' ' => spec.space = true,
                b'0' => spec.zero = true,
                b'#' => spec.sharp = true,
                _ => break,
            }
            i += 1;
        }
        if i < bytes.len() && bytes[i] == b'[' {
            let close = fmt[i..]
                .find(']')
                .ok_or_else(|| format!("unterminated argument index at offset {start}"))?;
            let n: usize = fmt[i + 1..i + close]
                .parse()
                .map_err(|_| format!("invalid argument index at offset {start}"))?;
            if n == 0 {
                return Err(format!("invalid argument index at offset {start}"));
            }
            next_arg = n - 1;
            i += close + 1;
        }
        let digits = |i: &mut usize| {
            let from = *i;
            while *i < bytes.len() && bytes[*i].is_ascii_digit() {
                *i += 1;
            }
            fmt[from..*i].parse::<usize>().ok()
        };
        spec.width = digits(&mut i);
        if i < bytes.len() && bytes[i] == b'.' {
            i += 1;
            spec.precision = Some(digits(&mut i).unwrap_or(0));
        }
        // Padding is built in memory (and Rust's formatter refuses larger precisions).
        if spec
            .width
            .max(spec.precision)
            .is_some_and(|n| n > MAX_WIDTH)
        {
            return Err(format!(
                "the width or precision of the verb at offset {start} is larger than tfrecon formats (at most {MAX_WIDTH})"
            ));
        }
        let Some(verb) = fmt[i..].chars().next() else {
            return Err(format!("unterminated format verb at offset {start}"));
        };
        i += verb.len_utf8();
        let verb_text = &fmt[start..i];
        if !"vtbdoxXeEfgGsq".contains(verb) {
            return Err(format!(
                "unsupported format verb '{verb}' in \"{verb_text}\" at offset {start}"
            ));
        }
        let Some(arg) = args.get(next_arg) else {
            return Err(format!(
                "not enough arguments for \"{verb_text}\" at {start}: need index {} but have {} total",
                next_arg + 1,
                args.len()
            ));
        };
        next_arg += 1;
        used_max = used_max.max(next_arg);
        let text = format_one(verb, &spec, arg)
            .map_err(|why| format!("unsupported value for \"{verb_text}\" at {start}: {why}"))?;
        out.push_str(&text);
    }
    if used_max < args.len() {
        return Err(format!(
            "too many arguments; only {used_max} used by format string"
        ));
    }
    Ok(out)
}

fn format_one(verb: char, spec: &Spec, arg: &Value) -> Result<String, String> {
    match verb {
        'v' => {
            let text = if spec.sharp {
                json_text(arg)
            } else {
                match arg {
                    Value::Null => "null".to_string(),
                    Value::Number(n) => return Ok(v_number(n)),
                    Value::List(_) | Value::Set(_) | Value::Object(_) => json_text(arg),
                    v => primitive_to_string(v).unwrap_or_default(),
                }
            };
            Ok(pad(spec, text))
        }
        's' | 'q' => {
            let mut text = match arg {
                Value::Null => return Err("null value cannot be formatted".into()),
                v => primitive_to_string(v)
                    .ok_or_else(|| format!("string required, but have {}", type_name(v)))?,
            };
            if let Some(p) = spec.precision {
                text = text.chars().take(p).collect();
            }
            if verb == 'q' {
                text = json_text(&Value::String(text));
            }
            Ok(pad(spec, text))
        }
        // Terraform ignores width and flags for %t.
        't' => match arg {
            Value::Bool(b) => Ok(b.to_string()),
            Value::String(s) if super::value::string_to_bool(s).is_some() => {
                Ok((super::value::string_to_bool(s) == Some(true)).to_string())
            }
            v => Err(format!("bool required, but have {}", type_name(v))),
        },
        _ => {
            let n = match arg {
                Value::Number(n) => n.clone(),
                Value::String(s) => parse_decimal(s).ok_or("a number is required")?,
                Value::Null => return Err("null value cannot be formatted".into()),
                _ => return Err("a number is required".into()),
            };
            format_number(verb, spec, &n)
        }
    }
}

fn format_number(verb: char, spec: &Spec, n: &Number) -> Result<String, String> {
    let f = n.to_f64();
    let negative = n.is_negative();
    let (body, float) = match verb {
        'd' | 'b' | 'o' | 'x' | 'X' => {
            let i = as_whole(n).ok_or("an integer is required")?;
            let mag = i.unsigned_abs();
            let body = match verb {
                'd' => mag.to_string(),
                'b' => format!("{mag:b}"),
                'o' => format!("{mag:o}"),
                'x' => format!("{mag:x}"),
                _ => format!("{mag:X}"),
            };
            let body = match spec.precision {
                Some(p) if body.len() < p => format!("{}{body}", "0".repeat(p - body.len())),
                _ => body,
            };
            (body, false)
        }
        'e' | 'E' => {
            let body = exp_form(f.abs(), spec.precision.unwrap_or(6));
            (
                if verb == 'E' {
                    body.to_uppercase()
                } else {
                    body
                },
                true,
            )
        }
        'f' => (format!("{:.*}", spec.precision.unwrap_or(6), f.abs()), true),
        'g' | 'G' => {
            let body = g_form(f.abs(), spec.precision);
            (
                if verb == 'G' {
                    body.to_uppercase()
                } else {
                    body
                },
                true,
            )
        }
        _ => (number_to_string(n), false),
    };
    let sign = if negative {
        "-"
    } else if spec.plus {
        "+"
    } else if spec.space {
        " "
    } else {
        ""
    };
    Ok(pad_number(spec, sign, body, float))
}

/// Go's `%e`: one digit before the point, `prec` after, and an exponent of at least two
/// digits with its sign.
fn exp_form(f: f64, prec: usize) -> String {
    let text = format!("{f:.prec$e}");
    let (mant, exp) = text.split_once('e').unwrap_or((&text, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let sign = if exp < 0 { '-' } else { '+' };
    format!("{mant}e{sign}{:02}", exp.abs())
}

/// Go's `%g`: the shortest representation (or `prec` significant digits), in exponent form
/// when the exponent is below -4 or at least the precision (6 when shortest).
fn g_form(f: f64, prec: Option<usize>) -> String {
    let (digits, exp) = match prec {
        None => {
            let text = format!("{f:e}");
            let (m, e) = text.split_once('e').unwrap_or((&text, "0"));
            (m.replace('.', ""), e.parse::<i32>().unwrap_or(0))
        }
        Some(p) => {
            let p = p.max(1);
            let text = format!("{f:.*e}", p - 1);
            let (m, e) = text.split_once('e').unwrap_or((&text, "0"));
            let m = m.replace('.', "");
            let m = m.trim_end_matches('0');
            (
                if m.is_empty() {
                    "0".to_string()
                } else {
                    m.to_string()
                },
                e.parse::<i32>().unwrap_or(0),
            )
        }
    };
    let eprec = match prec {
        None => 6,
        Some(p) => {
            let p = p.max(1) as i32;
            if p > digits.len() as i32 && digits.len() as i32 > exp {
                digits.len() as i32
            } else {
                p
            }
        }
    };
    g_layout(&digits, exp, eprec)
}

/// Lays out significant `digits` with decimal exponent `exp` as Go's `%g` does: exponent
/// form when `exp` is below -4 or at least `eprec`.
fn g_layout(digits: &str, exp: i32, eprec: i32) -> String {
    if exp < -4 || exp >= eprec {
        let mant = if digits.len() > 1 {
            format!("{}.{}", &digits[..1], &digits[1..])
        } else {
            digits.to_string()
        };
        let sign = if exp < 0 { '-' } else { '+' };
        return format!("{mant}e{sign}{:02}", exp.abs());
    }
    if exp < 0 {
        format!("0.{}{}", "0".repeat((-exp - 1) as usize), digits)
    } else {
        let point = exp as usize + 1;
        if digits.len() <= point {
            format!("{digits}{}", "0".repeat(point - digits.len()))
        } else {
            format!("{}.{}", &digits[..point], &digits[point..])
        }
    }
}

/// `%v` of a number: Go's `%g` of the exact value (integers keep all their digits), and no
/// padding, as Terraform prints it.
fn v_number(n: &Number) -> String {
    let text = n.to_string();
    let (sign, abs) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (int_part, frac) = abs.split_once('.').unwrap_or((abs, ""));
    let all = format!("{int_part}{frac}");
    let significant = all.trim_start_matches('0');
    let (digits, exp) = if significant.is_empty() {
        ("0".to_string(), 0)
    } else {
        let leading = (all.len() - significant.len()) as i32;
        (
            significant.trim_end_matches('0').to_string(),
            int_part.len() as i32 - 1 - leading,
        )
    };
    format!("{sign}{}", g_layout(&digits, exp, 6))
}

fn pad(spec: &Spec, text: String) -> String {
    let len = text.chars().count();
    match spec.width {
        Some(w) if len < w => {
            let fill = " ".repeat(w - len);
            if spec.minus {
                format!("{text}{fill}")
            } else {
                format!("{fill}{text}")
            }
        }
        _ => text,
    }
}

/// Pads a formatted number to the width. Integer verbs follow Go's big.Int (`-` beats
/// `0`), float verbs Go's big.Float (`0` beats `-`): Terraform formats through both.
fn pad_number(spec: &Spec, sign: &str, body: String, float: bool) -> String {
    let len = sign.len() + body.len();
    match spec.width {
        Some(w) if len < w => {
            if spec.zero && float {
                format!("{sign}{}{body}", "0".repeat(w - len))
            } else if spec.minus {
                format!("{sign}{body}{}", " ".repeat(w - len))
            } else if spec.zero && spec.precision.is_none() {
                // big.Int pads with zeros only when no precision is given.
                format!("{sign}{}{body}", "0".repeat(w - len))
            } else {
                format!("{}{sign}{body}", " ".repeat(w - len))
            }
        }
        _ => format!("{sign}{body}"),
    }
}

pub(crate) fn format(args: &[Value], _: &FuncContext) -> Result<Value, Fail> {
    let fmt = super::value::string(args, 0)?;
    sprintf(&fmt, &args[1..])
        .map(Value::String)
        .map_err(Fail::Call)
}

/// Lists among the arguments are iterated in step (they must have one length); other
/// arguments repeat on every line.
pub(crate) fn formatlist(args: &[Value], _: &FuncContext) -> Result<Value, Fail> {
    let fmt = super::value::string(args, 0)?;
    let rest = &args[1..];
    let mut len: Option<(usize, usize)> = None;
    for (i, a) in rest.iter().enumerate() {
        if let Value::List(items) = a {
            match len {
                None => len = Some((i, items.len())),
                Some((first, n)) if n != items.len() => {
                    return Err(Fail::arg(
                        i + 1,
                        format!(
                            "argument {} has length {}, which is inconsistent with argument {} of length {}",
                            i + 1,
                            items.len(),
                            first + 1,
                            n
                        ),
                    ))
                }
                _ => {}
            }
        }
    }
    let count = len.map(|(_, n)| n).unwrap_or(1);
    let mut out = Vec::with_capacity(count);
    for row in 0..count {
        let row_args: Vec<Value> = rest
            .iter()
            .map(|a| match a {
                Value::List(items) => items[row].clone(),
                other => other.clone(),
            })
            .collect();
        let text = sprintf(&fmt, &row_args)
            .map_err(|e| Fail::call(format!("error on format iteration {row}: {e}")))?;
        out.push(Value::String(text));
    }
    Ok(Value::List(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(fmt: &str, args: &[Value]) -> String {
        sprintf(fmt, args).unwrap()
    }

    #[test]
    fn go_number_forms() {
        assert_eq!(f("%e", &[12345.678.into()]), "1.234568e+04");
        assert_eq!(f("%g", &[0.000001234.into()]), "1.234e-06");
        assert_eq!(f("%g", &[100000.into()]), "100000");
        assert_eq!(f("%g", &[1234567.into()]), "1.234567e+06");
        assert_eq!(f("%.3g", &[1.23456.into()]), "1.23");
        assert_eq!(
            f("%05d|%-4d|%+d", &[42.into(), 7.into(), 3.into()]),
            "00042|7   |+3"
        );
        assert_eq!(f("%08.3f", &[(-1.23456).into()]), "-001.235");
    }

    #[test]
    fn errors_name_the_verb_and_offset() {
        assert_eq!(
            sprintf("ab %d", &["x".into()]).unwrap_err(),
            "unsupported value for \"%d\" at 3: a number is required"
        );
    }
}
