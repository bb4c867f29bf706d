//! What a bake-off collects besides latency: resource use, the environment, and the results
//! document (`run.json`) that holds it all.

pub mod environment;
pub mod metrics;
pub mod resources;
mod results;
pub mod schema;
pub mod server;
pub mod spread;
pub mod steal;

pub use environment::Environment;
pub use resources::{ResourceSummary, Sampler};
pub use results::*;
pub use steal::{CpuSteal, StealMeter};
