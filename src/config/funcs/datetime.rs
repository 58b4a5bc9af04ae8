//! Pure date and time functions over RFC 3339 timestamps: `formatdate`, `timeadd`,
//! `timecmp`. (`timestamp` and `plantimestamp` are impure and live nowhere here.)

use crate::config::value::Value;
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime, UtcOffset};

use super::value::{int, string};
use super::{Fail, FuncContext};

type R = Result<Value, Fail>;

fn parse_timestamp(text: &str, arg: usize) -> Result<OffsetDateTime, Fail> {
    OffsetDateTime::parse(text, &Rfc3339).map_err(|_| {
        Fail::arg(
            arg,
            format!("not a valid RFC3339 timestamp: cannot use \"{text}\" as year"),
        )
    })
}

/// RFC 3339 as Go's `time.RFC3339` layout writes it: whole seconds, `Z` for UTC.
fn rfc3339(t: OffsetDateTime) -> String {
    let date = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    );
    format!("{date}{}", zone(t.offset(), true))
}

/// `Z` for UTC when `z_for_utc`, else `+hh:mm`.
fn zone(offset: UtcOffset, z_for_utc: bool) -> String {
    if offset.is_utc() && z_for_utc {
        return "Z".into();
    }
    let secs = offset.whole_seconds();
    let sign = if secs < 0 { '-' } else { '+' };
    let secs = secs.abs();
    format!("{sign}{:02}:{:02}", secs / 3600, (secs % 3600) / 60)
}

/// Go's `time.ParseDuration`: a signed sequence of decimal numbers with units
/// (ns, us, µs, ms, s, m, h), with Go's messages.
fn parse_duration(text: &str) -> Result<Duration, String> {
    let invalid = || format!("time: invalid duration \"{text}\"");
    let (negative, mut rest) = match text.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    if rest == "0" {
        return Ok(Duration::ZERO);
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if num_len == 0 {
            return Err(invalid());
        }
        let value: f64 = rest[..num_len].parse().map_err(|_| invalid())?;
        rest = &rest[num_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        let nanos_per = match unit {
            "" => return Err(format!("time: missing unit in duration \"{text}\"")),
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => {
                return Err(format!(
                    "time: unknown unit \"{unit}\" in duration \"{text}\""
                ))
            }
        };
        rest = &rest[unit_len..];
        total += value * nanos_per;
    }
    let nanos = if negative { -total } else { total };
    Ok(Duration::nanoseconds(nanos.round() as i64))
}

pub(crate) fn timeadd(args: &[Value], _: &FuncContext) -> R {
    let t = parse_timestamp(&string(args, 0)?, 0)?;
    let text = string(args, 1)?;
    let d = parse_duration(&text).map_err(Fail::Call)?;
    let sum = t
        .checked_add(d)
        .ok_or_else(|| Fail::call("the result is out of range"))?;
    Ok(Value::String(rfc3339(sum)))
}

pub(crate) fn timecmp(args: &[Value], _: &FuncContext) -> R {
    let a = parse_timestamp(&string(args, 0)?, 0)?;
    let b = parse_timestamp(&string(args, 1)?, 1)?;
    Ok(int(match a.cmp(&b) {
        std::cmp::Ordering::Less => -1,
        std::cmp::Ordering::Equal => 0,
        std::cmp::Ordering::Greater => 1,
    }))
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Terraform's `formatdate` mini-language: runs of one letter are verbs (`YYYY`, `MMM`,
/// `hh`, `ZZZZZ`...), text in single quotes is literal (`''` is a quote), other
/// characters are copied.
pub(crate) fn formatdate(args: &[Value], _: &FuncContext) -> R {
    let spec = string(args, 0)?;
    let t = parse_timestamp(&string(args, 1)?, 1)?;
    let chars: Vec<char> = spec.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            if chars.get(i + 1) == Some(&'\'') {
                out.push('\'');
                i += 2;
                continue;
            }
            // A quoted literal, in which '' stands for one quote.
            i += 1;
            loop {
                match (chars.get(i), chars.get(i + 1)) {
                    (None, _) => return Err(Fail::arg(0, "unterminated literal '")),
                    (Some('\''), Some('\'')) => {
                        out.push('\'');
                        i += 2;
                    }
                    (Some('\''), _) => {
                        i += 1;
                        break;
                    }
                    (Some(&c), _) => {
                        out.push(c);
                        i += 1;
                    }
                }
            }
            continue;
        }
        if !c.is_ascii_alphabetic() {
            out.push(c);
            i += 1;
            continue;
        }
        let run = chars[i..].iter().take_while(|&&d| d == c).count();
        let verb: String = chars[i..i + run].iter().collect();
        i += run;
        let month = u8::from(t.month()) as usize;
        let hour12 = match t.hour() % 12 {
            0 => 12,
            h => h,
        };
        let text = match verb.as_str() {
            "YYYY" => format!("{:04}", t.year()),
            "YY" => format!("{:02}", t.year().rem_euclid(100)),
            "MMMM" => MONTHS[month - 1].to_string(),
            "MMM" => MONTHS[month - 1][..3].to_string(),
            "MM" => format!("{month:02}"),
            "M" => month.to_string(),
            "DD" => format!("{:02}", t.day()),
            "D" => t.day().to_string(),
            "EEEE" => DAYS[t.weekday().number_days_from_monday() as usize].to_string(),
            "EEE" => DAYS[t.weekday().number_days_from_monday() as usize][..3].to_string(),
            "hh" => format!("{:02}", t.hour()),
            "h" => t.hour().to_string(),
            "HH" => format!("{hour12:02}"),
            "H" => hour12.to_string(),
            "AA" => if t.hour() < 12 { "AM" } else { "PM" }.to_string(),
            "aa" => if t.hour() < 12 { "am" } else { "pm" }.to_string(),
            "mm" => format!("{:02}", t.minute()),
            "m" => t.minute().to_string(),
            "ss" => format!("{:02}", t.second()),
            "s" => t.second().to_string(),
            "ZZZZZ" => zone(t.offset(), false),
            "ZZZZ" => zone(t.offset(), false).replace(':', ""),
            "ZZZ" => {
                if t.offset().is_utc() {
                    "UTC".into()
                } else {
                    zone(t.offset(), false).replace(':', "")
                }
            }
            "Z" => zone(t.offset(), true),
            _ => {
                return Err(Fail::arg(
                    0,
                    format!("invalid date format verb {verb:?}: unsupported format verb"),
                ))
            }
        };
        out.push_str(&text);
    }
    Ok(Value::String(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations() {
        assert_eq!(parse_duration("1h30m"), Ok(Duration::minutes(90)));
        assert_eq!(parse_duration("-1.5h"), Ok(Duration::minutes(-90)));
        assert_eq!(parse_duration("300ms"), Ok(Duration::milliseconds(300)));
        assert!(parse_duration("1d")
            .unwrap_err()
            .contains("unknown unit \"d\""));
        assert!(parse_duration("5").unwrap_err().contains("missing unit"));
        assert!(parse_duration("").is_err());
    }
}
