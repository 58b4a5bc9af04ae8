//! The integration test binary: one module per area.
#![allow(clippy::disallowed_macros)]

mod catalog;
mod config;
mod config_eval;
mod config_graph;
mod diff;
mod examples;
mod funcs;
mod fuzz;
mod help;
mod inventory_aws;
mod inventory_cmd;
mod inventory_gcp;
mod report;
mod scan;
mod scan_aws;
mod secrets;
mod snapshot;
mod state;
mod state_errors;
mod state_formats;
mod support;
