//! Change tasks (`apps/contract/changes/<task-id>/`) and checking one workspace against a task:
//! the library half of `bakeoff change` (issue 14). A task is a folder of the contract; its
//! acceptance checks are a group of the verify suite (`verify/changes/`).

mod check;
pub mod command;
pub mod diff;
pub mod ease;
pub mod session;
pub mod survey;
mod task;

pub use check::{check, CheckDatabase, CheckOutcome};
pub use task::{task, tasks, Task};

use std::path::PathBuf;

use thiserror::Error;

#[derive(Debug, Error)]
pub enum ChangeError {
    #[error("cannot read the change tasks in {dir}: {source}\n  run bakeoff from the repository root, or set paths.apps_dir (tasks live in <apps_dir>/contract/changes)")]
    Folder {
        dir: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("change task {file} is invalid: {message}\n  fix the file (apps/contract/changes/README.md says what it holds)")]
    Invalid { file: PathBuf, message: String },
    #[error("there is no change task `{id}`; the tasks are: {known}")]
    Unknown { id: String, known: String },
    #[error("the workspace {dir} holds no readable app.yaml: {message}\n  point at a copy of an app folder (apps/<id>/)")]
    Workspace { dir: PathBuf, message: String },
    #[error("cannot run the check's database: {0:#}\n  is the engine up (`scripts/engine-up`)? `bakeoff doctor` says what is missing")]
    Database(anyhow::Error),
    #[error(
        "the task's schema.sql ({file}) failed on the seeded database: {source}\n  fix the file; it runs once, after seeding, on top of datasets/schema.sql"
    )]
    Schema {
        file: PathBuf,
        #[source]
        source: tokio_postgres::Error,
    },
    #[error("the check's database has room for {slots} checks and all are used\n  start another CheckDatabase")]
    Full { slots: i32 },
}
