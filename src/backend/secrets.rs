//! Which backend settings are credentials, and how they are kept out of every message: setting
//! values shown in findings, URLs with user info or tokens, header values, and any error text
//! that might echo one of them. It decides what is secret; it never reads or sends anything.

use std::collections::BTreeMap;

use serde_json::Value;

use super::settings::SettingValue;

/// What replaces a credential wherever it could be shown.
pub const REDACTED: &str = "(sensitive)";

/// Setting names (the last part of a nested name) that hold credentials in some backend:
/// s3 `access_key`, `secret_key`, `token`, `sse_customer_key`, `web_identity_token`; gcs
/// `credentials`, `access_token`, `encryption_key`, `kms_encryption_key`; http `password`,
/// `client_private_key_pem`; azurerm `sas_token`, `client_secret`, `oidc_token`; pg `conn_str`;
/// cos / oss `secret_id`, `security_token`; kubernetes `client_key`.
const SECRET_NAMES: &[&str] = &[
    "access_key",
    "secret_key",
    "secret_id",
    "token",
    "access_token",
    "security_token",
    "session_token",
    "sas_token",
    "oidc_token",
    "web_identity_token",
    "password",
    "client_secret",
    "client_certificate_password",
    "client_private_key_pem",
    "client_key",
    "credentials",
    "encryption_key",
    "kms_encryption_key",
    "sse_customer_key",
    "conn_str",
    "headers",
];

/// Whether a setting (`password`, `assume_role.external_id`, `endpoints.s3`) holds a
/// credential. Over-redacting costs a less helpful message; under-redacting leaks a secret, so
/// any name that speaks of a secret, token, password or private key counts.
pub fn is_secret_setting(key: &str) -> bool {
    let last = key.rsplit('.').next().unwrap_or(key).to_ascii_lowercase();
    SECRET_NAMES.contains(&last.as_str())
        || last.contains("secret")
        || last.contains("password")
        || last.contains("passwd")
        || last.ends_with("token")
        || last.ends_with("private_key")
        || last.ends_with("private_key_pem")
        || last.starts_with("sts_") && (last.ends_with("key") || last.ends_with("token"))
}

/// A setting's value as it may be shown: credentials replaced by [`REDACTED`] (in nested
/// objects too), passwords and tokens taken out of URLs.
pub fn redact_setting(key: &str, value: &SettingValue) -> SettingValue {
    if is_secret_setting(key) {
        return match value {
            Value::Null => Value::Null,
            _ => Value::String(REDACTED.into()),
        };
    }
    match value {
        Value::String(s) => Value::String(redact_url(s)),
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), redact_setting(&format!("{key}.{k}"), v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|v| redact_setting(key, v)).collect()),
        other => other.clone(),
    }
}

/// Query parameters whose values are credentials in the URLs people give the http backend
/// (GitLab's `private_token`, signed URLs' `X-Amz-Signature`, `sig`, `key`, ...).
fn is_secret_param(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    is_secret_setting(&n)
        || matches!(
            n.as_str(),
            "key" | "apikey" | "api_key" | "sig" | "signature" | "auth" | "code"
        )
        || n.starts_with("x-amz-")
        || n.starts_with("x-goog-")
}

/// A URL as it may be shown: the password of its user info and the values of credential
/// query parameters replaced. Text that is not a URL comes back unchanged.
pub fn redact_url(text: &str) -> String {
    let Ok(mut url) = url::Url::parse(text) else {
        return text.to_string();
    };
    if url.cannot_be_a_base() {
        return text.to_string();
    }
    let mut changed = false;
    if url.password().is_some() {
        let _ = url.set_password(Some(REDACTED));
        changed = true;
    }
    if url.query().is_some() {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| {
                let secret = is_secret_param(&k);
                changed |= secret;
                (
                    k.into_owned(),
                    if secret {
                        REDACTED.to_string()
                    } else {
                        v.into_owned()
                    },
                )
            })
            .collect();
        if changed {
            url.query_pairs_mut().clear().extend_pairs(pairs);
        }
    }
    if changed {
        url.to_string()
    } else {
        text.to_string()
    }
}

/// The credential values of a run, so that any message can be scrubbed of them, whichever
/// library or server produced its text.
#[derive(Debug, Clone, Default)]
pub struct Secrets {
    values: Vec<String>,
}

/// Values this short are not scrubbed from text: replacing every `1` or `true` would make
/// messages unreadable, and a credential is never that short.
const MIN_SECRET_LEN: usize = 4;

impl Secrets {
    /// Every credential in `settings` (including URL passwords and header values), plus the
    /// ones the backends read from the environment.
    pub fn from_settings(settings: &BTreeMap<String, SettingValue>) -> Secrets {
        let mut s = Secrets::default();
        for (k, v) in settings {
            s.collect(k, v);
        }
        for var in [
            "TF_HTTP_PASSWORD",
            "GOOGLE_OAUTH_ACCESS_TOKEN",
            "GOOGLE_BACKEND_CREDENTIALS",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
        ] {
            if let Ok(v) = std::env::var(var) {
                s.add(&v);
            }
        }
        if let Ok(address) = std::env::var("TF_HTTP_ADDRESS") {
            s.collect("address", &Value::String(address));
        }
        s
    }

    fn collect(&mut self, key: &str, value: &Value) {
        match value {
            Value::String(text) if key == "headers" || key.ends_with(".headers") => {
                // `NAME: VALUE` from --http-header.
                let v = text.split_once(':').map(|(_, v)| v).unwrap_or(text);
                self.add(v.trim());
            }
            Value::String(text) if is_secret_setting(key) => self.add(text),
            Value::String(text) => {
                if let Ok(url) = url::Url::parse(text) {
                    if let Some(p) = url.password() {
                        self.add(p);
                        self.add(&percent_encoding::percent_decode_str(p).decode_utf8_lossy());
                    }
                    for (k, v) in url.query_pairs() {
                        if is_secret_param(&k) {
                            self.add(&v);
                        }
                    }
                }
            }
            Value::Object(m) => {
                for (k, v) in m {
                    if key == "headers" {
                        self.collect("headers", v);
                    } else {
                        self.collect(&format!("{key}.{k}"), v);
                    }
                }
            }
            Value::Array(items) => {
                for v in items {
                    self.collect(key, v);
                }
            }
            Value::Number(n) if is_secret_setting(key) => self.add(&n.to_string()),
            _ => {}
        }
    }

    pub fn add(&mut self, value: &str) {
        let value = value.trim();
        if value.len() >= MIN_SECRET_LEN && !self.values.iter().any(|v| v == value) {
            self.values.push(value.to_string());
            // Longest first, so that a secret containing another is replaced whole.
            self.values.sort_by_key(|v| std::cmp::Reverse(v.len()));
        }
    }

    /// `text` with every credential value replaced by [`REDACTED`].
    pub fn scrub(&self, text: &str) -> String {
        let mut out = text.to_string();
        for v in &self.values {
            if out.contains(v.as_str()) {
                out = out.replace(v.as_str(), REDACTED);
            }
        }
        out
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn secret_settings() {
        for k in [
            "password",
            "secret_key",
            "access_key",
            "token",
            "access_token",
            "encryption_key",
            "kms_encryption_key",
            "assume_role_with_web_identity.web_identity_token",
            "sts_secret_key",
            "client_private_key_pem",
            "conn_str",
            "credentials",
            "headers",
        ] {
            assert!(is_secret_setting(k), "{k}");
        }
        for k in [
            "bucket",
            "key",
            "region",
            "prefix",
            "address",
            "endpoints.s3",
            "kms_key_id",
        ] {
            assert!(!is_secret_setting(k), "{k}");
        }
    }

    #[test]
    fn values_and_urls_are_redacted() {
        assert_eq!(
            redact_setting("password", &json!("hunter22")),
            json!(REDACTED)
        );
        assert_eq!(
            redact_setting(
                "assume_role",
                &json!({"role_arn": "arn:x", "session_token": "s3cr3t"})
            ),
            json!({"role_arn": "arn:x", "session_token": REDACTED})
        );
        assert_eq!(
            redact_setting(
                "address",
                &json!("https://u:pw12@h.example/state?private_token=tok99&ref=main")
            ),
            json!("https://u:(sensitive)@h.example/state?private_token=%28sensitive%29&ref=main")
        );
        assert_eq!(redact_url("not a url"), "not a url");
        assert_eq!(redact_url("https://h/x?ref=a"), "https://h/x?ref=a");
    }

    #[test]
    fn scrubbing_removes_every_collected_value() {
        let settings: BTreeMap<String, Value> = [
            ("password".to_string(), json!("pw-1234")),
            (
                "address".to_string(),
                json!("https://me:urlpass@h/s?private_token=qtok"),
            ),
            ("headers".to_string(), json!(["X-Token: hdr-secret"])),
            ("bucket".to_string(), json!("public-bucket")),
        ]
        .into();
        let s = Secrets::from_settings(&settings);
        let text = "pw-1234 urlpass qtok hdr-secret public-bucket";
        assert_eq!(
            s.scrub(text),
            "(sensitive) (sensitive) (sensitive) (sensitive) public-bucket"
        );
    }
}
