//! File and path functions. Relative paths resolve against `FuncContext::base_dir`; paths
//! are cleaned lexically as Go's `filepath` does. Only reads, never writes.

use std::path::{Path, PathBuf};

use md5::Digest as _;

use crate::config::value::Value;

use super::encoding::{b64, hex};
use super::value::string;
use super::{Fail, FuncContext};

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
    if full.is_dir() {
        return Err(Fail::call(format!("read {path}: is a directory")));
    }
    read_bytes(path, &full)
}

fn read_bytes(path: String, full: &Path) -> Result<(String, Vec<u8>), Fail> {
    // A device, FIFO or socket never ends or blocks: refused before it is opened.
    if let Ok(meta) = std::fs::metadata(full) {
        if !meta.is_file() && !meta.is_dir() {
            return Err(Fail::call(format!(
                "read {path}: not a regular file (a device, named pipe or socket)"
            )));
        }
    }
    match std::fs::read(full) {
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
    let path = string(args, 0)?;
    let full = resolve(ctx, &path);
    if full.is_dir() {
        return Err(Fail::arg(
            0,
            format!("failed to read file: read {path}: is a directory"),
        ));
    }
    let (path, bytes) = read_bytes(path, &full)?;
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
        Ok(meta) if meta.is_dir() => {
            Err(Fail::call(format!("\"{path}\" is a directory, not a file")))
        }
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

pub(crate) fn filebase64sha256(args: &[Value], ctx: &FuncContext) -> R {
    Ok(Value::String(b64(&sha2::Sha256::digest(
        read(args, ctx)?.1,
    ))))
}

pub(crate) fn filebase64sha512(args: &[Value], ctx: &FuncContext) -> R {
    Ok(Value::String(b64(&sha2::Sha512::digest(
        read(args, ctx)?.1,
    ))))
}

/// Renders the template file with `vars` as its only variables and every function available.
pub(crate) fn templatefile(args: &[Value], ctx: &FuncContext) -> R {
    super::template::check_not_nested("templatefile")?;
    let (path, src) = read_text(args, ctx)?;
    super::template::render(&src, &path, &args[1], ctx)
}

/// The regular files under `path` whose relative paths match the glob `pattern`
/// (doublestar syntax: `*`, `?`, `[class]`, `{a,b}`, and `**` for any number of
/// directories), as a set of `/`-separated paths relative to `path`.
pub(crate) fn fileset(args: &[Value], ctx: &FuncContext) -> R {
    let path = string(args, 0)?;
    let pattern = string(args, 1)?;
    let base = resolve(ctx, &path);
    let re = glob_regex(&clean(&pattern))
        .map_err(|e| Fail::call(format!("failed to glob pattern ({pattern}): {e}")))?;
    let cleaned = clean(&pattern);
    // Without `**`, a match is exactly as deep as the pattern: nothing deeper is read.
    let depth = if cleaned.split('/').any(|p| p.contains("**")) {
        usize::MAX
    } else {
        cleaned.split('/').count()
    };
    let mut files = Vec::new();
    walk(
        &base,
        "",
        depth,
        &mut std::collections::HashSet::new(),
        &mut files,
    );
    let mut out: Vec<String> = files.into_iter().filter(|f| re.is_match(f)).collect();
    out.sort();
    Ok(Value::List(out.into_iter().map(Value::String).collect()))
}

/// The files under `dir`, at most `depth` levels down, each directory read once (a symbolic
/// link back up the tree is not followed again).
fn walk(
    dir: &Path,
    prefix: &str,
    depth: usize,
    seen: &mut std::collections::HashSet<std::path::PathBuf>,
    out: &mut Vec<String>,
) {
    if depth == 0 || !std::fs::canonicalize(dir).is_ok_and(|c| seen.insert(c)) {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        match std::fs::metadata(entry.path()) {
            Ok(meta) if meta.is_dir() => walk(&entry.path(), &rel, depth - 1, seen, out),
            Ok(meta) if meta.is_file() => out.push(rel),
            _ => {}
        }
    }
}

fn glob_regex(pattern: &str) -> Result<regex::Regex, String> {
    let parts: Vec<&str> = pattern.split('/').collect();
    let mut re = String::from("^");
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        if *part == "**" {
            re.push_str(if last { ".*" } else { "(?:[^/]*/)*" });
            continue;
        }
        re.push_str(&glob_component(part)?);
        if !last {
            re.push('/');
        }
    }
    re.push('$');
    regex::Regex::new(&re).map_err(|e| e.to_string())
}

fn glob_component(part: &str) -> Result<String, String> {
    let chars: Vec<char> = part.chars().collect();
    let mut re = String::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '*' => {
                while chars.get(i + 1) == Some(&'*') {
                    i += 1;
                }
                re.push_str("[^/]*");
            }
            '?' => re.push_str("[^/]"),
            '\\' => {
                i += 1;
                let c = chars.get(i).ok_or("syntax error in pattern")?;
                re.push_str(&regex::escape(&c.to_string()));
            }
            '[' => {
                let end = chars[i + 1..]
                    .iter()
                    .position(|&c| c == ']')
                    .ok_or("syntax error in pattern")?;
                let mut class: String = chars[i + 1..i + 1 + end].iter().collect();
                // Only `^` negates; `!` is an ordinary member, as in Terraform's glob library.
                if let Some(rest) = class.strip_prefix('^') {
                    class = format!("^{rest}");
                }
                re.push('[');
                re.push_str(&class.replace('\\', "\\\\").replace('[', "\\["));
                re.push(']');
                i += end + 1;
            }
            '{' => {
                let end = chars[i + 1..]
                    .iter()
                    .position(|&c| c == '}')
                    .ok_or("syntax error in pattern")?;
                let inner: String = chars[i + 1..i + 1 + end].iter().collect();
                let alts: Vec<String> = inner
                    .split(',')
                    .map(glob_component)
                    .collect::<Result<_, _>>()?;
                re.push_str(&format!("(?:{})", alts.join("|")));
                i += end + 1;
            }
            c => re.push_str(&regex::escape(&c.to_string())),
        }
        i += 1;
    }
    Ok(re)
}

/// `~` at the start becomes the home directory, as Terraform's `pathexpand` does.
pub(crate) fn pathexpand(args: &[Value], _: &FuncContext) -> R {
    let path = string(args, 0)?;
    if path != "~" && !path.starts_with("~/") {
        return Ok(Value::String(path));
    }
    let home = std::env::var("HOME")
        .map_err(|_| Fail::call("cannot expand ~: the home directory is not known"))?;
    Ok(Value::String(format!("{home}{}", &path[1..])))
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

    #[test]
    fn fileset_reads_no_deeper_than_its_pattern_and_never_loops() {
        use super::{fileset, FuncContext, Value};
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("a/b")).unwrap();
        std::fs::write(root.join("a/x.txt"), "").unwrap();
        std::fs::write(root.join("a/b/y.txt"), "").unwrap();
        // A link back up the tree: walking it would never end.
        std::os::unix::fs::symlink(root, root.join("a/b/up")).unwrap();
        let ctx = FuncContext {
            base_dir: root.to_path_buf(),
        };
        let args = |p: &str| [Value::str("."), Value::str(p)];
        let got = fileset(&args("**/*.txt"), &ctx).unwrap();
        assert_eq!(
            got,
            Value::List(vec![Value::str("a/b/y.txt"), Value::str("a/x.txt")])
        );
        let got = fileset(&args("a/*.txt"), &ctx).unwrap();
        assert_eq!(got, Value::List(vec![Value::str("a/x.txt")]));
    }
}
