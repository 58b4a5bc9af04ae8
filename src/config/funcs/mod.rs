//! Terraform's built-in function library over the evaluator's values, with Terraform's
//! exact results and errors (proved against real Terraform by `tests/it/funcs.rs`).
//!
//! This module owns function semantics only. It must not evaluate configuration expressions
//! (the evaluator in `config::eval` does, and handles `try` and `can`) and never prints. The
//! template functions (`templatefile`, `templatestring`) hand their templates to the
//! evaluator, so templates see every function here.
//!
//! Values follow Terraform's conventions: sets are sorted, de-duplicated `Value::Set`s
//! (strings lexically, numbers numerically, nulls last); strings are kept in Unicode NFC as
//! Terraform keeps them; numbers are cty's arbitrary-precision binary floats
//! ([`crate::config::value::Number`]).
//!
//! Unknown values never make a call fail. An argument that is itself unknown makes the result
//! unknown; a known collection with unknown elements reaches only the functions that can say
//! more about it (the length of a list, the keys of a map, `concat`, `merge`, `element`...),
//! as cty's do; every other function's result is then unknown.
//!
//! For the evaluator:
//! * [`call`] with argument values; [`is_known_function`] to tell a Terraform function
//!   from a typo ([`FuncError::UnknownFunction`]).
//! * [`is_impure`] functions (`timestamp`, `uuid`, `bcrypt`, `plantimestamp`) and the
//!   [`FuncError::Unsupported`] ones (`base64gzip`, `rsadecrypt`, `issensitive`,
//!   `ephemeralasnull`, exotic text encodings) have unknown results.
//! * `sensitive` and `nonsensitive` return their argument: marks live in the evaluator.
//! * [`evaluate_str`] evaluates a self-contained expression with the whole evaluator.

mod collections;
mod convert;
mod datetime;
mod encoding;
mod filesystem;
mod format;
mod network;
mod numeric;
mod strings;
mod template;
mod value;

use crate::config::value::Map;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use crate::config::value::Value;

/// What the functions that touch files need to know.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FuncContext {
    /// The directory relative paths resolve against (Terraform resolves them against the
    /// working directory, which is the root module's directory): `file`, `templatefile`,
    /// `fileexists`, `abspath`...
    pub base_dir: PathBuf,
}

/// Why a function call failed. Messages follow Terraform's so that users recognise them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FuncError {
    #[error("Call to unknown function: There is no function named \"{0}\".")]
    UnknownFunction(String),
    #[error(
        "Not enough function arguments: Function \"{function}\" expects {expects} argument(s). \
         Missing value for \"{missing}\"."
    )]
    NotEnoughArguments {
        function: String,
        /// "2" or "at least 1".
        expects: String,
        missing: String,
    },
    #[error(
        "Too many function arguments: Function \"{function}\" expects only {max} argument(s)."
    )]
    TooManyArguments { function: String, max: usize },
    #[error("Invalid function argument: Invalid value for \"{param}\" parameter: {message}.")]
    InvalidArgument {
        function: String,
        param: String,
        message: String,
    },
    #[error("Error in function call: Call to function \"{function}\" failed: {message}.")]
    CallFailed { function: String, message: String },
    #[error(
        "Function \"{0}\" returns a different value on every run; its value is known only \
         when Terraform applies the configuration."
    )]
    Impure(String),
    /// An expression or template given to [`evaluate_str`] or `templatefile` could not be
    /// parsed or evaluated for a reason other than a function call.
    /// A Terraform function this library does not evaluate (`base64gzip`, `rsadecrypt`,
    /// `templatestring`...): the evaluator should treat its result as unknown.
    #[error("Function \"{0}\" is a Terraform function that tfrecon does not evaluate; its result is unknown.")]
    Unsupported(String),
    #[error("{0}")]
    Expression(String),
}

/// An implementation's failure before the dispatcher names the function and parameter.
#[derive(Debug)]
pub(crate) enum Fail {
    /// The argument at this position is invalid.
    Arg(usize, String),
    /// The call failed as a whole.
    Call(String),
    /// Already a complete error (from a nested evaluation).
    Done(FuncError),
}

impl Fail {
    pub(crate) fn arg(i: usize, msg: impl Into<String>) -> Fail {
        Fail::Arg(i, msg.into())
    }
    pub(crate) fn call(msg: impl Into<String>) -> Fail {
        Fail::Call(msg.into())
    }
}

pub(crate) type Impl = fn(&[Value], &FuncContext) -> Result<Value, Fail>;

/// One function's signature as Terraform declares it: named positional parameters and an
/// optional variadic one; the names appear in error messages.
pub(crate) struct Spec {
    pub name: &'static str,
    pub params: &'static [&'static str],
    pub variadic: Option<&'static str>,
    /// `None` for impure functions, whose values the evaluator must treat as unknown.
    pub imp: Option<Impl>,
}

/// Functions that look at their arguments in order and may decide before an unknown one
/// (`coalesce("a", x)` is "a" whatever `x` is), as cty's do.
const TAKES_UNKNOWN_ARGUMENTS: &[&str] = &["coalesce"];

/// Functions whose implementations take known collections with unknown elements and say
/// what cty says about them (a length, the keys, the elements that are known); any other
/// function given an unknown anywhere in its arguments returns unknown without running.
const SEES_UNKNOWN_ELEMENTS: &[&str] = &[
    "length",
    "keys",
    "values",
    "concat",
    "merge",
    "lookup",
    "element",
    "flatten",
    "coalescelist",
    "zipmap",
    "tolist",
    "toset",
    "tomap",
    "slice",
    "reverse",
    "one",
    "sensitive",
    "nonsensitive",
];

const fn f(name: &'static str, params: &'static [&'static str], imp: Impl) -> Spec {
    Spec {
        name,
        params,
        variadic: None,
        imp: Some(imp),
    }
}

const fn v(
    name: &'static str,
    params: &'static [&'static str],
    variadic: &'static str,
    imp: Impl,
) -> Spec {
    Spec {
        name,
        params,
        variadic: Some(variadic),
        imp: Some(imp),
    }
}

const fn impure(name: &'static str, params: &'static [&'static str]) -> Spec {
    Spec {
        name,
        params,
        variadic: None,
        imp: None,
    }
}

/// Terraform functions known by name whose results tfrecon leaves unknown.
const UNSUPPORTED: &[&str] = &["base64gzip", "ephemeralasnull", "issensitive", "rsadecrypt"];

/// Every function, with Terraform's parameter names.
static SPECS: &[Spec] = &[
    // strings
    v("format", &["format"], "args", format::format),
    v("formatlist", &["format"], "args", format::formatlist),
    v("join", &["separator"], "lists", strings::join),
    f("split", &["separator", "str"], strings::split),
    f("replace", &["str", "substr", "replace"], strings::replace),
    f("lower", &["str"], strings::lower),
    f("upper", &["str"], strings::upper),
    f("title", &["str"], strings::title),
    f("trimspace", &["str"], strings::trimspace),
    f("trim", &["str", "cutset"], strings::trim),
    f("trimprefix", &["str", "prefix"], strings::trimprefix),
    f("trimsuffix", &["str", "suffix"], strings::trimsuffix),
    f("substr", &["str", "offset", "length"], strings::substr),
    f("regex", &["pattern", "string"], strings::regex),
    f("regexall", &["pattern", "string"], strings::regexall),
    f("startswith", &["str", "prefix"], strings::startswith),
    f("endswith", &["str", "suffix"], strings::endswith),
    f("strcontains", &["str", "substr"], strings::strcontains),
    f("strrev", &["str"], strings::strrev),
    f("chomp", &["str"], strings::chomp),
    f("indent", &["spaces", "str"], strings::indent),
    // collections
    v("concat", &[], "seqs", collections::concat),
    v("merge", &[], "maps", collections::merge),
    v(
        "lookup",
        &["inputMap", "key"],
        "default",
        collections::lookup,
    ),
    f("element", &["list", "index"], collections::element),
    f("length", &["value"], collections::length),
    f("keys", &["inputMap"], collections::keys),
    f("values", &["mapping"], collections::values),
    f("flatten", &["list"], collections::flatten),
    f("distinct", &["list"], collections::distinct),
    f("contains", &["list", "value"], collections::contains),
    v("coalesce", &[], "vals", collections::coalesce),
    v("coalescelist", &[], "vals", collections::coalescelist),
    f("compact", &["list"], collections::compact),
    f("zipmap", &["keys", "values"], collections::zipmap),
    v("setproduct", &[], "sets", collections::setproduct),
    v(
        "setunion",
        &["first_set"],
        "other_sets",
        collections::setunion,
    ),
    v(
        "setintersection",
        &["first_set"],
        "other_sets",
        collections::setintersection,
    ),
    f("setsubtract", &["a", "b"], collections::setsubtract),
    f(
        "slice",
        &["list", "start_index", "end_index"],
        collections::slice,
    ),
    v("range", &[], "params", collections::range),
    f("index", &["list", "value"], collections::index),
    f("one", &["list"], collections::one),
    f("reverse", &["list"], collections::reverse),
    f("sort", &["list"], collections::sort),
    f("chunklist", &["list", "size"], collections::chunklist),
    f("transpose", &["values"], collections::transpose),
    f("alltrue", &["list"], collections::alltrue),
    f("anytrue", &["list"], collections::anytrue),
    f(
        "matchkeys",
        &["values", "keys", "searchset"],
        collections::matchkeys,
    ),
    f("sum", &["list"], numeric::sum),
    // conversions
    f("toset", &["v"], convert::toset),
    f("tolist", &["v"], convert::tolist),
    f("tomap", &["v"], convert::tomap),
    f("tostring", &["v"], convert::tostring),
    f("tonumber", &["v"], convert::tonumber),
    f("tobool", &["v"], convert::tobool),
    f("sensitive", &["value"], convert::identity),
    f("nonsensitive", &["value"], convert::identity),
    // numbers
    f("abs", &["num"], numeric::abs),
    f("ceil", &["num"], numeric::ceil),
    f("floor", &["num"], numeric::floor),
    f("pow", &["num", "power"], numeric::pow),
    f("log", &["num", "base"], numeric::log),
    f("signum", &["num"], numeric::signum),
    v("min", &[], "numbers", numeric::min),
    v("max", &[], "numbers", numeric::max),
    f("parseint", &["number", "base"], numeric::parseint),
    // encodings and hashes
    f("jsonencode", &["val"], encoding::jsonencode),
    f("jsondecode", &["str"], encoding::jsondecode),
    f("yamlencode", &["value"], encoding::yamlencode),
    f("yamldecode", &["src"], encoding::yamldecode),
    f("base64encode", &["str"], encoding::base64encode),
    f("base64decode", &["str"], encoding::base64decode),
    f("urlencode", &["str"], encoding::urlencode),
    f(
        "textencodebase64",
        &["string", "encoding"],
        encoding::textencodebase64,
    ),
    f(
        "textdecodebase64",
        &["source", "encoding"],
        encoding::textdecodebase64,
    ),
    f("md5", &["str"], encoding::md5),
    f("sha1", &["str"], encoding::sha1),
    f("sha256", &["str"], encoding::sha256),
    f("sha512", &["str"], encoding::sha512),
    f("base64sha256", &["str"], encoding::base64sha256),
    f("base64sha512", &["str"], encoding::base64sha512),
    f("uuidv5", &["namespace", "name"], encoding::uuidv5),
    // files and paths
    f("file", &["path"], filesystem::file),
    f("fileexists", &["path"], filesystem::fileexists),
    f("filebase64", &["path"], filesystem::filebase64),
    f("filemd5", &["path"], filesystem::filemd5),
    f("filesha1", &["path"], filesystem::filesha1),
    f("filesha256", &["path"], filesystem::filesha256),
    f("filesha512", &["path"], filesystem::filesha512),
    f("filebase64sha256", &["path"], filesystem::filebase64sha256),
    f("filebase64sha512", &["path"], filesystem::filebase64sha512),
    f("templatefile", &["path", "vars"], filesystem::templatefile),
    f(
        "templatestring",
        &["template", "vars"],
        template::templatestring,
    ),
    f("fileset", &["path", "pattern"], filesystem::fileset),
    f("pathexpand", &["path"], filesystem::pathexpand),
    f("abspath", &["path"], filesystem::abspath),
    f("basename", &["path"], filesystem::basename),
    f("dirname", &["path"], filesystem::dirname),
    // dates and times
    f("formatdate", &["format", "time"], datetime::formatdate),
    f("timeadd", &["timestamp", "duration"], datetime::timeadd),
    f(
        "timecmp",
        &["timestamp_a", "timestamp_b"],
        datetime::timecmp,
    ),
    // networks
    f(
        "cidrsubnet",
        &["prefix", "newbits", "netnum"],
        network::cidrsubnet,
    ),
    f("cidrhost", &["prefix", "hostnum"], network::cidrhost),
    f("cidrnetmask", &["prefix"], network::cidrnetmask),
    v("cidrsubnets", &["prefix"], "newbits", network::cidrsubnets),
    // impure: known only at apply time
    impure("timestamp", &[]),
    impure("plantimestamp", &[]),
    impure("uuid", &[]),
    impure("bcrypt", &["str"]),
];

fn spec(name: &str) -> Option<&'static Spec> {
    static INDEX: OnceLock<HashMap<&'static str, &'static Spec>> = OnceLock::new();
    INDEX
        .get_or_init(|| SPECS.iter().map(|s| (s.name, s)).collect())
        .get(name)
        .copied()
}

/// Calls a Terraform function. Unknown arguments give an unknown result (see the module
/// documentation), never an error; arity is checked first, as Terraform does.
pub fn call(name: &str, args: &[Value], ctx: &FuncContext) -> Result<Value, FuncError> {
    let Some(spec) = spec(name) else {
        if UNSUPPORTED.contains(&name) {
            return Err(FuncError::Unsupported(name.to_string()));
        }
        return Err(FuncError::UnknownFunction(name.to_string()));
    };
    check_arity(spec, args.len())?;
    let imp = spec
        .imp
        .ok_or_else(|| FuncError::Impure(name.to_string()))?;
    let unknown_arg = args.iter().any(Value::is_unknown);
    let unknown_inside = args.iter().any(|a| !a.is_unknown() && a.has_unknown());
    if (unknown_arg && !TAKES_UNKNOWN_ARGUMENTS.contains(&name))
        || (unknown_inside && !SEES_UNKNOWN_ELEMENTS.contains(&name))
    {
        return Ok(Value::Unknown);
    }
    // Terraform's strings are NFC from the moment they exist, literals included.
    let normalized: Vec<Value>;
    let args = if args.iter().all(is_nfc_value) {
        args
    } else {
        normalized = args.iter().cloned().map(nfc).collect();
        &normalized
    };
    imp(args, ctx)
        .map(|v| if is_nfc_value(&v) { v } else { nfc(v) })
        .map_err(|fail| match fail {
            Fail::Arg(i, message) => FuncError::InvalidArgument {
                function: name.to_string(),
                param: spec
                    .params
                    .get(i)
                    .or(spec.variadic.as_ref())
                    .copied()
                    .unwrap_or("?")
                    .to_string(),
                message,
            },
            Fail::Call(message) => FuncError::CallFailed {
                function: name.to_string(),
                message,
            },
            Fail::Done(err) => err,
        })
}

fn is_nfc_value(v: &Value) -> bool {
    use unicode_normalization::{is_nfc_quick, IsNormalized};
    let quick = |s: &str| is_nfc_quick(s.chars()) == IsNormalized::Yes;
    match v {
        Value::String(s) => quick(s),
        Value::List(items) | Value::Set(items) => items.iter().all(is_nfc_value),
        Value::Object(obj) | Value::Partial(obj) => {
            obj.iter().all(|(k, v)| quick(k) && is_nfc_value(v))
        }
        _ => true,
    }
}

/// Terraform keeps every string in Unicode normal form C (a decomposed "e" + accent from a
/// file or a reversed string comes back composed), so results are normalised the same way.
fn nfc(v: Value) -> Value {
    use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};
    let norm = |s: String| match is_nfc_quick(s.chars()) {
        IsNormalized::Yes => s,
        _ => s.nfc().collect(),
    };
    match v {
        Value::String(s) => Value::String(norm(s)),
        Value::List(items) => Value::List(items.into_iter().map(nfc).collect()),
        Value::Set(items) => Value::Set(crate::config::value::make_set(
            items.into_iter().map(nfc).collect(),
        )),
        Value::Object(obj) => {
            Value::Object(obj.into_iter().map(|(k, v)| (norm(k), nfc(v))).collect())
        }
        Value::Partial(obj) => {
            Value::Partial(obj.into_iter().map(|(k, v)| (norm(k), nfc(v))).collect())
        }
        other => other,
    }
}

fn check_arity(spec: &Spec, got: usize) -> Result<(), FuncError> {
    let want = spec.params.len();
    if got < want {
        return Err(FuncError::NotEnoughArguments {
            function: spec.name.to_string(),
            expects: if spec.variadic.is_some() {
                format!("at least {want}")
            } else {
                want.to_string()
            },
            missing: spec.params[got].to_string(),
        });
    }
    if spec.variadic.is_none() && got > want {
        return Err(FuncError::TooManyArguments {
            function: spec.name.to_string(),
            max: want,
        });
    }
    Ok(())
}

/// Whether Terraform has a built-in function of this name (including the few that
/// [`call`] answers with [`FuncError::Unsupported`]).
pub fn is_known_function(name: &str) -> bool {
    spec(name).is_some() || UNSUPPORTED.contains(&name)
}

/// Whether the function's result changes from run to run (`timestamp`, `uuid`, `bcrypt`,
/// `plantimestamp`): the evaluator treats its result as unknown and never calls it.
pub fn is_impure(name: &str) -> bool {
    spec(name).is_some_and(|s| s.imp.is_none())
}

/// Every function name [`is_known_function`] accepts, sorted.
pub fn names() -> &'static [&'static str] {
    static NAMES: OnceLock<Vec<&'static str>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let mut n: Vec<&'static str> = SPECS.iter().map(|s| s.name).collect();
        n.extend_from_slice(UNSUPPORTED);
        n.sort_unstable();
        n
    })
}

pub(crate) use template::in_template;

/// The taken result of a conditional converted to the type it has in common with the other
/// result (`true ? 1 : "a"` is `"1"`); `None` when they have none.
pub(crate) fn unify_pair(taken: &Value, other: &Value) -> Option<Value> {
    value::unify(&[taken.clone(), other.clone()]).and_then(|v| v.into_iter().next())
}

/// Evaluates a self-contained expression (literals, operators, function calls, `for`
/// expressions) in which `vars` are the only variables, with the configuration evaluator:
/// what `terraform console` does for constant expressions. An unknown result is `Ok`.
pub fn evaluate_str(src: &str, vars: &Map<Value>, ctx: &FuncContext) -> Result<Value, FuncError> {
    crate::config::eval::evaluate_standalone(src, vars, ctx).map_err(FuncError::Expression)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique() {
        let mut n = names().to_vec();
        n.dedup();
        assert_eq!(n.len(), SPECS.len() + UNSUPPORTED.len());
    }

    #[test]
    fn impure_functions_are_known_but_not_callable() {
        assert!(is_known_function("timestamp"));
        assert!(is_impure("uuid"));
        assert!(!is_impure("uuidv5"));
        let ctx = FuncContext {
            base_dir: ".".into(),
        };
        assert!(matches!(
            call("timestamp", &[], &ctx),
            Err(FuncError::Impure(_))
        ));
        assert!(matches!(
            call("nope", &[], &ctx),
            Err(FuncError::UnknownFunction(_))
        ));
    }

    #[test]
    fn unknowns_among_objects_and_tuples_unify_without_panicking() {
        use crate::config::Value;
        let ctx = FuncContext {
            base_dir: ".".into(),
        };
        let obj = Value::Object([("k0".to_string(), Value::int(3))].into_iter().collect());
        for args in [
            vec![Value::Unknown, obj.clone()],
            vec![obj.clone(), Value::Unknown, obj.clone()],
            vec![Value::Unknown, Value::List(vec![Value::int(1)])],
        ] {
            // Unknown in, unknown (or the first known) out; never a panic.
            let _ = call("coalesce", &args, &ctx);
            let _ = call("concat", &args, &ctx);
        }
    }
}
