//! The live side: what exists in Google Cloud and AWS, from their APIs or from snapshot files.

pub mod model;

pub use model::{Cloud, Inventory, InventoryError, LiveResource, NoProgress, ProgressEvent, ProgressSink};
