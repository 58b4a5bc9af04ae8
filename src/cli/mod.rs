//! The command line: clap definitions, the run context built from them, and the command
//! runners. This is the only module that knows about clap; everything below it receives
//! plain values. Exit codes are decided here, in one place. It is also the only module that
//! prints.
#![allow(clippy::disallowed_macros)]

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::backend::source::SourceRequest;

mod graph_cmd;
mod inventory_cmd;
mod output;
mod render_cmd;
mod scan_cmd;
mod state_cmd;

pub use output::Output;

/// Exit codes, fixed for every command.
pub mod exit {
    /// Success, nothing found.
    pub const OK: u8 = 0;
    /// The run stopped on an error.
    pub const ERROR: u8 = 1;
    /// Findings were reported (`scan`).
    pub const FINDINGS: u8 = 2;
    /// Some source could not be read: the result is incomplete.
    pub const INCOMPLETE: u8 = 3;
}

/// How a command that did not fail ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Findings,
    Incomplete,
}

impl Outcome {
    pub fn exit_code(self) -> u8 {
        match self {
            Outcome::Success => exit::OK,
            Outcome::Findings => exit::FINDINGS,
            Outcome::Incomplete => exit::INCOMPLETE,
        }
    }
}

const AFTER_HELP: &str = "\
Exit codes: 0 success and nothing found, 1 error, 2 findings (scan), 3 incomplete (a source could not be read).

Examples:
  tfrecon state workspaces -C examples/gcp-data-platform
  terraform state pull | tfrecon state list --state -
  tfrecon state list --state s3://my-tf-state/prod/terraform.tfstate --workspace staging";

#[derive(Debug, Parser)]
#[command(
    name = "tfrecon",
    version,
    about = "Reconcile Terraform state and configuration with the live cloud",
    long_about = "tfrecon reads Terraform state (local, S3, GCS, HTTP backends, with workspaces) and \
                  the configuration, and tells you what is out of line with the cloud and how to fix it.\n\
                  It only reads: it never writes to a backend or a state file.",
    after_help = AFTER_HELP,
    propagate_version = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options shared by every command.
#[derive(Debug, Args, Clone)]
pub struct GlobalArgs {
    /// The Terraform configuration directory.
    #[arg(
        short = 'C',
        long = "chdir",
        value_name = "DIR",
        default_value = ".",
        global = true
    )]
    pub chdir: PathBuf,

    /// The workspace to read (default: TF_WORKSPACE, then .terraform/environment, then "default").
    #[arg(long, value_name = "NAME", global = true)]
    pub workspace: Option<String>,

    /// Where to read state: a path, `-` for standard input, s3://bucket/key, gs://bucket/prefix,
    /// or an http(s):// URL. Repeatable. Default: the backend the configuration declares.
    #[arg(long = "state", value_name = "SOURCE", global = true)]
    pub state: Vec<String>,

    /// Backend setting, as `terraform init -backend-config`: KEY=VALUE or a file of settings.
    /// Repeatable; later values win.
    #[arg(long = "backend-config", value_name = "KEY=VALUE|FILE", global = true)]
    pub backend_config: Vec<String>,

    /// Extra HTTP header for the http backend, as `NAME: VALUE`. Repeatable.
    #[arg(long = "http-header", value_name = "NAME: VALUE", global = true)]
    pub http_header: Vec<String>,

    /// Never show progress bars.
    #[arg(long, global = true)]
    pub no_progress: bool,

    /// When to use colours (NO_COLOR is honoured with `auto`).
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN", global = true)]
    pub color: ColorWhen,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read Terraform state: list instances, list workspaces.
    #[command(subcommand)]
    State(state_cmd::StateCommand),
    /// Print the dependency graph of the configuration (dot, JSON or mermaid).
    Graph(graph_cmd::GraphArgs),
    /// List what exists live in Google Cloud (Cloud Asset Inventory), AWS or snapshot files.
    Inventory(inventory_cmd::InventoryArgs),
    /// Compare state, configuration and the live cloud, and report what is out of line.
    Scan(scan_cmd::ScanArgs),
    /// Write `import {}` blocks or a `terraform import` script for resources that exist but are
    /// missing from state.
    Import(scan_cmd::ImportArgs),
    /// Write a saved JSON report or import plan as text, Markdown, SARIF, import blocks or a script.
    Render(render_cmd::RenderArgs),
}

/// Everything a command needs that came from the global options, as real values.
pub struct RunContext {
    pub global: GlobalArgs,
    pub out: Output,
    pub progress: bool,
}

impl RunContext {
    /// What the state sources of this run are, as plain values for the backend module.
    pub fn source_request(&self) -> SourceRequest {
        SourceRequest {
            dir: self.global.chdir.clone(),
            state_args: self.global.state.clone(),
            backend_config: self.global.backend_config.clone(),
            workspace_flag: self.global.workspace.clone(),
            env_workspace: std::env::var("TF_WORKSPACE").ok(),
            data_dir: std::env::var_os("TF_DATA_DIR").map(PathBuf::from),
            http_headers: self.global.http_header.clone(),
        }
    }

    fn new(global: GlobalArgs) -> Self {
        let out = Output::stdout(global.color);
        let progress = !global.no_progress && std::env::var_os("CI").is_none();
        RunContext {
            global,
            out,
            progress,
        }
    }
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() {
                exit::ERROR
            } else {
                exit::OK
            };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let mut ctx = RunContext::new(cli.global);
    let result = run(cli.command, &mut ctx);
    let flushed = ctx.out.flush();
    match result.and_then(|o| flushed.map(|_| o).map_err(Into::into)) {
        Ok(outcome) => ExitCode::from(outcome.exit_code()),
        Err(err) if is_broken_pipe(&err) => ExitCode::from(exit::OK),
        Err(err) => {
            let mut stderr = anstream::stderr();
            let _ = writeln!(stderr, "error: {err:#}");
            ExitCode::from(exit::ERROR)
        }
    }
}

fn run(command: Command, ctx: &mut RunContext) -> anyhow::Result<Outcome> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .worker_threads(2)
        .build()?;
    match command {
        Command::State(cmd) => runtime.block_on(state_cmd::run(cmd, ctx)),
        Command::Graph(args) => runtime.block_on(graph_cmd::run(args, ctx)),
        Command::Inventory(args) => runtime.block_on(inventory_cmd::run(args, ctx)),
        Command::Scan(args) => runtime.block_on(scan_cmd::run_scan(args, ctx)),
        Command::Import(args) => runtime.block_on(scan_cmd::run_import(args, ctx)),
        Command::Render(args) => runtime.block_on(render_cmd::run(args, ctx)),
    }
}

/// A closed pipe (`tfrecon state list | head`) is not an error.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}
