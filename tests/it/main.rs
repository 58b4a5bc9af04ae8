//! The integration test binary: one module per area.

mod catalog;
mod inventory_gcp;
mod snapshot;
mod support;
