//! The last line against leaks. Redaction by path ([`crate::diff`]) hides what state marks
//! sensitive and what the catalog calls secret; a secret can still reach another attribute
//! through a reference (`kms_key_name = google_service_account_key.k.private_key`), a
//! function or an error message. So every value known to be secret — sensitive attributes of
//! every scanned state, sensitive root variables and outputs, sensitive arguments of declared
//! instances, secret attributes of live resources — is collected, and any finding value or
//! error message that contains one is redacted before it leaves reconciliation.

use aho_corasick::AhoCorasick;
use serde_json::Value as Json;

use super::StateInput;
use crate::catalog::Catalog;
use crate::config::{Config, Value};
use crate::findings::{AttrChange, Finding, SourceError};
use crate::inventory::Inventory;
use crate::state::{PathStep, Sensitivity, REDACTED};

/// Shorter values are not searched for inside other text: a sensitive `true` or `dev` would
/// redact every report. Path redaction still hides them where state and the catalog say.
const MIN_LEN: usize = 6;

/// What replaces a secret inside a sentence.
const IN_TEXT: &str = "(sensitive value)";

pub struct Secrets {
    matcher: Option<AhoCorasick>,
}

impl Secrets {
    pub fn collect(states: &[StateInput], cfg: &Config, inventory: &Inventory) -> Secrets {
        let mut values = Vec::new();
        for s in states {
            let Some(state) = s.state.state() else {
                continue;
            };
            for r in &state.resources {
                for obj in &r.instances {
                    // Most objects have no sensitive value: their attributes are not parsed.
                    if matches!(obj.sensitivity(), Sensitivity::Paths(p) if p.is_empty()) {
                        continue;
                    }
                    let attrs = obj.attributes_with_secrets();
                    match obj.sensitivity() {
                        Sensitivity::Everything => leaves(&attrs, &mut values),
                        Sensitivity::Paths(paths) => {
                            for p in paths {
                                if let Some(v) = lookup(&attrs, &p.0) {
                                    leaves(v, &mut values);
                                }
                            }
                        }
                    }
                }
            }
        }
        let config_value = |v: Option<&Value>, out: &mut Vec<String>| {
            if let Some(j) = v.map(Value::to_json_marked) {
                leaves(&j, out);
            }
        };
        for name in &cfg.sensitive_variables {
            config_value(cfg.variables.get(name), &mut values);
        }
        if let Value::Object(outputs) = &cfg.outputs {
            for name in &cfg.sensitive_outputs {
                config_value(outputs.get(name), &mut values);
            }
        }
        for inst in &cfg.instances {
            if let Value::Object(m) | Value::Partial(m) = &inst.attributes {
                for name in &inst.sensitive {
                    config_value(m.get(name), &mut values);
                }
            }
        }
        for r in &inventory.resources {
            let Some(info) = r
                .tf_type
                .as_deref()
                .and_then(|t| Catalog::gcp().get(t).or_else(|| Catalog::aws().get(t)))
            else {
                continue;
            };
            if info.secret.is_empty() {
                continue;
            }
            let attrs = r.attributes.value();
            for key in &info.secret {
                if let Some(v) = attrs.get(key) {
                    leaves(v, &mut values);
                }
            }
        }
        values.retain(|v| v.len() >= MIN_LEN && v != REDACTED);
        values.sort();
        values.dedup();
        Secrets {
            matcher: (!values.is_empty())
                .then(|| AhoCorasick::new(&values).ok())
                .flatten(),
        }
    }

    fn found_in(&self, text: &str) -> bool {
        self.matcher.as_ref().is_some_and(|m| m.is_match(text))
    }

    fn scrub_text(&self, text: &mut String) {
        if let Some(m) = &self.matcher {
            if m.is_match(text.as_str()) {
                *text = m.replace_all(text, &vec![IN_TEXT; m.patterns_len()]);
            }
        }
    }

    fn in_json(&self, v: &Json) -> bool {
        match v {
            Json::String(s) => self.found_in(s),
            Json::Array(a) => a.iter().any(|x| self.in_json(x)),
            Json::Object(m) => m.iter().any(|(k, x)| self.found_in(k) || self.in_json(x)),
            Json::Number(n) => self.found_in(&n.to_string()),
            _ => false,
        }
    }

    fn scrub_change(&self, c: &mut AttrChange) {
        let leaks = c.expected.as_ref().is_some_and(|v| self.in_json(v))
            || c.live.as_ref().is_some_and(|v| self.in_json(v))
            || c.details.iter().any(|d| self.found_in(d));
        if leaks {
            c.sensitive = true;
            c.expected = c.expected.take().map(|_| Json::String(REDACTED.into()));
            c.live = c.live.take().map(|_| Json::String(REDACTED.into()));
            c.details.clear();
        }
    }

    /// Redacts every secret found in the findings and errors.
    pub fn scrub(&self, findings: &mut [Finding], errors: &mut [SourceError]) {
        if self.matcher.is_none() {
            return;
        }
        for f in findings {
            if let Some(d) = &mut f.diff {
                d.changes.iter_mut().for_each(|c| self.scrub_change(c));
            }
            for text in [&mut f.reason, &mut f.import_id, &mut f.live_name]
                .into_iter()
                .flatten()
            {
                self.scrub_text(text);
            }
            for c in &mut f.candidates {
                self.scrub_text(&mut c.why);
                if let Some(id) = &mut c.import_id {
                    self.scrub_text(id);
                }
            }
        }
        for e in errors {
            self.scrub_text(&mut e.reason);
            self.scrub_text(&mut e.source);
        }
    }
}

/// Every string (and number) inside a value.
fn leaves(v: &Json, out: &mut Vec<String>) {
    match v {
        Json::String(s) => out.push(s.clone()),
        Json::Number(n) => out.push(n.to_string()),
        Json::Array(a) => a.iter().for_each(|x| leaves(x, out)),
        Json::Object(m) => m.values().for_each(|x| leaves(x, out)),
        _ => {}
    }
}

/// The value at a sensitive path, through the `{"value", "type"}` wrapper of dynamic
/// attributes when there is one.
fn lookup<'v>(v: &'v Json, path: &[PathStep]) -> Option<&'v Json> {
    let mut cur = v;
    for step in path {
        cur = match (step, cur) {
            (PathStep::Attr(k) | PathStep::Key(k), Json::Object(m)) => match m.get(k) {
                Some(x) => x,
                None => m.get("value").and_then(|inner| inner.get(k))?,
            },
            (PathStep::Index(i), Json::Array(a)) => a.get(usize::try_from(*i).ok()?)?,
            (PathStep::Index(i), Json::Object(m)) => {
                m.get("value")?.as_array()?.get(usize::try_from(*i).ok()?)?
            }
            _ => return None,
        };
    }
    Some(cur)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::{Diff, Kind};
    use serde_json::json;

    fn secrets(values: &[&str]) -> Secrets {
        Secrets {
            matcher: Some(AhoCorasick::new(values).unwrap()),
        }
    }

    #[test]
    fn a_secret_reached_through_a_reference_is_redacted_in_diffs_and_messages() {
        let s = secrets(&["-----BEGIN PRIVATE KEY-----abc"]);
        let mut f = Finding::new(Kind::Untracked);
        f.diff = Some(Diff {
            against: "configuration".into(),
            changes: vec![
                AttrChange {
                    path: "kms_key_name".into(),
                    expected: Some(json!("x-----BEGIN PRIVATE KEY-----abcx")),
                    live: Some(json!("other")),
                    sensitive: false,
                    details: vec![],
                },
                AttrChange {
                    path: "labels".into(),
                    expected: Some(json!({"a": "b"})),
                    live: Some(json!({"a": "c"})),
                    sensitive: false,
                    details: vec![],
                },
            ],
        });
        let mut errors = vec![SourceError {
            source: "configuration main.tf:3:1".into(),
            reason: "invalid CIDR \"-----BEGIN PRIVATE KEY-----abc\"".into(),
        }];
        s.scrub(std::slice::from_mut(&mut f), &mut errors);
        let d = f.diff.unwrap();
        assert!(d.changes[0].sensitive);
        assert_eq!(d.changes[0].expected, Some(json!(REDACTED)));
        assert_eq!(d.changes[0].live, Some(json!(REDACTED)));
        assert!(!d.changes[1].sensitive, "other changes stay");
        assert_eq!(errors[0].reason, "invalid CIDR \"(sensitive value)\"");
    }

    #[test]
    fn sensitive_paths_inside_dynamic_values_are_found() {
        let v = json!({"input": {"value": {"pw": "hunter22"}, "type": "object"}});
        let path = [PathStep::Attr("input".into()), PathStep::Attr("pw".into())];
        assert_eq!(lookup(&v, &path), Some(&json!("hunter22")));
    }
}
