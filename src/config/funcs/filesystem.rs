//! File and path functions. Relative paths resolve against `FuncContext::base_dir`; paths
//! are cleaned lexically as Go's `filepath` does. Only reads, never writes.

use std::path::{Path, PathBuf};

use hcl::eval::{Context, Evaluate};
use hcl::Value;
use md5::Digest as _;

use super::encoding::{b64, hex};
use super::value::string;
use super::{Fail, FuncContext, FuncError};

type R = Result<Value, Fail>;

fn resolve(ctx: &FuncContext, path: &str) -> PathBuf {
    let expanded = match path.strip_prefix("~/") {
        Some(rest) => std::env::var_os("HOME")
            .map(|h| PathBuf::from(h).join(rest))
            .unwrap_or_else(|| PathBuf::from(path)),
        None => PathBuf::from(path),
    };
    if expanded.is_absolute() {
        expanded
    } else {
        ctx.base_dir.join(expanded)
    }
}

fn read(args: &[Value], ctx: &FuncContext) -> Result<(String, Vec<u8>), Fail> {
    let path = string(args, 0)?;
    let full = resolve(ctx, &path);
    match std::fs::read(&full) {
        Ok(bytes) => Ok((path, bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(Fail::arg(
            0,
            format!(
                "no file exists at \"{path}\"; this function works only with files that are \
                 distributed as part of the configuration source code, so if this file will be \
                 created by a resource in this configuration you must instead obtain this result \
                 from an attribute of that resource"
            ),
        )),
        Err(e) => Err(Fail::call(format!("failed to read file \"{path}\": {e}"))),
    }
}

fn read_text(args: &[Value], ctx: &FuncContext) -> Result<(String, String), Fail> {
    let (path, bytes) = read(args, ctx)?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Fail::call(format!(
            "contents of \"{path}\" are not valid UTF-8; use the filebase64 function to obtain \
             the Base64 encoded contents or the other file functions (e.g. filemd5, filesha256) \
             to obtain file hashing results instead"
        ))
    })?;
    Ok((path, text))
}

pub(crate) fn file(args: &[Value], ctx: &FuncContext) -> R {
    Ok(Value::String(read_text(args, ctx)?.1))
}

pub(crate) fn fileexists(args: &[Value], ctx: &FuncContext) -> R {
    let path = string(args, 0)?;
    match std::fs::metadata(resolve(ctx, &path)) {
        Ok(meta) if meta.is_file() => Ok(Value::Bool(true)),
        Ok(_) => Err(Fail::call(format!("\"{path}\" is not a regular file"))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Value::Bool(false)),
        Err(e) => Err(Fail::call(format!("failed to stat \"{path}\": {e}"))),
    }
}

pub(crate) fn filebase64(args: &[Value], ctx: &FuncContext) -> R {
    Ok(Value::String(b64(&read(args, ctx)?.1)))
}

pub(crate) fn filemd5(args: &[Value], ctx: &FuncContext) -> R {
    Ok(Value::String(hex(&md5::Md5::digest(read(args, ctx)?.1))))
}

pub(crate) fn filesha1(args: &[Value], ctx: &FuncContext) -> R {
    Ok(Value::String(hex(&sha1::Sha1::digest(read(args, ctx)?.1))))
}

pub(crate) fn filesha256(args: &[Value], ctx: &FuncContext) -> R {
    Ok(Value::String(hex(&sha2::Sha256::digest(
        read(args, ctx)?.1,
    ))))
}

pub(crate) fn filesha512(args: &[Value], ctx: &FuncContext) -> R {
    Ok(Value::String(hex(&sha2::Sha512::digest(
        read(args, ctx)?.1,
    ))))
}

/// Renders the template file with `vars` as its only variables and every function available.
pub(crate) fn templatefile(args: &[Value], ctx: &FuncContext) -> R {
    let (path, src) = read_text(args, ctx)?;
    let vars = match &args[1] {
        Value::Object(obj) => obj.clone(),
        Value::Null => return Err(Fail::arg(1, "argument must not be null")),
        _ => return Err(Fail::arg(1, "invalid vars value: must be a map")),
    };
    let template: hcl::Template = src
        .parse()
        .map_err(|e: hcl::Error| Fail::call(format!("failed to parse template {path}: {e}")))?;
    let mut hctx = Context::new();
    super::declare_all(&mut hctx);
    for (k, v) in &vars {
        hctx.declare_var(k.as_str(), super::sorted_value(v));
    }
    let _scope = super::Scope::enter(ctx);
    template.evaluate(&hctx).map(Value::String).map_err(|err| {
        if let hcl::eval::ErrorKind::UndefinedVar(name) = err.kind() {
            return Fail::arg(
                1,
                format!("vars map does not contain key \"{name}\", referenced at {path}"),
            );
        }
        match super::eval_error(err) {
            FuncError::Expression(msg) => Fail::call(format!("{path}: {msg}")),
            other => Fail::Done(other),
        }
    })
}

/// Go's `filepath.Clean`, lexically.
pub(crate) fn clean(path: &str) -> String {
    if path.is_empty() {
        return ".".into();
    }
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}

pub(crate) fn abspath(args: &[Value], ctx: &FuncContext) -> R {
    let path = string(args, 0)?;
    let full = if Path::new(&path).is_absolute() {
        PathBuf::from(&path)
    } else {
        let base = if ctx.base_dir.is_absolute() {
            ctx.base_dir.clone()
        } else {
            std::env::current_dir()
                .map_err(|e| Fail::call(format!("cannot find the working directory: {e}")))?
                .join(&ctx.base_dir)
        };
        base.join(&path)
    };
    Ok(Value::String(clean(&full.to_string_lossy())))
}

pub(crate) fn basename(args: &[Value], _: &FuncContext) -> R {
    let path = string(args, 0)?;
    if path.is_empty() {
        return Ok(Value::String(".".into()));
    }
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return Ok(Value::String("/".into()));
    }
    let base = trimmed.rsplit('/').next().unwrap_or(trimmed);
    Ok(Value::String(base.to_string()))
}

pub(crate) fn dirname(args: &[Value], _: &FuncContext) -> R {
    let path = string(args, 0)?;
    let dir = match path.rfind('/') {
        Some(i) => clean(&path[..=i]),
        None => ".".into(),
    };
    Ok(Value::String(dir))
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn clean_matches_go() {
        assert_eq!(clean("/x/y/../z"), "/x/z");
        assert_eq!(clean("a/../../b"), "../b");
        assert_eq!(clean("/../a"), "/a");
        assert_eq!(clean("a//b/./"), "a/b");
    }
}
