//! Reading one module directory into its static model: which blocks it declares, with their
//! unevaluated expressions and source positions. Owns file discovery, `.tf` parsing with
//! spans and the `.tf.json` syntax. It evaluates nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use hcl_edit::expr::{Expression, TraversalOperator};
use hcl_edit::structure::{Attribute, Block, Body};
use hcl_edit::Span;

use super::diag::{Diagnostic, LoadError, Snippet, SourceFile};
use crate::addr::{Mode, MoveEndpoint};

/// An expression and the file it was written in.
#[derive(Debug, Clone)]
pub struct Expr {
    pub expr: Expression,
    pub file: Arc<SourceFile>,
}

impl Expr {
    pub fn snippet(&self) -> Snippet {
        Snippet::at(&self.file, self.expr.span().map_or(0, |r| r.start))
    }

    /// The expression as written.
    pub fn text(&self) -> String {
        match self.expr.span() {
            Some(r) => self.file.text[r].trim().to_string(),
            None => self.expr.to_string().trim().to_string(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct VariableDecl {
    pub name: String,
    pub type_expr: Option<Expr>,
    pub default: Option<Expr>,
    pub sensitive: bool,
    pub nullable: bool,
    /// `const = true` (Terraform 1.15): known when the configuration is loaded, so module
    /// `source` and `version` may refer to it.
    pub constant: bool,
    pub snippet: Snippet,
}

/// What a resource-like block declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BlockKind {
    Managed,
    Data,
    /// An `ephemeral` resource: opened during each run, never in state, never imported.
    Ephemeral,
}

#[derive(Debug, Clone)]
pub struct ResourceBlock {
    pub kind: BlockKind,
    pub mode: Mode,
    pub type_name: String,
    pub name: String,
    pub count: Option<Expr>,
    pub for_each: Option<Expr>,
    /// OpenTofu's `lifecycle { enabled = ... }`.
    pub enabled: Option<Expr>,
    /// `provider = NAME` or `NAME.ALIAS`.
    pub provider: Option<(String, Option<String>)>,
    pub depends_on: Option<Expr>,
    /// The block's own text (`resource "T" "N" { ... }`), parsed again when its body is
    /// needed: holding the syntax trees of every block of a large configuration would cost
    /// tens of times its size.
    pub file: Arc<SourceFile>,
    pub snippet: Snippet,
    /// The references of the body (but `provider` and `depends_on`), found when the block
    /// was parsed.
    pub body_refs: Arc<[super::refs::Ref]>,
}

impl ResourceBlock {
    /// The block's body, parsed from its text (which parsed when the module was loaded).
    pub fn body(&self) -> Body {
        hcl_edit::parser::parse_body(&self.file.text)
            .ok()
            .and_then(|b| b.into_blocks().next())
            .map(|b| b.body)
            .unwrap_or_default()
    }
}

/// A provider configuration as a module names it: local name and optional alias.
pub type ProviderRef = (String, Option<String>);

#[derive(Debug, Clone)]
pub struct ModuleCall {
    pub name: String,
    /// The source as written when it is a literal; the expression's text otherwise.
    pub source: String,
    /// A source built from `const` variables (Terraform 1.15), evaluated when the module
    /// tree is loaded.
    pub source_expr: Option<Expr>,
    pub version: Option<String>,
    pub version_expr: Option<Expr>,
    pub count: Option<Expr>,
    pub for_each: Option<Expr>,
    /// OpenTofu's `lifecycle { enabled = ... }`.
    pub enabled: Option<Expr>,
    /// Child provider (`name` or `name.alias`) → the caller's provider it receives.
    pub providers: Vec<(ProviderRef, ProviderRef)>,
    pub depends_on: Option<Expr>,
    /// Argument name → expression: the child's input variables.
    pub args: BTreeMap<String, Expr>,
    pub snippet: Snippet,
}

#[derive(Debug, Clone)]
pub struct OutputDecl {
    pub value: Option<Expr>,
    /// `type` (Terraform 1.15): the value is converted to it.
    pub type_expr: Option<Expr>,
    pub sensitive: bool,
    pub snippet: Snippet,
}

#[derive(Debug, Clone)]
pub struct ProviderBlock {
    pub name: String,
    pub alias: Option<String>,
    pub body: Body,
    pub file: Arc<SourceFile>,
    pub snippet: Snippet,
}

/// A `moved` block: `from` and `to`, relative to the module that declares it, unified as
/// Terraform unifies them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MovedBlock {
    pub from: MoveEndpoint,
    pub to: MoveEndpoint,
    pub pos: super::diag::SourcePos,
}

/// A `removed` block: `from` is a resource or a module call (never an instance), relative to
/// the module that declares it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RemovedBlock {
    pub from: MoveEndpoint,
    /// `lifecycle { destroy = ... }`, when set literally.
    pub destroy: Option<bool>,
    pub pos: super::diag::SourcePos,
}

/// An `import` block, unevaluated: `to` as written, `id` and `for_each` as expressions.
#[derive(Debug, Clone)]
pub struct ImportBlock {
    pub to: String,
    pub to_expr: Expression,
    pub id: Option<Expr>,
    pub for_each: Option<Expr>,
    pub provider: Option<(String, Option<String>)>,
    pub file: Arc<SourceFile>,
    pub snippet: Snippet,
}

/// An `action` block (Terraform 1.14) or a `list` block of a `.tfquery.hcl` file: kept in
/// the model so that nothing is silently dropped, but neither is a resource: they are never
/// in state and never imported.
#[derive(Debug, Clone)]
pub struct OtherBlock {
    pub type_name: String,
    pub name: String,
    pub snippet: Snippet,
}

#[derive(Debug, Clone)]
pub struct BackendBlock {
    pub kind: String,
    pub settings: BTreeMap<String, serde_json::Value>,
    pub snippet: Snippet,
}

/// Everything one module directory declares.
#[derive(Debug, Clone, Default)]
pub struct ModuleConfig {
    pub variables: BTreeMap<String, VariableDecl>,
    pub locals: BTreeMap<String, Expr>,
    pub resources: Vec<ResourceBlock>,
    pub ephemerals: Vec<ResourceBlock>,
    pub module_calls: BTreeMap<String, ModuleCall>,
    pub outputs: BTreeMap<String, OutputDecl>,
    pub providers: Vec<ProviderBlock>,
    /// Local provider name → source address as written (`hashicorp/google`).
    pub required_providers: BTreeMap<String, String>,
    pub backend: Option<BackendBlock>,
    pub cloud: Option<Snippet>,
    pub moved: Vec<MovedBlock>,
    pub removed: Vec<RemovedBlock>,
    pub imports: Vec<ImportBlock>,
    pub checks: Vec<Snippet>,
    pub actions: Vec<OtherBlock>,
    /// `list` blocks of the `.tfquery.hcl` files (`terraform query`).
    pub lists: Vec<OtherBlock>,
    pub files: Vec<Arc<SourceFile>>,
    /// Declared resources, to reject duplicates without a quadratic scan.
    declared: std::collections::HashSet<(BlockKind, String, String)>,
}

fn block_snippet(file: &SourceFile, b: &Block) -> Snippet {
    Snippet::at(file, b.span().map_or(0, |r| r.start))
}

fn invalid(
    file: &SourceFile,
    span: Option<std::ops::Range<usize>>,
    message: impl Into<String>,
) -> LoadError {
    LoadError::Invalid {
        message: message.into(),
        snippet: Snippet::at(file, span.map_or(0, |r| r.start)),
    }
}

/// A reference written as a bare traversal (`google.west`, `aws_instance.web`) as text.
pub fn traversal_text(e: &Expression) -> Option<String> {
    match e {
        Expression::Variable(v) => Some(v.value().to_string()),
        Expression::Traversal(t) => {
            let mut s = traversal_text(&t.expr)?;
            for op in &t.operators {
                match op.value() {
                    TraversalOperator::GetAttr(i) => {
                        s.push('.');
                        s.push_str(i.value().as_str());
                    }
                    TraversalOperator::Index(Expression::Number(n)) => {
                        s.push_str(&format!("[{}]", n.value()))
                    }
                    TraversalOperator::Index(Expression::String(k)) => {
                        s.push_str(&format!("[{}]", crate::addr::hcl_quote(k.value())))
                    }
                    TraversalOperator::LegacyIndex(n) => s.push_str(&format!("[{}]", n.value())),
                    _ => return None,
                }
            }
            Some(s)
        }
        _ => None,
    }
}

fn provider_ref(text: &str) -> (String, Option<String>) {
    match text.split_once('.') {
        Some((n, a)) => (n.to_string(), Some(a.to_string())),
        None => (text.to_string(), None),
    }
}

fn literal_string(a: &Attribute) -> Option<String> {
    match &a.value {
        Expression::String(s) => Some(s.value().clone()),
        Expression::StringTemplate(t) => {
            let parts: Option<Vec<&str>> = t
                .iter()
                .map(|e| e.as_literal().map(|l| l.value().as_str()))
                .collect();
            parts.map(|p| p.concat())
        }
        _ => None,
    }
}

/// A literal expression as JSON (backend settings must be literals in Terraform).
fn literal_json(e: &Expression) -> Option<serde_json::Value> {
    Some(match e {
        Expression::Null(_) => serde_json::Value::Null,
        Expression::Bool(b) => serde_json::Value::Bool(*b.value()),
        Expression::Number(n) => serde_json::to_value(n.value()).ok()?,
        Expression::String(s) => serde_json::Value::String(s.value().clone()),
        Expression::StringTemplate(t) => {
            let parts: Option<Vec<&str>> = t
                .iter()
                .map(|e| e.as_literal().map(|l| l.value().as_str()))
                .collect();
            serde_json::Value::String(parts?.concat())
        }
        Expression::Array(a) => {
            serde_json::Value::Array(a.iter().map(literal_json).collect::<Option<_>>()?)
        }
        Expression::Object(o) => serde_json::Value::Object(
            o.iter()
                .map(|(k, v)| {
                    let key = match k {
                        hcl_edit::expr::ObjectKey::Ident(i) => i.value().to_string(),
                        hcl_edit::expr::ObjectKey::Expression(Expression::String(s)) => {
                            s.value().clone()
                        }
                        _ => return None,
                    };
                    Some((key, literal_json(v.expr())?))
                })
                .collect::<Option<_>>()?,
        ),
        Expression::Parenthesis(p) => literal_json(p.inner())?,
        _ => return None,
    })
}

/// A part of a split file did not parse on its own.
struct Split;

/// How a configuration file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum FileKind {
    /// `.tf` or `.tofu`.
    Native,
    /// `.tf.json` or `.tofu.json`.
    Json,
    /// `.tfquery.hcl`: `list` blocks for `terraform query`.
    Query,
}

fn file_kind(name: &str) -> Option<FileKind> {
    if name.starts_with('.') {
        return None;
    }
    if name.ends_with(".tf") || name.ends_with(".tofu") {
        Some(FileKind::Native)
    } else if name.ends_with(".tf.json") || name.ends_with(".tofu.json") {
        Some(FileKind::Json)
    } else if name.ends_with(".tfquery.hcl") {
        Some(FileKind::Query)
    } else {
        None
    }
}

/// The configuration files of a directory in lexical order. OpenTofu reads `.tofu` files and
/// skips the `.tf` file of the same name when both exist; Terraform never sees `.tofu`
/// files, so their presence says the configuration is OpenTofu's.
fn config_files(dir: &Path) -> Result<Vec<(PathBuf, FileKind)>, LoadError> {
    let io = |source| LoadError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut out: Vec<(PathBuf, FileKind)> = std::fs::read_dir(dir)
        .map_err(io)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter_map(|p| {
            let kind = file_kind(p.file_name()?.to_str()?)?;
            p.is_file().then_some((p, kind))
        })
        .collect();
    out.sort();
    let names: std::collections::HashSet<String> = out
        .iter()
        .filter_map(|(p, _)| p.file_name()?.to_str().map(str::to_string))
        .collect();
    out.retain(|(p, _)| {
        let n = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let tofu = if let Some(stem) = n.strip_suffix(".tf.json") {
            format!("{stem}.tofu.json")
        } else if let Some(stem) = n.strip_suffix(".tf") {
            format!("{stem}.tofu")
        } else {
            return true;
        };
        !names.contains(&tofu)
    });
    Ok(out)
}

fn syntax_error(path: &Path, e: &hcl_edit::parser::Error) -> LoadError {
    LoadError::Syntax {
        message: e.message().to_string(),
        snippet: Snippet {
            pos: super::diag::SourcePos {
                file: path.into(),
                line: e.location().line(),
                col: e.location().column(),
            },
            line: e.line().to_string(),
        },
    }
}

/// The top-level block types of the Terraform (and OpenTofu) language.
const TOP_LEVEL: &[&str] = &[
    "terraform",
    "provider",
    "variable",
    "locals",
    "output",
    "module",
    "resource",
    "data",
    "ephemeral",
    "moved",
    "import",
    "removed",
    "check",
    "action",
];

impl ModuleConfig {
    /// Reads every configuration file of `dir` (override files excepted).
    pub fn load(dir: &Path, diags: &mut Vec<Diagnostic>) -> Result<ModuleConfig, LoadError> {
        let files = config_files(dir)?;
        if !files.iter().any(|(_, k)| *k != FileKind::Query) {
            return Err(LoadError::NoConfiguration {
                dir: dir.to_path_buf(),
            });
        }
        let mut scratch = Vec::new();
        let m = match Self::load_files(&files, true, &mut scratch) {
            // A part that does not parse: the whole file says where the error is, or
            // parses, and then the split was wrong and the module is read without splitting.
            Err(Split) => {
                scratch.clear();
                Self::load_files(&files, false, &mut scratch)
                    .map_err(|_| unreachable!("an unsplit load never asks to be retried"))?
            }
            Ok(m) => m,
        }?;
        diags.append(&mut scratch);
        Ok(m)
    }

    /// Reads the files; `Err(Split)` when a part of a split file does not parse on its own.
    fn load_files(
        files: &[(PathBuf, FileKind)],
        split: bool,
        diags: &mut Vec<Diagnostic>,
    ) -> Result<Result<ModuleConfig, LoadError>, Split> {
        let mut m = ModuleConfig::default();
        for (path, kind) in files {
            let fname = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("")
                .to_string();
            let stem = fname
                .trim_end_matches(".json")
                .trim_end_matches(".tf")
                .trim_end_matches(".tofu");
            if *kind != FileKind::Query && (stem == "override" || stem.ends_with("_override")) {
                diags.push(Diagnostic::warning(
                    format!(
                        "override file {} is not merged: its settings are ignored",
                        path.display()
                    ),
                    None,
                ));
                continue;
            }
            let text = match std::fs::read_to_string(path) {
                Ok(t) => t,
                Err(source) => {
                    return Ok(Err(LoadError::Io {
                        path: path.clone(),
                        source,
                    }))
                }
            };
            let text = if *kind == FileKind::Json {
                match super::json::to_native(path, &text) {
                    Ok(t) => t,
                    Err(e) => return Ok(Err(e)),
                }
            } else {
                text
            };
            let file = SourceFile::new(path.clone(), text);
            if let Err(e) = m.add_file(&file, *kind, split, diags)? {
                return Ok(Err(e));
            }
            m.files.push(file);
        }
        Ok(Ok(m))
    }

    /// Parses one file, top-level block by top-level block when `split`.
    fn add_file(
        &mut self,
        file: &Arc<SourceFile>,
        kind: FileKind,
        split: bool,
        diags: &mut Vec<Diagnostic>,
    ) -> Result<Result<(), LoadError>, Split> {
        let starts = if split {
            super::split::top_level(&file.text)
        } else {
            None
        };
        let Some(starts) = starts else {
            let body = match hcl_edit::parser::parse_body(&file.text) {
                Ok(b) => b,
                Err(e) => return Ok(Err(syntax_error(&file.path, &e))),
            };
            return Ok(self.add_parsed(file, kind, body, diags));
        };
        // Most top-level blocks of a large file are resources: room for them at once.
        self.resources.reserve(starts.len());
        for (n, &start) in starts.iter().enumerate() {
            let end = starts.get(n + 1).copied().unwrap_or(file.text.len());
            let part = SourceFile::part(file, start..end);
            let Ok(body) = hcl_edit::parser::parse_body(&part.text) else {
                return Err(Split);
            };
            if let Err(e) = self.add_parsed(&part, kind, body, diags) {
                return Ok(Err(e));
            }
        }
        Ok(Ok(()))
    }

    fn add_parsed(
        &mut self,
        file: &Arc<SourceFile>,
        kind: FileKind,
        body: Body,
        diags: &mut Vec<Diagnostic>,
    ) -> Result<(), LoadError> {
        if kind == FileKind::Query {
            self.add_query_body(file, body, diags)
        } else {
            self.add_body(file, body, diags)
        }
    }

    /// A `.tfquery.hcl` file: its `list` blocks are recorded; the rest of such a file
    /// (variables, providers, locals for `terraform query`) is not part of the configuration
    /// that `plan` and `apply` read.
    fn add_query_body(
        &mut self,
        file: &Arc<SourceFile>,
        body: Body,
        diags: &mut Vec<Diagnostic>,
    ) -> Result<(), LoadError> {
        for block in body.into_blocks() {
            if block.ident.value().as_str() != "list" {
                continue;
            }
            let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
            let snippet = block_snippet(file, &block);
            if labels.len() != 2 {
                diags.push(Diagnostic::error(
                    format!("a list block takes 2 labels, found {}", labels.len()),
                    Some(snippet),
                ));
                continue;
            }
            self.lists.push(OtherBlock {
                type_name: labels[0].to_string(),
                name: labels[1].to_string(),
                snippet,
            });
        }
        Ok(())
    }

    fn add_body(
        &mut self,
        file: &Arc<SourceFile>,
        body: Body,
        diags: &mut Vec<Diagnostic>,
    ) -> Result<(), LoadError> {
        if let Some(a) = body.attributes().next() {
            return Err(invalid(
                file,
                a.span(),
                format!(
                    "unexpected argument {:?}: only blocks are allowed at the top level",
                    a.key.value().as_str()
                ),
            ));
        }
        for block in body.into_blocks() {
            let ident = block.ident.value().to_string();
            let labels: Vec<String> = block
                .labels
                .iter()
                .map(|l| l.as_str().to_string())
                .collect();
            let snippet = block_snippet(file, &block);
            let want = labels_of(&ident);
            if let Some(n) = want.filter(|n| *n != labels.len()) {
                return Err(invalid(
                    file,
                    block.span(),
                    format!("a {ident} block takes {n} label(s), found {}", labels.len()),
                ));
            }
            match ident.as_str() {
                "variable" => self.add_variable(file, &block, &labels[0], snippet)?,
                "locals" => {
                    for a in block.body.attributes() {
                        let name = a.key.value().to_string();
                        if self.locals.contains_key(&name) {
                            return Err(invalid(
                                file,
                                a.span(),
                                format!("local value {name:?} is defined twice"),
                            ));
                        }
                        self.locals.insert(name, expr(file, &a.value));
                    }
                }
                "resource" | "data" | "ephemeral" => {
                    let kind = match ident.as_str() {
                        "data" => BlockKind::Data,
                        "ephemeral" => BlockKind::Ephemeral,
                        _ => BlockKind::Managed,
                    };
                    self.add_resource(file, block, kind, &labels, snippet, diags)?;
                }
                "module" => self.add_module(file, &block, &labels[0], snippet, diags)?,
                "output" => {
                    let attr = |n: &str| block.body.get_attribute(n);
                    if self.outputs.contains_key(&labels[0]) {
                        return Err(invalid(
                            file,
                            block.span(),
                            format!("output {:?} is declared twice", labels[0]),
                        ));
                    }
                    self.outputs.insert(
                        labels[0].clone(),
                        OutputDecl {
                            value: attr("value").map(|a| expr(file, &a.value)),
                            type_expr: attr("type").map(|a| expr(file, &a.value)),
                            sensitive: attr("sensitive")
                                .and_then(|a| a.value.as_bool())
                                .unwrap_or(false),
                            snippet,
                        },
                    );
                }
                "provider" => {
                    let alias = block.body.get_attribute("alias").and_then(literal_string);
                    self.providers.push(ProviderBlock {
                        name: labels[0].clone(),
                        alias,
                        body: block.body,
                        file: file.clone(),
                        snippet,
                    });
                }
                "terraform" => self.add_terraform(file, &block, diags),
                "moved" => self.add_moved(file, &block, snippet)?,
                "removed" => self.add_removed(file, &block, snippet)?,
                "import" => self.add_import(file, &block, snippet, diags)?,
                "check" => self.checks.push(snippet),
                "action" => self.actions.push(OtherBlock {
                    type_name: labels[0].clone(),
                    name: labels[1].clone(),
                    snippet,
                }),
                "list" => diags.push(Diagnostic::error(
                    "list blocks belong in .tfquery.hcl files, which `terraform query` reads: move this block into one",
                    Some(snippet),
                )),
                other => diags.push(Diagnostic::error(
                    format!(
                        "unsupported block type {other:?}: blocks of this type are not expected here (the top-level blocks are {}); the block is ignored",
                        TOP_LEVEL.join(", ")
                    ),
                    Some(snippet),
                )),
            }
        }
        Ok(())
    }

    fn add_variable(
        &mut self,
        file: &Arc<SourceFile>,
        block: &Block,
        name: &str,
        snippet: Snippet,
    ) -> Result<(), LoadError> {
        let attr = |n: &str| block.body.get_attribute(n);
        if self.variables.contains_key(name) {
            return Err(invalid(
                file,
                block.span(),
                format!("variable {name:?} is declared twice"),
            ));
        }
        let flag = |n: &str, dflt: bool| attr(n).and_then(|a| a.value.as_bool()).unwrap_or(dflt);
        self.variables.insert(
            name.to_string(),
            VariableDecl {
                name: name.to_string(),
                type_expr: attr("type").map(|a| expr(file, &a.value)),
                default: attr("default").map(|a| expr(file, &a.value)),
                sensitive: flag("sensitive", false),
                nullable: flag("nullable", true),
                constant: flag("const", false),
                snippet,
            },
        );
        Ok(())
    }

    fn add_resource(
        &mut self,
        file: &Arc<SourceFile>,
        block: Block,
        kind: BlockKind,
        labels: &[String],
        snippet: Snippet,
        diags: &mut Vec<Diagnostic>,
    ) -> Result<(), LoadError> {
        let (type_name, name) = (labels[0].clone(), labels[1].clone());
        if !self
            .declared
            .insert((kind, type_name.clone(), name.clone()))
        {
            let what = block.ident.value().to_string();
            return Err(invalid(
                file,
                block.span(),
                format!("{what} {type_name}.{name} is declared twice"),
            ));
        }
        let attr = |n: &str| block.body.get_attribute(n);
        let provider = match attr("provider") {
            Some(a) => Some(provider_reference(file, a, diags)?),
            None => None,
        };
        let enabled = lifecycle_enabled(file, &block.body);
        let mut body_refs = Vec::new();
        super::refs::in_body(&block.body, &["provider", "depends_on"], &mut body_refs);
        let rb = ResourceBlock {
            body_refs: body_refs.into(),
            kind,
            mode: if kind == BlockKind::Data {
                Mode::Data
            } else {
                Mode::Managed
            },
            count: attr("count").map(|a| expr(file, &a.value)),
            for_each: attr("for_each").map(|a| expr(file, &a.value)),
            depends_on: attr("depends_on").map(|a| expr(file, &a.value)),
            enabled,
            provider,
            type_name,
            name,
            file: SourceFile::part(file, block.span().unwrap_or(0..file.text.len())),
            snippet,
        };
        if kind == BlockKind::Ephemeral {
            self.ephemerals.push(rb);
        } else {
            self.resources.push(rb);
        }
        Ok(())
    }

    fn add_module(
        &mut self,
        file: &Arc<SourceFile>,
        block: &Block,
        name: &str,
        snippet: Snippet,
        diags: &mut Vec<Diagnostic>,
    ) -> Result<(), LoadError> {
        let attr = |n: &str| block.body.get_attribute(n);
        if self.module_calls.contains_key(name) {
            return Err(invalid(
                file,
                block.span(),
                format!("module {name:?} is declared twice"),
            ));
        }
        let Some(source_attr) = attr("source") else {
            return Err(invalid(
                file,
                block.span(),
                format!("module {name:?} needs a source"),
            ));
        };
        let (source, source_expr) = match literal_string(source_attr) {
            Some(s) => (s, None),
            None => {
                let e = expr(file, &source_attr.value);
                (e.text(), Some(e))
            }
        };
        let (version, version_expr) = match attr("version") {
            Some(a) => match literal_string(a) {
                Some(v) => (Some(v), None),
                None => (None, Some(expr(file, &a.value))),
            },
            None => (None, None),
        };
        let mut providers = Vec::new();
        if let Some(p) = attr("providers") {
            let Expression::Object(o) = &p.value else {
                return Err(invalid(
                    file,
                    p.span(),
                    "providers must be a map of provider references",
                ));
            };
            for (k, v) in o.iter() {
                let child = match k {
                    hcl_edit::expr::ObjectKey::Ident(i) => Some(i.value().to_string()),
                    hcl_edit::expr::ObjectKey::Expression(e) => traversal_text(e),
                };
                let parent = match v.expr() {
                    Expression::String(s) => {
                        diags.push(quoted_reference_warning(file, v.expr(), s.value()));
                        Some(s.value().to_string())
                    }
                    e => traversal_text(e),
                };
                let (Some(child), Some(parent)) = (child, parent) else {
                    return Err(invalid(
                        file,
                        p.span(),
                        "providers entries are name = provider.alias",
                    ));
                };
                providers.push((provider_ref(&child), provider_ref(&parent)));
            }
        }
        const META: &[&str] = &[
            "source",
            "version",
            "count",
            "for_each",
            "providers",
            "depends_on",
        ];
        let args = block
            .body
            .attributes()
            .filter(|a| !META.contains(&a.key.value().as_str()))
            .map(|a| (a.key.value().to_string(), expr(file, &a.value)))
            .collect();
        self.module_calls.insert(
            name.to_string(),
            ModuleCall {
                name: name.to_string(),
                source,
                source_expr,
                version,
                version_expr,
                count: attr("count").map(|a| expr(file, &a.value)),
                for_each: attr("for_each").map(|a| expr(file, &a.value)),
                enabled: lifecycle_enabled(file, &block.body),
                providers,
                depends_on: attr("depends_on").map(|a| expr(file, &a.value)),
                args,
                snippet,
            },
        );
        Ok(())
    }

    fn add_moved(
        &mut self,
        file: &Arc<SourceFile>,
        block: &Block,
        snippet: Snippet,
    ) -> Result<(), LoadError> {
        let attr = |n: &str| block.body.get_attribute(n);
        let t = |n: &str| {
            block
                .body
                .get_attribute(n)
                .and_then(|a| traversal_text(&a.value))
        };
        let (Some(from), Some(to)) = (t("from"), t("to")) else {
            return Err(invalid(
                file,
                block.span(),
                "a moved block needs from and to addresses",
            ));
        };
        let endpoint = |text: String, name: &str| {
            text.parse::<MoveEndpoint>().map_err(|e| {
                invalid(
                    file,
                    attr(name).and_then(|a| a.value.span()),
                    format!("invalid `{name}` address in a moved block: {}", e.reason),
                )
            })
        };
        let (from, to) = MoveEndpoint::unify(endpoint(from, "from")?, endpoint(to, "to")?);
        self.moved.push(MovedBlock {
            from,
            to,
            pos: snippet.pos,
        });

        Ok(())
    }

    fn add_removed(
        &mut self,
        file: &Arc<SourceFile>,
        block: &Block,
        snippet: Snippet,
    ) -> Result<(), LoadError> {
        let attr = |n: &str| block.body.get_attribute(n);
        let Some(from) = block
            .body
            .get_attribute("from")
            .and_then(|a| traversal_text(&a.value))
        else {
            return Err(invalid(
                file,
                block.span(),
                "a removed block needs a from address",
            ));
        };
        let from = match from.parse::<MoveEndpoint>() {
                Ok(
                    e @ (MoveEndpoint::ModuleCall(_) | MoveEndpoint::Resource(_)),
                ) => e,
                Ok(_) => {
                    return Err(invalid(
                        file,
                        attr("from").and_then(|a| a.value.span()),
                        "a removed block's from address is a resource or a module call, without instance keys",
                    ))
                }
                Err(e) => {
                    return Err(invalid(
                        file,
                        attr("from").and_then(|a| a.value.span()),
                        format!("invalid `from` address in a removed block: {}", e.reason),
                    ))
                }
            };
        let destroy = block
            .body
            .get_blocks("lifecycle")
            .next()
            .and_then(|l| l.body.get_attribute("destroy"))
            .and_then(|a| a.value.as_bool());
        self.removed.push(RemovedBlock {
            from,
            destroy,
            pos: snippet.pos,
        });

        Ok(())
    }

    fn add_import(
        &mut self,
        file: &Arc<SourceFile>,
        block: &Block,
        snippet: Snippet,
        diags: &mut Vec<Diagnostic>,
    ) -> Result<(), LoadError> {
        let attr = |n: &str| block.body.get_attribute(n);
        let Some(to) = attr("to") else {
            return Err(invalid(
                file,
                block.span(),
                "an import block needs a to address",
            ));
        };
        let provider = match attr("provider") {
            Some(a) => Some(provider_reference(file, a, diags)?),
            None => None,
        };
        self.imports.push(ImportBlock {
            to: expr(file, &to.value).text(),
            to_expr: to.value.clone(),
            id: attr("id").map(|a| expr(file, &a.value)),
            for_each: attr("for_each").map(|a| expr(file, &a.value)),
            provider,
            file: file.clone(),
            snippet,
        });
        Ok(())
    }

    fn add_terraform(
        &mut self,
        file: &Arc<SourceFile>,
        block: &Block,
        diags: &mut Vec<Diagnostic>,
    ) {
        for inner in block.body.blocks() {
            let isnip = block_snippet(file, inner);
            match inner.ident.value().as_str() {
                "backend" => {
                    let kind = inner
                        .labels
                        .first()
                        .map(|l| l.as_str().to_string())
                        .unwrap_or_default();
                    let mut settings = BTreeMap::new();
                    for a in inner.body.attributes() {
                        match literal_json(&a.value) {
                            Some(v) => {
                                settings.insert(a.key.value().to_string(), v);
                            }
                            None => diags.push(Diagnostic::warning(
                                format!(
                                    "backend setting {:?} is not a literal and is ignored",
                                    a.key.value().as_str()
                                ),
                                Some(Snippet::at(file, a.span().map_or(0, |r| r.start))),
                            )),
                        }
                    }
                    self.backend = Some(BackendBlock {
                        kind,
                        settings,
                        snippet: isnip,
                    });
                }
                "cloud" => self.cloud = Some(isnip),
                "required_providers" => {
                    for a in inner.body.attributes() {
                        let source = match &a.value {
                            Expression::Object(o) => o.iter().find_map(|(k, v)| {
                                let is_source = matches!(k, hcl_edit::expr::ObjectKey::Ident(i) if i.value().as_str() == "source");
                                if is_source {
                                    v.expr().as_str().map(str::to_string)
                                } else {
                                    None
                                }
                            }),
                            _ => None,
                        };
                        if let Some(s) = source {
                            self.required_providers.insert(a.key.value().to_string(), s);
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

/// How many labels a top-level block takes; `None` for blocks this loader does not know.
fn labels_of(ident: &str) -> Option<usize> {
    Some(match ident {
        "variable" | "output" | "module" | "provider" => 1,
        "resource" | "data" | "ephemeral" | "action" => 2,
        "locals" | "terraform" | "moved" | "import" | "removed" => 0,
        _ => return None,
    })
}

fn expr(file: &Arc<SourceFile>, e: &Expression) -> Expr {
    Expr {
        expr: e.clone(),
        file: file.clone(),
    }
}

/// OpenTofu's `lifecycle { enabled = ... }` meta-argument.
fn lifecycle_enabled(file: &Arc<SourceFile>, body: &Body) -> Option<Expr> {
    body.get_blocks("lifecycle")
        .find_map(|l| l.body.get_attribute("enabled"))
        .map(|a| expr(file, &a.value))
}

fn quoted_reference_warning(file: &SourceFile, e: &Expression, text: &str) -> Diagnostic {
    Diagnostic::warning(
        format!(
            "quoted references are deprecated: write {text} without the quotes (Terraform 0.11 and earlier needed them)"
        ),
        Some(Snippet::at(file, e.span().map_or(0, |r| r.start))),
    )
}

/// `provider = google.west`, or the deprecated quoted form `"google.west"` (a warning).
fn provider_reference(
    file: &SourceFile,
    a: &Attribute,
    diags: &mut Vec<Diagnostic>,
) -> Result<ProviderRef, LoadError> {
    let text = match &a.value {
        Expression::String(s) if is_provider_ref(s.value()) => {
            diags.push(quoted_reference_warning(file, &a.value, s.value()));
            Some(s.value().to_string())
        }
        e => traversal_text(e),
    };
    text.map(|t| provider_ref(&t)).ok_or_else(|| {
        invalid(
            file,
            a.span(),
            "provider must be a provider reference such as google.west",
        )
    })
}

fn is_provider_ref(s: &str) -> bool {
    let ident = |p: &str| {
        p.chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_')
            && p.chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
    };
    match s.split_once('.') {
        Some((n, a)) => ident(n) && ident(a),
        None => ident(s),
    }
}
