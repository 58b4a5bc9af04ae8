//! Standard output with colour decided once (`--color`, `NO_COLOR`, terminal detection).

use std::io::{self, Write};

use super::ColorWhen;

pub struct Output {
    inner: io::BufWriter<anstream::AutoStream<io::Stdout>>,
    color: bool,
}

impl Output {
    pub fn stdout(when: ColorWhen) -> Self {
        let choice = match when {
            ColorWhen::Always => anstream::ColorChoice::Always,
            ColorWhen::Never => anstream::ColorChoice::Never,
            ColorWhen::Auto => anstream::ColorChoice::Auto,
        };
        let stream = anstream::AutoStream::new(io::stdout(), choice);
        let color = !matches!(stream.current_choice(), anstream::ColorChoice::Never);
        Output {
            inner: io::BufWriter::new(stream),
            color,
        }
    }

    /// Whether styled text will be shown as colour (styles are stripped otherwise).
    pub fn color(&self) -> bool {
        self.color
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}
