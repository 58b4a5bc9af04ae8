//! tfrecon reconciles Terraform state and configuration with the live cloud.
//!
//! Data flows one way, from inputs to reports; a module uses only modules listed below it.
//!
//! ```text
//! main.rs   args → RunConfig → run → exit code (0 ok, 1 error, 2 findings, 3 incomplete)
//! cli/      clap definitions and the command runners; the only place clap appears
//! inventory/ live resources: the model; aws/ lists AWS with the SDK (read-only, never secrets)
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
//! * [`inventory::aws`] turns `aws` / `aws:REGION,...` scopes into [`inventory::Inventory`]
//!   values: one unit of work per list-operation family and region, bounded concurrency, a
//!   typed reason (the missing permission) for everything it could not read. Import IDs follow
//!   the templates of `catalog/aws.toml`.
//! * `cli` wires sources to commands and prints; library modules never print.

pub mod addr;
pub mod cli;
pub mod inventory;
