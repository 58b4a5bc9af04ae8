//! tfrecon reconciles Terraform state and configuration with the live cloud.
//!
//! Data flows one way, from inputs to reports; a module uses only modules listed below it.
//!
//! ```text
//! main.rs   args → RunConfig → run → exit code (0 ok, 1 error, 2 findings, 3 incomplete)
//! cli/      clap definitions and the command runners; the only place clap appears
//! graph/    petgraph over the expanded configuration: dependencies, topological order
//! config/   .tf loading with spans, variables, locals, modules, count/for_each, functions
//! state/    the state model (resources, instances, sensitive paths) and the v4 wire format
//! backend/  where state lives (local, stdin, s3, gcs, http), workspaces, backend settings
//! addr.rs   addresses and instance keys, printed and parsed exactly as Terraform does
//! ```
//!
//! * [`addr`] owns every address type. Everything else passes addresses as these values,
//!   never as strings.
//! * [`backend`] turns a state *source* (a `--state` argument, or the configuration's backend
//!   block merged with `.terraform/terraform.tfstate` and `--backend-config`) into bytes per
//!   workspace. It only reads; it never writes or locks.
//! * [`state`] turns those bytes into a [`state::State`]: one diagnostic per bad resource,
//!   attributes kept as raw JSON until asked for, sensitive paths known for every instance.
//! * [`config`] loads the configuration offline: [`config::load`] parses every module with
//!   source positions, gathers variables with Terraform's precedence, evaluates with explicit
//!   unknowns (never guessed) and expands every block into addressed instances with their
//!   evaluated arguments and effective provider configuration.
//! * [`graph`] joins those instances by the references and `depends_on` between them, gives
//!   the order to import or create them in, and renders dot, JSON and mermaid.
//! * `cli` wires sources to commands and prints; library modules never print.

pub mod addr;
pub mod cli;
pub mod config;
pub mod graph;
pub mod inventory;
