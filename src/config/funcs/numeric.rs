//! Numeric functions over Terraform's arbitrary-precision numbers; `pow` and `log` compute
//! in 64-bit floating point, as Terraform does.

use crate::config::value::{Number, Value};

use super::value::{array, float, int, num, number, parse_decimal, whole};
use super::{Fail, FuncContext};

type R = Result<Value, Fail>;

pub(crate) fn abs(args: &[Value], _: &FuncContext) -> R {
    Ok(Value::Number(number(args, 0)?.abs()))
}

pub(crate) fn ceil(args: &[Value], _: &FuncContext) -> R {
    Ok(Value::Number(number(args, 0)?.ceil()))
}

pub(crate) fn floor(args: &[Value], _: &FuncContext) -> R {
    Ok(Value::Number(number(args, 0)?.floor()))
}

pub(crate) fn pow(args: &[Value], _: &FuncContext) -> R {
    num(float(args, 0)?.powf(float(args, 1)?))
}

pub(crate) fn log(args: &[Value], _: &FuncContext) -> R {
    num(go_ln(float(args, 0)?) / go_ln(float(args, 1)?))
}

/// Go's `math.Log` (the FreeBSD algorithm), whose last bit differs from the C library's for
/// some arguments: Terraform's `log` divides two of these.
fn go_ln(x: f64) -> f64 {
    // Go's constants, bit for bit.
    const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
    const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);
    const L1: f64 = f64::from_bits(0x3fe5_5555_5555_5593);
    const L2: f64 = f64::from_bits(0x3fd9_9999_9997_fa04);
    const L3: f64 = f64::from_bits(0x3fd2_4924_9422_9359);
    const L4: f64 = f64::from_bits(0x3fcc_71c5_1d8e_78af);
    const L5: f64 = f64::from_bits(0x3fc7_4664_96cb_03de);
    const L6: f64 = f64::from_bits(0x3fc3_9a09_d078_c69f);
    const L7: f64 = f64::from_bits(0x3fc2_f112_df3e_5244);
    if x.is_nan() || x == f64::INFINITY {
        return x;
    }
    if x < 0.0 {
        return f64::NAN;
    }
    if x == 0.0 {
        return f64::NEG_INFINITY;
    }
    let (mut f1, mut ki) = frexp(x);
    if f1 < std::f64::consts::SQRT_2 / 2.0 {
        f1 *= 2.0;
        ki -= 1;
    }
    let f = f1 - 1.0;
    let k = ki as f64;
    let s = f / (2.0 + f);
    let s2 = s * s;
    let s4 = s2 * s2;
    let t1 = s2 * (L1 + s4 * (L3 + s4 * (L5 + s4 * L7)));
    let t2 = s4 * (L2 + s4 * (L4 + s4 * L6));
    let r = t1 + t2;
    let hfsq = 0.5 * f * f;
    k * LN2_HI - ((hfsq - (s * (hfsq + r) + k * LN2_LO)) - f)
}

/// Splits a positive finite x into a fraction in [0.5, 1) and a power of two.
fn frexp(x: f64) -> (f64, i32) {
    let mut x = x;
    let mut exp = 0;
    if x.abs() < f64::MIN_POSITIVE {
        x *= (1u64 << 52) as f64;
        exp = -52;
    }
    let bits = x.to_bits();
    exp += ((bits >> 52) & 0x7ff) as i32 - 1022;
    let frac = f64::from_bits((bits & !(0x7ff << 52)) | (1022 << 52));
    (frac, exp)
}

pub(crate) fn signum(args: &[Value], _: &FuncContext) -> R {
    Ok(int(whole(args, 0)?.signum()))
}

fn extreme(args: &[Value], want: std::cmp::Ordering) -> R {
    if args.is_empty() {
        return Err(Fail::call("must pass at least one number"));
    }
    let mut best: Option<Number> = None;
    for i in 0..args.len() {
        let n = number(args, i)?;
        if best.as_ref().is_none_or(|b| n.cmp(b) == want) {
            best = Some(n);
        }
    }
    Ok(Value::Number(best.unwrap_or_default()))
}

pub(crate) fn min(args: &[Value], _: &FuncContext) -> R {
    extreme(args, std::cmp::Ordering::Less)
}

pub(crate) fn max(args: &[Value], _: &FuncContext) -> R {
    extreme(args, std::cmp::Ordering::Greater)
}

pub(crate) fn sum(args: &[Value], _: &FuncContext) -> R {
    let list = array(
        args,
        0,
        "argument must be list, set, or tuple of number values",
    )?;
    if list.is_empty() {
        return Err(Fail::arg(0, "cannot sum an empty list"));
    }
    let mut total: Option<Number> = None;
    for v in list {
        let n = match v {
            Value::Number(n) => n.clone(),
            Value::String(s) => parse_decimal(s).ok_or_else(|| {
                Fail::arg(0, "argument must be list, set, or tuple of number values")
            })?,
            Value::Null => {
                return Err(Fail::call(
                    "argument must be list, set, or tuple of number values",
                ))
            }
            _ => {
                return Err(Fail::arg(
                    0,
                    "argument must be list, set, or tuple of number values",
                ))
            }
        };
        total = Some(match total {
            None => n,
            Some(t) => t
                .add(&n)
                .map_err(|_| Fail::call("can't compute a sum of opposing infinities"))?,
        });
    }
    Ok(Value::Number(total.unwrap_or_default()))
}

/// Go's `big.Int.SetString` digits: case-insensitive up to base 36; above it lower case
/// letters are 10–35 and upper case 36–61.
fn digit(c: char, base: u32) -> Option<u32> {
    let d = match c {
        '0'..='9' => c as u32 - '0' as u32,
        'a'..='z' => c as u32 - 'a' as u32 + 10,
        'A'..='Z' if base <= 36 => c as u32 - 'A' as u32 + 10,
        'A'..='Z' => c as u32 - 'A' as u32 + 36,
        _ => return None,
    };
    (d < base).then_some(d)
}

pub(crate) fn parseint(args: &[Value], _: &FuncContext) -> R {
    let text = match &args[0] {
        Value::String(s) => s.clone(),
        Value::Null => return Err(Fail::arg(0, "argument must not be null")),
        _ => return Err(Fail::arg(0, "first argument must be a string, not number")),
    };
    let base = whole(args, 1)?;
    if !(2..=62).contains(&base) {
        return Err(Fail::arg(
            1,
            "base must be a whole number between 2 and 62 inclusive",
        ));
    }
    let base = base as u32;
    let fail = || {
        Fail::arg(
            0,
            format!("cannot parse \"{text}\" as a base {base} integer"),
        )
    };
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(&text)),
    };
    if body.is_empty() {
        return Err(fail());
    }
    let mut acc = num_bigint::BigInt::from(0);
    for c in body.chars() {
        let d = digit(c, base).ok_or_else(fail)?;
        acc = acc * base + d;
    }
    if negative {
        acc = -acc;
    }
    Ok(Value::Number(Number::from_bigint(&acc)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_and_big_integers_are_exact() {
        let n = |s: &str| Value::Number(Number::parse(s).unwrap());
        let ctx = FuncContext::default();
        let total = sum(&[Value::List(vec![n("0.1"), n("0.2"), n("0.3")])], &ctx).unwrap();
        assert_eq!(total, n("0.6"));
        let big = parseint(
            &[Value::str("123456789012345678901234567890"), n("10")],
            &ctx,
        );
        assert_eq!(big.unwrap(), n("123456789012345678901234567890"));
    }

    #[test]
    fn log_matches_go_to_the_last_bit() {
        assert_eq!(go_ln(50.0) / go_ln(10.0), 1.6989700043360185);
        assert_eq!(go_ln(1_000_000.0) / go_ln(10.0), 5.999999999999999);
        assert_eq!(go_ln(2.5) / go_ln(3.7), 0.7003498789544638);
        assert_eq!(go_ln(8.0) / go_ln(2.0), 3.0);
    }

    #[test]
    fn parseint_digits_above_base_36_are_case_sensitive() {
        assert_eq!(digit('A', 16), Some(10));
        assert_eq!(digit('A', 62), Some(36));
        assert_eq!(digit('z', 36), Some(35));
        assert_eq!(digit('g', 16), None);
    }
}
