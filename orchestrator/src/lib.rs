//! bakeoff: a reproducible bake-off of backend frameworks.
//!
//! The pipeline, one module per stage: [`images`] → [`stack`] → [`seed`] → verify → load →
//! collect → [`report`]. [`commands::run`] wires them for the command line.

pub mod change;
pub mod cli;
pub mod collect;
pub mod commands;
pub mod compare;
pub mod config;
pub mod docker;
pub mod doctor;
pub mod fuzz;
pub mod hosts;
pub mod images;
pub mod inputs;
pub mod load;
pub mod progress;
pub mod report;
pub mod run;
pub mod scaffold;
pub mod scenario;
pub mod seed;
pub mod session;
pub mod stack;
pub mod verify;

pub use commands::run;
