//! The expression evaluator: Terraform's semantics over `hcl-edit` expressions, with unknown
//! values propagated instead of guessed.
//!
//! Owns operators, conversions, `for` expressions, splats, templates and function dispatch.
//! Never fails: a problem becomes a diagnostic at the expression's position and the value
//! involved becomes unknown, so evaluation goes on around it. Never does I/O itself.

use std::collections::{BTreeMap, HashMap};

use hcl_edit::expr::{
    BinaryOperator, Expression, ForExpr, FuncCall, ObjectKey, Traversal, TraversalOperator,
    UnaryOperator,
};
use hcl_edit::template::{Directive, Element, Strip, Template};
use hcl_edit::Span;

use super::diag::{Diagnostic, Snippet, SourceFile};
use super::funcs::{self, FuncContext};
use super::value::Value;
use crate::addr::Mode;

/// The named values of one module instance, filled in dependency order.
#[derive(Debug, Default, Clone)]
pub struct ModuleValues {
    pub vars: BTreeMap<String, Value>,
    pub locals: BTreeMap<String, Value>,
    /// `(mode, type, name)` → the resource's value: one object, a list (count), an object
    /// keyed by instance key (for_each), or unknown when its expansion is unknown.
    pub resources: HashMap<(Mode, String, String), Value>,
    /// Module call name → its outputs (object, list or object of objects, as resources).
    pub modules: BTreeMap<String, Value>,
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
    pub tainted: bool,
}

fn num(n: f64) -> Value {
    Value::Number(n)
}

impl<'s, 'd> Evaluator<'s, 'd> {
    pub fn new(scope: &'s Scope<'s>, file: &'s SourceFile, diags: &'d mut Vec<Diagnostic>) -> Self {
        Evaluator {
            scope,
            file,
            diags,
            bound: Vec::new(),
            errors: 0,
            tainted: false,
        }
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
        let d = Diagnostic::error(msg, self.snippet(span));
        self.diags.push(d);
        Value::Unknown
    }

    fn warn(&mut self, span: Option<std::ops::Range<usize>>, msg: impl Into<String>) {
        let d = Diagnostic::warning(msg, self.snippet(span));
        self.diags.push(d);
    }

    pub fn eval(&mut self, e: &Expression) -> Value {
        match e {
            Expression::Null(_) => Value::Null,
            Expression::Bool(b) => Value::Bool(*b.value()),
            Expression::Number(n) => num(n.value().as_f64().unwrap_or(f64::NAN)),
            Expression::String(s) => Value::String(s.value().clone()),
            Expression::Array(a) => Value::List(a.iter().map(|x| self.eval(x)).collect()),
            Expression::Object(o) => {
                let mut out = BTreeMap::new();
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
            Expression::StringTemplate(t) => self.template(t, None),
            Expression::HeredocTemplate(h) => self.template(&h.template, h.indent()),
            Expression::Parenthesis(p) => self.eval(p.inner()),
            Expression::Variable(v) => self.root(v.value().as_str(), v.span()),
            Expression::Traversal(t) => self.traversal(t),
            Expression::Conditional(c) => {
                let cond = self.eval(&c.cond_expr);
                match cond.to_tf_bool() {
                    Ok(Some(true)) => self.eval(&c.true_expr),
                    Ok(Some(false)) => self.eval(&c.false_expr),
                    Ok(None) => Value::Unknown,
                    Err(m) if cond == Value::Null => {
                        self.error(c.cond_expr.span(), format!("the condition is null: {m}"))
                    }
                    Err(m) => self.error(c.cond_expr.span(), format!("invalid condition: {m}")),
                }
            }
            Expression::FuncCall(f) => self.call(f),
            Expression::UnaryOp(u) => {
                let v = self.eval(&u.expr);
                match u.operator.value() {
                    UnaryOperator::Not => match v.to_tf_bool() {
                        Ok(Some(b)) => Value::Bool(!b),
                        Ok(None) => Value::Unknown,
                        Err(m) => self.error(u.expr.span(), format!("invalid operand for !: {m}")),
                    },
                    UnaryOperator::Neg => match v.to_tf_number() {
                        Ok(Some(n)) => num(-n),
                        Ok(None) => Value::Unknown,
                        Err(m) => self.error(u.expr.span(), format!("invalid operand for -: {m}")),
                    },
                }
            }
            Expression::BinaryOp(b) => self.binary(b),
            Expression::ForExpr(f) => self.for_expr(f),
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
                Err(m) => return self.error(b.lhs_expr.span(), format!("invalid operand: {m}")),
            };
            let rb = match r.to_tf_bool() {
                Ok(v) => v,
                Err(m) => return self.error(b.rhs_expr.span(), format!("invalid operand: {m}")),
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
            Op::Eq | Op::NotEq => {
                if l.has_unknown() || r.has_unknown() {
                    return Value::Unknown;
                }
                let eq = tf_equal(&l, &r);
                Value::Bool(if op == Op::Eq { eq } else { !eq })
            }
            _ => {
                let ln = match l.to_tf_number() {
                    Ok(v) => v,
                    Err(m) => {
                        return self.error(b.lhs_expr.span(), format!("invalid operand: {m}"))
                    }
                };
                let rn = match r.to_tf_number() {
                    Ok(v) => v,
                    Err(m) => {
                        return self.error(b.rhs_expr.span(), format!("invalid operand: {m}"))
                    }
                };
                let (Some(x), Some(y)) = (ln, rn) else {
                    return Value::Unknown;
                };
                match op {
                    Op::Plus => num(x + y),
                    Op::Minus => num(x - y),
                    Op::Mul => num(x * y),
                    Op::Div if y == 0.0 => self.error(b.rhs_expr.span(), "division by zero"),
                    Op::Div => num(x / y),
                    Op::Mod if y == 0.0 => self.error(b.rhs_expr.span(), "modulo by zero"),
                    Op::Mod => num(x % y),
                    Op::Less => Value::Bool(x < y),
                    Op::LessEq => Value::Bool(x <= y),
                    Op::Greater => Value::Bool(x > y),
                    Op::GreaterEq => Value::Bool(x >= y),
                    _ => Value::Unknown,
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
                    Value::Number(x) if x >= 0.0 && x.fract() == 0.0 => l.get(x as usize),
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
                    v = self.index(v, num(*n.value() as f64), span.clone());
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
                        Value::List(items) => items,
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
            (Value::Unknown, _) | (_, Value::Unknown) => Value::Unknown,
            (Value::List(items), k) => match k.to_tf_number() {
                Ok(Some(n)) if n >= 0.0 && n.fract() == 0.0 && (n as usize) < items.len() => {
                    items.into_iter().nth(n as usize).unwrap_or(Value::Unknown)
                }
                Ok(_) => self.error(
                    span,
                    format!("index {k} out of range for a list of {}", items.len()),
                ),
                Err(m) => self.error(span, format!("invalid list index: {m}")),
            },
            (Value::Partial(mut m), k) => match k.to_tf_string() {
                Ok(Some(key)) => m.remove(&key).unwrap_or(Value::Unknown),
                Ok(None) => Value::Unknown,
                Err(t) => self.error(span, format!("an attribute name must be a string, got {t}")),
            },
            (Value::Object(mut m), k) => match k.to_tf_string() {
                Ok(Some(key)) => match m.remove(&key) {
                    Some(v) => v,
                    None => self.error(span, format!("the map has no element for the key {key:?}")),
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
        if f.name.is_namespaced() {
            for a in f.args.iter() {
                self.eval(a);
            }
            self.warn(span, format!("provider function {}::{name}() is not evaluated offline: its result is unknown", f.name.namespace.iter().map(|n| n.value().as_str()).collect::<Vec<_>>().join("::")));
            return Value::Unknown;
        }
        match name {
            "try" => {
                for a in f.args.iter() {
                    let mut scratch = Vec::new();
                    let mut sub = Evaluator {
                        scope: self.scope,
                        file: self.file,
                        diags: &mut scratch,
                        bound: self.bound.clone(),
                        errors: 0,
                        tainted: false,
                    };
                    let v = sub.eval(a);
                    if sub.errors == 0 {
                        // Whether an unknown value would fail is not knowable: unknown.
                        return if v.has_unknown() { Value::Unknown } else { v };
                    }
                }
                return self.error(
                    span,
                    "no argument of try() could be evaluated without error",
                );
            }
            "can" => {
                let Some(a) = f.args.iter().next() else {
                    return self.error(span, "can() takes one argument");
                };
                let mut scratch = Vec::new();
                let mut sub = Evaluator {
                    scope: self.scope,
                    file: self.file,
                    diags: &mut scratch,
                    bound: self.bound.clone(),
                    errors: 0,
                    tainted: false,
                };
                let v = sub.eval(a);
                return if sub.errors > 0 {
                    Value::Bool(false)
                } else if v.has_unknown() {
                    Value::Unknown
                } else {
                    Value::Bool(true)
                };
            }
            _ => {}
        }
        let mut args: Vec<Value> = f.args.iter().map(|a| self.eval(a)).collect();
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
                Some(Value::List(items)) => args.extend(items),
                Some(Value::Unknown) => return Value::Unknown,
                Some(other) => {
                    return self.error(
                        span,
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
                format!("unknown function {name}(): its result is unknown"),
            );
            return Value::Unknown;
        }
        // The length of a collection is known even when its elements are not.
        if name == "length" {
            match args.as_slice() {
                [Value::List(l)] => return num(l.len() as f64),
                [Value::Object(m)] => return num(m.len() as f64),
                _ => {}
            }
        }
        // So are the keys of a map.
        if let ("keys", [Value::Object(m)]) = (name, args.as_slice()) {
            return Value::List(m.keys().map(|k| Value::String(k.clone())).collect());
        }
        if funcs::is_impure(name) || args.iter().any(Value::has_unknown) {
            return Value::Unknown;
        }
        let hargs: Vec<hcl::Value> = args.iter().filter_map(Value::to_hcl).collect();
        match funcs::call(name, &hargs, self.scope.funcs) {
            Ok(v) => Value::from_hcl(&v),
            Err(e) => self.error(span, e.to_string()),
        }
    }

    fn iterate(
        &mut self,
        coll: Value,
        span: Option<std::ops::Range<usize>>,
    ) -> Option<Vec<(Value, Value)>> {
        match coll {
            Value::List(items) => Some(
                items
                    .into_iter()
                    .enumerate()
                    .map(|(i, v)| (num(i as f64), v))
                    .collect(),
            ),
            Value::Object(m) => Some(m.into_iter().map(|(k, v)| (Value::String(k), v)).collect()),
            Value::Unknown | Value::Partial(_) => None,
            Value::Null => {
                self.error(span, "cannot iterate over a null value");
                None
            }
            other => {
                self.error(
                    span,
                    format!("cannot iterate over a value of type {}", other.type_name()),
                );
                None
            }
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
        let mut obj: BTreeMap<String, Value> = BTreeMap::new();
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
                                    match obj.entry(key) {
                                        std::collections::btree_map::Entry::Vacant(v) => {
                                            v.insert(val);
                                        }
                                        std::collections::btree_map::Entry::Occupied(o) => {
                                            let msg = format!("duplicate key {:?} in for expression: add ... after the value to group them", o.key());
                                            self.error(ke.span(), msg);
                                            unknown = true;
                                        }
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

    /// `indent`: the indentation an indented heredoc (`<<-`) removes. The parser removes it
    /// from the heredoc's own lines only; lines inside directives are dedented here.
    fn template(&mut self, t: &Template, indent: Option<usize>) -> Value {
        // A template that is one interpolation yields the value itself, not its string form.
        let elements: Vec<&Element> = t.iter().collect();
        if let [Element::Interpolation(i)] = elements.as_slice() {
            return self.eval(&i.expr);
        }
        match self.render(t, false, false, indent, false) {
            Some(s) => Value::String(s),
            None => Value::Unknown,
        }
    }

    /// Renders a template; `strip_lead`/`strip_trail` trim the whitespace that a `~` marker on
    /// an enclosing directive asks for. `None` when the result is unknown.
    ///
    /// Strip markers follow HCL's scanner, whose literal tokens end at each newline: a marker
    /// strips whitespace from the adjacent line only, and a line whose newline was stripped
    /// is no longer dedented.
    fn render(
        &mut self,
        t: &Template,
        strip_lead: bool,
        strip_trail: bool,
        indent: Option<usize>,
        nested: bool,
    ) -> Option<String> {
        let elements: Vec<&Element> = t.iter().collect();
        let mut out = String::new();
        let mut unknown = false;
        let starts = |s: &Strip| matches!(s, Strip::Start | Strip::Both);
        let ends = |s: &Strip| matches!(s, Strip::End | Strip::Both);
        // The strip markers that face each element's neighbours.
        let lead_strip = |e: &Element| match e {
            Element::Interpolation(i) => starts(&i.strip),
            Element::Directive(d) => match d.as_ref() {
                Directive::If(d) => starts(&d.if_expr.strip),
                Directive::For(d) => starts(&d.for_expr.strip),
            },
            Element::Literal(_) => false,
        };
        let trail_strip = |e: &Element| match e {
            Element::Interpolation(i) => ends(&i.strip),
            Element::Directive(d) => match d.as_ref() {
                Directive::If(d) => ends(&d.endif_expr.strip),
                Directive::For(d) => ends(&d.endfor_expr.strip),
            },
            Element::Literal(_) => false,
        };
        for (idx, e) in elements.iter().enumerate() {
            match e {
                Element::Literal(s) => {
                    let mut s: &str = s.value();
                    let first = idx == 0;
                    let last = idx + 1 == elements.len();
                    if (first && strip_lead) || (!first && trail_strip(elements[idx - 1])) {
                        s = strip_first_line(s);
                    }
                    if (last && strip_trail) || (!last && lead_strip(elements[idx + 1])) {
                        s = strip_last_line(s);
                    }
                    match (nested, indent) {
                        (true, Some(n)) => out.push_str(&dedent_after_newlines(s, n)),
                        _ => out.push_str(s),
                    }
                }
                Element::Interpolation(i) => {
                    let v = self.eval(&i.expr);
                    match v.to_tf_string() {
                        Ok(Some(s)) => out.push_str(&s),
                        Ok(None) => unknown = true,
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
                            Ok(Some(true)) => {
                                let trail = match &d.else_expr {
                                    Some(e) => starts(&e.strip),
                                    None => starts(&d.endif_expr.strip),
                                };
                                match self.render(
                                    &d.if_expr.template,
                                    ends(&d.if_expr.strip),
                                    trail,
                                    indent,
                                    true,
                                ) {
                                    Some(s) => out.push_str(&s),
                                    None => unknown = true,
                                }
                            }
                            Ok(Some(false)) => {
                                if let Some(e) = &d.else_expr {
                                    match self.render(
                                        &e.template,
                                        ends(&e.strip),
                                        starts(&d.endif_expr.strip),
                                        indent,
                                        true,
                                    ) {
                                        Some(s) => out.push_str(&s),
                                        None => unknown = true,
                                    }
                                }
                            }
                            Ok(None) => unknown = true,
                            Err(m) => {
                                self.error(
                                    d.if_expr.cond_expr.span(),
                                    format!("invalid if condition: {m}"),
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
                                    match self.render(
                                        &f.template,
                                        ends(&f.strip),
                                        starts(&d.endfor_expr.strip),
                                        indent,
                                        true,
                                    ) {
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

/// Strips the whitespace a `~}` marker removes: the rest of its line, newline included.
fn strip_first_line(s: &str) -> &str {
    let t = s.trim_start_matches([' ', '\t']);
    t.strip_prefix("\r\n")
        .or_else(|| t.strip_prefix('\n'))
        .unwrap_or(t)
}

/// Strips the whitespace a `${~`/`%{~` marker removes: the end of the preceding line token.
fn strip_last_line(s: &str) -> &str {
    let t = s.trim_end_matches([' ', '\t']);
    if t.len() < s.len() {
        // Spaces after the last newline form their own token.
        return t;
    }
    // The literal ends with a newline: that line's token is stripped, up to the line before.
    let body = s
        .strip_suffix('\n')
        .map(|b| b.strip_suffix('\r').unwrap_or(b));
    match body {
        Some(b) => b.trim_end_matches([' ', '\t']),
        None => s,
    }
}

/// Removes up to `n` leading spaces from every line that starts inside `s`.
fn dedent_after_newlines(s: &str, n: usize) -> String {
    let mut out = String::with_capacity(s.len());
    let mut parts = s.split('\n');
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    for line in parts {
        out.push('\n');
        let spaces = line
            .chars()
            .take(n)
            .take_while(|c| *c == ' ' || *c == '\t')
            .count();
        out.push_str(&line[spaces..]);
    }
    out
}

/// Terraform's `==`: same type and same value (a number never equals a string).
fn tf_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y,
        (Value::List(x), Value::List(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| tf_equal(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((ka, a), (kb, b))| ka == kb && tf_equal(a, b))
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
}
