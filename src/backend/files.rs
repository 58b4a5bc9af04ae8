//! Reading local files that hold state or settings, refusing anything that is not a regular
//! file: opening a named pipe blocks until a writer comes, and a device or socket never ends.
//! It only reads.

use std::io;
use std::path::Path;

/// What a path is, when it is neither a regular file nor a directory.
fn special_kind(meta: &std::fs::Metadata) -> Option<&'static str> {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_file() || t.is_dir() {
        None
    } else if t.is_fifo() {
        Some("a named pipe (FIFO)")
    } else if t.is_socket() {
        Some("a socket")
    } else if t.is_char_device() {
        Some("a character device")
    } else if t.is_block_device() {
        Some("a block device")
    } else {
        Some("not a regular file")
    }
}

/// Refuses a path that exists but is not a regular file or directory, without opening it.
pub fn check_not_special(path: &Path) -> io::Result<()> {
    match std::fs::metadata(path) {
        Ok(meta) => match special_kind(&meta) {
            Some(kind) => Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "it is {kind}, not a regular file; tfrecon does not open it (reading it could block forever). \
                     To pipe state in, use `--state -`"
                ),
            )),
            None => Ok(()),
        },
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// The bytes of a regular file. A missing file is `NotFound`; a directory, FIFO, socket or
/// device is `InvalidInput` with a message saying what it is, and is never opened.
pub fn read_regular(path: &Path) -> io::Result<Vec<u8>> {
    let meta = std::fs::metadata(path)?;
    if meta.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "it is a directory, not a file",
        ));
    }
    check_not_special(path)?;
    std::fs::read(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_a_fifo_without_opening_it() {
        let d = tempfile::tempdir().unwrap();
        let fifo = d.path().join("state.fifo");
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo");
        assert!(status.success());
        // Opening it for reading would block this test forever.
        let e = read_regular(&fifo).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidInput);
        assert!(e.to_string().contains("named pipe (FIFO)"), "{e}");
        let e = read_regular(Path::new("/dev/null")).unwrap_err();
        assert!(e.to_string().contains("character device"), "{e}");
        assert_eq!(
            read_regular(&d.path().join("none")).unwrap_err().kind(),
            io::ErrorKind::NotFound
        );
        std::fs::write(d.path().join("f"), b"x").unwrap();
        assert_eq!(read_regular(&d.path().join("f")).unwrap(), b"x");
    }
}
