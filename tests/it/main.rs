//! The integration test binary: one module per area.

mod diff;
mod report;
mod state;
mod state_errors;
mod support;
