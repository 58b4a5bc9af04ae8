//! Source files, positions and diagnostics about configuration code.
//!
//! Owns turning byte offsets into `file:line:col` with the offending line. It never prints:
//! callers decide where diagnostics go.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

/// One loaded configuration file, or one part of it parsed on its own (a top-level block),
/// kept so that any position in it can be shown.
#[derive(Debug)]
pub struct SourceFile {
    /// Shared by every position in the file.
    pub path: Arc<Path>,
    /// The text; for a part, the part's text only, which offsets into it are relative to.
    pub text: String,
    line_starts: Vec<usize>,
    /// For a part: the whole file and the offset where the part starts in it.
    origin: Option<(Arc<SourceFile>, usize)>,
}

impl SourceFile {
    pub fn new(path: PathBuf, text: String) -> Arc<SourceFile> {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Arc::new(SourceFile {
            path: path.into(),
            text,
            line_starts,
            origin: None,
        })
    }

    /// The part of `file` in `range`, as a file of its own whose positions are shown as
    /// positions in the whole file.
    pub fn part(file: &Arc<SourceFile>, range: std::ops::Range<usize>) -> Arc<SourceFile> {
        let (whole, base) = match &file.origin {
            Some((w, b)) => (w.clone(), b + range.start),
            None => (file.clone(), range.start),
        };
        Arc::new(SourceFile {
            path: file.path.clone(),
            text: file.text[range].to_string(),
            line_starts: Vec::new(),
            origin: Some((whole, base)),
        })
    }

    /// The 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        if let Some((whole, base)) = &self.origin {
            return whole.line_col(base + offset.min(self.text.len()));
        }
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let col = self
            .text
            .get(start..offset)
            .map_or(0, |s| s.chars().count());
        (line + 1, col + 1)
    }

    pub fn line_text(&self, line: usize) -> &str {
        if let Some((whole, _)) = &self.origin {
            return whole.line_text(line);
        }
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return "";
        };
        let end = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }

    pub fn pos(&self, offset: usize) -> SourcePos {
        let (line, col) = self.line_col(offset);
        SourcePos {
            file: self.path.clone(),
            line,
            col,
        }
    }
}

/// A place in the configuration: `file:line:col`, 1-based.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct SourcePos {
    /// Shared with the file's other positions: an expanded configuration holds one per
    /// instance.
    #[serde(serialize_with = "serialize_path")]
    pub file: Arc<Path>,
    pub line: usize,
    pub col: usize,
}

impl SourcePos {
    /// The position with the file shown relative to `base` when it lies under it.
    pub fn relative_to(&self, base: &Path) -> SourcePos {
        SourcePos {
            file: self.file.strip_prefix(base).unwrap_or(&self.file).into(),
            ..self.clone()
        }
    }
}

fn serialize_path<S: serde::Serializer>(path: &Arc<Path>, s: S) -> Result<S::Ok, S::Error> {
    serde::Serialize::serialize(&**path, s)
}

impl fmt::Display for SourcePos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.col)
    }
}

/// A place plus the line of code it points into, for messages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Snippet {
    pub pos: SourcePos,
    pub line: String,
}

impl Snippet {
    pub fn at(file: &SourceFile, offset: usize) -> Snippet {
        let pos = file.pos(offset);
        let line = file.line_text(pos.line).to_string();
        Snippet { pos, line }
    }
}

impl fmt::Display for Snippet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let gutter = self.pos.line.to_string();
        writeln!(f, "{}", self.pos)?;
        writeln!(f, "  {gutter} | {}", self.line)?;
        let pad: String = self
            .line
            .chars()
            .take(self.pos.col.saturating_sub(1))
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        write!(f, "  {} | {pad}^", " ".repeat(gutter.len()))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// Something about the configuration worth telling the user that did not stop the load.
/// Errors here mean "Terraform would reject this"; the values involved became unknown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub summary: String,
    pub snippet: Option<Snippet>,
}

impl Diagnostic {
    pub fn error(summary: impl Into<String>, snippet: Option<Snippet>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            summary: summary.into(),
            snippet,
        }
    }

    pub fn warning(summary: impl Into<String>, snippet: Option<Snippet>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            summary: summary.into(),
            snippet,
        }
    }

    pub fn pos(&self) -> Option<&SourcePos> {
        self.snippet.as_ref().map(|s| &s.pos)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{level}: {}", self.summary)?;
        if let Some(s) = &self.snippet {
            write!(f, "\n  --> {s}")?;
        }
        Ok(())
    }
}

/// Why the configuration could not be loaded at all.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{dir} holds no Terraform configuration files (*.tf, *.tf.json): pass the configuration directory with -C")]
    NoConfiguration { dir: PathBuf },
    #[error("syntax error: {message}\n  --> {snippet}")]
    Syntax { message: String, snippet: Snippet },
    #[error("{message}\n  --> {snippet}")]
    Invalid { message: String, snippet: Snippet },
    #[error("invalid JSON configuration in {path}: {message}")]
    Json { path: PathBuf, message: String },
    #[error("invalid variable value: {0}")]
    Variable(String),
    #[error("cycle between {}: break the chain of references between them\n  --> {snippet}", members.join(", "))]
    Cycle {
        members: Vec<String>,
        snippet: Snippet,
    },
    #[error("module {call:?}: source directory {dir} does not exist\n  --> {snippet}")]
    ModuleNotFound {
        call: String,
        dir: PathBuf,
        snippet: Snippet,
    },
    #[error("{} calls a module that is already being loaded ({}): a module cannot call itself, directly, through other modules or through a symlink; change the source\n  --> {snippet}", chain.last().map_or("", String::as_str), dir.display())]
    ModuleRecursion {
        /// From the module called first to the call that repeats it.
        chain: Vec<String>,
        dir: PathBuf,
        snippet: Snippet,
    },
    #[error("modules nest {depth} levels deep, more than the {limit} tfrecon follows: check for modules that call each other\n  --> {snippet}")]
    ModuleTooDeep {
        depth: usize,
        limit: usize,
        snippet: Snippet,
    },
    #[error("the configuration expands to more than {limit} resource and module instances ({count} so far): check the count and for_each values")]
    TooManyInstances { count: usize, limit: usize },
}

impl LoadError {
    /// The position the error points at, when it is about code.
    pub fn pos(&self) -> Option<&SourcePos> {
        match self {
            LoadError::Syntax { snippet, .. }
            | LoadError::Invalid { snippet, .. }
            | LoadError::Cycle { snippet, .. }
            | LoadError::ModuleNotFound { snippet, .. }
            | LoadError::ModuleRecursion { snippet, .. }
            | LoadError::ModuleTooDeep { snippet, .. } => Some(&snippet.pos),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_show_positions_in_the_whole_file() {
        let f = SourceFile::new("main.tf".into(), "a = 1\nblock {\n  x = 2\n}\n".into());
        let part = SourceFile::part(&f, 6..23);
        assert_eq!(part.text, "block {\n  x = 2\n}");
        let inner = SourceFile::part(&part, 10..15);
        assert_eq!(inner.text, "x = 2");
        assert_eq!(part.line_col(10), (3, 3));
        assert_eq!(inner.pos(0).to_string(), "main.tf:3:3");
        assert_eq!(Snippet::at(&inner, 0).line, "  x = 2");
    }

    #[test]
    fn offsets_map_to_lines_and_columns() {
        let f = SourceFile::new("main.tf".into(), "a = 1\nbé = 2\n".into());
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(6), (2, 1));
        assert_eq!(f.line_col(10), (2, 4));
        assert_eq!(f.line_text(2), "bé = 2");
    }
}
