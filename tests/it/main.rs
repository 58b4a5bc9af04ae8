//! The integration test binary: one module per area.

mod inventory_aws;
mod support;
