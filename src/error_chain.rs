//! An error and its sources as one line, for the messages of backends and cloud listers: the
//! transport's wrappers say little alone, their causes say what to do.

/// An error and its sources, as one line.
pub fn error_chain(err: &dyn std::error::Error) -> String {
    let mut parts = vec![err.to_string()];
    let mut cur = err.source();
    while let Some(e) = cur {
        parts.push(e.to_string());
        cur = e.source();
    }
    parts.dedup();
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct E(&'static str, Option<Box<E>>);

    impl std::fmt::Display for E {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(self.0)
        }
    }

    impl std::error::Error for E {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            self.1.as_deref().map(|e| e as _)
        }
    }

    #[test]
    fn causes_follow_and_a_repeated_message_is_said_once() {
        let inner = E("connection refused", None);
        let mid = E("connect", Some(Box::new(inner)));
        let twice = E("connect", Some(Box::new(mid)));
        let top = E("request failed", Some(Box::new(twice)));
        assert_eq!(
            error_chain(&top),
            "request failed: connect: connection refused"
        );
        assert_eq!(error_chain(&E("alone", None)), "alone");
    }
}
