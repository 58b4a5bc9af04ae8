//! Terraform's built-in function library over known `hcl::Value`s, with Terraform's exact
//! results and errors (proved against real Terraform by `tests/it/funcs.rs`).
//!
//! This module owns function semantics only. It must not evaluate configuration expressions
//! (the evaluator in `config` does, and handles unknown values, `try` and `can`) and never
//! prints. The one place it evaluates is `templatefile`, whose template sees these same
//! functions.
//!
//! Values follow Terraform's conventions mapped onto `hcl::Value`: sets are sorted,
//! de-duplicated arrays (strings lexically, numbers numerically, nulls last); strings are
//! kept in Unicode NFC as Terraform keeps them; numbers are `hcl::Number`, so results
//! needing more than 64-bit float precision differ from Terraform's 512-bit arithmetic in
//! the last digits.
//!
//! For the evaluator:
//! * [`call`] with known arguments; [`is_known_function`] to tell a Terraform function
//!   from a typo ([`FuncError::UnknownFunction`]).
//! * [`is_impure`] functions (`timestamp`, `uuid`, `bcrypt`, `plantimestamp`) and the
//!   [`FuncError::Unsupported`] ones (`base64gzip`, `rsadecrypt`, `templatestring`,
//!   `issensitive`, `ephemeralasnull`, exotic text encodings) have unknown results.
//! * `sensitive` and `nonsensitive` return their argument: marks live in the evaluator.
//! * [`declare_all`] + [`with_context`] + [`from_eval_error`] run the functions inside an
//!   hcl-rs evaluation; [`evaluate_str`] and [`evaluate_template`] do all three.

mod collections;
mod convert;
mod datetime;
mod encoding;
mod filesystem;
mod format;
mod network;
mod numeric;
mod strings;
mod value;

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use hcl::eval::{Context, Evaluate, FuncArgs, FuncDef, ParamType};
use hcl::Value;

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
const UNSUPPORTED: &[&str] = &[
    "base64gzip",
    "ephemeralasnull",
    "issensitive",
    "rsadecrypt",
    "templatestring",
];

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

/// Calls a Terraform function with known argument values.
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
    // Terraform's strings are NFC from the moment they exist, literals included.
    let normalized: Vec<Value>;
    let args = if args.iter().all(is_nfc_value) {
        args
    } else {
        normalized = args.iter().cloned().map(nfc).collect();
        &normalized
    };
    imp(args, ctx).map(nfc).map_err(|fail| match fail {
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
        Value::Array(items) => items.iter().all(is_nfc_value),
        Value::Object(obj) => obj.iter().all(|(k, v)| quick(k) && is_nfc_value(v)),
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
        Value::Array(items) => Value::Array(items.into_iter().map(nfc).collect()),
        Value::Object(obj) => {
            Value::Object(obj.into_iter().map(|(k, v)| (norm(k), nfc(v))).collect())
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

// ---- evaluation through hcl-rs, for templatefile and for whole expressions.

/// Orders object attributes by name, recursively: Terraform's objects and maps have no
/// other order, and `for` loops in templates iterate in it.
pub(crate) fn sorted_value(v: &Value) -> Value {
    match v {
        Value::Array(items) => Value::Array(items.iter().map(sorted_value).collect()),
        Value::Object(obj) => {
            let mut out: hcl::Map<String, Value> = obj
                .iter()
                .map(|(k, v)| (k.clone(), sorted_value(v)))
                .collect();
            out.sort_keys();
            Value::Object(out)
        }
        other => other.clone(),
    }
}

thread_local! {
    /// The context of the evaluation under way on this thread: hcl-rs functions are plain
    /// `fn` pointers and cannot capture it.
    static CURRENT: RefCell<Vec<FuncContext>> = const { RefCell::new(Vec::new()) };
    /// The typed error of the last failed call, recovered after hcl-rs reports it as text.
    static LAST_ERROR: RefCell<Option<FuncError>> = const { RefCell::new(None) };
}

fn dispatch(name: &str, args: FuncArgs) -> Result<Value, String> {
    let ctx = CURRENT
        .with(|c| c.borrow().last().cloned())
        .unwrap_or(FuncContext {
            base_dir: PathBuf::from("."),
        });
    call(name, &args.into_values(), &ctx).map_err(|err| {
        let text = err.to_string();
        LAST_ERROR.with(|e| *e.borrow_mut() = Some(err));
        text
    })
}

macro_rules! trampolines {
    ($($name:ident)*) => {
        fn trampoline(name: &str) -> Option<hcl::eval::Func> {
            match name {
                $(stringify!($name) => {
                    fn t(args: FuncArgs) -> Result<Value, String> {
                        dispatch(stringify!($name), args)
                    }
                    Some(t)
                })*
                _ => None,
            }
        }
    };
}

trampolines! {
    format formatlist join split replace lower upper title trimspace trim trimprefix trimsuffix
    substr regex regexall startswith endswith strcontains strrev chomp indent
    concat merge lookup element length keys values flatten distinct contains coalesce
    coalescelist compact zipmap setproduct setunion setintersection setsubtract slice range
    index one reverse sort chunklist transpose alltrue anytrue matchkeys sum
    toset tolist tomap tostring tonumber tobool sensitive nonsensitive
    abs ceil floor pow log signum min max parseint
    jsonencode jsondecode yamlencode yamldecode base64encode base64decode urlencode md5 sha1
    sha256 sha512 base64sha256 base64sha512 uuidv5 textencodebase64 textdecodebase64
    file fileexists filebase64 filemd5 filesha1 filesha256 filesha512 templatefile abspath
    fileset pathexpand filebase64sha256 filebase64sha512
    basename dirname
    cidrsubnet cidrhost cidrnetmask cidrsubnets
    formatdate timeadd timecmp
    timestamp plantimestamp uuid bcrypt
}

/// Declares every function in an hcl-rs evaluation context. Calls made through it use the
/// [`FuncContext`] of the innermost [`evaluate_str`] / [`evaluate_template`] under way.
pub fn declare_all(ctx: &mut Context<'_>) {
    for spec in SPECS {
        if let Some(func) = trampoline(spec.name) {
            // Arity and types are checked by `call`, with Terraform's messages.
            let def = FuncDef::builder()
                .variadic_param(ParamType::Any)
                .build(func);
            ctx.declare_func(spec.name, def);
        }
    }
}

pub(crate) struct Scope;

impl Scope {
    pub(crate) fn enter(ctx: &FuncContext) -> Scope {
        CURRENT.with(|c| c.borrow_mut().push(ctx.clone()));
        LAST_ERROR.with(|e| *e.borrow_mut() = None);
        Scope
    }
}

impl Drop for Scope {
    fn drop(&mut self) {
        CURRENT.with(|c| c.borrow_mut().pop());
    }
}

pub(crate) fn eval_error(err: hcl::eval::Error) -> FuncError {
    if let hcl::eval::ErrorKind::FuncCall(_, _) = err.kind() {
        if let Some(e) = LAST_ERROR.with(|e| e.borrow_mut().take()) {
            return e;
        }
    }
    if let hcl::eval::ErrorKind::UndefinedFunc(name) = err.kind() {
        let name = name.to_string();
        if UNSUPPORTED.contains(&name.as_str()) {
            return FuncError::Unsupported(name);
        }
        return FuncError::UnknownFunction(name);
    }
    FuncError::Expression(err.to_string())
}

/// Runs `f` (typically an hcl-rs evaluation with a context prepared by [`declare_all`]) with
/// `ctx` as the context of the functions it calls.
pub fn with_context<T>(ctx: &FuncContext, f: impl FnOnce() -> T) -> T {
    let _scope = Scope::enter(ctx);
    f()
}

/// The typed error behind an hcl-rs evaluation error raised by one of these functions
/// (inside [`with_context`]); other evaluation errors become [`FuncError::Expression`].
pub fn from_eval_error(err: hcl::eval::Error) -> FuncError {
    eval_error(err)
}

/// Evaluates a self-contained expression (literals, operators, function calls, `for`
/// expressions) in which `vars` are the only variables: what `terraform console` does for
/// constant expressions.
pub fn evaluate_str(
    src: &str,
    vars: &hcl::Map<String, Value>,
    ctx: &FuncContext,
) -> Result<Value, FuncError> {
    let expr: hcl::Expression = src
        .parse()
        .map_err(|e: hcl::Error| FuncError::Expression(format!("invalid expression: {e}")))?;
    let mut hctx = Context::new();
    declare_all(&mut hctx);
    for (k, v) in vars {
        hctx.declare_var(k.as_str(), sorted_value(v));
    }
    let _scope = Scope::enter(ctx);
    expr.evaluate(&hctx).map_err(eval_error)
}

/// Renders a template string with `vars`, every function available inside.
pub fn evaluate_template(
    src: &str,
    vars: &hcl::Map<String, Value>,
    ctx: &FuncContext,
) -> Result<String, FuncError> {
    let template: hcl::Template = src
        .parse()
        .map_err(|e: hcl::Error| FuncError::Expression(format!("invalid template: {e}")))?;
    let mut hctx = Context::new();
    declare_all(&mut hctx);
    for (k, v) in vars {
        hctx.declare_var(k.as_str(), sorted_value(v));
    }
    let _scope = Scope::enter(ctx);
    template.evaluate(&hctx).map_err(eval_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_function_has_a_trampoline_and_names_are_unique() {
        for spec in SPECS {
            assert!(
                trampoline(spec.name).is_some(),
                "{} has no trampoline",
                spec.name
            );
        }
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
}
