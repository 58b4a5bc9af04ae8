//! The template functions' common part: `templatestring`, and the rendering behind
//! `templatefile`. Templates are rendered by the configuration evaluator, so they see every
//! function, `try` and `can` included.
//!
//! Owns the checks Terraform makes before rendering (the vars map, its names, every variable
//! the template refers to) and the wording of template errors. It never reads files and
//! never lets a template render another template, as Terraform forbids.

use crate::config::value::Map;
use std::cell::Cell;

use crate::config::eval::{render_template, TemplateError};
use crate::config::value::Value;

use super::value::string;
use super::{Fail, FuncContext};

type R = Result<Value, Fail>;

thread_local! {
    /// How many templates are rendering on this thread: templates may not render templates.
    static DEPTH: Cell<usize> = const { Cell::new(0) };
}

struct Rendering;

impl Rendering {
    fn enter() -> Rendering {
        DEPTH.with(|d| d.set(d.get() + 1));
        Rendering
    }
}

impl Drop for Rendering {
    fn drop(&mut self) {
        DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
    }
}

/// Whether a template is rendering on this thread.
pub(crate) fn in_template() -> bool {
    DEPTH.with(|d| d.get() > 0)
}

/// Terraform's refusal of `templatefile` and `templatestring` inside a template.
pub(crate) fn check_not_nested(function: &str) -> Result<(), Fail> {
    if in_template() {
        return Err(Fail::call(format!(
            "cannot recursively call {function} from inside another template function"
        )));
    }
    Ok(())
}

/// What Terraform accepts as a template variable name.
fn valid_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(char::is_alphabetic)
        && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

/// Renders `src` (named `label` in messages) with the vars argument `vars` (argument 1).
pub(crate) fn render(src: &str, label: &str, vars: &Value, ctx: &FuncContext) -> R {
    let vars: Map<Value> = match vars {
        Value::Object(obj) => obj.clone(),
        Value::Null => return Err(Fail::arg(1, "argument must not be null")),
        _ => return Err(Fail::arg(1, "invalid vars value: must be a map")),
    };
    if let Some(bad) = vars.keys().find(|k| !valid_identifier(k)) {
        return Err(Fail::arg(
            1,
            format!(
                "invalid template variable name \"{bad}\": must start with a letter, followed by \
                 zero or more letters, digits, and underscores"
            ),
        ));
    }
    let _rendering = Rendering::enter();
    match render_template(src, label, &vars, ctx) {
        Ok(Value::Unknown) => Ok(Value::Unknown),
        Ok(v) => match v.to_tf_string() {
            Ok(Some(s)) => Ok(Value::String(s)),
            Ok(None) => Ok(Value::Unknown),
            Err(t) => Err(Fail::call(format!(
                "{label}: the template renders a value of type {t}, which is not a string"
            ))),
        },
        Err(TemplateError::Parse(msg)) => Err(Fail::call(format!(
            "failed to parse template {label}: {msg}"
        ))),
        Err(TemplateError::MissingVar { name, at }) => Err(Fail::arg(
            1,
            format!("vars map does not contain key \"{name}\", referenced at {label}:{at}"),
        )),
        Err(TemplateError::Eval { at, message }) => Err(Fail::call(format!(
            "{label}:{at}: {}",
            // Terraform joins a nested diagnostic's summary and detail with "; ".
            message.replacen(": ", "; ", 1)
        ))),
    }
}

/// `templatestring(template, vars)`. That the template is a direct reference, as Terraform
/// requires, is checked by the evaluator, which sees the argument's expression.
pub(crate) fn templatestring(args: &[Value], ctx: &FuncContext) -> R {
    check_not_nested("templatestring")?;
    let src = string(args, 0)?;
    render(&src, "<templatestring argument>", &args[1], ctx)
}
