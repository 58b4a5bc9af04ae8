//! Printing attribute paths as Terraform does and matching them against catalog and ignore-file
//! patterns; nothing here knows about values.

use crate::state::{AttrPath, PathStep};

/// `labels["env"]`, `template[0].containers[0].image`.
pub fn display_path(steps: &[PathStep]) -> String {
    AttrPath(steps.to_vec()).to_string()
}

/// Whether `pattern` names `path` or one of its ancestors. `*` matches any run of characters and
/// `?` any one character, so `template[*].etag` names the etag of every template.
pub fn path_matches(pattern: &str, path: &str) -> bool {
    // Most patterns (catalog ignore lists) are plain attribute paths: the path itself, or one
    // whose next step starts right after the pattern.
    if !pattern.contains(['*', '?']) {
        return match path.strip_prefix(pattern) {
            Some(rest) => rest.is_empty() || rest.starts_with(['.', '[']),
            None => false,
        };
    }
    wildcard_match(pattern, path) || boundaries(path).any(|i| wildcard_match(pattern, &path[..i]))
}

/// Whether `pattern` names something strictly below `path` (a secret inside an object that is
/// shown whole).
pub(crate) fn pattern_is_below(pattern: &str, path: &str) -> bool {
    boundaries(pattern).any(|i| wildcard_match(&pattern[..i], path))
}

/// Byte offsets where a path step ends: before a `.` or a `[` that starts the next step.
fn boundaries(s: &str) -> impl Iterator<Item = usize> + '_ {
    s.char_indices()
        .filter(|&(i, c)| i > 0 && (c == '.' || c == '['))
        .map(|(i, _)| i)
}

/// Glob-style matching over the whole string: `*` any run (including none), `?` one character.
/// Iterative with one backtrack point, so it is linear in practice and never recursive.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    // Most patterns (catalog ignore lists) are plain attribute names.
    if !pattern.contains(['*', '?']) {
        return pattern == text;
    }
    if pattern.is_ascii() && text.is_ascii() {
        return wildcard_match_in(pattern.as_bytes(), text.as_bytes());
    }
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    wildcard_match_in(&p, &t)
}

fn wildcard_match_in<C: Copy + PartialEq + From<u8>>(p: &[C], t: &[C]) -> bool {
    let (any, one) = (C::from(b'*'), C::from(b'?'));
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == one || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == any {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == any)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards() {
        for (p, t, want) in [
            ("*", "", true),
            ("*", "anything", true),
            ("a*c", "abbbc", true),
            ("a*c", "abbbd", false),
            ("a?c", "abc", true),
            ("a?c", "ac", false),
            ("*.etag", "template[0].etag", true),
            ("google_*", "google_storage_bucket", true),
            ("google_*", "aws_s3_bucket", false),
            ("*x*y*", "axbxcyd", true),
            ("ünï*", "ünïcode", true),
        ] {
            assert_eq!(wildcard_match(p, t), want, "{p} vs {t}");
        }
    }

    #[test]
    fn patterns_cover_descendants() {
        assert!(path_matches("labels", "labels[\"env\"]"));
        assert!(path_matches("template", "template[0].image"));
        assert!(path_matches("template[*].image", "template[3].image"));
        assert!(!path_matches("label", "labels[\"env\"]"));
        assert!(!path_matches("template[0].image", "template"));
        assert!(path_matches("labels", "labels"));
        assert!(path_matches("a.b", "a.b[0]"));
        assert!(!path_matches("a.b", "a.bc"));
        assert!(!path_matches("a.b", "xa.b"));
        assert!(pattern_is_below("conf[\"token\"]", "conf"));
        assert!(pattern_is_below("settings[*].password", "settings[0]"));
        assert!(!pattern_is_below("settings", "settings"));
    }
}
