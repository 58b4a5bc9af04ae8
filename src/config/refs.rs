//! Static reference analysis: which named values an expression or a block body refers to,
//! found without evaluating anything. Owns only that; the expander turns references into
//! evaluation order and graph edges.

use hcl_edit::expr::{Expression, ObjectKey, TraversalOperator};
use hcl_edit::structure::Body;
use hcl_edit::template::{Directive, Element, Template};

use crate::addr::{InstanceKey, Mode};

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RefTarget {
    Var(String),
    Local(String),
    Resource {
        mode: Mode,
        type_name: String,
        name: String,
        key: Option<InstanceKey>,
    },
    /// `ephemeral.TYPE.NAME`.
    Ephemeral {
        type_name: String,
        name: String,
    },
    Module {
        name: String,
        key: Option<InstanceKey>,
        output: Option<String>,
    },
}

/// A reference and how it was written (`local.names`, `aws_instance.web`), for messages and
/// graph edges.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ref {
    pub target: RefTarget,
    pub text: String,
}

/// Blocks whose content never feeds a resource's value or ordering here.
pub const SKIPPED_BLOCKS: &[&str] = &[
    "lifecycle",
    "provisioner",
    "connection",
    "precondition",
    "postcondition",
];

pub fn in_expr(e: &Expression, out: &mut Vec<Ref>) {
    Walker {
        bound: Vec::new(),
        out,
    }
    .expr(e);
}

/// References in a block body; `skip` names top-level attributes to leave out.
pub fn in_body(b: &Body, skip: &[&str], out: &mut Vec<Ref>) {
    Walker {
        bound: Vec::new(),
        out,
    }
    .body(b, skip);
}

struct Walker<'o> {
    bound: Vec<String>,
    out: &'o mut Vec<Ref>,
}

fn literal_key(e: &Expression) -> Option<InstanceKey> {
    match e {
        Expression::Number(n) => n.value().as_i64().map(InstanceKey::Int),
        Expression::String(s) => Some(InstanceKey::Str(s.value().clone())),
        _ => None,
    }
}

impl Walker<'_> {
    fn body(&mut self, b: &Body, skip: &[&str]) {
        for a in b.attributes() {
            if !skip.contains(&a.key.value().as_str()) {
                self.expr(&a.value);
            }
        }
        for blk in b.blocks() {
            let ident = blk.ident.value().as_str();
            if SKIPPED_BLOCKS.contains(&ident) {
                continue;
            }
            if ident == "dynamic" {
                let iter = blk
                    .body
                    .get_attribute("iterator")
                    .and_then(|a| a.value.as_variable().map(|v| v.to_string()))
                    .or_else(|| blk.labels.first().map(|l| l.as_str().to_string()))
                    .unwrap_or_default();
                if let Some(fe) = blk.body.get_attribute("for_each") {
                    self.expr(&fe.value);
                }
                self.bound.push(iter);
                for content in blk.body.get_blocks("content") {
                    self.body(&content.body, &[]);
                }
                self.bound.pop();
            } else {
                self.body(&blk.body, &[]);
            }
        }
    }

    fn template(&mut self, t: &Template) {
        for el in t.iter() {
            match el {
                Element::Literal(_) => {}
                Element::Interpolation(i) => self.expr(&i.expr),
                Element::Directive(d) => match d.as_ref() {
                    Directive::If(d) => {
                        self.expr(&d.if_expr.cond_expr);
                        self.template(&d.if_expr.template);
                        if let Some(e) = &d.else_expr {
                            self.template(&e.template);
                        }
                    }
                    Directive::For(d) => {
                        self.expr(&d.for_expr.collection_expr);
                        let n = self.bound.len();
                        if let Some(k) = &d.for_expr.key_var {
                            self.bound.push(k.value().to_string());
                        }
                        self.bound.push(d.for_expr.value_var.value().to_string());
                        self.template(&d.for_expr.template);
                        self.bound.truncate(n);
                    }
                },
            }
        }
    }

    fn traversal(&mut self, root: &str, ops: &[&TraversalOperator], text: String) {
        if self.bound.iter().any(|b| b == root) {
            return;
        }
        let attr = |i: usize| match ops.get(i) {
            Some(TraversalOperator::GetAttr(a)) => Some(a.value().to_string()),
            _ => None,
        };
        let key = |i: usize| match ops.get(i) {
            Some(TraversalOperator::Index(e)) => literal_key(e),
            Some(TraversalOperator::LegacyIndex(n)) => Some(InstanceKey::Int(*n.value() as i64)),
            _ => None,
        };
        let target = match root {
            "var" => attr(0).map(RefTarget::Var),
            "local" => attr(0).map(RefTarget::Local),
            "module" => attr(0).map(|name| RefTarget::Module {
                name,
                key: key(1),
                output: attr(1).or_else(|| attr(2)),
            }),
            "data" => match (attr(0), attr(1)) {
                (Some(t), Some(n)) => Some(RefTarget::Resource {
                    mode: Mode::Data,
                    type_name: t,
                    name: n,
                    key: key(2),
                }),
                _ => None,
            },
            "ephemeral" => match (attr(0), attr(1)) {
                (Some(type_name), Some(name)) => Some(RefTarget::Ephemeral { type_name, name }),
                _ => None,
            },
            "count" | "each" | "path" | "terraform" | "self" => None,
            t => attr(0).map(|n| RefTarget::Resource {
                mode: Mode::Managed,
                type_name: t.to_string(),
                name: n,
                key: key(1),
            }),
        };
        if let Some(target) = target {
            self.out.push(Ref { target, text });
        }
    }

    fn expr(&mut self, e: &Expression) {
        match e {
            Expression::Null(_)
            | Expression::Bool(_)
            | Expression::Number(_)
            | Expression::String(_) => {}
            Expression::Array(a) => a.iter().for_each(|x| self.expr(x)),
            Expression::Object(o) => {
                for (k, v) in o.iter() {
                    if let ObjectKey::Expression(k) = k {
                        // A bare name as a key is a literal, not a reference.
                        if !matches!(k, Expression::Variable(_)) {
                            self.expr(k);
                        }
                    }
                    self.expr(v.expr());
                }
            }
            Expression::StringTemplate(t) => self.template(t),
            Expression::HeredocTemplate(h) => self.template(&h.template),
            Expression::Parenthesis(p) => self.expr(p.inner()),
            Expression::Variable(v) => {
                self.traversal(v.value().as_str(), &[], v.value().to_string())
            }
            Expression::Traversal(t) => {
                let ops: Vec<&TraversalOperator> = t.operators.iter().map(|o| o.value()).collect();
                for op in &ops {
                    if let TraversalOperator::Index(i) = op {
                        self.expr(i);
                    }
                }
                match &t.expr {
                    Expression::Variable(v) => {
                        let root = v.value().as_str();
                        let text = super::parse::traversal_text(e).unwrap_or_else(|| {
                            // Keep the referring part only: the root and its leading names.
                            let mut s = root.to_string();
                            for op in &ops {
                                match op {
                                    TraversalOperator::GetAttr(a) => {
                                        s.push('.');
                                        s.push_str(a.value().as_str());
                                    }
                                    _ => break,
                                }
                            }
                            s
                        });
                        self.traversal(root, &ops, text);
                    }
                    other => self.expr(other),
                }
            }
            Expression::Conditional(c) => {
                self.expr(&c.cond_expr);
                self.expr(&c.true_expr);
                self.expr(&c.false_expr);
            }
            Expression::FuncCall(f) => f.args.iter().for_each(|a| self.expr(a)),
            Expression::UnaryOp(u) => self.expr(&u.expr),
            Expression::BinaryOp(b) => {
                self.expr(&b.lhs_expr);
                self.expr(&b.rhs_expr);
            }
            Expression::ForExpr(f) => {
                self.expr(&f.intro.collection_expr);
                let n = self.bound.len();
                if let Some(k) = &f.intro.key_var {
                    self.bound.push(k.value().to_string());
                }
                self.bound.push(f.intro.value_var.value().to_string());
                if let Some(k) = &f.key_expr {
                    self.expr(k);
                }
                self.expr(&f.value_expr);
                if let Some(c) = &f.cond {
                    self.expr(&c.expr);
                }
                self.bound.truncate(n);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_references_but_not_iteration_variables() {
        let body = hcl_edit::parser::parse_body(
            "x = [for s in var.subnets : aws_subnet.main[s].id if local.on]\ny = module.net.ids\nz = data.aws_ami.u.id\n",
        )
        .unwrap();
        let mut refs = Vec::new();
        in_body(&body, &[], &mut refs);
        let texts: Vec<_> = refs.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "var.subnets",
                "aws_subnet.main",
                "local.on",
                "module.net.ids",
                "data.aws_ami.u.id"
            ]
        );
        assert!(matches!(
            &refs[1].target,
            RefTarget::Resource { key: None, .. }
        ));
    }
}
