//! tfrecon reconciles Terraform state and configuration with the live cloud.
//!
//! Data flows one way, from inputs to reports; a module uses only modules listed below it.
//!
//! ```text
//! main.rs   args → RunConfig → run → exit code (0 ok, 1 error, 2 findings, 3 incomplete)
//! cli/      clap definitions and the command runners; the only place clap appears
//! inventory/ live resources: gcp (Cloud Asset Inventory), snapshot files; the model
//! state/    the state model (resources, instances, sensitive paths) and the v4 wire format
//! backend/  where state lives (local, stdin, s3, gcs, http), workspaces, backend settings
//! catalog/  per-type knowledge as data (catalog/*.toml): import IDs, identity, listing
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
//! * [`catalog`] loads `catalog/gcp.toml` and `catalog/aws.toml` (embedded) once: one row per
//!   Terraform type with its import ID templates, identity, natural keys, diff fields and the
//!   conditions that mark resources a cloud service created.
//! * [`inventory`] lists what exists live ([`inventory::collect`]): Cloud Asset Inventory
//!   scopes and snapshot files, converted through the catalog into
//!   [`inventory::LiveResource`]s. What cannot be read is an [`inventory::InventoryError`],
//!   never a silent gap.
//! * `cli` wires sources to commands and prints; library modules never print.

pub mod addr;
pub mod catalog;
pub mod cli;
pub mod inventory;
