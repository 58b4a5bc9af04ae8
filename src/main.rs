//! The `tfrecon` binary: parse arguments, run, and turn the outcome into an exit code.

use std::process::ExitCode;

fn main() -> ExitCode {
    tfrecon::cli::main()
}
