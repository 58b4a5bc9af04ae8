//! Splits a native-syntax configuration file at its top-level blocks without parsing it, so
//! that each block is parsed on its own: parsing a large file block by block is several
//! times faster than parsing it whole, and no syntax tree of the whole file is ever held.
//!
//! Owns only finding the boundaries. It knows strings, templates, heredocs and comments well
//! enough never to cut inside them; when anything looks unusual it gives up and the caller
//! parses the file whole, so a wrong split can never change what a file means.

/// The byte offsets where top-level items start (the first is 0), or `None` when the file
/// should be parsed whole. Every item but the last ends with a newline.
pub fn top_level(text: &str) -> Option<Vec<usize>> {
    let b = text.as_bytes();
    let mut starts = vec![0];
    let mut i = 0;
    // Open brackets of the code being scanned; `${`/`%{` push a marker that ends the
    // template interpolation and returns to the string it is in.
    let mut stack: Vec<u8> = Vec::new();
    let mut ended_block = false;
    while i < b.len() {
        let c = b[i];
        match c {
            b'\n' => {
                if ended_block && stack.is_empty() {
                    starts.push(i + 1);
                    ended_block = false;
                }
                i += 1;
            }
            b'#' => i = skip_line(b, i),
            b'/' if b.get(i + 1) == Some(&b'/') => i = skip_line(b, i),
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = find(b, i + 2, b"*/")? + 2;
            }
            b'"' => i = skip_string(b, i + 1)?,
            b'<' if b.get(i + 1) == Some(&b'<') => i = skip_heredoc(b, i + 2)?,
            b'{' | b'[' | b'(' => {
                stack.push(c);
                i += 1;
            }
            b'}' | b']' | b')' => {
                let open = stack.pop()?;
                if !matches!((open, c), (b'{', b'}') | (b'[', b']') | (b'(', b')')) {
                    return None;
                }
                if stack.is_empty() && c == b'}' {
                    ended_block = true;
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    if !stack.is_empty() {
        return None;
    }
    if starts.last() == Some(&b.len()) {
        starts.pop();
    }
    Some(starts)
}

fn skip_line(b: &[u8], i: usize) -> usize {
    b[i..]
        .iter()
        .position(|&c| c == b'\n')
        .map_or(b.len(), |p| i + p)
}

fn find(b: &[u8], from: usize, pat: &[u8]) -> Option<usize> {
    b.get(from..)?
        .windows(pat.len())
        .position(|w| w == pat)
        .map(|p| from + p)
}

/// Skips a quoted template from just after its opening quote; returns the offset after the
/// closing quote. Interpolations are skipped as code, strings inside them included.
fn skip_string(b: &[u8], mut i: usize) -> Option<usize> {
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            b'\n' => return None,
            b'$' | b'%' if b.get(i + 1) == Some(&b'{') => {
                i = skip_interpolation(b, i + 2)?;
            }
            _ => i += 1,
        }
    }
    None
}

/// Skips the code of an interpolation from just after `${`; returns the offset after its
/// closing brace.
fn skip_interpolation(b: &[u8], mut i: usize) -> Option<usize> {
    let mut depth = 0usize;
    while i < b.len() {
        match b[i] {
            b'"' => i = skip_string(b, i + 1)?,
            b'{' | b'[' | b'(' => {
                depth += 1;
                i += 1;
            }
            b'}' if depth == 0 => return Some(i + 1),
            b'}' | b']' | b')' => {
                depth = depth.checked_sub(1)?;
                i += 1;
            }
            b'<' if b.get(i + 1) == Some(&b'<') => return None,
            _ => i += 1,
        }
    }
    None
}

/// Skips a heredoc from just after `<<`; returns the offset of the newline that ends its
/// closing marker line.
fn skip_heredoc(b: &[u8], mut i: usize) -> Option<usize> {
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    let start = i;
    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'-') {
        i += 1;
    }
    let marker = &b[start..i];
    if marker.is_empty() {
        return None;
    }
    let mut line = skip_line(b, i);
    if b[i..line].iter().any(|c| !c.is_ascii_whitespace()) {
        return None;
    }
    while line < b.len() {
        let next = skip_line(b, line + 1);
        let text = &b[line + 1..next];
        let trimmed = text.trim_ascii();
        if trimmed == marker {
            return Some(next);
        }
        line = next;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(text: &str) -> Vec<&str> {
        let s = top_level(text).expect("splits");
        let mut out = Vec::new();
        for (n, &a) in s.iter().enumerate() {
            let end = s.get(n + 1).copied().unwrap_or(text.len());
            out.push(&text[a..end]);
        }
        out
    }

    #[test]
    fn splits_after_each_top_level_block() {
        let text = "# c\nresource \"a\" \"b\" {\n  x = \"}\"\n  y = { z = \"${var.a[\"}\"]}\" }\n}\n\nlocals {\n  h = <<-EOT\n  }\n  {\n  EOT\n  /* } */ w = 1 // }\n}\nvariable \"v\" {}\n";
        assert_eq!(
            parts(text),
            [
                "# c\nresource \"a\" \"b\" {\n  x = \"}\"\n  y = { z = \"${var.a[\"}\"]}\" }\n}\n",
                "\nlocals {\n  h = <<-EOT\n  }\n  {\n  EOT\n  /* } */ w = 1 // }\n}\n",
                "variable \"v\" {}\n",
            ]
        );
    }

    #[test]
    fn gives_up_on_what_it_does_not_understand() {
        assert_eq!(top_level("resource \"a\" \"b\" {\n"), None);
        assert_eq!(top_level("x = \"unterminated\n"), None);
        assert_eq!(top_level("a = ]\n"), None);
    }
}
