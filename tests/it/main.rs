//! The integration test binary: one module per area.

mod state;
mod state_errors;
mod config;
mod config_graph;
mod funcs;
mod support;
mod catalog;
mod inventory_gcp;
mod snapshot;
