//! The integration test binary: one module per area.

mod config;
mod config_graph;
mod support;
