//! tfrecon reconciles Terraform state and configuration with the live cloud.
//!
//! Data flows one way, from inputs to reports; a module uses only modules listed below it.
//!
//! ```text
//! main.rs     args → run → exit code (0 ok, 1 error, 2 findings, 3 incomplete)
//! cli/        clap definitions and command runners; the only place clap appears
//! report/     one emitter per format: text, JSON, Markdown, SARIF; import blocks, script, JSON
//! ignore.rs   .tfreconignore: findings and attribute changes taken out of a report
//! diff/       attribute diffs of paired resources, JSON-aware; where redaction is enforced
//! state/      the state model (resources, instances, sensitive paths), the v4 wire format,
//!             and `survey`: reading one or every workspace out of a backend
//! inventory/  live resources from clouds or snapshot files, in one model
//! backend/    where state lives (local, stdin, s3, gcs, http, memory), workspaces, settings
//! findings.rs findings, reports and import plans as data (kinds, codes, diffs)
//! addr.rs     addresses and instance keys, printed and parsed exactly as Terraform does
//! ```
//!
//! * [`addr`] owns every address type. Everything else passes addresses as these values,
//!   never as strings.
//! * [`backend`] turns a state *source* into bytes per workspace. `backend::source` decides the
//!   sources of a run: each `--state` argument, or the configuration's backend block merged with
//!   `.terraform/terraform.tfstate` and `--backend-config` (`backend::settings`). Every backend
//!   implements the read-only `StateStore` trait; nothing there writes or locks.
//! * [`state`] turns those bytes into a [`state::State`]: one diagnostic per bad resource,
//!   attributes kept as raw JSON until asked for and redacted by default, sensitive paths known
//!   for every instance. `state::survey` reads every workspace of a backend and produces the
//!   warning for an empty selected workspace while state exists elsewhere.
//! * [`inventory`] holds the model of what exists live ([`inventory::LiveResource`]); no cloud
//!   SDK type leaves it.
//! * [`findings`] is the data reconciliation produces and reports render: every finding has a
//!   kind with a stable code; errors are only for what could not be read.
//! * [`diff`] compares a reference object (state or configuration) with the live one:
//!   Terraform-style attribute paths, JSON documents (policies, schemas) compared structurally,
//!   and every sensitive or secret value redacted, so nothing downstream can leak one.
//! * [`ignore`] parses `.tfreconignore` and filters findings and attribute changes; it reports
//!   how many findings it ignored and which drifts it emptied.
//! * [`report`] renders a [`findings::Report`] or [`findings::ImportPlan`]; it sees nothing
//!   else and decides nothing.
//! * `cli` wires sources to commands and prints; library modules never print.

pub mod addr;
pub mod backend;
pub mod cli;
pub mod diff;
pub mod findings;
pub mod ignore;
pub mod inventory;
pub mod report;
pub mod state;
