//! `.tfreconignore`: patterns over addresses, types, import IDs and attribute paths that take
//! findings, or single attribute changes, out of a report. It filters findings it is given; it
//! never decides what a finding is, and never prints.
//!
//! ```text
//! # comments and blank lines are ignored; later lines win, as in .gitignore
//! type:google_project_iam_member         # every finding of a type
//! address:module.legacy.*                # everything under a module
//! id:projects/sandbox-*                  # by import ID
//! attr:labels["goog-*"]                  # attribute changes, wherever they are
//! attr:labels.team                       # map keys may be written with dots
//! attr:google_storage_bucket.labels      # ... or for one type only
//! !address:module.legacy.google_storage_bucket.keep
//! *-tmp-*                                # unscoped: address, type, ID or attribute
//! ```

use std::path::{Path, PathBuf};

use crate::diff::{path_matches, wildcard_match};
use crate::findings::{Finding, Kind};

/// The file looked for in the configuration directory when none is named.
pub const DEFAULT_FILE_NAME: &str = ".tfreconignore";

#[derive(Debug, thiserror::Error)]
pub enum IgnoreError {
    #[error("{file}:{line}: {message}")]
    Syntax {
        file: String,
        line: usize,
        message: String,
    },
    #[error("cannot read the ignore file {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// What a pattern is matched against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Address,
    Type,
    Id,
    Attr,
    /// Any of the four.
    Any,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub scope: Scope,
    pub pattern: String,
    pub negated: bool,
    /// 1-based line in the file, for messages.
    pub line: usize,
}

/// The parsed rules of one ignore file, in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IgnoreRules {
    pub rules: Vec<Rule>,
    /// Where the rules came from, for messages.
    pub file: String,
}

/// The findings left after ignoring, and what was taken out.
#[derive(Debug, Clone, PartialEq)]
pub struct Filtered {
    pub findings: Vec<Finding>,
    /// Findings an ignore pattern matched: counted in `summary.ignored`.
    pub ignored: usize,
    /// Drifted findings whose every change was ignored: they are in sync now, and should be
    /// counted so.
    pub now_in_sync: usize,
}

impl IgnoreRules {
    pub fn parse(text: &str, file_name: &str) -> Result<IgnoreRules, IgnoreError> {
        let mut rules = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let err = |message: String| IgnoreError::Syntax {
                file: file_name.to_string(),
                line,
                message,
            };
            let s = strip_comment(raw).trim();
            if s.is_empty() {
                continue;
            }
            let (negated, s) = match s.strip_prefix('!') {
                Some(rest) => (true, rest.trim_start()),
                None => (false, s),
            };
            let (scope, pattern) = match s.split_once(':') {
                Some(("address", p)) => (Scope::Address, p),
                Some(("type", p)) => (Scope::Type, p),
                Some(("id", p)) => (Scope::Id, p),
                Some(("attr", p)) => (Scope::Attr, p),
                // An ARN (`arn:aws:...`) is an ID, not a typo of a scope.
                Some((word, _))
                    if word != "arn"
                        && !word.is_empty()
                        && word.chars().all(|c| c.is_ascii_lowercase() || c == '_') =>
                {
                    return Err(err(format!(
                        "unknown scope `{word}:`; use address:, type:, id: or attr:, or no \
                         scope to match any of them (write `\\{word}:` to match a literal `{word}:`)"
                    )))
                }
                _ => (Scope::Any, s.strip_prefix('\\').unwrap_or(s)),
            };
            let pattern = pattern.trim();
            if pattern.is_empty() {
                return Err(err("the pattern is empty".into()));
            }
            rules.push(Rule {
                scope,
                pattern: pattern.to_string(),
                negated,
                line,
            });
        }
        Ok(IgnoreRules {
            rules,
            file: file_name.to_string(),
        })
    }

    /// Reads `explicit` if given (it must exist), else `.tfreconignore` in `dir` if it exists,
    /// else no rules.
    pub fn load(dir: &Path, explicit: Option<&Path>) -> Result<IgnoreRules, IgnoreError> {
        let path = match explicit {
            Some(p) => p.to_path_buf(),
            None => {
                let p = dir.join(DEFAULT_FILE_NAME);
                if !p.exists() {
                    return Ok(IgnoreRules::default());
                }
                p
            }
        };
        let text = std::fs::read_to_string(&path).map_err(|source| IgnoreError::Read {
            path: path.clone(),
            source,
        })?;
        IgnoreRules::parse(&text, &path.display().to_string())
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The last matching rule decides; no matching rule means not ignored.
    fn decide(&self, matches: impl Fn(&Rule) -> bool) -> bool {
        self.rules
            .iter()
            .rev()
            .find(|r| matches(r))
            .is_some_and(|r| !r.negated)
    }

    /// Whether a finding is ignored as a whole (by its address, type or import ID). Unmanaged
    /// findings are matched on their suggested address.
    pub fn ignores_finding(&self, f: &Finding) -> bool {
        let address = f
            .address
            .as_ref()
            .or(f.suggested_address.as_ref())
            .map(|a| a.to_string());
        let fields = [
            (Scope::Address, address.as_deref()),
            (Scope::Type, f.tf_type.as_deref()),
            (Scope::Id, f.import_id.as_deref()),
        ];
        self.decide(|r| {
            fields.iter().any(|(scope, value)| {
                (r.scope == *scope || r.scope == Scope::Any)
                    && value.is_some_and(|v| wildcard_match(&r.pattern, v))
            })
        })
    }

    /// Whether one attribute change of a resource of type `tf_type` is ignored. An `attr:`
    /// pattern names the path as printed (`labels["env"]`, covering everything below it), or
    /// the path prefixed by the type (`google_storage_bucket.labels`).
    /// Map keys that are plain identifiers may also be written with dots (`labels.env` for
    /// `labels["env"]`), as in HCL.
    pub fn ignores_attribute(&self, tf_type: Option<&str>, path: &str) -> bool {
        let dotted = dotted(path);
        let mut forms = vec![path.to_string()];
        if dotted != path {
            forms.push(dotted);
        }
        if let Some(t) = tf_type {
            let typed: Vec<String> = forms.iter().map(|f| format!("{t}.{f}")).collect();
            forms.extend(typed);
        }
        self.decide(|r| {
            (r.scope == Scope::Attr || r.scope == Scope::Any)
                && forms.iter().any(|f| path_matches(&r.pattern, f))
        })
    }

    /// Removes ignored findings, and ignored attribute changes from the diffs of the others.
    /// A drifted finding left without changes is dropped and counted in `now_in_sync`.
    pub fn apply(&self, findings: Vec<Finding>) -> Filtered {
        let mut out = Filtered {
            findings: Vec::with_capacity(findings.len()),
            ignored: 0,
            now_in_sync: 0,
        };
        for mut f in findings {
            if self.ignores_finding(&f) {
                out.ignored += 1;
                continue;
            }
            if let Some(diff) = f.diff.as_mut() {
                let before = diff.changes.len();
                let ty = f.tf_type.as_deref();
                diff.changes
                    .retain(|c| !self.ignores_attribute(ty, &c.path));
                if before > 0 && diff.changes.is_empty() && f.kind == Kind::Drifted {
                    out.now_in_sync += 1;
                    continue;
                }
            }
            out.findings.push(f);
        }
        out
    }
}

/// `labels["env"]` as `labels.env`: each `["key"]` whose key is an identifier (letters, digits,
/// `_`, `-`, not starting with a digit) written as `.key`.
fn dotted(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    while let Some(start) = rest.find("[\"") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find("\"]") {
            Some(end)
                if end > 0
                    && after[..end]
                        .chars()
                        .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
                    && !after.starts_with(|c: char| c.is_ascii_digit()) =>
            {
                out.push('.');
                out.push_str(&after[..end]);
                rest = &after[end + 2..];
            }
            _ => {
                out.push_str("[\"");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `#` starts a comment at the start of a line or after whitespace, so patterns may contain
/// `#` (URL fragments, some IDs) when written without a space before it.
fn strip_comment(line: &str) -> &str {
    let mut prev_space = true;
    for (i, c) in line.char_indices() {
        if c == '#' && prev_space {
            return &line[..i];
        }
        prev_space = c.is_whitespace();
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::addr::ResourceInstance;
    use crate::findings::{AttrChange, Diff};

    fn finding(kind: Kind, addr: &str, ty: &str, id: &str) -> Finding {
        let mut f = Finding::new(kind);
        f.address = Some(addr.parse::<ResourceInstance>().unwrap());
        f.tf_type = Some(ty.into());
        f.import_id = Some(id.into());
        f
    }

    fn change(path: &str) -> AttrChange {
        AttrChange {
            path: path.into(),
            expected: Some("a".into()),
            live: Some("b".into()),
            sensitive: false,
            details: vec![],
        }
    }

    #[test]
    fn parses_scopes_negation_comments_and_blank_lines() {
        let r = IgnoreRules::parse(
            "# header\n\ntype:google_*  # trailing\n!address:module.a.x.y\nid:a#b\n  *-tmp-*\n\\type:literal\n",
            "f",
        )
        .unwrap();
        let got: Vec<(Scope, &str, bool, usize)> = r
            .rules
            .iter()
            .map(|r| (r.scope, r.pattern.as_str(), r.negated, r.line))
            .collect();
        assert_eq!(
            got,
            [
                (Scope::Type, "google_*", false, 3),
                (Scope::Address, "module.a.x.y", true, 4),
                (Scope::Id, "a#b", false, 5),
                (Scope::Any, "*-tmp-*", false, 6),
                (Scope::Any, "type:literal", false, 7),
            ]
        );
    }

    #[test]
    fn errors_name_file_and_line() {
        let e = IgnoreRules::parse("type:x\nadress:y\n", ".tfreconignore").unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.starts_with(".tfreconignore:2: unknown scope `adress:`"),
            "{msg}"
        );
        let e = IgnoreRules::parse("\n\nid:   \n", "x").unwrap_err();
        assert_eq!(e.to_string(), "x:3: the pattern is empty");
    }

    #[test]
    fn later_lines_win_and_negation_reincludes() {
        let r = IgnoreRules::parse(
            "address:module.legacy.*\n!address:module.legacy.google_storage_bucket.keep\n",
            "f",
        )
        .unwrap();
        let gone = finding(
            Kind::Untracked,
            "module.legacy.google_storage_bucket.old",
            "google_storage_bucket",
            "old",
        );
        let kept = finding(
            Kind::Untracked,
            "module.legacy.google_storage_bucket.keep",
            "google_storage_bucket",
            "keep",
        );
        assert!(r.ignores_finding(&gone));
        assert!(!r.ignores_finding(&kept));

        // The same two lines the other way round: the broad pattern, last, wins again.
        let r = IgnoreRules::parse(
            "!address:module.legacy.google_storage_bucket.keep\naddress:module.legacy.*\n",
            "f",
        )
        .unwrap();
        assert!(r.ignores_finding(&kept));
    }

    #[test]
    fn scopes_only_match_their_field_and_unscoped_match_any() {
        let f = finding(
            Kind::Missing,
            "aws_s3_bucket.logs",
            "aws_s3_bucket",
            "logs-bucket",
        );
        let yes = |t: &str| IgnoreRules::parse(t, "f").unwrap().ignores_finding(&f);
        assert!(yes("type:aws_s3_*"));
        assert!(!yes("id:aws_s3_*"));
        assert!(yes("id:logs-?ucket"));
        assert!(!yes("address:logs-bucket"));
        assert!(yes("logs-bucket"));
        assert!(yes("aws_s3_bucket.logs"));
        assert!(!yes("aws_s3_bucket.log"));
        assert!(yes("address:aws_s3_bucket.*"));
        let arn = finding(
            Kind::Missing,
            "aws_s3_bucket.logs",
            "aws_s3_bucket",
            "arn:aws:s3:::logs",
        );
        let r = IgnoreRules::parse("arn:aws:s3:::*\n", "f").unwrap();
        assert!(r.ignores_finding(&arn));
    }

    #[test]
    fn string_keys_match_as_printed() {
        let f = finding(
            Kind::Untracked,
            r#"module.jobs["quality-check"].google_cloud_scheduler_job.this[0]"#,
            "google_cloud_scheduler_job",
            "x",
        );
        let r = IgnoreRules::parse(r#"address:module.jobs["quality-*"].*"#, "f").unwrap();
        assert!(r.ignores_finding(&f));
    }

    #[test]
    fn ignored_attributes_leave_the_diff_and_an_emptied_drift_is_in_sync() {
        let r = IgnoreRules::parse(
            "attr:labels[\"goog-*\"]\nattr:google_storage_bucket.updated\n!attr:labels[\"goog-keep\"]\n",
            "f",
        )
        .unwrap();
        let mut a = finding(
            Kind::Drifted,
            "google_storage_bucket.a",
            "google_storage_bucket",
            "a",
        );
        a.diff = Some(Diff {
            against: "state".into(),
            changes: vec![change("labels[\"goog-managed\"]"), change("updated")],
        });
        let mut b = finding(
            Kind::Drifted,
            "google_storage_bucket.b",
            "google_storage_bucket",
            "b",
        );
        b.diff = Some(Diff {
            against: "state".into(),
            changes: vec![
                change("labels[\"goog-keep\"]"),
                change("labels[\"goog-x\"]"),
                change("location"),
            ],
        });
        let mut c = finding(
            Kind::Drifted,
            "google_pubsub_topic.c",
            "google_pubsub_topic",
            "c",
        );
        c.diff = Some(Diff {
            against: "state".into(),
            changes: vec![change("updated")],
        });
        let out = r.apply(vec![a, b, c]);
        assert_eq!(out.ignored, 0);
        assert_eq!(out.now_in_sync, 1);
        assert_eq!(out.findings.len(), 2);
        let kept: Vec<&str> = out.findings[0]
            .diff
            .as_ref()
            .unwrap()
            .changes
            .iter()
            .map(|c| c.path.as_str())
            .collect();
        assert_eq!(kept, ["labels[\"goog-keep\"]", "location"]);
        // `google_storage_bucket.updated` is scoped to its type: the topic keeps its change.
        assert_eq!(out.findings[1].diff.as_ref().unwrap().changes.len(), 1);
    }

    #[test]
    fn map_keys_may_be_written_with_dots() {
        assert_eq!(dotted(r#"labels["env"]"#), "labels.env");
        assert_eq!(dotted(r#"a["x y"].b["k_1"]"#), r#"a["x y"].b.k_1"#);
        assert_eq!(dotted(r#"a["1x"]"#), r#"a["1x"]"#);
        assert_eq!(dotted("template[0].image"), "template[0].image");
        let r = IgnoreRules::parse("attr:labels.goog-*\n", "f").unwrap();
        assert!(r.ignores_attribute(None, r#"labels["goog-managed"]"#));
        assert!(!r.ignores_attribute(None, r#"labels["env"]"#));
        let r = IgnoreRules::parse("attr:google_storage_bucket.labels.env\n", "f").unwrap();
        assert!(r.ignores_attribute(Some("google_storage_bucket"), r#"labels["env"]"#));
    }

    #[test]
    fn ignored_findings_are_counted() {
        let r = IgnoreRules::parse("type:aws_iam_*\n", "f").unwrap();
        let out = r.apply(vec![
            finding(Kind::Unmanaged, "aws_iam_role.a", "aws_iam_role", "a"),
            finding(Kind::Unmanaged, "aws_iam_policy.b", "aws_iam_policy", "b"),
            finding(Kind::Unmanaged, "aws_s3_bucket.c", "aws_s3_bucket", "c"),
        ]);
        assert_eq!((out.ignored, out.findings.len()), (2, 1));
    }

    #[test]
    fn load_reads_the_default_file_or_nothing() {
        let dir = tempfile::tempdir().unwrap();
        assert!(IgnoreRules::load(dir.path(), None).unwrap().is_empty());
        std::fs::write(dir.path().join(DEFAULT_FILE_NAME), "type:x\n").unwrap();
        assert_eq!(IgnoreRules::load(dir.path(), None).unwrap().rules.len(), 1);
        let missing = dir.path().join("nope");
        let e = IgnoreRules::load(dir.path(), Some(&missing)).unwrap_err();
        assert!(matches!(e, IgnoreError::Read { .. }));
    }
}
