//! The `tfrecon` binary: parse arguments, run, and turn the outcome into an exit code.

use std::process::ExitCode;

// Reading state, configuration and inventory allocates many small values; mimalloc does that
// markedly faster than the system allocator (see scripts/bench-scan.sh).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    tfrecon::cli::main()
}
