//! All formatting of results for people lives here, one exporter per file.

pub mod doctor;
pub mod seed;
pub mod verify;
