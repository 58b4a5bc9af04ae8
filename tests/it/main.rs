//! The integration test binary: one module per area.

mod support;
mod catalog;
mod inventory_gcp;
mod snapshot;
