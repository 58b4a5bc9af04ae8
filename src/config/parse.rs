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
    pub snippet: Snippet,
}

#[derive(Debug, Clone)]
pub struct ResourceBlock {
    pub mode: Mode,
    pub type_name: String,
    pub name: String,
    pub count: Option<Expr>,
    pub for_each: Option<Expr>,
    /// `provider = NAME` or `NAME.ALIAS`.
    pub provider: Option<(String, Option<String>)>,
    pub depends_on: Option<Expr>,
    pub body: Body,
    pub file: Arc<SourceFile>,
    pub snippet: Snippet,
}

/// A provider configuration as a module names it: local name and optional alias.
pub type ProviderRef = (String, Option<String>);

#[derive(Debug, Clone)]
pub struct ModuleCall {
    pub name: String,
    pub source: String,
    pub version: Option<String>,
    pub count: Option<Expr>,
    pub for_each: Option<Expr>,
    /// Child provider (`name` or `name.alias`) → the caller's provider it receives.
    pub providers: Vec<(ProviderRef, ProviderRef)>,
    pub depends_on: Option<Expr>,
    /// Argument name → expression: the child's input variables.
    pub args: BTreeMap<String, Expr>,
    pub snippet: Snippet,
}

#[derive(Debug, Clone)]
pub struct OutputDecl {
    pub name: String,
    pub value: Option<Expr>,
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
    pub id: Option<Expr>,
    pub for_each: Option<Expr>,
    pub provider: Option<(String, Option<String>)>,
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
    pub dir: PathBuf,
    pub variables: BTreeMap<String, VariableDecl>,
    pub locals: BTreeMap<String, Expr>,
    pub resources: Vec<ResourceBlock>,
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
    pub files: Vec<Arc<SourceFile>>,
    /// Declared resources, to reject duplicates without a quadratic scan.
    declared: std::collections::HashSet<(Mode, String, String)>,
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

impl ModuleConfig {
    /// Reads every `*.tf` and `*.tf.json` file of `dir` (override files excepted).
    pub fn load(dir: &Path, diags: &mut Vec<Diagnostic>) -> Result<ModuleConfig, LoadError> {
        let io = |source| LoadError::Io {
            path: dir.to_path_buf(),
            source,
        };
        let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(io)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                let n = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
                (n.ends_with(".tf") || n.ends_with(".tf.json"))
                    && !n.starts_with('.')
                    && p.is_file()
            })
            .collect();
        names.sort();
        if names.is_empty() {
            return Err(LoadError::NoConfiguration {
                dir: dir.to_path_buf(),
            });
        }
        let mut m = ModuleConfig {
            dir: dir.to_path_buf(),
            ..Default::default()
        };
        for path in names {
            let fname = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("")
                .to_string();
            let stem = fname.trim_end_matches(".json").trim_end_matches(".tf");
            if stem == "override" || stem.ends_with("_override") {
                diags.push(Diagnostic::warning(
                    format!(
                        "override file {} is not merged: its settings are ignored",
                        path.display()
                    ),
                    None,
                ));
                continue;
            }
            let text = std::fs::read_to_string(&path).map_err(|source| LoadError::Io {
                path: path.clone(),
                source,
            })?;
            let text = if fname.ends_with(".tf.json") {
                super::json::to_native(&path, &text)?
            } else {
                text
            };
            let file = SourceFile::new(path.clone(), text);
            let body = hcl_edit::parser::parse_body(&file.text).map_err(|e| LoadError::Syntax {
                message: e.message().to_string(),
                snippet: Snippet {
                    pos: super::diag::SourcePos {
                        file: path.clone(),
                        line: e.location().line(),
                        col: e.location().column(),
                    },
                    line: e.line().to_string(),
                },
            })?;
            m.add_body(&file, &body, diags)?;
            m.files.push(file);
        }
        Ok(m)
    }

    fn add_body(
        &mut self,
        file: &Arc<SourceFile>,
        body: &Body,
        diags: &mut Vec<Diagnostic>,
    ) -> Result<(), LoadError> {
        let expr = |e: &Expression| Expr {
            expr: e.clone(),
            file: file.clone(),
        };
        for block in body.blocks() {
            let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
            let snippet = block_snippet(file, block);
            let want = |n: usize| -> Result<(), LoadError> {
                if labels.len() == n {
                    Ok(())
                } else {
                    Err(invalid(
                        file,
                        block.span(),
                        format!(
                            "a {} block takes {n} label(s), found {}",
                            block.ident.value(),
                            labels.len()
                        ),
                    ))
                }
            };
            let attr = |name: &str| block.body.get_attribute(name);
            match block.ident.value().as_str() {
                "variable" => {
                    want(1)?;
                    let name = labels[0].to_string();
                    self.variables.insert(
                        name.clone(),
                        VariableDecl {
                            name,
                            type_expr: attr("type").map(|a| expr(&a.value)),
                            default: attr("default").map(|a| expr(&a.value)),
                            sensitive: attr("sensitive")
                                .and_then(|a| a.value.as_bool())
                                .unwrap_or(false),
                            nullable: attr("nullable")
                                .and_then(|a| a.value.as_bool())
                                .unwrap_or(true),
                            snippet,
                        },
                    );
                }
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
                        self.locals.insert(name, expr(&a.value));
                    }
                }
                kind @ ("resource" | "data") => {
                    want(2)?;
                    let mode = if kind == "data" {
                        Mode::Data
                    } else {
                        Mode::Managed
                    };
                    if !self
                        .declared
                        .insert((mode, labels[0].to_string(), labels[1].to_string()))
                    {
                        return Err(invalid(
                            file,
                            block.span(),
                            format!("{kind} {}.{} is declared twice", labels[0], labels[1]),
                        ));
                    }
                    let provider = match attr("provider") {
                        Some(a) => Some(provider_ref(&traversal_text(&a.value).ok_or_else(
                            || {
                                invalid(
                                    file,
                                    a.span(),
                                    "provider must be a provider reference such as google.west",
                                )
                            },
                        )?)),
                        None => None,
                    };
                    self.resources.push(ResourceBlock {
                        mode,
                        type_name: labels[0].to_string(),
                        name: labels[1].to_string(),
                        count: attr("count").map(|a| expr(&a.value)),
                        for_each: attr("for_each").map(|a| expr(&a.value)),
                        provider,
                        depends_on: attr("depends_on").map(|a| expr(&a.value)),
                        body: block.body.clone(),
                        file: file.clone(),
                        snippet,
                    });
                }
                "module" => {
                    want(1)?;
                    let source = attr("source").and_then(literal_string).ok_or_else(|| {
                        invalid(
                            file,
                            block.span(),
                            format!("module {:?} needs a literal source", labels[0]),
                        )
                    })?;
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
                            let (Some(child), Some(parent)) = (child, traversal_text(v.expr()))
                            else {
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
                        .map(|a| (a.key.value().to_string(), expr(&a.value)))
                        .collect();
                    self.module_calls.insert(
                        labels[0].to_string(),
                        ModuleCall {
                            name: labels[0].to_string(),
                            source,
                            version: attr("version").and_then(literal_string),
                            count: attr("count").map(|a| expr(&a.value)),
                            for_each: attr("for_each").map(|a| expr(&a.value)),
                            providers,
                            depends_on: attr("depends_on").map(|a| expr(&a.value)),
                            args,
                            snippet,
                        },
                    );
                }
                "output" => {
                    want(1)?;
                    self.outputs.insert(
                        labels[0].to_string(),
                        OutputDecl {
                            name: labels[0].to_string(),
                            value: attr("value").map(|a| expr(&a.value)),
                            sensitive: attr("sensitive")
                                .and_then(|a| a.value.as_bool())
                                .unwrap_or(false),
                            snippet,
                        },
                    );
                }
                "provider" => {
                    want(1)?;
                    self.providers.push(ProviderBlock {
                        name: labels[0].to_string(),
                        alias: attr("alias").and_then(literal_string),
                        body: block.body.clone(),
                        file: file.clone(),
                        snippet,
                    });
                }
                "terraform" => {
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
                                            format!("backend setting {:?} is not a literal and is ignored", a.key.value().as_str()),
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
                                        Expression::String(_) => None,
                                        _ => None,
                                    };
                                    if let Some(s) = source {
                                        self.required_providers
                                            .insert(a.key.value().to_string(), s);
                                    }
                                }
                            }
                            _ => {}
                        }
                    }
                }
                "moved" => {
                    let t = |n: &str| attr(n).and_then(|a| traversal_text(&a.value));
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
                    let (from, to) =
                        MoveEndpoint::unify(endpoint(from, "from")?, endpoint(to, "to")?);
                    self.moved.push(MovedBlock {
                        from,
                        to,
                        pos: snippet.pos,
                    });
                }
                "removed" => {
                    let Some(from) = attr("from").and_then(|a| traversal_text(&a.value)) else {
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
                }
                "import" => {
                    let Some(to) = attr("to").map(|a| {
                        Expr {
                            expr: a.value.clone(),
                            file: file.clone(),
                        }
                        .text()
                    }) else {
                        return Err(invalid(
                            file,
                            block.span(),
                            "an import block needs a to address",
                        ));
                    };
                    self.imports.push(ImportBlock {
                        to,
                        id: attr("id").map(|a| expr(&a.value)),
                        for_each: attr("for_each").map(|a| expr(&a.value)),
                        provider: attr("provider")
                            .and_then(|a| traversal_text(&a.value))
                            .map(|t| provider_ref(&t)),
                        snippet,
                    });
                }
                "check" => self.checks.push(snippet),
                other => diags.push(Diagnostic::warning(
                    format!("unexpected block type {other:?} is ignored"),
                    Some(snippet),
                )),
            }
        }
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
        Ok(())
    }
}
