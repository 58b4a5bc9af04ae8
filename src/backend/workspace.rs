//! Workspace names: which one a run reads (`--workspace`, `TF_WORKSPACE`,
//! `.terraform/environment`), Terraform's rule for a valid name, and the order Terraform lists
//! them in. A name that breaks the rule is never used to build a path or an object key.

use std::path::Path;

use super::{files, BackendError, DEFAULT_WORKSPACE};

/// Why a workspace name is refused, for messages.
pub const NAME_RULE: &str = "a workspace name is not empty, is not \".\" or \"..\", and holds only letters, \
     digits and - _ . ~ $ & + : = @ (Terraform accepts a name only when URL path escaping leaves it unchanged)";

/// Whether Terraform would accept `name` as a workspace name. Terraform's rule is
/// `name == url.PathEscape(name)`: ASCII letters and digits, `- _ . ~`, and the reserved
/// characters Go leaves unescaped in a path segment (`$ & + : = @`). tfrecon also refuses the
/// empty name and the `.` / `..` path components, which the rule would let through and which
/// would point a local workspace's path at another directory.
pub fn is_valid_workspace_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && name.bytes().all(|b| {
            b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b'-' | b'_' | b'.' | b'~' | b'$' | b'&' | b'+' | b':' | b'=' | b'@'
                )
        })
}

/// `Ok` for a valid name; otherwise the error names where the name came from.
pub fn check_workspace_name(name: &str, origin: &str) -> Result<(), BackendError> {
    if is_valid_workspace_name(name) {
        Ok(())
    } else {
        Err(BackendError::InvalidWorkspace {
            name: name.to_string(),
            origin: origin.to_string(),
        })
    }
}

/// Which workspace to read: `--workspace`, else `TF_WORKSPACE`, else `.terraform/environment`
/// (under `TF_DATA_DIR` when set), else `default`. Returns the name and where it came from;
/// a name Terraform would refuse is an error naming its origin.
pub fn select_workspace(
    flag: Option<&str>,
    env_workspace: Option<&str>,
    data_dir: &Path,
) -> Result<(String, &'static str), BackendError> {
    let (name, origin) = if let Some(w) = flag.filter(|w| !w.is_empty()) {
        (w.to_string(), "--workspace")
    } else if let Some(w) = env_workspace.filter(|w| !w.is_empty()) {
        (w.to_string(), "TF_WORKSPACE")
    } else {
        let path = data_dir.join("environment");
        match files::read_regular(&path) {
            Ok(bytes) => {
                let text = String::from_utf8_lossy(&bytes);
                let text = text.trim();
                if text.is_empty() {
                    (DEFAULT_WORKSPACE.to_string(), "default")
                } else {
                    (text.to_string(), ".terraform/environment")
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                (DEFAULT_WORKSPACE.to_string(), "default")
            }
            Err(cause) => return Err(BackendError::Io { path, cause }),
        }
    };
    check_workspace_name(&name, origin)?;
    Ok((name, origin))
}

/// The names a backend listed, split into those Terraform would accept and those it would not
/// (each with where it was found). Sorted as Terraform lists them: `default` first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkspaceList {
    pub names: Vec<String>,
    /// Listed names that are not valid workspace names, with the object or directory they
    /// came from: skipped, never used to build a path or key.
    pub skipped: Vec<(String, String)>,
}

impl WorkspaceList {
    /// Keeps the valid names of `found` (name, where it was found) and always `default`.
    pub fn from_found(found: impl IntoIterator<Item = (String, String)>) -> WorkspaceList {
        let mut names = Vec::new();
        let mut skipped = Vec::new();
        for (name, location) in found {
            if is_valid_workspace_name(&name) {
                names.push(name);
            } else {
                skipped.push((name, location));
            }
        }
        skipped.sort();
        skipped.dedup();
        WorkspaceList {
            names: terraform_workspace_order(names),
            skipped,
        }
    }

    /// One message per skipped name.
    pub fn diagnostics(&self) -> Vec<String> {
        self.skipped
            .iter()
            .map(|(name, location)| {
                format!("{location}: {name:?} is not a valid workspace name, so it was skipped ({NAME_RULE})")
            })
            .collect()
    }
}

/// Sorts workspace names as Terraform lists them: `default` first, then the rest sorted.
fn terraform_workspace_order(mut names: Vec<String>) -> Vec<String> {
    names.retain(|n| n != DEFAULT_WORKSPACE);
    names.sort();
    names.dedup();
    names.insert(0, DEFAULT_WORKSPACE.to_string());
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terraform_name_rule() {
        for ok in [
            "default",
            "dev",
            "prod-eu_1",
            "a.b",
            "v1~x",
            "team:app",
            "a=b",
            "me@x",
            "$&+",
        ] {
            assert!(is_valid_workspace_name(ok), "{ok}");
        }
        for bad in [
            "", ".", "..", "a/b", "../x", "a b", "a%2Fb", "é", "a;b", "a,b", "a?b", "a#b", "a\\b",
            "a\nb", "a\0b", "*", "a'b", "(x)", "!",
        ] {
            assert!(!is_valid_workspace_name(bad), "{bad:?}");
        }
    }

    #[test]
    fn selection_precedence_and_validation() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            select_workspace(None, None, dir.path()).unwrap(),
            ("default".into(), "default")
        );
        std::fs::write(dir.path().join("environment"), "dev\n").unwrap();
        assert_eq!(select_workspace(None, None, dir.path()).unwrap().0, "dev");
        assert_eq!(
            select_workspace(None, Some("stage"), dir.path()).unwrap().0,
            "stage"
        );
        assert_eq!(
            select_workspace(Some("prod"), Some("stage"), dir.path())
                .unwrap()
                .0,
            "prod"
        );
        let e = select_workspace(Some("../prod"), None, dir.path())
            .unwrap_err()
            .to_string();
        assert!(e.contains("\"../prod\" (from --workspace)"), "{e}");
        let e = select_workspace(None, Some("a/b"), dir.path())
            .unwrap_err()
            .to_string();
        assert!(e.contains("TF_WORKSPACE"), "{e}");
        std::fs::write(dir.path().join("environment"), "..\n").unwrap();
        let e = select_workspace(None, None, dir.path())
            .unwrap_err()
            .to_string();
        assert!(e.contains(".terraform/environment"), "{e}");
    }

    #[test]
    fn listed_names_are_filtered() {
        let l = WorkspaceList::from_found([
            ("b".to_string(), "x/b".to_string()),
            ("..".to_string(), "x/..".to_string()),
            ("a".to_string(), "x/a".to_string()),
            ("sp ace".to_string(), "x/sp ace".to_string()),
        ]);
        assert_eq!(l.names, ["default", "a", "b"]);
        assert_eq!(l.skipped.len(), 2);
        assert!(l.diagnostics()[0].starts_with("x/..: \"..\" is not a valid workspace name"));
    }

    #[test]
    fn workspace_order() {
        let got =
            terraform_workspace_order(vec!["b".into(), "default".into(), "a".into(), "b".into()]);
        assert_eq!(got, ["default", "a", "b"]);
    }
}
