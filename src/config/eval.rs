//! The expression evaluator: Terraform's semantics over `hcl-edit` expressions, with unknown
//! values propagated instead of guessed.
//!
//! Owns operators, conversions, `for` expressions, splats, templates (the configuration's and
//! those `templatefile` and `templatestring` render) and function dispatch. Never fails: a
//! problem becomes a diagnostic at the expression's position and the value involved becomes
//! unknown, so evaluation goes on around it. Never does I/O itself, and never writes a value
//! read from a sensitive source into a diagnostic.
//!
//! Unknowns follow cty: an operation on an unknown is unknown, never an error, and known
//! parts stay known (the length of a list whose elements are unknown, the keys of a map).
//! `try` and `can` decide nothing while the values they refer to are not wholly known.

use crate::config::value::Map;
use std::collections::HashMap;

use hcl_edit::expr::{
    BinaryOperator, Expression, ForExpr, FuncCall, ObjectKey, Traversal, TraversalOperator,
    UnaryOperator,
};
use hcl_edit::template::{Directive, Element, Strip, Template};
use hcl_edit::Span;

use super::diag::{Diagnostic, Snippet, SourceFile};
use super::funcs::{self, FuncContext, FuncError};
use super::value::{Number, Value};
use crate::addr::Mode;

/// The named values of one module instance, filled in dependency order.
#[derive(Debug, Default, Clone)]
pub struct ModuleValues {
    pub vars: Map<Value>,
    pub locals: Map<Value>,
    /// `(mode, type, name)` → the resource's value: one object, a list (count), an object
    /// keyed by instance key (for_each), or unknown when its expansion is unknown.
    pub resources: HashMap<(Mode, String, String), Value>,
    /// Module call name → its outputs (object, list or object of objects, as resources).
    pub modules: Map<Value>,
    /// Named values marked sensitive, directly or through what they were computed from:
    /// `var.NAME`, `local.NAME`, `module.NAME.OUTPUT`, and `module.NAME` when any output is.
    pub sensitive: std::collections::HashSet<String>,
}

/// Everything an expression may refer to.
pub struct Scope<'a> {
    pub values: &'a ModuleValues,
    pub count_index: Option<Value>,
    pub each: Option<(Value, Value)>,
    pub path_module: &'a str,
    pub path_root: &'a str,
    pub path_cwd: &'a str,
    pub workspace: &'a str,
    pub funcs: &'a FuncContext,
}

impl<'a> Scope<'a> {
    /// A scope with nothing declared, for tfvars files and type defaults.
    pub fn constant(values: &'a ModuleValues, funcs: &'a FuncContext) -> Scope<'a> {
        Scope {
            values,
            count_index: None,
            each: None,
            path_module: ".",
            path_root: ".",
            path_cwd: ".",
            workspace: "default",
            funcs,
        }
    }
}

pub struct Evaluator<'s, 'd> {
    scope: &'s Scope<'s>,
    file: &'s SourceFile,
    diags: &'d mut Vec<Diagnostic>,
    /// Iteration variables of enclosing `for` expressions, template `for` directives and
    /// `dynamic` blocks, innermost last.
    bound: Vec<(String, Value)>,
    errors: usize,
    /// Set when an evaluation read a sensitive value; callers reset it per value they track.
    /// While it is set, diagnostics show no value.
    pub tainted: bool,
    /// Set when a referenced value is not wholly known (what `try` and `can` look at).
    read_unknown: bool,
    /// Inside `try`/`can`: references are checked for unknowns; iteration variables bound
    /// from this index on belong to the argument itself and are not references.
    track_refs: Option<usize>,
    /// The first error: its source range and message (for errors inside templates).
    first_error: Option<(std::ops::Range<usize>, String)>,
    /// The kind of the template being rendered: literal tokens of heredocs and template
    /// files end at each newline, those of quoted strings do not.
    split_lines: bool,
}

/// Why [`render_template`] could not render a template. Positions are `line,col-col`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateError {
    Parse(String),
    MissingVar { name: String, at: String },
    Eval { at: String, message: String },
}

/// What Terraform says about a set index.
const SET_INDEX: &str = "Invalid index: Elements of a set are identified only by their value and don't have any separate index or key to select with, so it's only possible to perform operations across all elements of the set.";

impl<'s, 'd> Evaluator<'s, 'd> {
    pub fn new(scope: &'s Scope<'s>, file: &'s SourceFile, diags: &'d mut Vec<Diagnostic>) -> Self {
        Evaluator {
            scope,
            file,
            diags,
            bound: Vec::new(),
            errors: 0,
            tainted: false,
            read_unknown: false,
            track_refs: None,
            first_error: None,
            split_lines: false,
        }
    }

    /// An evaluator for a sub-expression whose diagnostics are kept apart (`try`, `can`,
    /// the branch of a conditional that is not taken).
    fn sub<'x>(&self, diags: &'x mut Vec<Diagnostic>) -> Evaluator<'s, 'x> {
        Evaluator {
            scope: self.scope,
            file: self.file,
            diags,
            bound: self.bound.clone(),
            errors: 0,
            tainted: false,
            read_unknown: false,
            track_refs: self.track_refs,
            first_error: None,
            split_lines: self.split_lines,
        }
    }

    /// A sub-evaluator for the argument of `try` or `can`.
    fn tracking<'x>(&self, diags: &'x mut Vec<Diagnostic>) -> Evaluator<'s, 'x> {
        let mut sub = self.sub(diags);
        sub.track_refs = Some(sub.bound.len());
        sub
    }

    /// Binds an iteration variable (a `dynamic` block's iterator) for nested evaluations.
    pub fn bind(&mut self, name: &str, value: Value) {
        self.bound.push((name.to_string(), value));
    }

    pub fn unbind(&mut self) {
        self.bound.pop();
    }

    pub fn error_count(&self) -> usize {
        self.errors
    }

    fn snippet(&self, span: Option<std::ops::Range<usize>>) -> Option<Snippet> {
        span.map(|r| Snippet::at(self.file, r.start))
    }

    fn error(&mut self, span: Option<std::ops::Range<usize>>, msg: impl Into<String>) -> Value {
        self.errors += 1;
        let msg = msg.into();
        if self.first_error.is_none() {
            self.first_error = Some((span.clone().unwrap_or(0..0), msg.clone()));
        }
        let d = Diagnostic::error(msg, self.snippet(span));
        self.diags.push(d);
        Value::Unknown
    }

    /// An error whose `detail` may show a value: while a sensitive value is involved the
    /// detail is replaced by what kind of value it was.
    fn error_about(
        &mut self,
        span: Option<std::ops::Range<usize>>,
        head: &str,
        detail: String,
        kind: &str,
    ) -> Value {
        let msg = if self.tainted {
            format!("{head}: (sensitive {kind})")
        } else {
            format!("{head}: {detail}")
        };
        self.error(span, msg)
    }

    /// Shows a value in a message, or `(sensitive value)` while a sensitive value is involved.
    fn show(&self, v: &impl std::fmt::Display) -> String {
        if self.tainted {
            "(sensitive value)".to_string()
        } else {
            v.to_string()
        }
    }

    fn warn(&mut self, span: Option<std::ops::Range<usize>>, msg: impl Into<String>) {
        let d = Diagnostic::warning(msg, self.snippet(span));
        self.diags.push(d);
    }

    pub fn eval(&mut self, e: &Expression) -> Value {
        match e {
            Expression::Null(_) => Value::Null,
            Expression::Bool(b) => Value::Bool(*b.value()),
            Expression::Number(n) => self.number_literal(n, e.span()),
            Expression::String(s) => Value::String(nfc(s.value()).into_owned()),
            Expression::Array(a) => Value::List(a.iter().map(|x| self.eval(x)).collect()),
            Expression::Object(o) => {
                let mut out = Map::new();
                for (k, v) in o.iter() {
                    let key = match k {
                        ObjectKey::Ident(i) => Value::String(i.value().to_string()),
                        ObjectKey::Expression(e) => self.eval(e),
                    };
                    let val = self.eval(v.expr());
                    match key.to_tf_string() {
                        Ok(Some(k)) => {
                            out.insert(k, val);
                        }
                        // An unknown key makes the whole object's shape unknown.
                        Ok(None) => return Value::Unknown,
                        Err(t) => {
                            return self
                                .error(k.span(), format!("object key must be a string, got {t}"))
                        }
                    }
                }
                Value::Object(out)
            }
            Expression::StringTemplate(t) => self.template(t, false),
            Expression::HeredocTemplate(h) => self.heredoc(h),
            Expression::Parenthesis(p) => self.eval(p.inner()),
            Expression::Variable(v) => self.root(v.value().as_str(), v.span()),
            Expression::Traversal(t) => self.traversal(t),
            Expression::Conditional(c) => self.conditional(c),
            Expression::FuncCall(f) => self.call(f),
            Expression::UnaryOp(u) => {
                let v = self.eval(&u.expr);
                match u.operator.value() {
                    _ if v.is_unknown() => Value::Unknown,
                    UnaryOperator::Not => match v.to_tf_bool() {
                        Ok(Some(b)) => Value::Bool(!b),
                        Ok(None) => Value::Unknown,
                        Err(m) => {
                            self.error_about(u.expr.span(), "invalid operand for !", m, "value")
                        }
                    },
                    UnaryOperator::Neg => match v.to_tf_number() {
                        Ok(Some(n)) => Value::Number(n.neg()),
                        Ok(None) => Value::Unknown,
                        Err(m) => {
                            self.error_about(u.expr.span(), "invalid operand for -", m, "value")
                        }
                    },
                }
            }
            Expression::BinaryOp(b) => self.binary(b),
            Expression::ForExpr(f) => self.for_expr(f),
        }
    }

    fn number_literal(
        &mut self,
        n: &hcl_edit::Formatted<hcl_edit::Number>,
        span: Option<std::ops::Range<usize>>,
    ) -> Value {
        // hcl-edit's integers are exact; its other numbers are 64-bit floats, so those are
        // read again from the literal's text, as Terraform reads them.
        // (Zero excepted: `-0` is a negative zero, which prints with its sign.)
        if let Some(i) = n.value().as_i64().filter(|i| *i != 0) {
            return Value::Number(Number::from(i));
        }
        let text: String = match n.as_repr().map(|r| r.to_string()).filter(|r| !r.is_empty()) {
            Some(r) => r,
            None => span
                .and_then(|r| self.file.text.get(r))
                .map(str::to_string)
                .unwrap_or_else(|| n.value().to_string()),
        };
        let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        match Number::parse(&text) {
            Some(n) => Value::Number(n),
            None => match n.value().as_f64().and_then(Number::from_f64) {
                Some(n) => Value::Number(n),
                None => self.error(None, format!("invalid number {text:?}")),
            },
        }
    }

    fn conditional(&mut self, c: &hcl_edit::expr::Conditional) -> Value {
        let cond = self.eval(&c.cond_expr);
        let (taken, other) = match cond.to_tf_bool() {
            Ok(Some(true)) => (&c.true_expr, &c.false_expr),
            Ok(Some(false)) => (&c.false_expr, &c.true_expr),
            Ok(None) => {
                // Neither branch is taken yet, but what they refer to still counts for try().
                if self.track_refs.is_some() && !self.read_unknown {
                    let mut scratch = Vec::new();
                    let mut sub = self.sub(&mut scratch);
                    sub.eval(&c.true_expr);
                    sub.eval(&c.false_expr);
                    self.read_unknown |= sub.read_unknown;
                }
                return Value::Unknown;
            }
            Err(_) if cond.is_unknown() => return Value::Unknown,
            Err(m) if cond == Value::Null => {
                return self.error(c.cond_expr.span(), format!("the condition is null: {m}"))
            }
            Err(m) => return self.error_about(c.cond_expr.span(), "invalid condition", m, "value"),
        };
        let v = self.eval(taken);
        // Both results convert to their common type (`true ? 1 : "a"` is "1"). A string,
        // a null or an unknown result never changes, so the other branch is evaluated only
        // when it could matter (or when try() needs what it refers to); its errors and
        // marks are not this expression's.
        let may_convert = !(matches!(v, Value::Null | Value::String(_)) || v.is_unknown());
        if !may_convert && self.track_refs.is_none() {
            return v;
        }
        let mut scratch = Vec::new();
        let mut sub = self.sub(&mut scratch);
        let o = sub.eval(other);
        self.read_unknown |= sub.read_unknown;
        if !may_convert || sub.errors > 0 || o.has_unknown() || v.has_unknown() || o.is_null() {
            return v;
        }
        match funcs::unify_pair(&v, &o) {
            Some(u) => u,
            None => v,
        }
    }

    fn binary(&mut self, b: &hcl_edit::expr::BinaryOp) -> Value {
        use BinaryOperator as Op;
        let op = *b.operator.value();
        let l = self.eval(&b.lhs_expr);
        // Terraform short-circuits a known false/true side of a logical operator even when
        // the other side is unknown.
        if matches!(op, Op::And | Op::Or) {
            let r = self.eval(&b.rhs_expr);
            let lb = match l.to_tf_bool() {
                Ok(v) => v,
                Err(_) if l.is_unknown() => None,
                Err(m) => {
                    return self.error_about(b.lhs_expr.span(), "invalid operand", m, "value")
                }
            };
            let rb = match r.to_tf_bool() {
                Ok(v) => v,
                Err(_) if r.is_unknown() => None,
                Err(m) => {
                    return self.error_about(b.rhs_expr.span(), "invalid operand", m, "value")
                }
            };
            return match (op, lb, rb) {
                (Op::And, Some(false), _) | (Op::And, _, Some(false)) => Value::Bool(false),
                (Op::Or, Some(true), _) | (Op::Or, _, Some(true)) => Value::Bool(true),
                (_, Some(x), Some(y)) => Value::Bool(if op == Op::And { x && y } else { x || y }),
                _ => Value::Unknown,
            };
        }
        let r = self.eval(&b.rhs_expr);
        match op {
            Op::Eq | Op::NotEq => match tf_equal(&l, &r) {
                Some(eq) => Value::Bool(if op == Op::Eq { eq } else { !eq }),
                None => Value::Unknown,
            },
            _ => {
                if l.is_unknown() || r.is_unknown() {
                    return Value::Unknown;
                }
                let ln = match l.to_tf_number() {
                    Ok(v) => v,
                    Err(m) => {
                        return self.error_about(b.lhs_expr.span(), "invalid operand", m, "value")
                    }
                };
                let rn = match r.to_tf_number() {
                    Ok(v) => v,
                    Err(m) => {
                        return self.error_about(b.rhs_expr.span(), "invalid operand", m, "value")
                    }
                };
                let (Some(x), Some(y)) = (ln, rn) else {
                    return Value::Unknown;
                };
                let result = match op {
                    Op::Plus => x.add(&y),
                    Op::Minus => x.sub(&y),
                    Op::Mul => x.mul(&y),
                    Op::Div => x.div(&y),
                    Op::Mod => x.rem(&y),
                    Op::Less => return Value::Bool(x < y),
                    Op::LessEq => return Value::Bool(x <= y),
                    Op::Greater => return Value::Bool(x > y),
                    Op::GreaterEq => return Value::Bool(x >= y),
                    _ => return Value::Unknown,
                };
                match result {
                    Ok(n) => Value::Number(n),
                    Err(_) => self.error(
                        b.rhs_expr.span(),
                        "can't compute this: zero divided by zero, infinity divided by infinity or infinity minus infinity has no value",
                    ),
                }
            }
        }
    }

    fn lookup_bound(&self, name: &str) -> Option<&Value> {
        self.bound
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }

    /// A bare root name: only iteration variables are values on their own.
    fn root(&mut self, name: &str, span: Option<std::ops::Range<usize>>) -> Value {
        if let Some(base) = self.track_refs {
            if let Some(pos) = self.bound.iter().rposition(|(n, _)| n == name) {
                if pos < base && self.bound[pos].1.has_unknown() {
                    self.read_unknown = true;
                }
            }
        }
        if let Some(v) = self.lookup_bound(name) {
            return v.clone();
        }
        match name {
            "self" => Value::Unknown,
            _ => self.error(span, format!("invalid reference {name:?}: a reference needs an attribute, such as {name}.NAME")),
        }
    }

    fn traversal(&mut self, t: &Traversal) -> Value {
        let ops: Vec<&TraversalOperator> = t.operators.iter().map(|o| o.value()).collect();
        if self.track_refs.is_some() {
            self.note_unknown_ref(t, &ops);
        }
        let (base, used) = match &t.expr {
            Expression::Variable(v) if self.lookup_bound(v.value().as_str()).is_none() => {
                let root = v.value().as_str();
                // Read named values in place: cloning a whole resource or module value for
                // each reference to one of its attributes dominated large configurations.
                if self.scope.values.sensitive.is_empty() {
                    if let Some((r, used)) = self.named_ref(root, &ops) {
                        return self.navigate(r, &ops[used..], t.span());
                    }
                }
                self.named(root, &ops, t.span())
            }
            other => (self.eval(other), 0),
        };
        self.apply_ops(base, &ops[used..], t.span())
    }

    /// Inside `try`/`can`: whether the value this traversal's static part refers to (its
    /// root and the attribute and literal index steps after it) is not wholly known. A
    /// traversal that fails refers to no unknown.
    fn note_unknown_ref(&mut self, t: &Traversal, ops: &[&TraversalOperator]) {
        let Expression::Variable(v) = &t.expr else {
            return;
        };
        let name = v.value().as_str();
        let base = self.track_refs.unwrap_or(0);
        let stat = ops
            .iter()
            .take_while(|o| match o {
                TraversalOperator::GetAttr(_) | TraversalOperator::LegacyIndex(_) => true,
                TraversalOperator::Index(e) => {
                    matches!(e, Expression::String(_) | Expression::Number(_))
                }
                _ => false,
            })
            .count();
        let bound_value;
        let (mut cur, used): (&Value, usize) = match self.bound.iter().rposition(|(n, _)| n == name)
        {
            Some(pos) if pos >= base => return,
            Some(pos) => {
                bound_value = self.bound[pos].1.clone();
                (&bound_value, 0)
            }
            None => match self.named_ref(name, ops) {
                Some((r, used)) => (r, used),
                None => {
                    // count, each, path, terraform: small values, read the usual way.
                    let mut scratch = Vec::new();
                    let mut sub = self.sub(&mut scratch);
                    let (v, _) = sub.named(name, ops, None);
                    if sub.errors == 0 && v.has_unknown() {
                        self.read_unknown = true;
                    }
                    return;
                }
            },
        };
        let mut unknown = false;
        for op in ops.iter().take(stat).skip(used) {
            let next = match (op, cur) {
                (TraversalOperator::GetAttr(n), Value::Object(m)) => m.get(n.value().as_str()),
                (TraversalOperator::LegacyIndex(n), Value::List(l)) => l.get(*n.value() as usize),
                (TraversalOperator::Index(Expression::Number(n)), Value::List(l)) => n
                    .value()
                    .as_u64()
                    .and_then(|i| l.get(usize::try_from(i).ok()?)),
                (TraversalOperator::Index(Expression::String(k)), Value::Object(m)) => {
                    m.get(k.value().as_str())
                }
                // The known attributes of a partly known object are read as they are.
                (TraversalOperator::GetAttr(n), Value::Partial(m))
                    if m.contains_key(n.value().as_str()) =>
                {
                    m.get(n.value().as_str())
                }
                (TraversalOperator::Index(Expression::String(k)), Value::Partial(m))
                    if m.contains_key(k.value().as_str()) =>
                {
                    m.get(k.value().as_str())
                }
                (_, Value::Unknown | Value::Partial(_)) => {
                    unknown = true;
                    break;
                }
                _ => None,
            };
            match next {
                Some(n) => cur = n,
                None => return,
            }
        }
        if unknown || cur.has_unknown() {
            self.read_unknown = true;
        }
    }

    /// A named value by reference, when it is declared; `None` sends the caller to
    /// [`Self::named`], which reports what is wrong.
    fn named_ref(&self, root: &str, ops: &[&TraversalOperator]) -> Option<(&'s Value, usize)> {
        let values: &'s ModuleValues = self.scope.values;
        let a1 = Self::attr_name(ops.first())?;
        match root {
            "var" => values.vars.get(a1).map(|v| (v, 1)),
            "local" => values.locals.get(a1).map(|v| (v, 1)),
            "module" => values.modules.get(a1).map(|v| (v, 1)),
            "data" => {
                let n = Self::attr_name(ops.get(1))?;
                values
                    .resources
                    .get(&(Mode::Data, a1.to_string(), n.to_string()))
                    .map(|v| (v, 2))
            }
            "count" | "each" | "path" | "terraform" | "self" => None,
            t => values
                .resources
                .get(&(Mode::Managed, t.to_string(), a1.to_string()))
                .map(|v| (v, 1)),
        }
    }

    /// Follows attribute and index operators by reference, cloning only the result; anything
    /// else (splats, unknowns, errors) continues on the general path.
    fn navigate(
        &mut self,
        mut cur: &'s Value,
        ops: &[&TraversalOperator],
        span: Option<std::ops::Range<usize>>,
    ) -> Value {
        let mut i = 0;
        while i < ops.len() {
            let next: Option<&'s Value> = match (ops[i], cur) {
                (TraversalOperator::GetAttr(n), Value::Object(m) | Value::Partial(m)) => {
                    m.get(n.value().as_str())
                }
                (TraversalOperator::LegacyIndex(n), Value::List(l)) => l.get(*n.value() as usize),
                (TraversalOperator::Index(e), Value::List(l)) => match self.eval(e) {
                    Value::Number(x) => x.to_i64().and_then(|i| l.get(usize::try_from(i).ok()?)),
                    _ => None,
                },
                (TraversalOperator::Index(e), Value::Object(m) | Value::Partial(m)) => {
                    match self.eval(e) {
                        Value::String(k) => m.get(&k),
                        _ => None,
                    }
                }
                _ => None,
            };
            match next {
                Some(n) => {
                    cur = n;
                    i += 1;
                }
                None => break,
            }
        }
        if i == ops.len() {
            return cur.clone();
        }
        self.apply_ops(cur.clone(), &ops[i..], span)
    }

    fn attr_name<'o>(op: Option<&&'o TraversalOperator>) -> Option<&'o str> {
        match op {
            Some(TraversalOperator::GetAttr(i)) => Some(i.value().as_str()),
            _ => None,
        }
    }

    /// Resolves a reference to a named value; returns it and how many operators it used.
    fn named(
        &mut self,
        root: &str,
        ops: &[&TraversalOperator],
        span: Option<std::ops::Range<usize>>,
    ) -> (Value, usize) {
        let a1 = Self::attr_name(ops.first());
        let values = self.scope.values;
        match root {
            "var" | "local" | "module" if !values.sensitive.is_empty() => {
                if let Some(n) = a1 {
                    let exact = match (root, ops.get(1), ops.get(2)) {
                        ("module", Some(TraversalOperator::GetAttr(o)), _)
                        | (
                            "module",
                            Some(TraversalOperator::Index(_)),
                            Some(TraversalOperator::GetAttr(o)),
                        ) => {
                            format!("module.{n}.{}", o.value().as_str())
                        }
                        // A module read whole (or through a splat) is sensitive when any
                        // of its outputs is: recorded as `module.NAME`.
                        _ => format!("{root}.{n}"),
                    };
                    if values.sensitive.contains(&exact) {
                        self.tainted = true;
                    }
                }
                self.named_plain(root, a1, span)
            }
            "var" | "local" | "module" => self.named_plain(root, a1, span),
            "count" => match (a1, &self.scope.count_index) {
                (Some("index"), Some(i)) => (i.clone(), 1),
                _ => (
                    self.error(
                        span,
                        "count.index is only available in a block that sets count",
                    ),
                    1,
                ),
            },
            "each" => match (a1, &self.scope.each) {
                (Some("key"), Some((k, _))) => (k.clone(), 1),
                (Some("value"), Some((_, v))) => (v.clone(), 1),
                _ => (
                    self.error(
                        span,
                        "each.key and each.value are only available in a block that sets for_each",
                    ),
                    1,
                ),
            },
            "path" => match a1 {
                Some("module") => (Value::str(self.scope.path_module), 1),
                Some("root") => (Value::str(self.scope.path_root), 1),
                Some("cwd") => (Value::str(self.scope.path_cwd), 1),
                _ => (self.error(span, "path has only module, root and cwd"), 1),
            },
            "terraform" => match a1 {
                Some("workspace") => (Value::str(self.scope.workspace), 1),
                _ => (Value::Unknown, 1),
            },
            "self" => (Value::Unknown, ops.len()),
            "data" => {
                let (Some(t), Some(n)) = (a1, Self::attr_name(ops.get(1))) else {
                    return (
                        self.error(span, "a data reference is data.TYPE.NAME"),
                        ops.len(),
                    );
                };
                match values
                    .resources
                    .get(&(Mode::Data, t.to_string(), n.to_string()))
                {
                    Some(v) => (v.clone(), 2),
                    None => (
                        self.error(
                            span,
                            format!("reference to undeclared data source data.{t}.{n}"),
                        ),
                        2,
                    ),
                }
            }
            t => {
                let Some(n) = a1 else {
                    return (self.root(t, span), 0);
                };
                match values
                    .resources
                    .get(&(Mode::Managed, t.to_string(), n.to_string()))
                {
                    Some(v) => (v.clone(), 1),
                    None => (
                        self.error(span, format!("reference to undeclared resource {t}.{n}")),
                        1,
                    ),
                }
            }
        }
    }

    fn named_plain(
        &mut self,
        root: &str,
        a1: Option<&str>,
        span: Option<std::ops::Range<usize>>,
    ) -> (Value, usize) {
        let values = self.scope.values;
        let (m, kind) = match root {
            "var" => (&values.vars, "input variable"),
            "local" => (&values.locals, "local value"),
            _ => (&values.modules, "module call"),
        };
        match a1 {
            Some(n) => match m.get(n) {
                Some(v) => (v.clone(), 1),
                None => (
                    self.error(span, format!("reference to undeclared {kind} {n:?}")),
                    1,
                ),
            },
            None => (
                self.error(span, format!("{root} must be followed by a name")),
                0,
            ),
        }
    }

    fn apply_ops(
        &mut self,
        mut v: Value,
        ops: &[&TraversalOperator],
        span: Option<std::ops::Range<usize>>,
    ) -> Value {
        let mut i = 0;
        while i < ops.len() {
            match ops[i] {
                TraversalOperator::GetAttr(name) => {
                    v = self.get_attr(v, name.value().as_str(), span.clone());
                }
                TraversalOperator::Index(e) => {
                    let k = self.eval(e);
                    v = self.index(v, k, e.span());
                }
                TraversalOperator::LegacyIndex(n) => {
                    let i =
                        Value::Number(Number::int(i64::try_from(*n.value()).unwrap_or(i64::MAX)));
                    v = self.index(v, i, span.clone());
                }
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                    let full = matches!(ops[i], TraversalOperator::FullSplat(_));
                    // An attribute splat applies only the attribute accesses that follow it
                    // to each element; a full splat applies every following operator.
                    let mut end = i + 1;
                    while end < ops.len()
                        && (full || matches!(ops[end], TraversalOperator::GetAttr(_)))
                    {
                        end += 1;
                    }
                    let items = match v {
                        Value::Unknown => return Value::Unknown,
                        Value::Null => Vec::new(),
                        Value::List(items) | Value::Set(items) => items,
                        other => vec![other],
                    };
                    let sub = &ops[i + 1..end];
                    v = Value::List(
                        items
                            .into_iter()
                            .map(|item| self.apply_ops(item, sub, span.clone()))
                            .collect(),
                    );
                    i = end;
                    continue;
                }
            }
            i += 1;
        }
        v
    }

    fn get_attr(&mut self, v: Value, name: &str, span: Option<std::ops::Range<usize>>) -> Value {
        match v {
            Value::Object(mut m) => match m.remove(name) {
                Some(v) => v,
                None => self.error(span, format!("the object has no attribute {name:?}")),
            },
            // Attributes the configuration does not set are computed by the provider: unknown.
            Value::Partial(mut m) => m.remove(name).unwrap_or(Value::Unknown),
            Value::Unknown => Value::Unknown,
            Value::Null => self.error(
                span,
                format!("attempt to get attribute {name:?} from a null value"),
            ),
            other => self.error(
                span,
                format!(
                    "cannot get attribute {name:?} from a value of type {}",
                    other.type_name()
                ),
            ),
        }
    }

    fn index(&mut self, v: Value, k: Value, span: Option<std::ops::Range<usize>>) -> Value {
        match (v, k) {
            (Value::Set(_), _) => self.error(span, SET_INDEX),
            (Value::Unknown, _) | (_, Value::Unknown) => Value::Unknown,
            (Value::List(items), k) => match k.to_tf_number() {
                Ok(Some(n)) => match n.to_i64().and_then(|i| usize::try_from(i).ok()) {
                    Some(i) if i < items.len() => {
                        items.into_iter().nth(i).unwrap_or(Value::Unknown)
                    }
                    _ => {
                        let shown = self.show(&n);
                        self.error(
                            span,
                            format!(
                                "Invalid index: the index {shown} is out of range for a list of {} elements",
                                items.len()
                            ),
                        )
                    }
                },
                Ok(None) => Value::Unknown,
                Err(m) => self.error_about(span, "invalid list index", m, "value"),
            },
            (Value::Partial(mut m), k) => match k.to_tf_string() {
                Ok(Some(key)) => m.remove(&key).unwrap_or(Value::Unknown),
                Ok(None) => Value::Unknown,
                Err(t) => self.error(span, format!("an attribute name must be a string, got {t}")),
            },
            (Value::Object(mut m), k) => match k.to_tf_string() {
                Ok(Some(key)) => match m.remove(&key) {
                    Some(v) => v,
                    None => {
                        let shown = self.show(&format!("{key:?}"));
                        self.error(
                            span,
                            format!("Invalid index: the map has no element for the key {shown}"),
                        )
                    }
                },
                Ok(None) => Value::Unknown,
                Err(t) => self.error(span, format!("a map key must be a string, got {t}")),
            },
            (Value::Null, _) => self.error(span, "cannot index a null value"),
            (other, _) => self.error(
                span,
                format!("cannot index a value of type {}", other.type_name()),
            ),
        }
    }

    fn call(&mut self, f: &FuncCall) -> Value {
        let name = f.name.name.value().as_str();
        let span = f.name.name.span();
        // Terraform points a failed call at the function's name and opening parenthesis.
        let call_span = span.clone().map(|r| r.start..r.end + 1);
        if f.name.is_namespaced() {
            for a in f.args.iter() {
                self.eval(a);
            }
            self.warn(span, format!("provider function {}::{name}() is not evaluated offline: its result is unknown", f.name.namespace.iter().map(|n| n.value().as_str()).collect::<Vec<_>>().join("::")));
            return Value::Unknown;
        }
        match name {
            "try" => return self.try_call(f, call_span),
            "can" => return self.can_call(f, call_span),
            // Arity comes first, and is funcs::call's to check.
            "templatestring" if !funcs::in_template() && f.args.len() == 2 => {
                if let Some(msg) = f.args.iter().next().and_then(template_argument_problem) {
                    for a in f.args.iter() {
                        self.eval(a);
                    }
                    let e = FuncError::InvalidArgument {
                        function: name.to_string(),
                        param: "template".to_string(),
                        message: format!("invalid template expression: {msg}"),
                    };
                    let at = f.args.iter().next().and_then(|a| a.span());
                    return self.error(at, e.to_string());
                }
            }
            _ => {}
        }
        let outer = std::mem::take(&mut self.tainted);
        let mut args: Vec<Value> = f.args.iter().map(|a| self.eval(a)).collect();
        let args_tainted = self.tainted;
        self.tainted |= outer;
        // `nonsensitive()` is not honoured: what was read stays marked, which can only hide.
        if name == "nonsensitive" {
            return args.pop().unwrap_or(Value::Unknown);
        }
        if name == "sensitive" {
            self.tainted = true;
            return args.pop().unwrap_or(Value::Unknown);
        }
        if f.args.expand_final() {
            match args.pop() {
                Some(Value::List(items) | Value::Set(items)) => args.extend(items),
                Some(v) if v.is_unknown() => return Value::Unknown,
                Some(other) => {
                    return self.error(
                        call_span,
                        format!(
                            "only a list can be expanded with ..., got {}",
                            other.type_name()
                        ),
                    )
                }
                None => {}
            }
        }
        if !funcs::is_known_function(name) {
            self.warn(
                span,
                format!(
                    "{} tfrecon treats its result as unknown.",
                    FuncError::UnknownFunction(name.to_string())
                ),
            );
            return Value::Unknown;
        }
        match funcs::call(name, &args, self.scope.funcs) {
            Ok(v) => v,
            Err(FuncError::Impure(_)) => Value::Unknown,
            Err(e @ FuncError::Unsupported(_)) => {
                self.warn(span, e.to_string());
                Value::Unknown
            }
            Err(e) if args_tainted => {
                let msg = match &e {
                    FuncError::InvalidArgument { param, .. } => format!(
                        "Invalid function argument: Invalid value for \"{param}\" parameter: \
                         the argument is derived from a sensitive value, so the reason is not \
                         shown ((sensitive value))."
                    ),
                    FuncError::CallFailed { function, .. } => format!(
                        "Error in function call: Call to function \"{function}\" failed: an \
                         argument is derived from a sensitive value, so the reason is not shown \
                         ((sensitive value))."
                    ),
                    FuncError::Expression(_) => format!(
                        "Error in function call: Call to function \"{name}\" failed with a \
                         sensitive value ((sensitive value))."
                    ),
                    // Arity errors name no value.
                    other => other.to_string(),
                };
                self.error(call_span, msg)
            }
            Err(e) => self.error(call_span, e.to_string()),
        }
    }

    /// `try`: the first argument that evaluates without error; unknown as soon as an
    /// argument refers to a value that is not wholly known, as Terraform decides then.
    fn try_call(&mut self, f: &FuncCall, span: Option<std::ops::Range<usize>>) -> Value {
        let mut first = None;
        for a in f.args.iter() {
            let mut scratch = Vec::new();
            let mut sub = self.tracking(&mut scratch);
            let v = sub.eval(a);
            let (errors, read_unknown, tainted) = (sub.errors, sub.read_unknown, sub.tainted);
            self.tainted |= tainted;
            if read_unknown {
                self.read_unknown = true;
                return Value::Unknown;
            }
            if errors == 0 {
                return v;
            }
            if first.is_none() {
                first = scratch.into_iter().next().map(|d| d.summary);
            }
        }
        if f.args.iter().next().is_none() {
            return self.error(
                span,
                "Not enough function arguments: Function \"try\" expects at least one argument.",
            );
        }
        let why = match first {
            Some(m) if !self.tainted => format!(":\n- {m}"),
            _ => ".".to_string(),
        };
        self.error(
            span,
            format!("Error in function call: Call to function \"try\" failed: no expression succeeded{why}"),
        )
    }

    /// `can`: whether its argument evaluates without error; unknown while it refers to a
    /// value that is not wholly known.
    fn can_call(&mut self, f: &FuncCall, span: Option<std::ops::Range<usize>>) -> Value {
        let args: Vec<&Expression> = f.args.iter().collect();
        let [a] = args.as_slice() else {
            return self.error(
                span,
                "Invalid function call: Function \"can\" expects exactly one argument.",
            );
        };
        let mut scratch = Vec::new();
        let mut sub = self.tracking(&mut scratch);
        sub.eval(a);
        let (errors, read_unknown, tainted) = (sub.errors, sub.read_unknown, sub.tainted);
        self.tainted |= tainted;
        if read_unknown {
            self.read_unknown = true;
            Value::Unknown
        } else {
            Value::Bool(errors == 0)
        }
    }

    fn iterate(
        &mut self,
        coll: Value,
        span: Option<std::ops::Range<usize>>,
    ) -> Option<Vec<(Value, Value)>> {
        match coll {
            Value::Null => {
                self.error(span, "cannot iterate over a null value");
                None
            }
            other if other.is_unknown() => None,
            other => match iteration_pairs(other) {
                Ok(items) => items,
                Err(t) => {
                    self.error(span, format!("cannot iterate over a value of type {t}"));
                    None
                }
            },
        }
    }

    fn for_expr(&mut self, f: &ForExpr) -> Value {
        let coll = self.eval(&f.intro.collection_expr);
        let Some(items) = self.iterate(coll, f.intro.collection_expr.span()) else {
            return Value::Unknown;
        };
        let kname = f.intro.key_var.as_ref().map(|k| k.value().to_string());
        let vname = f.intro.value_var.value().to_string();
        let mut list = Vec::new();
        let mut obj: Map<Value> = Map::new();
        let mut unknown = false;
        for (k, v) in items {
            let pushed = usize::from(kname.is_some()) + 1;
            if let Some(kn) = &kname {
                self.bound.push((kn.clone(), k));
            }
            self.bound.push((vname.clone(), v));
            let keep = match &f.cond {
                Some(c) => match self.eval(&c.expr).to_tf_bool() {
                    Ok(Some(b)) => b,
                    Ok(None) => {
                        unknown = true;
                        false
                    }
                    Err(m) => {
                        self.error(c.expr.span(), format!("invalid for condition: {m}"));
                        unknown = true;
                        false
                    }
                },
                None => true,
            };
            if keep {
                match &f.key_expr {
                    Some(ke) => {
                        let key = self.eval(ke);
                        let val = self.eval(&f.value_expr);
                        match key.to_tf_string() {
                            Ok(Some(key)) => {
                                if f.grouping {
                                    match obj.entry(key).or_insert_with(|| Value::List(Vec::new()))
                                    {
                                        Value::List(l) => l.push(val),
                                        _ => unreachable!("grouped values are lists"),
                                    }
                                } else {
                                    if obj.contains_key(key.as_str()) {
                                        {
                                            let shown = self.show(&format!("{key:?}"));
                                            let msg = format!("duplicate key {shown} in for expression: add ... after the value to group them");
                                            self.error(ke.span(), msg);
                                            unknown = true;
                                        }
                                    } else {
                                        obj.insert(key, val);
                                    }
                                }
                            }
                            Ok(None) => unknown = true,
                            Err(t) => {
                                self.error(
                                    ke.span(),
                                    format!("a for expression key must be a string, got {t}"),
                                );
                                unknown = true;
                            }
                        }
                    }
                    None => list.push(self.eval(&f.value_expr)),
                }
            }
            for _ in 0..pushed {
                self.bound.pop();
            }
        }
        if unknown {
            Value::Unknown
        } else if f.key_expr.is_some() {
            Value::Object(obj)
        } else {
            Value::List(list)
        }
    }

    /// A quoted template (`"…"`) or, with `raw` set, a template whose literal tokens end at
    /// each newline (template files). A template that is one interpolation yields the
    /// value itself, not its string form.
    fn template(&mut self, t: &Template, raw: bool) -> Value {
        let elements: Vec<&Element> = t.iter().collect();
        if let [Element::Interpolation(i)] = elements.as_slice() {
            return self.eval(&i.expr);
        }
        let outer = std::mem::replace(&mut self.split_lines, raw);
        let lits = prepare_literals(t, raw, false);
        let out = self.render(t, &lits);
        self.split_lines = outer;
        out.map_or(Value::Unknown, Value::String)
    }

    /// A heredoc. Terraform removes a flush heredoc's (`<<-`) indentation from the literal
    /// source lines, after the strip markers and before evaluation; hcl-edit's own
    /// de-indentation does not count directive lines as Terraform does, so the literal
    /// lines are read again from the source.
    fn heredoc(&mut self, h: &hcl_edit::template::HeredocTemplate) -> Value {
        let reparsed;
        let (t, flush) = match (h.indent(), h.template.span()) {
            (Some(_), Some(span)) => match self
                .file
                .text
                .get(span)
                .and_then(|src| hcl_edit::parser::parse_template(src).ok())
            {
                Some(t) => {
                    reparsed = t;
                    (&reparsed, true)
                }
                None => (&h.template, false),
            },
            _ => (&h.template, false),
        };
        let elements: Vec<&Element> = t.iter().collect();
        if let [Element::Interpolation(i)] = elements.as_slice() {
            return self.eval(&i.expr);
        }
        let outer = std::mem::replace(&mut self.split_lines, true);
        let lits = prepare_literals(t, true, flush);
        let out = self.render(t, &lits);
        self.split_lines = outer;
        out.map_or(Value::Unknown, Value::String)
    }

    /// Renders a template whose literal texts `lits` prepared. `None` when the result is
    /// unknown.
    fn render(&mut self, t: &Template, lits: &Literals) -> Option<String> {
        let mut out = String::new();
        let mut unknown = false;
        for e in t.iter() {
            match e {
                Element::Literal(s) => out.push_str(&nfc(lits.get(s))),
                Element::Interpolation(i) => {
                    let v = self.eval(&i.expr);
                    match v.to_tf_string() {
                        Ok(Some(s)) => out.push_str(&s),
                        Ok(None) => unknown = true,
                        Err(_) if v.is_unknown() => unknown = true,
                        Err(t) => {
                            self.error(
                                i.expr.span(),
                                format!("cannot interpolate a value of type {t} into a string"),
                            );
                            unknown = true;
                        }
                    }
                }
                Element::Directive(d) => match d.as_ref() {
                    Directive::If(d) => {
                        let c = self.eval(&d.if_expr.cond_expr);
                        match c.to_tf_bool() {
                            Ok(Some(true)) => match self.render(&d.if_expr.template, lits) {
                                Some(s) => out.push_str(&s),
                                None => unknown = true,
                            },
                            Ok(Some(false)) => {
                                if let Some(e) = &d.else_expr {
                                    match self.render(&e.template, lits) {
                                        Some(s) => out.push_str(&s),
                                        None => unknown = true,
                                    }
                                }
                            }
                            Ok(None) => unknown = true,
                            Err(_) if c.is_unknown() => unknown = true,
                            Err(m) => {
                                self.error_about(
                                    d.if_expr.cond_expr.span(),
                                    "invalid if condition",
                                    m,
                                    "value",
                                );
                                unknown = true;
                            }
                        }
                    }
                    Directive::For(d) => {
                        let f = &d.for_expr;
                        let coll = self.eval(&f.collection_expr);
                        match self.iterate(coll, f.collection_expr.span()) {
                            Some(items) => {
                                for (k, v) in items {
                                    let pushed = usize::from(f.key_var.is_some()) + 1;
                                    if let Some(kn) = &f.key_var {
                                        self.bound.push((kn.value().to_string(), k));
                                    }
                                    self.bound.push((f.value_var.value().to_string(), v));
                                    match self.render(&f.template, lits) {
                                        Some(s) => out.push_str(&s),
                                        None => unknown = true,
                                    }
                                    for _ in 0..pushed {
                                        self.bound.pop();
                                    }
                                }
                            }
                            None => unknown = true,
                        }
                    }
                },
            }
        }
        (!unknown).then_some(out)
    }
}

/// The text of every literal of a template after what Terraform's scanner and parser do
/// before evaluation: strip markers (`~`) trim the whitespace of the adjacent literal
/// token, and a flush heredoc loses the indentation common to its lines.
struct Literals(HashMap<usize, String>);

impl Literals {
    fn get<'a>(&'a self, lit: &'a hcl_edit::Spanned<String>) -> &'a str {
        self.0
            .get(&(std::ptr::from_ref(lit) as usize))
            .map_or(lit.value().as_str(), String::as_str)
    }
}

/// One token of a template as HCL's scanner sees it: a piece of literal text (of the
/// literal `key`), or the opening/closing of an interpolation or directive.
enum Tok {
    Lit { key: usize, text: String },
    Open { strip: bool },
    Close { strip: bool },
}

fn flatten_template(t: &Template, split: bool, out: &mut Vec<Tok>) {
    let starts = |s: &Strip| matches!(s, Strip::Start | Strip::Both);
    let ends = |s: &Strip| matches!(s, Strip::End | Strip::Both);
    for e in t.iter() {
        match e {
            Element::Literal(s) => {
                let key = std::ptr::from_ref(s) as usize;
                if split {
                    for piece in s.value().split_inclusive('\n') {
                        out.push(Tok::Lit {
                            key,
                            text: piece.to_string(),
                        });
                    }
                } else {
                    out.push(Tok::Lit {
                        key,
                        text: s.value().clone(),
                    });
                }
            }
            Element::Interpolation(i) => {
                out.push(Tok::Open {
                    strip: starts(&i.strip),
                });
                out.push(Tok::Close {
                    strip: ends(&i.strip),
                });
            }
            Element::Directive(d) => match d.as_ref() {
                Directive::If(d) => {
                    out.push(Tok::Open {
                        strip: starts(&d.if_expr.strip),
                    });
                    out.push(Tok::Close {
                        strip: ends(&d.if_expr.strip),
                    });
                    flatten_template(&d.if_expr.template, split, out);
                    if let Some(e) = &d.else_expr {
                        out.push(Tok::Open {
                            strip: starts(&e.strip),
                        });
                        out.push(Tok::Close {
                            strip: ends(&e.strip),
                        });
                        flatten_template(&e.template, split, out);
                    }
                    out.push(Tok::Open {
                        strip: starts(&d.endif_expr.strip),
                    });
                    out.push(Tok::Close {
                        strip: ends(&d.endif_expr.strip),
                    });
                }
                Directive::For(d) => {
                    out.push(Tok::Open {
                        strip: starts(&d.for_expr.strip),
                    });
                    out.push(Tok::Close {
                        strip: ends(&d.for_expr.strip),
                    });
                    flatten_template(&d.for_expr.template, split, out);
                    out.push(Tok::Open {
                        strip: starts(&d.endfor_expr.strip),
                    });
                    out.push(Tok::Close {
                        strip: ends(&d.endfor_expr.strip),
                    });
                }
            },
        }
    }
}

/// Whether any interpolation or directive of the template has a `~`.
fn has_strip_marker(t: &Template) -> bool {
    let some = |s: &Strip| !matches!(s, Strip::None);
    t.iter().any(|e| match e {
        Element::Literal(_) => false,
        Element::Interpolation(i) => some(&i.strip),
        Element::Directive(d) => match d.as_ref() {
            Directive::If(d) => {
                some(&d.if_expr.strip)
                    || some(&d.endif_expr.strip)
                    || has_strip_marker(&d.if_expr.template)
                    || d.else_expr
                        .as_ref()
                        .is_some_and(|e| some(&e.strip) || has_strip_marker(&e.template))
            }
            Directive::For(d) => {
                some(&d.for_expr.strip)
                    || some(&d.endfor_expr.strip)
                    || has_strip_marker(&d.for_expr.template)
            }
        },
    })
}

/// HCL's `parseTemplateParts` and `flushHeredocTemplateParts`, over the template's tokens.
fn prepare_literals(t: &Template, split: bool, flush: bool) -> Literals {
    if !flush && !has_strip_marker(t) {
        return Literals(HashMap::new());
    }
    let mut toks = Vec::new();
    flatten_template(t, split, &mut toks);
    // Strip markers: `${~` trims the literal token just before it, `~}` the next literal
    // token after it.
    let mut ltrim_next = false;
    for i in 0..toks.len() {
        match &toks[i] {
            Tok::Open { strip: true } if i > 0 => {
                if let Tok::Lit { text, .. } = &mut toks[i - 1] {
                    let keep = text.trim_end().len();
                    text.truncate(keep);
                }
            }
            Tok::Close { strip } => ltrim_next |= *strip,
            Tok::Lit { .. } if ltrim_next => {
                ltrim_next = false;
                if let Tok::Lit { text, .. } = &mut toks[i] {
                    *text = text.trim_start().to_string();
                }
            }
            _ => {}
        }
    }
    if flush {
        flush_heredoc(&mut toks);
    }
    let mut texts: HashMap<usize, String> = HashMap::new();
    for tok in toks {
        if let Tok::Lit { key, text } = tok {
            texts.entry(key).or_default().push_str(&text);
        }
    }
    Literals(texts)
}

/// Removes from the literal tokens that begin a line the number of leading space
/// characters (grapheme clusters) they all have; a line starting with an interpolation or
/// a directive has none, and lines of only spaces do not count and keep their spaces.
fn flush_heredoc(toks: &mut [Tok]) {
    use unicode_segmentation::UnicodeSegmentation;
    let mut min = usize::MAX;
    let mut newline = true;
    let mut adjust = Vec::new();
    // A sequence (`${`…`}`) counts once, at its opening.
    for (i, tok) in toks.iter().enumerate() {
        if matches!(tok, Tok::Close { .. }) {
            continue;
        }
        if newline {
            newline = false;
            let spaces = match tok {
                Tok::Lit { text, .. } => {
                    let trimmed = text.trim_start();
                    if trimmed.is_empty() && text.ends_with('\n') {
                        usize::MAX
                    } else {
                        adjust.push(i);
                        text[..text.len() - trimmed.len()].graphemes(true).count()
                    }
                }
                _ => 0,
            };
            min = min.min(spaces);
        }
        if let Tok::Lit { text, .. } = tok {
            if text.ends_with('\n') {
                newline = true;
            }
        }
    }
    if min == usize::MAX || min == 0 {
        return;
    }
    for i in adjust {
        if let Tok::Lit { text, .. } = &mut toks[i] {
            let cut: usize = text.graphemes(true).take(min).map(str::len).sum();
            text.drain(..cut);
        }
    }
}

/// What is wrong with the template argument of `templatestring`, which Terraform requires
/// to be a direct reference to a string from elsewhere (never a template written in place).
fn template_argument_problem(e: &Expression) -> Option<&'static str> {
    match e {
        Expression::Traversal(t) if matches!(t.expr, Expression::Variable(_)) => None,
        Expression::Variable(_) => None,
        Expression::String(_) | Expression::StringTemplate(_) | Expression::HeredocTemplate(_) => {
            Some("templatestring is only for rendering templates retrieved dynamically from elsewhere, and so does not support providing a literal template; consider using a template string expression instead")
        }
        _ => Some("must be a direct reference to a single string from elsewhere, containing valid Terraform template syntax"),
    }
}

/// The (key, value) pairs Terraform iterates a collection in: list and tuple elements with
/// their index, map and object attributes in key order, and set elements as their own
/// keys. `Ok(None)` when they are not known (a set with unknown elements may have fewer);
/// `Err` names the type of a value that is not a collection.
pub fn iteration_pairs(coll: Value) -> Result<Option<Vec<(Value, Value)>>, &'static str> {
    match coll {
        Value::List(items) => Ok(Some(
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| (Value::int(i as i64), v))
                .collect(),
        )),
        Value::Set(items) if items.iter().any(Value::has_unknown) => Ok(None),
        Value::Set(items) => Ok(Some(items.into_iter().map(|v| (v.clone(), v)).collect())),
        Value::Object(m) => Ok(Some(
            m.into_iter().map(|(k, v)| (Value::String(k), v)).collect(),
        )),
        Value::Unknown | Value::Partial(_) => Ok(None),
        other => Err(other.type_name()),
    }
}

/// Renders a template (of `templatefile` or `templatestring`) with `vars` as its only
/// variables and every function, checking first, as Terraform does, that every variable it
/// refers to is given.
pub fn render_template(
    src: &str,
    label: &str,
    vars: &Map<Value>,
    ctx: &FuncContext,
) -> Result<Value, TemplateError> {
    let file = SourceFile::new(label.into(), src.to_string());
    let t = hcl_edit::parser::parse_template(&file.text)
        .map_err(|e| TemplateError::Parse(e.to_string().trim().to_string()))?;
    let mut refs = Vec::new();
    template_refs(&t, &mut Vec::new(), &mut refs);
    if let Some((name, span)) = refs.into_iter().find(|(n, _)| !vars.contains_key(n)) {
        return Err(TemplateError::MissingVar {
            name,
            at: range_text(&file, span),
        });
    }
    let values = ModuleValues::default();
    let scope = Scope::constant(&values, ctx);
    let mut diags = Vec::new();
    let mut ev = Evaluator::new(&scope, &file, &mut diags);
    ev.bound = vars.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    let v = ev.template(&t, true);
    match ev.first_error.take() {
        Some((span, message)) => Err(TemplateError::Eval {
            at: range_text(&file, Some(span)),
            message,
        }),
        None => Ok(v),
    }
}

/// `line,col-col` (or `line,col-line,col`) of a byte range, 1-based, as HCL prints ranges.
fn range_text(file: &SourceFile, span: Option<std::ops::Range<usize>>) -> String {
    let span = span.unwrap_or(0..0);
    let (l1, c1) = file.line_col(span.start);
    let (l2, c2) = file.line_col(span.end);
    if l1 == l2 {
        format!("{l1},{c1}-{c2}")
    } else {
        format!("{l1},{c1}-{l2},{c2}")
    }
}

/// The variables a template refers to (their root names and ranges), in source order,
/// without the names its own `for` directives and expressions bind.
fn template_refs(
    t: &Template,
    bound: &mut Vec<String>,
    out: &mut Vec<(String, Option<std::ops::Range<usize>>)>,
) {
    for e in t.iter() {
        match e {
            Element::Literal(_) => {}
            Element::Interpolation(i) => expr_refs(&i.expr, bound, out),
            Element::Directive(d) => match d.as_ref() {
                Directive::If(d) => {
                    expr_refs(&d.if_expr.cond_expr, bound, out);
                    template_refs(&d.if_expr.template, bound, out);
                    if let Some(e) = &d.else_expr {
                        template_refs(&e.template, bound, out);
                    }
                }
                Directive::For(d) => {
                    let f = &d.for_expr;
                    expr_refs(&f.collection_expr, bound, out);
                    let n = bound.len();
                    if let Some(k) = &f.key_var {
                        bound.push(k.value().to_string());
                    }
                    bound.push(f.value_var.value().to_string());
                    template_refs(&f.template, bound, out);
                    bound.truncate(n);
                }
            },
        }
    }
}

fn expr_refs(
    e: &Expression,
    bound: &mut Vec<String>,
    out: &mut Vec<(String, Option<std::ops::Range<usize>>)>,
) {
    let mut root = |name: &str, span: Option<std::ops::Range<usize>>, bound: &Vec<String>| {
        if !bound.iter().any(|b| b == name) {
            out.push((name.to_string(), span));
        }
    };
    match e {
        Expression::Variable(v) => root(v.value().as_str(), v.span(), bound),
        Expression::Traversal(t) => {
            expr_refs(&t.expr, bound, out);
            for op in t.operators.iter() {
                if let TraversalOperator::Index(i) = op.value() {
                    expr_refs(i, bound, out);
                }
            }
        }
        Expression::Array(a) => a.iter().for_each(|x| expr_refs(x, bound, out)),
        Expression::Object(o) => {
            for (k, v) in o.iter() {
                if let ObjectKey::Expression(k) = k {
                    // A bare name is a literal key, not a reference.
                    if !matches!(k, Expression::Variable(_)) {
                        expr_refs(k, bound, out);
                    }
                }
                expr_refs(v.expr(), bound, out);
            }
        }
        Expression::StringTemplate(t) => template_refs(t, bound, out),
        Expression::HeredocTemplate(h) => template_refs(&h.template, bound, out),
        Expression::Parenthesis(p) => expr_refs(p.inner(), bound, out),
        Expression::Conditional(c) => {
            expr_refs(&c.cond_expr, bound, out);
            expr_refs(&c.true_expr, bound, out);
            expr_refs(&c.false_expr, bound, out);
        }
        Expression::FuncCall(f) => f.args.iter().for_each(|a| expr_refs(a, bound, out)),
        Expression::UnaryOp(u) => expr_refs(&u.expr, bound, out),
        Expression::BinaryOp(b) => {
            expr_refs(&b.lhs_expr, bound, out);
            expr_refs(&b.rhs_expr, bound, out);
        }
        Expression::ForExpr(f) => {
            expr_refs(&f.intro.collection_expr, bound, out);
            let n = bound.len();
            if let Some(k) = &f.intro.key_var {
                bound.push(k.value().to_string());
            }
            bound.push(f.intro.value_var.value().to_string());
            if let Some(k) = &f.key_expr {
                expr_refs(k, bound, out);
            }
            expr_refs(&f.value_expr, bound, out);
            if let Some(c) = &f.cond {
                expr_refs(&c.expr, bound, out);
            }
            bound.truncate(n);
        }
        Expression::Null(_)
        | Expression::Bool(_)
        | Expression::Number(_)
        | Expression::String(_) => {}
    }
}

/// Evaluates a self-contained expression with `vars` as its only variables (what
/// `terraform console` does for constant expressions). `Err` carries the first error.
pub fn evaluate_standalone(
    src: &str,
    vars: &Map<Value>,
    ctx: &FuncContext,
) -> Result<Value, String> {
    let file = SourceFile::new("<expression>".into(), src.to_string());
    let e = hcl_edit::parser::parse_expr(&file.text)
        .map_err(|e| format!("invalid expression: {}", e.to_string().trim()))?;
    let values = ModuleValues::default();
    let scope = Scope::constant(&values, ctx);
    let mut diags = Vec::new();
    let mut ev = Evaluator::new(&scope, &file, &mut diags);
    ev.bound = vars.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    let v = ev.eval(&e);
    let first = ev.first_error.take();
    // Terraform has no such function: an error here, where nothing else is unknown.
    let no_such = diags
        .into_iter()
        .find(|d| d.summary.starts_with("Call to unknown function"));
    match (first, no_such) {
        (Some((_, message)), _) => Err(message),
        (None, Some(d)) => Err(d.summary),
        (None, None) => Ok(v),
    }
}

/// A string in Unicode normal form C, as HCL makes every string literal.
fn nfc(s: &str) -> std::borrow::Cow<'_, str> {
    use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};
    match is_nfc_quick(s.chars()) {
        IsNormalized::Yes => std::borrow::Cow::Borrowed(s),
        _ => std::borrow::Cow::Owned(s.nfc().collect()),
    }
}

/// Terraform's `==`: same type and same value (a number never equals a string); unknown
/// when either side is not wholly known.
fn tf_equal(a: &Value, b: &Value) -> Option<bool> {
    if a.has_unknown() || b.has_unknown() {
        return None;
    }
    Some(known_equal(a, b))
}

fn known_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::List(x), Value::List(y)) | (Value::Set(x), Value::Set(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| known_equal(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((ka, a), (kb, b))| ka == kb && known_equal(a, b))
        }
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval_str(src: &str) -> (Value, Vec<Diagnostic>) {
        let mut values = ModuleValues::default();
        values.vars.insert(
            "names".into(),
            Value::List(vec![Value::str("b"), Value::str("a")]),
        );
        values.vars.insert("unk".into(), Value::Unknown);
        values.vars.insert(
            "obj".into(),
            Value::Object(Map::from([
                ("a".to_string(), Value::Unknown),
                ("b".to_string(), Value::str("x")),
            ])),
        );
        values.resources.insert(
            (Mode::Managed, "aws_s3_bucket".into(), "b".into()),
            Value::Partial(Map::from([("bucket".to_string(), Value::str("logs"))])),
        );
        let fc = FuncContext::default();
        let scope = Scope::constant(&values, &fc);
        let file = SourceFile::new("t.tf".into(), format!("x = {src}\n"));
        let body = hcl_edit::parser::parse_body(&file.text).unwrap();
        let expr = &body.get_attribute("x").unwrap().value;
        let mut diags = Vec::new();
        let v = Evaluator::new(&scope, &file, &mut diags).eval(expr);
        (v, diags)
    }

    fn ok(src: &str) -> serde_json::Value {
        let (v, d) = eval_str(src);
        assert!(d.is_empty(), "{src}: {d:?}");
        v.to_json_marked()
    }

    #[test]
    fn operators_follow_terraform() {
        assert_eq!(ok("1 + 2 * 3"), serde_json::json!(7));
        assert_eq!(ok("\"5\" + 1"), serde_json::json!(6));
        assert_eq!(ok("7 / 2"), serde_json::json!(3.5));
        assert_eq!(ok("1 == \"1\""), serde_json::json!(false));
        assert_eq!(ok("var.unk && false"), serde_json::json!(false));
        assert_eq!(
            ok("var.unk || false"),
            serde_json::json!({"$unknown": true})
        );
    }

    #[test]
    fn for_splat_and_templates() {
        assert_eq!(
            ok("[for n in var.names : upper(n) if n != \"a\"]"),
            serde_json::json!(["B"])
        );
        assert_eq!(
            ok("{for i, n in var.names : n => i}"),
            serde_json::json!({"a": 1, "b": 0})
        );
        assert_eq!(
            ok("{for n in var.names : \"k\" => n...}"),
            serde_json::json!({"k": ["b", "a"]})
        );
        assert_eq!(ok("[{a = 1}, {a = 2}][*].a"), serde_json::json!([1, 2]));
        assert_eq!(
            ok("\"%{ for n in var.names ~}${n},%{ endfor ~}\""),
            serde_json::json!("b,a,")
        );
        assert_eq!(
            ok("\"x-${var.unk}\""),
            serde_json::json!({"$unknown": true})
        );
    }

    #[test]
    fn unknown_function_is_a_warning() {
        let (v, d) = eval_str("nosuch(1)");
        assert_eq!(v, Value::Unknown);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].severity, super::super::diag::Severity::Warning);
        assert_eq!(d[0].pos().unwrap().col, 5);
    }

    #[test]
    fn try_and_can() {
        assert_eq!(ok("try(var.names[5], \"dflt\")"), serde_json::json!("dflt"));
        assert_eq!(ok("can(var.names[5])"), serde_json::json!(false));
    }

    #[test]
    fn shape_is_known_when_elements_are_not() {
        assert_eq!(ok("length([var.unk, 1])"), serde_json::json!(2));
        assert_eq!(
            ok("keys({b = var.unk, a = 1})"),
            serde_json::json!(["a", "b"])
        );
        assert_eq!(ok("upper(var.unk)"), serde_json::json!({"$unknown": true}));
    }

    #[test]
    fn conditionals_may_break_lines_inside_brackets() {
        assert_eq!(
            ok("[for n in var.names : n == \"a\"\n    ? 1\n    : 2]"),
            serde_json::json!([2, 1])
        );
        assert_eq!(
            ok("(length(var.names) > 1\n    ? \"many\"\n    : \"few\")"),
            serde_json::json!("many")
        );
    }

    #[test]
    fn negative_zero_keeps_its_sign_as_text() {
        assert_eq!(ok("tostring(-0)"), serde_json::json!("-0"));
        assert_eq!(ok("tostring(0)"), serde_json::json!("0"));
        assert_eq!(ok("tostring(-5)"), serde_json::json!("-5"));
    }

    #[test]
    fn repeated_object_keys_keep_the_last() {
        assert_eq!(
            ok("{ a = 1, b = 2, a = 3 }"),
            serde_json::json!({"a": 3, "b": 2})
        );
        assert_eq!(ok("{ \"a\" = 1, a = 2 }"), serde_json::json!({"a": 2}));
    }

    /// Evaluates without error diagnostics and gives the value as marked JSON.
    fn quiet(src: &str) -> serde_json::Value {
        let (v, d) = eval_str(src);
        let errors: Vec<_> = d
            .iter()
            .filter(|d| d.severity == super::super::diag::Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{src}: {errors:?}");
        v.to_json_marked()
    }

    #[test]
    fn unknown_operands_give_unknown_results() {
        let unknown = serde_json::json!({"$unknown": true});
        for src in [
            "var.unk + 1",
            "var.unk == 1",
            "1 < var.unk",
            "!var.unk",
            "-var.unk",
            "var.unk ? 1 : 2",
            "[for x in var.unk : x]",
            "{for k, v in var.unk : k => v}",
            "var.unk[0]",
            "var.unk.a",
            "var.unk[*].a",
            "\"${var.unk}\"",
            "\"%{ if var.unk }a%{ endif }\"",
            "\"%{ for x in var.unk }a%{ endfor }\"",
            "upper(var.unk)",
            "jsonencode([var.unk])",
            "format(\"%s\", var.unk)",
            "join(\",\", [var.unk])",
            "split(\",\", var.unk)",
            "replace(var.unk, \"a\", \"b\")",
            "regex(\"a\", var.unk)",
            "cidrsubnet(var.unk, 8, 1)",
            "cidrsubnet(\"10.0.0.0/16\", var.unk, 1)",
            "setproduct(var.unk, [1])",
            "tomap(var.unk)",
            "keys(var.unk)",
            "length(var.unk)",
            "length(toset([var.unk, \"a\"]))",
            "coalesce(var.unk, \"a\")",
            "coalescelist(var.unk, [\"a\"])",
            "concat(var.unk, [1])",
            "merge(var.unk, {b = 1})",
            "try(var.unk, \"x\")",
            "try(var.obj.a, \"x\")",
            "try(var.obj.missing, var.unk)",
            "try(true ? \"a\" : var.unk, \"x\")",
            "can(var.unk)",
            "can(var.obj.a)",
            "var.obj == var.obj",
            "aws_s3_bucket.b.arn",
            "aws_s3_bucket.b[\"arn\"]",
            "upper(aws_s3_bucket.b.id)",
            "[for x in toset([var.unk]) : x]",
        ] {
            assert_eq!(quiet(src), unknown, "{src}");
        }
    }

    #[test]
    fn known_parts_stay_known_as_cty_keeps_them() {
        let u = serde_json::json!({"$unknown": true});
        for (src, want) in [
            ("length([var.unk, 1])", serde_json::json!(2)),
            ("length(var.obj)", serde_json::json!(2)),
            ("keys(var.obj)", serde_json::json!(["a", "b"])),
            ("values(var.obj)", serde_json::json!([u, "x"])),
            ("concat([var.unk], [\"a\"])", serde_json::json!([u, "a"])),
            (
                "merge(var.obj, {c = 1})",
                serde_json::json!({"a": u, "b": "x", "c": 1}),
            ),
            ("element([var.unk, \"a\"], 1)", serde_json::json!("a")),
            ("lookup(var.obj, \"b\", \"d\")", serde_json::json!("x")),
            ("coalesce(\"a\", var.unk)", serde_json::json!("a")),
            ("tolist([var.unk, \"a\"])", serde_json::json!([u, "a"])),
            ("zipmap([\"k\"], [var.unk])", serde_json::json!({"k": u})),
            ("slice([var.unk, 1, 2], 1, 3)", serde_json::json!([1, 2])),
            ("reverse([var.unk, 1])", serde_json::json!([1, u])),
            ("var.obj.b", serde_json::json!("x")),
            ("aws_s3_bucket.b.bucket", serde_json::json!("logs")),
            ("try(var.obj.b, \"d\")", serde_json::json!("x")),
            ("can(var.obj.b)", serde_json::json!(true)),
            ("false && var.unk", serde_json::json!(false)),
            ("[for x in [var.unk, 1] : x]", serde_json::json!([u, 1])),
            ("try(upper(\"a\"), var.unk)", serde_json::json!("A")),
        ] {
            assert_eq!(quiet(src), want, "{src}");
        }
    }
}
