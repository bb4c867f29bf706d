//! The acceptance checks of the change tasks (`apps/contract/changes/<task-id>/`): one group per
//! task, run after the base suite against an app that made the change, on a database holding the
//! task's `schema.sql`. Like the base groups, they judge by the answers and by the database.

mod brand_facet;
mod discount_codes;
mod order_history;

use super::outcome::GroupOutcome;
use super::suite::Ctx;

/// The task ids that have a group here, sorted.
pub const TASKS: &[&str] = &["brand-facet", "discount-codes", "order-history"];

/// Runs the group of `task` (one of [`TASKS`]); an unknown id is a failed group that says so.
pub async fn run(task: &str, ctx: &Ctx<'_>) -> GroupOutcome {
    match task {
        "brand-facet" => brand_facet::run(ctx).await,
        "discount-codes" => discount_codes::run(ctx).await,
        "order-history" => order_history::run(ctx).await,
        _ => {
            let mut group = GroupOutcome::new("change task");
            group.check_value(format!("task `{task}` has acceptance checks"), false, format!("one of {}", TASKS.join(", ")), task);
            group
        }
    }
}

/// A short tag (8 hex digits) unique to `key_prefix`, for names the checks make (codes, emails)
/// that must stay within a length and not meet another run's on a shared database.
fn short_tag(key_prefix: &str) -> String {
    // FNV-1a: stable across runs and platforms, unlike std's hasher.
    let hash = key_prefix.bytes().fold(0x811c_9dc5_u32, |h, b| (h ^ b as u32).wrapping_mul(0x0100_0193));
    format!("{hash:08x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_tags_are_eight_hex_digits_and_differ_between_runs() {
        let a = short_tag("0a1b2c3d-fastapi");
        assert_eq!(a.len(), 8);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(a, short_tag("0a1b2c3d-fastapi"), "stable");
        assert_ne!(a, short_tag("0a1b2c3d-gin"));
    }

    #[test]
    fn every_task_folder_in_the_contract_has_a_group_and_every_group_a_folder() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../apps/contract/changes");
        let mut folders: Vec<String> =
            std::fs::read_dir(dir).unwrap().flatten().filter(|e| e.path().is_dir()).map(|e| e.file_name().to_string_lossy().into_owned()).collect();
        folders.sort();
        assert_eq!(folders, TASKS);
    }
}
