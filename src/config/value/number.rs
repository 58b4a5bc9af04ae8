//! Terraform's numbers: binary floating point of arbitrary precision, rounded to nearest even,
//! exactly as cty computes with Go's `big.Float`, and printed as cty prints them.
//!
//! Owns arithmetic, comparison, parsing and printing of numbers. It must not know about any
//! other kind of value.
//!
//! Why binary and not decimal: cty parses every literal into a 512-bit binary mantissa and
//! rounds each operation to the larger precision of its operands, so `1 / 3` prints 156
//! digits ending in `5`, `range(0, 1, 0.3)` ends in `0.9000…0004` and `0.1 + 0.2` prints
//! `0.3`. A decimal type gets the last two right only by luck and the first wrong. The
//! precision travels with each number because cty's does: integers made by Terraform itself
//! (`length()`, `count.index`) have 64 bits, results of `pow` and `log` 53, literals 512.
//!
//! Whole numbers that fit an `i64` take a fast path without allocation.

use std::cmp::Ordering;
use std::fmt;

use num_bigint::{BigInt, BigUint, Sign};
use num_traits::{One, ToPrimitive, Zero};

/// The precision of numbers parsed from text (literals, JSON, `tonumber`), as cty's
/// `ParseNumberVal`.
pub const PARSE_PREC: u32 = 512;
/// The precision of integers Terraform makes itself (cty's `NumberIntVal`).
pub const INT_PREC: u32 = 64;
/// The precision of results computed in 64-bit floating point (cty's `NumberFloatVal`).
pub const FLOAT_PREC: u32 = 53;

/// The largest decimal exponent accepted when parsing: beyond it the exact binary value
/// would take megabytes.
const MAX_DECIMAL_EXPONENT: i64 = 20_000;

/// A number of the Terraform language.
#[derive(Clone)]
pub struct Number(Repr);

#[derive(Clone)]
enum Repr {
    /// An integer and the precision cty would give it.
    Int(i64, u32),
    Big(Box<Big>),
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Form {
    Zero,
    Finite,
    Inf,
}

/// `mant * 2^exp`, with `mant` odd (or zero) and at most `prec` bits long.
#[derive(Clone, Debug)]
struct Big {
    neg: bool,
    form: Form,
    mant: BigUint,
    exp: i64,
    prec: u32,
}

/// Why an operation has no numeric result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NumError {
    /// 0/0, ∞/∞, ∞-∞, 0·∞: Go's big.Float has no NaN.
    NaN,
}

impl Big {
    fn zero(neg: bool, prec: u32) -> Big {
        Big {
            neg,
            form: Form::Zero,
            mant: BigUint::zero(),
            exp: 0,
            prec,
        }
    }

    fn inf(neg: bool, prec: u32) -> Big {
        Big {
            neg,
            form: Form::Inf,
            mant: BigUint::zero(),
            exp: 0,
            prec,
        }
    }

    /// `mant * 2^exp` rounded to `prec` bits, nearest even; `sticky` says that nonzero bits
    /// below `mant`'s lowest were dropped (callers then give at least `prec + 2` bits).
    fn round(neg: bool, mut mant: BigUint, mut exp: i64, sticky: bool, prec: u32) -> Big {
        if mant.is_zero() {
            return Big::zero(neg, prec);
        }
        let bits = mant.bits();
        if bits > u64::from(prec) {
            let shift = bits - u64::from(prec);
            let half = mant.bit(shift - 1);
            let rest = sticky || mant.trailing_zeros().unwrap_or(0) < shift - 1;
            mant >>= shift;
            exp += shift as i64;
            if half && (rest || mant.bit(0)) {
                mant += 1u32;
                if mant.bits() > u64::from(prec) {
                    mant >>= 1u32;
                    exp += 1;
                }
            }
        }
        let tz = mant.trailing_zeros().unwrap_or(0);
        if tz > 0 {
            mant >>= tz;
            exp += tz as i64;
        }
        Big {
            neg,
            form: Form::Finite,
            mant,
            exp,
            prec,
        }
    }

    fn from_int(v: i64, prec: u32) -> Big {
        let neg = v < 0;
        let m = BigUint::from(v.unsigned_abs());
        Big::round(neg, m, 0, false, prec)
    }

    /// The position just above the most significant bit: `|x| < 2^top`.
    fn top(&self) -> i64 {
        self.exp + self.mant.bits() as i64
    }

    fn with_prec(&self, prec: u32) -> Big {
        match self.form {
            Form::Finite => Big::round(self.neg, self.mant.clone(), self.exp, false, prec),
            _ => Big {
                prec,
                ..self.clone()
            },
        }
    }

    fn neg(mut self) -> Big {
        self.neg = !self.neg;
        self
    }

    fn add(a: &Big, b: &Big, prec: u32) -> Result<Big, NumError> {
        match (a.form, b.form) {
            (Form::Inf, Form::Inf) if a.neg != b.neg => return Err(NumError::NaN),
            (Form::Inf, _) => return Ok(Big::inf(a.neg, prec)),
            (_, Form::Inf) => return Ok(Big::inf(b.neg, prec)),
            (Form::Zero, Form::Zero) => return Ok(Big::zero(a.neg && b.neg, prec)),
            (Form::Zero, _) => return Ok(b.with_prec(prec)),
            (_, Form::Zero) => return Ok(a.with_prec(prec)),
            _ => {}
        }
        let (large, small) = if a.top() >= b.top() { (a, b) } else { (b, a) };
        // A far smaller operand only decides the rounding direction: keep it as a sticky
        // bit instead of shifting the larger one by a huge amount.
        let k = (u64::from(prec) + 3).saturating_sub(large.mant.bits());
        if small.top() < large.exp - k as i64 {
            let m = &large.mant << k;
            let m = if large.neg == small.neg { m } else { m - 1u32 };
            return Ok(Big::round(large.neg, m, large.exp - k as i64, true, prec));
        }
        let e = a.exp.min(b.exp);
        let ma = BigInt::from_biguint(sign(a.neg), &a.mant << (a.exp - e) as u64);
        let mb = BigInt::from_biguint(sign(b.neg), &b.mant << (b.exp - e) as u64);
        let sum = ma + mb;
        let neg = sum.sign() == Sign::Minus;
        Ok(Big::round(neg, sum.into_parts().1, e, false, prec))
    }

    fn mul(a: &Big, b: &Big, prec: u32) -> Result<Big, NumError> {
        let neg = a.neg != b.neg;
        match (a.form, b.form) {
            (Form::Zero, Form::Inf) | (Form::Inf, Form::Zero) => Err(NumError::NaN),
            (Form::Inf, _) | (_, Form::Inf) => Ok(Big::inf(neg, prec)),
            (Form::Zero, _) | (_, Form::Zero) => Ok(Big::zero(neg, prec)),
            _ => Ok(Big::round(
                neg,
                &a.mant * &b.mant,
                a.exp + b.exp,
                false,
                prec,
            )),
        }
    }

    fn quo(a: &Big, b: &Big, prec: u32) -> Result<Big, NumError> {
        let neg = a.neg != b.neg;
        match (a.form, b.form) {
            (Form::Zero, Form::Zero) | (Form::Inf, Form::Inf) => Err(NumError::NaN),
            (Form::Zero, _) | (_, Form::Inf) => Ok(Big::zero(neg, prec)),
            (Form::Inf, _) | (_, Form::Zero) => Ok(Big::inf(neg, prec)),
            _ => {
                let s = (i64::from(prec) + 2 + b.mant.bits() as i64 - a.mant.bits() as i64).max(0);
                let n = &a.mant << s as u64;
                let q = &n / &b.mant;
                let sticky = !(&n % &b.mant).is_zero();
                Ok(Big::round(neg, q, a.exp - b.exp - s, sticky, prec))
            }
        }
    }

    /// Truncation toward zero; `None` for infinities.
    fn trunc(&self) -> Option<BigInt> {
        match self.form {
            Form::Zero => Some(BigInt::zero()),
            Form::Inf => None,
            Form::Finite => {
                let m = if self.exp >= 0 {
                    &self.mant << self.exp as u64
                } else {
                    &self.mant >> (-self.exp) as u64
                };
                Some(BigInt::from_biguint(sign(self.neg), m))
            }
        }
    }

    fn is_int(&self) -> bool {
        match self.form {
            Form::Zero => true,
            Form::Inf => false,
            Form::Finite => self.exp >= 0,
        }
    }

    fn cmp_abs(&self, other: &Big) -> Ordering {
        match (self.form, other.form) {
            (Form::Inf, Form::Inf) | (Form::Zero, Form::Zero) => Ordering::Equal,
            (Form::Inf, _) | (_, Form::Zero) => Ordering::Greater,
            (_, Form::Inf) | (Form::Zero, _) => Ordering::Less,
            _ => self.top().cmp(&other.top()).then_with(|| {
                let e = self.exp.min(other.exp);
                let a = &self.mant << (self.exp - e) as u64;
                let b = &other.mant << (other.exp - e) as u64;
                a.cmp(&b)
            }),
        }
    }

    fn cmp(&self, other: &Big) -> Ordering {
        let sa = self.signum();
        let sb = other.signum();
        if sa != sb {
            return sa.cmp(&sb);
        }
        match sa {
            0 => Ordering::Equal,
            1 => self.cmp_abs(other),
            _ => other.cmp_abs(self),
        }
    }

    fn signum(&self) -> i8 {
        match self.form {
            Form::Zero => 0,
            _ if self.neg => -1,
            _ => 1,
        }
    }

    fn to_f64(&self) -> f64 {
        let v = match self.form {
            Form::Zero => 0.0,
            Form::Inf => f64::INFINITY,
            Form::Finite => {
                let r = Big::round(false, self.mant.clone(), self.exp, false, 53);
                let m = r.mant.to_u64().unwrap_or(0) as f64;
                scale2(m, r.exp)
            }
        };
        if self.neg {
            -v
        } else {
            v
        }
    }

    fn from_f64(f: f64) -> Big {
        let neg = f.is_sign_negative();
        if f == 0.0 {
            return Big::zero(neg, FLOAT_PREC);
        }
        if f.is_infinite() {
            return Big::inf(neg, FLOAT_PREC);
        }
        let bits = f.abs().to_bits();
        let biased = ((bits >> 52) & 0x7ff) as i64;
        let frac = bits & ((1u64 << 52) - 1);
        let (m, e) = if biased == 0 {
            (frac, -1074)
        } else {
            (frac | (1u64 << 52), biased - 1075)
        };
        Big::round(neg, BigUint::from(m), e, false, FLOAT_PREC)
    }

    /// Go's `Text('f', -1)`: the shortest decimal that reads back as this value at its
    /// precision, without exponent.
    fn text(&self) -> String {
        let mut out = String::new();
        if self.neg {
            out.push('-');
        }
        match self.form {
            Form::Inf => {
                if !self.neg {
                    out.push('+');
                }
                out.push_str("Inf");
                return out;
            }
            Form::Zero => {
                out.push('0');
                return out;
            }
            Form::Finite => {}
        }
        let mut d = Decimal::new(&self.mant, self.exp);
        self.round_shortest(&mut d);
        // fmtF with prec = max(len(mant) - exp, 0)
        let prec = (d.mant.len() as i64 - d.exp).max(0);
        if d.exp > 0 {
            let m = (d.exp as usize).min(d.mant.len());
            out.push_str(std::str::from_utf8(&d.mant[..m]).unwrap_or("0"));
            for _ in m as i64..d.exp {
                out.push('0');
            }
        } else {
            out.push('0');
        }
        if prec > 0 {
            out.push('.');
            for i in 0..prec {
                let j = d.exp + i;
                let ch = if j >= 0 && (j as usize) < d.mant.len() {
                    d.mant[j as usize]
                } else {
                    b'0'
                };
                out.push(ch as char);
            }
        }
        out
    }

    /// Go's `roundShortest` from math/big, step for step (including how it compares the
    /// digits of the bounds position by position).
    fn round_shortest(&self, d: &mut Decimal) {
        if d.mant.is_empty() {
            return;
        }
        // A mantissa of prec + 1 bits whose lowest bit is half an ulp.
        let bits = self.mant.bits() as i64;
        let s = i64::from(self.prec) + 1 - bits;
        let mant = &self.mant << s.max(0) as u64;
        let exp = self.exp - s;
        let lower = Decimal::new(&(&mant - 1u32), exp);
        let upper = Decimal::new(&(&mant + 1u32), exp);
        let inclusive = !mant.bit(1);
        for i in 0..d.mant.len() {
            let m = d.mant[i];
            let l = lower.at(i);
            let u = upper.at(i);
            let okdown = l != m || inclusive && i + 1 == lower.mant.len();
            let okup = m != u && (inclusive || m + 1 < u || i + 1 < upper.mant.len());
            match (okdown, okup) {
                (true, true) => {
                    d.round(i + 1);
                    return;
                }
                (true, false) => {
                    d.round_down(i + 1);
                    return;
                }
                (false, true) => {
                    d.round_up(i + 1);
                    return;
                }
                (false, false) => {}
            }
        }
    }
}

fn sign(neg: bool) -> Sign {
    if neg {
        Sign::Minus
    } else {
        Sign::Plus
    }
}

/// `m * 2^e` in f64, saturating to infinity and flushing to zero.
fn scale2(m: f64, e: i64) -> f64 {
    let mut v = m;
    let mut e = e;
    while e > 0 {
        let step = e.min(1000);
        v *= 2f64.powi(step as i32);
        e -= step;
        if v.is_infinite() {
            return v;
        }
    }
    while e < 0 {
        let step = (-e).min(1000);
        v /= 2f64.powi(step as i32);
        e += step;
        if v == 0.0 {
            return v;
        }
    }
    v
}

/// Decimal digits `0.d1d2d3… × 10^exp`, trailing zeros trimmed (Go's `decimal`).
struct Decimal {
    mant: Vec<u8>,
    exp: i64,
}

impl Decimal {
    /// The exact decimal value of `m * 2^shift`.
    fn new(m: &BigUint, shift: i64) -> Decimal {
        if m.is_zero() {
            return Decimal {
                mant: Vec::new(),
                exp: 0,
            };
        }
        let (digits, point) = if shift >= 0 {
            let v = m << shift as u64;
            let s = v.to_str_radix(10);
            let n = s.len() as i64;
            (s, n)
        } else {
            // m / 2^k = m * 5^k / 10^k
            let k = (-shift) as u64;
            let v = m * BigUint::from(5u32).pow(k as u32);
            let s = v.to_str_radix(10);
            let n = s.len() as i64 - k as i64;
            (s, n)
        };
        let mut mant = digits.into_bytes();
        while mant.last() == Some(&b'0') {
            mant.pop();
        }
        Decimal { mant, exp: point }
    }

    fn at(&self, i: usize) -> u8 {
        self.mant.get(i).copied().unwrap_or(b'0')
    }

    fn round(&mut self, n: usize) {
        if n >= self.mant.len() {
            return;
        }
        if self.should_round_up(n) {
            self.round_up(n);
        } else {
            self.round_down(n);
        }
    }

    fn should_round_up(&self, n: usize) -> bool {
        if self.mant[n] == b'5' && n + 1 == self.mant.len() {
            return n > 0 && (self.mant[n - 1] - b'0') & 1 != 0;
        }
        self.mant[n] >= b'5'
    }

    fn round_up(&mut self, n: usize) {
        if n >= self.mant.len() {
            return;
        }
        let mut i = n;
        while i > 0 && self.mant[i - 1] >= b'9' {
            i -= 1;
        }
        if i == 0 {
            self.mant.clear();
            self.mant.push(b'1');
            self.exp += 1;
            return;
        }
        self.mant[i - 1] += 1;
        self.mant.truncate(i);
    }

    fn round_down(&mut self, n: usize) {
        if n >= self.mant.len() {
            return;
        }
        self.mant.truncate(n);
        while self.mant.last() == Some(&b'0') {
            self.mant.pop();
        }
    }
}

impl Number {
    /// An integer Terraform made itself (a length, an index): cty's `NumberIntVal`.
    pub fn int(v: i64) -> Number {
        Number(Repr::Int(v, INT_PREC))
    }

    /// A 64-bit float result (`pow`, `log`...): cty's `NumberFloatVal`. `None` for NaN.
    pub fn from_f64(f: f64) -> Option<Number> {
        if f.is_nan() {
            return None;
        }
        if f.fract() == 0.0 && f.abs() < 9.0e15 && !(f == 0.0 && f.is_sign_negative()) {
            return Some(Number(Repr::Int(f as i64, FLOAT_PREC)));
        }
        Some(Number(Repr::Big(Box::new(Big::from_f64(f)))))
    }

    /// An integer of any size, with the precision Go's `SetInt` gives it (at least 64 bits,
    /// more when the integer needs them).
    pub fn from_bigint(i: &BigInt) -> Number {
        if let Some(v) = i.to_i64() {
            return Number(Repr::Int(v, INT_PREC));
        }
        let prec = (i.bits() as u32).max(INT_PREC);
        let (s, m) = (i.sign(), i.magnitude().clone());
        Number(Repr::Big(Box::new(Big::round(
            s == Sign::Minus,
            m,
            0,
            false,
            prec,
        ))))
    }

    /// An integer with the given precision: what `SetInt` gives a float that already has one
    /// (floor and ceil keep their argument's precision).
    fn from_bigint_prec(i: &BigInt, prec: u32) -> Number {
        if let Some(v) = i.to_i64() {
            return Number(Repr::Int(v, prec));
        }
        let (s, m) = (i.sign(), i.magnitude().clone());
        Number(Repr::Big(Box::new(Big::round(
            s == Sign::Minus,
            m,
            0,
            false,
            prec,
        ))))
    }

    /// Parses a decimal number as cty's `ParseNumberVal` does (512 bits): an optional sign,
    /// digits with an optional fraction, and an optional exponent. No spaces, no hex, no
    /// infinities. `None` when the text is not such a number.
    pub fn parse(s: &str) -> Option<Number> {
        Self::parse_prec(s, PARSE_PREC)
    }

    fn parse_prec(s: &str, prec: u32) -> Option<Number> {
        let b = s.as_bytes();
        let mut i = 0;
        let mut neg = false;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            neg = b[i] == b'-';
            i += 1;
        }
        let start = i;
        let mut digits = String::new();
        let mut frac_digits: i64 = 0;
        let mut seen_point = false;
        let mut any = false;
        while i < b.len() {
            match b[i] {
                c @ b'0'..=b'9' => {
                    digits.push(c as char);
                    any = true;
                    if seen_point {
                        frac_digits += 1;
                    }
                }
                b'.' if !seen_point => seen_point = true,
                _ => break,
            }
            i += 1;
        }
        if !any || i == start {
            return None;
        }
        let mut exp10: i64 = 0;
        if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
            i += 1;
            let mut eneg = false;
            if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
                eneg = b[i] == b'-';
                i += 1;
            }
            let es = i;
            while i < b.len() && b[i].is_ascii_digit() {
                exp10 = exp10
                    .saturating_mul(10)
                    .saturating_add(i64::from(b[i] - b'0'));
                i += 1;
            }
            if i == es {
                return None;
            }
            if eneg {
                exp10 = -exp10;
            }
        }
        if i != b.len() {
            return None;
        }
        let e = exp10 - frac_digits;
        // Fast path: a plain integer that fits.
        if e == 0 && digits.len() <= 18 {
            let v: i64 = digits.parse().ok()?;
            if v == 0 && neg {
                return Some(Number(Repr::Big(Box::new(Big::zero(true, prec)))));
            }
            return Some(Number(Repr::Int(if neg { -v } else { v }, prec)));
        }
        let d: BigUint = digits.parse().ok()?;
        if d.is_zero() {
            return Some(Number(Repr::Big(Box::new(Big::zero(neg, prec)))).normalized());
        }
        let ndig = digits.trim_start_matches('0').len() as i64;
        if e + ndig > MAX_DECIMAL_EXPONENT || e + ndig < -MAX_DECIMAL_EXPONENT {
            return None;
        }
        let big = if e >= 0 {
            Big::round(neg, d * BigUint::from(10u32).pow(e as u32), 0, false, prec)
        } else {
            let den = BigUint::from(10u32).pow((-e) as u32);
            let s = (i64::from(prec) + 2 + den.bits() as i64 - d.bits() as i64).max(0);
            let n = d << s as u64;
            let q = &n / &den;
            let sticky = !(&n % &den).is_zero();
            Big::round(neg, q, -s, sticky, prec)
        };
        Some(Number(Repr::Big(Box::new(big))).normalized())
    }

    fn big(&self) -> std::borrow::Cow<'_, Big> {
        match &self.0 {
            Repr::Int(v, p) => std::borrow::Cow::Owned(Big::from_int(*v, *p)),
            Repr::Big(b) => std::borrow::Cow::Borrowed(b),
        }
    }

    fn prec(&self) -> u32 {
        match &self.0 {
            Repr::Int(_, p) => *p,
            Repr::Big(b) => b.prec,
        }
    }

    /// Back to the fast representation when the value is an integer that fits.
    fn normalized(self) -> Number {
        if let Repr::Big(b) = &self.0 {
            if b.form == Form::Zero && !b.neg {
                return Number(Repr::Int(0, b.prec));
            }
            if b.form == Form::Finite && b.exp >= 0 && b.top() < 63 {
                if let Some(m) = b.mant.to_i64() {
                    let v = m << b.exp;
                    return Number(Repr::Int(if b.neg { -v } else { v }, b.prec));
                }
            }
        }
        self
    }

    fn from_big(b: Big) -> Number {
        Number(Repr::Big(Box::new(b))).normalized()
    }

    pub fn add(&self, other: &Number) -> Result<Number, NumError> {
        if let (Repr::Int(a, pa), Repr::Int(b, pb)) = (&self.0, &other.0) {
            if let Some(s) = a.checked_add(*b) {
                return Ok(Number(Repr::Int(s, (*pa).max(*pb))));
            }
        }
        let prec = self.prec().max(other.prec());
        Big::add(&self.big(), &other.big(), prec).map(Number::from_big)
    }

    pub fn sub(&self, other: &Number) -> Result<Number, NumError> {
        self.add(&other.neg())
    }

    pub fn neg(&self) -> Number {
        match &self.0 {
            Repr::Int(0, p) => Number(Repr::Big(Box::new(Big::zero(true, *p)))),
            Repr::Int(v, p) if *v != i64::MIN => Number(Repr::Int(-v, *p)),
            _ => Number::from_big(self.big().into_owned().neg()),
        }
    }

    pub fn abs(&self) -> Number {
        if self.is_negative() || self.is_neg_zero() {
            self.neg()
        } else {
            self.clone()
        }
    }

    /// cty's Multiply: the product rounded to 512 bits, with the larger of the operands'
    /// precisions and the product's own.
    pub fn mul(&self, other: &Number) -> Result<Number, NumError> {
        let prec = self.prec().max(other.prec());
        if let (Repr::Int(a, _), Repr::Int(b, _)) = (&self.0, &other.0) {
            if let Some(p) = a.checked_mul(*b) {
                if p != 0 || (*a < 0) == (*b < 0) {
                    return Ok(Number(Repr::Int(p, prec)));
                }
            }
        }
        let r = Big::mul(&self.big(), &other.big(), PARSE_PREC)?;
        let min = if r.form == Form::Finite {
            r.mant.bits() as u32
        } else {
            0
        };
        let prec = prec.max(min);
        Ok(Number::from_big(Big { prec, ..r }))
    }

    /// Division; a nonzero number divided by zero is an infinity, as in cty.
    pub fn div(&self, other: &Number) -> Result<Number, NumError> {
        let prec = self.prec().max(other.prec());
        if let (Repr::Int(a, _), Repr::Int(b, _)) = (&self.0, &other.0) {
            if *b != 0 && a.checked_rem(*b) == Some(0) && !(*a == 0 && *b < 0) {
                return Ok(Number(Repr::Int(a / b, prec)));
            }
        }
        Big::quo(&self.big(), &other.big(), prec).map(Number::from_big)
    }

    /// cty's Modulo: the remainder of truncated division, with the sign of the dividend;
    /// `x % 0` is `x`.
    pub fn rem(&self, other: &Number) -> Result<Number, NumError> {
        if let (Repr::Int(a, pa), Repr::Int(b, _)) = (&self.0, &other.0) {
            if *b != 0 {
                if let Some(r) = a.checked_rem(*b) {
                    if r != 0 || *a >= 0 {
                        return Ok(Number(Repr::Int(r, *pa)));
                    }
                }
            }
        }
        if self.is_inf() || other.is_inf() {
            return self.mul(other);
        }
        if other.is_zero() {
            return Ok(self.clone());
        }
        let rat = self.div(other)?;
        let whole = rat.big().trunc().unwrap_or_default();
        let v = self.big();
        let work = Number::from_bigint_prec(&whole, v.prec);
        let work = Big::mul(&other.big(), &work.big(), v.prec)?;
        let neg_work = work.neg();
        Big::add(&v, &neg_work, v.prec).map(Number::from_big)
    }

    /// The largest integer not above this number (keeps the precision, as cty's floor).
    pub fn floor(&self) -> Number {
        self.to_integer(false)
    }

    /// The smallest integer not below this number.
    pub fn ceil(&self) -> Number {
        self.to_integer(true)
    }

    fn to_integer(&self, up: bool) -> Number {
        if let Repr::Int(..) = self.0 {
            return self.clone();
        }
        let b = self.big();
        let Some(mut i) = b.trunc() else {
            return self.clone();
        };
        if !b.is_int() {
            if up && !b.neg {
                i += 1;
            } else if !up && b.neg {
                i -= 1;
            }
        }
        Number::from_bigint_prec(&i, b.prec)
    }

    pub fn is_zero(&self) -> bool {
        match &self.0 {
            Repr::Int(v, _) => *v == 0,
            Repr::Big(b) => b.form == Form::Zero,
        }
    }

    fn is_neg_zero(&self) -> bool {
        matches!(&self.0, Repr::Big(b) if b.form == Form::Zero && b.neg)
    }

    pub fn is_negative(&self) -> bool {
        match &self.0 {
            Repr::Int(v, _) => *v < 0,
            Repr::Big(b) => b.form != Form::Zero && b.neg,
        }
    }

    pub fn is_inf(&self) -> bool {
        matches!(&self.0, Repr::Big(b) if b.form == Form::Inf)
    }

    /// Whether the number is a whole number (infinities are not).
    pub fn is_integer(&self) -> bool {
        match &self.0 {
            Repr::Int(..) => true,
            Repr::Big(b) => b.is_int(),
        }
    }

    /// The number as an `i64` when it is a whole number in range.
    pub fn to_i64(&self) -> Option<i64> {
        match &self.0 {
            Repr::Int(v, _) => Some(*v),
            Repr::Big(b) if b.is_int() => b.trunc()?.to_i64(),
            Repr::Big(_) => None,
        }
    }

    /// The whole number, of any size; `None` for fractions and infinities.
    pub fn to_bigint(&self) -> Option<BigInt> {
        match &self.0 {
            Repr::Int(v, _) => Some(BigInt::from(*v)),
            Repr::Big(b) if b.is_int() => b.trunc(),
            Repr::Big(_) => None,
        }
    }

    /// Truncation toward zero; `None` for infinities.
    pub fn trunc(&self) -> Option<BigInt> {
        match &self.0 {
            Repr::Int(v, _) => Some(BigInt::from(*v)),
            Repr::Big(b) => b.trunc(),
        }
    }

    /// The nearest `f64` (for functions Terraform computes in 64-bit floating point).
    pub fn to_f64(&self) -> f64 {
        match &self.0 {
            Repr::Int(v, _) => *v as f64,
            Repr::Big(b) => b.to_f64(),
        }
    }

    /// -1, 0 or 1.
    pub fn signum(&self) -> i8 {
        match &self.0 {
            Repr::Int(v, _) => v.signum() as i8,
            Repr::Big(b) => b.signum(),
        }
    }

    /// The text of the number as Terraform's state holds it. Values reach the state through
    /// the plan's msgpack encoding, which writes an integer that fits 64 bits as an integer
    /// (so a negative zero loses its sign and `pow(2, 62)` keeps every digit) and a value
    /// that is exactly a 64-bit float as that float (printed at 53 bits); other numbers
    /// keep their text.
    pub fn json_text(&self) -> String {
        if let Some(i) = self.to_i64() {
            return i.to_string();
        }
        let f = self.to_f64();
        if f.is_finite() {
            if let Some(exact) = Number::from_f64(f) {
                if exact == *self {
                    return exact.to_string();
                }
            }
        }
        self.to_string()
    }

    /// The JSON number, exact where `serde_json` can hold it (integers up to 64 bits),
    /// otherwise the nearest double. `None` for infinities.
    pub fn to_json(&self) -> Option<serde_json::Number> {
        if let Some(i) = self.to_i64() {
            return Some(i.into());
        }
        if self.is_inf() {
            return None;
        }
        if let Some(u) = self.to_bigint().and_then(|b| b.to_u64()) {
            return Some(u.into());
        }
        let text = self.json_text();
        serde_json::from_str::<serde_json::Number>(&text)
            .ok()
            .or_else(|| serde_json::Number::from_f64(self.to_f64()))
    }

    /// A number from JSON: integers exactly, others through their shortest text.
    pub fn from_json(n: &serde_json::Number) -> Number {
        if let Some(i) = n.as_i64() {
            return Number(Repr::Int(i, PARSE_PREC));
        }
        Number::parse(&n.to_string())
            .unwrap_or_else(|| Number::from_f64(n.as_f64().unwrap_or(0.0)).unwrap_or_default())
    }
}

impl Default for Number {
    fn default() -> Number {
        Number(Repr::Int(0, PARSE_PREC))
    }
}

impl From<i64> for Number {
    /// A whole number as a literal gives it (512 bits).
    fn from(v: i64) -> Number {
        Number(Repr::Int(v, PARSE_PREC))
    }
}

impl PartialEq for Number {
    fn eq(&self, other: &Number) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Number {}

impl PartialOrd for Number {
    fn partial_cmp(&self, other: &Number) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Number {
    fn cmp(&self, other: &Number) -> Ordering {
        match (&self.0, &other.0) {
            (Repr::Int(a, _), Repr::Int(b, _)) => a.cmp(b),
            _ => self.big().cmp(&other.big()),
        }
    }
}

impl fmt::Display for Number {
    /// Go's `Text('f', -1)`, which is how cty turns a number into a string.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::Int(v, _) => write!(f, "{v}"),
            Repr::Big(b) => f.write_str(&b.text()),
        }
    }
}

impl fmt::Debug for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}")
    }
}

impl One for Number {
    fn one() -> Number {
        Number::from(1)
    }
}

impl std::ops::Mul for Number {
    type Output = Number;
    fn mul(self, rhs: Number) -> Number {
        Number::mul(&self, &rhs).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Number {
        Number::parse(s).unwrap()
    }

    const THIRD: &str = "0.33333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333335";

    #[test]
    fn division_prints_as_cty() {
        assert_eq!(n("1").div(&n("3")).unwrap().to_string(), THIRD);
        assert_eq!(
            Number::int(2).div(&Number::int(3)).unwrap().to_string(),
            "0.6666666666666666667"
        );
        assert_eq!(
            n("3").div(&n("7")).unwrap().to_string(),
            "0.42857142857142857142857142857142857142857142857142857142857142857142857142857142857142857142857142857142857142857142857142857142857142857142857142857142856"
        );
        assert_eq!(n("7").div(&n("2")).unwrap().to_string(), "3.5");
    }

    #[test]
    fn sums_round_in_binary() {
        assert_eq!(n("0.1").add(&n("0.2")).unwrap().to_string(), "0.3");
        let mut x = n("0");
        for _ in 0..3 {
            x = x.add(&n("0.3")).unwrap();
        }
        assert_eq!(
            x.to_string(),
            "0.90000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000004"
        );
        assert_eq!(
            n("0.1").mul(&n("0.1")).unwrap().to_string(),
            "0.010000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001"
        );
        assert_eq!(n("0.1").mul(&n("3")).unwrap().to_string(), "0.3");
        assert_eq!(
            n("1e20").add(&n("1")).unwrap().to_string(),
            "100000000000000000001"
        );
    }

    #[test]
    fn big_integers_stay_exact() {
        let v = n("12345678901234567890123").mul(&n("10")).unwrap();
        assert_eq!(v.to_string(), "123456789012345678901230");
        assert_eq!(n("1e400").to_string().len(), 401);
        assert_eq!(
            n("12345678901234567890.5").to_string(),
            "12345678901234567890.5"
        );
    }

    #[test]
    fn modulo_follows_the_dividend() {
        assert_eq!(n("-7").rem(&n("3")).unwrap().to_string(), "-1");
        assert_eq!(n("5").rem(&n("-3")).unwrap().to_string(), "2");
        assert_eq!(n("5").rem(&n("0")).unwrap().to_string(), "5");
        assert_eq!(n("7").rem(&n("2.5")).unwrap().to_string(), "2");
        assert_eq!(n("1.5").rem(&n("1")).unwrap().to_string(), "0.5");
        assert_eq!(
            n("10").rem(&n("3.3")).unwrap().to_string(),
            "0.10000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000048"
        );
    }

    #[test]
    fn floats_and_rounding() {
        assert_eq!(
            Number::from_f64(2f64.powi(100)).unwrap().to_string(),
            "1267650600228229400000000000000"
        );
        assert_eq!(
            Number::from_f64(2f64.sqrt()).unwrap().to_string(),
            "1.4142135623730951"
        );
        assert_eq!(n("-1.5").floor().to_string(), "-2");
        assert_eq!(n("1.2").ceil().to_string(), "2");
        assert_eq!(n("-0").to_string(), "-0");
        assert_eq!(n("-0").json_text(), "0");
        assert_eq!(
            Number::from_f64(2f64.powi(62)).unwrap().json_text(),
            "4611686018427387904"
        );
        assert_eq!(n("0.0009765625").json_text(), "0.0009765625");
        assert_eq!(
            n("0.000000000931322574615478515625").json_text(),
            "0.0000000009313225746154785"
        );
        assert_eq!(n("0").neg().to_string(), "-0");
        assert_eq!(n("1e-7").to_string(), "0.0000001");
        assert_eq!(n("123.456e3").to_string(), "123456");
        assert_eq!(n("1").div(&n("0")).unwrap().to_string(), "+Inf");
        assert!(n("0").div(&n("0")).is_err());
        assert_eq!(n("0.5"), n("0.50"));
        assert!(n("0.1") < n("0.2"));
        assert_eq!(Number::parse("1.").map(|x| x.to_string()), Some("1".into()));
        assert_eq!(
            Number::parse(".5").map(|x| x.to_string()),
            Some("0.5".into())
        );
        for bad in ["", "-", "1e", "0x1", " 1", "1_0", "inf", "1.2.3"] {
            assert!(Number::parse(bad).is_none(), "{bad}");
        }
    }
}
