//! `import` blocks: their target addresses and IDs, one per `for_each` element, in the
//! module instance that declares them (Terraform 1.16 accepts them in child modules, with
//! addresses relative to the module).
//!
//! Owns only the evaluation of import blocks; whether an import is planned is reconcile's.

use hcl_edit::expr::{Expression, TraversalOperator};

use super::super::eval::{Evaluator, ModuleValues};
use super::super::parse::ModuleConfig;
use super::super::value::Value;
use super::super::ImportTarget;
use super::meta::{self, Expansion, Meta};
use super::{Ctx, Output};
use crate::addr::{InstanceKey, Mode, ModuleInstance, Resource, ResourceInstance};

/// Evaluates the import blocks of one module instance.
pub fn evaluate(
    out: &mut Output,
    ctx: &Ctx,
    cfg: &ModuleConfig,
    inst: &ModuleInstance,
    values: &ModuleValues,
    path_module: &str,
) {
    for ib in &cfg.imports {
        let expansion = match &ib.for_each {
            Some(fe) => {
                let scope = ctx.scope(values, path_module, None, None);
                let mut ev = Evaluator::new(&scope, &fe.file, &mut out.diags);
                let v = ev.eval(&fe.expr);
                let sensitive = ev.tainted;
                // An import's for_each may also be a list (of objects, say), keyed by index.
                let v = match v {
                    Value::Set(l) => Value::Object(
                        l.into_iter()
                            .map(|v| (v.to_tf_string().ok().flatten().unwrap_or_default(), v))
                            .collect(),
                    ),
                    Value::List(l) => Value::Object(
                        l.into_iter()
                            .enumerate()
                            .map(|(i, x)| (i.to_string(), x))
                            .collect(),
                    ),
                    other => other,
                };
                meta::expansion(
                    Meta {
                        count: None,
                        for_each: Some((v, fe)),
                        enabled: None,
                        for_each_sensitive: sensitive,
                    },
                    &mut out.diags,
                )
            }
            None => Expansion::Single,
        };
        if let Expansion::Unknown(reason) = &expansion {
            out.imports.push(ImportTarget {
                to: None,
                to_text: ib.to.clone(),
                id: Value::Unknown,
                provider: ib.provider.clone(),
                pos: ib.snippet.pos.clone(),
                reason: Some(reason.clone()),
            });
            continue;
        }
        for (_, _, each) in expansion.keys() {
            let scope = ctx.scope(values, path_module, None, each);
            let file = ib.id.as_ref().map_or(&ib.file, |e| &e.file);
            let mut ev = Evaluator::new(&scope, file, &mut out.diags);
            let id = ib.id.as_ref().map_or(Value::Unknown, |e| ev.eval(&e.expr));
            let to = eval_address(&mut ev, &ib.to_expr).map(|mut a| {
                let mut module = inst.clone();
                module.0.extend(a.module.0);
                a.module = module;
                a
            });
            out.imports.push(ImportTarget {
                to,
                to_text: ib.to.clone(),
                id,
                provider: ib.provider.clone(),
                pos: ib.snippet.pos.clone(),
                reason: None,
            });
        }
    }
}

/// Evaluates an address expression such as `module.a["x"].aws_s3_bucket.b[each.key]`.
fn eval_address(ev: &mut Evaluator<'_, '_>, e: &Expression) -> Option<ResourceInstance> {
    let (root, ops): (&str, Vec<&TraversalOperator>) = match e {
        Expression::Traversal(t) => match &t.expr {
            Expression::Variable(v) => (
                v.value().as_str(),
                t.operators.iter().map(|o| o.value()).collect(),
            ),
            _ => return None,
        },
        _ => return None,
    };
    let mut names: Vec<String> = vec![root.to_string()];
    let mut keys: Vec<InstanceKey> = vec![InstanceKey::None];
    for op in ops {
        match op {
            TraversalOperator::GetAttr(a) => {
                names.push(a.value().to_string());
                keys.push(InstanceKey::None);
            }
            TraversalOperator::Index(ie) => {
                let k = match ev.eval(ie) {
                    Value::Number(n) if n.to_i64().is_some() => {
                        InstanceKey::Int(n.to_i64().unwrap_or(0))
                    }
                    Value::String(s) => InstanceKey::Str(s),
                    _ => return None,
                };
                *keys.last_mut()? = k;
            }
            TraversalOperator::LegacyIndex(n) => {
                *keys.last_mut()? = InstanceKey::Int(*n.value() as i64)
            }
            _ => return None,
        }
    }
    let mut module = ModuleInstance::root();
    let mut i = 0;
    while names.get(i).is_some_and(|n| n == "module") {
        module = module.child(names.get(i + 1)?.clone(), keys.get(i + 1)?.clone());
        i += 2;
    }
    let (mode, t, n, k) = if names.get(i).is_some_and(|n| n == "data") {
        (
            Mode::Data,
            names.get(i + 1)?,
            names.get(i + 2)?,
            keys.get(i + 2)?,
        )
    } else {
        (
            Mode::Managed,
            names.get(i)?,
            names.get(i + 1)?,
            keys.get(i + 1)?,
        )
    };
    Some(ResourceInstance {
        module,
        resource: Resource {
            mode,
            type_name: t.clone(),
            name: n.clone(),
        },
        key: k.clone(),
    })
}
