//! How long a backend request may wait: to connect, and for the next bytes of an answer once
//! connected. Every http, S3 and GCS request is bounded by both, so a stalled endpoint is an
//! error that names it instead of a hang. It configures clients; it sends nothing.

use std::time::Duration;

/// `TFRECON_CONNECT_TIMEOUT`: seconds to establish a connection (default 10).
pub const CONNECT_TIMEOUT_VAR: &str = "TFRECON_CONNECT_TIMEOUT";
/// `TFRECON_READ_TIMEOUT`: seconds to wait for the next bytes of an answer (default 60).
pub const READ_TIMEOUT_VAR: &str = "TFRECON_READ_TIMEOUT";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    pub connect: Duration,
    /// The longest silence while waiting for an answer's headers or the next part of its body.
    /// A large state that keeps arriving is never cut off; one that stops arriving is.
    pub read: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(10),
            read: Duration::from_secs(60),
        }
    }
}

impl Timeouts {
    /// The defaults, with `TFRECON_CONNECT_TIMEOUT` / `TFRECON_READ_TIMEOUT` applied.
    pub fn from_env() -> Result<Timeouts, String> {
        let mut t = Timeouts::default();
        if let Some(d) = env_seconds(CONNECT_TIMEOUT_VAR)? {
            t.connect = d;
        }
        if let Some(d) = env_seconds(READ_TIMEOUT_VAR)? {
            t.read = d;
        }
        Ok(t)
    }
}

fn env_seconds(var: &str) -> Result<Option<Duration>, String> {
    match std::env::var(var) {
        Ok(v) if !v.trim().is_empty() => parse_seconds(&v)
            .map(Some)
            .ok_or_else(|| format!("{var}={v:?} is not a number of seconds greater than 0 (e.g. {var}=30 or {var}=2.5)")),
        _ => Ok(None),
    }
}

/// A positive number of seconds, possibly fractional.
pub fn parse_seconds(s: &str) -> Option<Duration> {
    let v: f64 = s.trim().parse().ok()?;
    (v.is_finite() && v > 0.0 && v < 1e9).then(|| Duration::from_secs_f64(v))
}

/// `12 s`, `2.5 s`, `500 ms`: for messages.
pub fn describe(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else if d < Duration::from_secs(1) {
        format!("{} ms", d.as_millis())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds() {
        assert_eq!(parse_seconds("30"), Some(Duration::from_secs(30)));
        assert_eq!(parse_seconds(" 2.5 "), Some(Duration::from_millis(2500)));
        assert_eq!(parse_seconds("0"), None);
        assert_eq!(parse_seconds("-1"), None);
        assert_eq!(parse_seconds("ten"), None);
        assert_eq!(parse_seconds("inf"), None);
        assert_eq!(describe(Duration::from_secs(12)), "12 s");
        assert_eq!(describe(Duration::from_millis(2500)), "2.5 s");
        assert_eq!(describe(Duration::from_millis(500)), "500 ms");
    }
}
