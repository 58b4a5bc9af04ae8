//! The integration test binary: one module per area.

mod catalog;
mod config;
mod config_graph;
mod funcs;
mod inventory_gcp;
mod snapshot;
mod diff;
mod report;
mod state;
mod state_errors;
mod support;
