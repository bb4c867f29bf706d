//! Reading the change tasks: each `<task-id>/task.yaml` beside its brief and contract delta.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::ChangeError;

/// The files every task folder holds besides `task.yaml`.
pub const TASK_FILES: [&str; 4] = ["TASK.md", "openapi.yaml", "RULES.md", "schema.sql"];

/// One change task, as its `task.yaml` describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    /// Kebab-case id: the folder name, and the name of its check group.
    pub id: String,
    pub title: String,
    /// What sort of change (`new-table`, `new-endpoint`, `search-change`).
    pub kind: String,
    /// One line.
    pub summary: String,
    /// What a developer will likely change, in words.
    pub touches: String,
    /// How many checks the task's group runs (the Docker test of the reference solutions holds
    /// the group to it).
    pub checks: u32,
    /// The task's folder.
    pub dir: PathBuf,
}

impl Task {
    /// The brief a developer reads.
    pub fn brief(&self) -> PathBuf {
        self.dir.join("TASK.md")
    }

    /// The SQL applied on top of the seeded database for this task only.
    pub fn schema(&self) -> PathBuf {
        self.dir.join("schema.sql")
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TaskFile {
    id: String,
    title: String,
    kind: String,
    summary: String,
    touches: String,
    checks: u32,
}

/// The tasks under `contract_dir/changes`, sorted by id. A folder whose `task.yaml` is missing or
/// wrong, or which lacks one of [`TASK_FILES`], is an error naming the file.
pub fn tasks(contract_dir: &Path) -> Result<Vec<Task>, ChangeError> {
    let dir = contract_dir.join("changes");
    let read_dir = std::fs::read_dir(&dir).map_err(|source| ChangeError::Folder { dir: dir.clone(), source })?;
    let mut tasks = Vec::new();
    for entry in read_dir.flatten() {
        if entry.path().is_dir() {
            tasks.push(read_task(&entry.path())?);
        }
    }
    tasks.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(tasks)
}

/// The task `id`; an unknown id is an error listing the known ones.
pub fn task(contract_dir: &Path, id: &str) -> Result<Task, ChangeError> {
    let all = tasks(contract_dir)?;
    let known = all.iter().map(|t| t.id.as_str()).collect::<Vec<_>>().join(", ");
    all.iter().find(|t| t.id == id).cloned().ok_or_else(|| ChangeError::Unknown { id: id.to_string(), known })
}

fn read_task(dir: &Path) -> Result<Task, ChangeError> {
    let file = dir.join("task.yaml");
    let invalid = |message: String| ChangeError::Invalid { file: file.clone(), message };
    let text = std::fs::read_to_string(&file).map_err(|e| invalid(format!("cannot read it: {e}")))?;
    let parsed: TaskFile = serde_saphyr::from_str(&text).map_err(|e| invalid(e.to_string()))?;
    let folder = dir.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
    if parsed.id != folder {
        return Err(invalid(format!("id `{}` must equal the folder name `{folder}`", parsed.id)));
    }
    if !is_kebab(&parsed.id) {
        return Err(invalid(format!("id `{}` must be kebab-case (a-z, 0-9 and single dashes)", parsed.id)));
    }
    if let Some(missing) = TASK_FILES.iter().find(|f| !dir.join(f).is_file()) {
        return Err(invalid(format!("the folder lacks {missing}")));
    }
    let TaskFile { id, title, kind, summary, touches, checks } = parsed;
    Ok(Task { id, title, kind, summary: summary.trim().to_string(), touches: touches.trim().to_string(), checks, dir: dir.to_path_buf() })
}

fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && !id.contains("--")
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contract() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../apps/contract")
    }

    fn scratch_task(yaml: &str, folder: &str) -> tempfile::TempDir {
        let scratch = tempfile::tempdir().unwrap();
        let dir = scratch.path().join("changes").join(folder);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("task.yaml"), yaml).unwrap();
        for file in TASK_FILES {
            std::fs::write(dir.join(file), "").unwrap();
        }
        scratch
    }

    #[test]
    fn the_contract_holds_three_tasks_sorted_by_id_each_with_its_files() {
        let tasks = tasks(&contract()).unwrap();
        let ids: Vec<&str> = tasks.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["brand-facet", "discount-codes", "order-history"]);
        let kinds: Vec<&str> = tasks.iter().map(|t| t.kind.as_str()).collect();
        assert_eq!(kinds, ["search-change", "new-table", "new-endpoint"]);
        assert!(tasks.iter().all(|t| t.brief().is_file() && t.schema().is_file() && !t.summary.contains('\n')));
    }

    #[test]
    fn an_unknown_task_id_lists_the_known_ones() {
        let message = task(&contract(), "gift-cards").unwrap_err().to_string();
        assert!(message.contains("no change task `gift-cards`") && message.contains("brand-facet, discount-codes, order-history"), "{message}");
    }

    #[test]
    fn a_task_yaml_with_an_unknown_key_names_the_file_and_the_key() {
        let yaml = "id: gift-cards\ntitle: t\nkind: new-table\nsummary: s\ntouches: t\nchecks: 3\npriority: high\n";
        let scratch = scratch_task(yaml, "gift-cards");
        let message = tasks(scratch.path()).unwrap_err().to_string();
        assert!(message.contains("gift-cards/task.yaml") && message.contains("priority"), "{message}");
    }

    #[test]
    fn a_task_whose_id_differs_from_its_folder_is_refused() {
        let yaml = "id: gift-card\ntitle: t\nkind: new-table\nsummary: s\ntouches: t\nchecks: 3\n";
        let message = tasks(scratch_task(yaml, "gift-cards").path()).unwrap_err().to_string();
        assert!(message.contains("must equal the folder name `gift-cards`"), "{message}");
    }

    #[test]
    fn a_task_folder_without_its_brief_is_refused() {
        let yaml = "id: gift-cards\ntitle: t\nkind: new-table\nsummary: s\ntouches: t\nchecks: 3\n";
        let scratch = scratch_task(yaml, "gift-cards");
        std::fs::remove_file(scratch.path().join("changes/gift-cards/TASK.md")).unwrap();
        let message = tasks(scratch.path()).unwrap_err().to_string();
        assert!(message.contains("lacks TASK.md"), "{message}");
    }

    #[test]
    fn kebab_case_ids_are_lower_case_words_joined_by_single_dashes() {
        assert!(is_kebab("discount-codes") && is_kebab("v2-search"));
        assert!(!is_kebab("Discount") && !is_kebab("a--b") && !is_kebab("-a") && !is_kebab("a_b") && !is_kebab(""));
    }
}
