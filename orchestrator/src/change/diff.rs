//! The size of a change: files touched and lines added and removed (a line diff of the workspace
//! against the baseline copy), and the dependencies added or removed, read from the lock and
//! dependency files each ecosystem keeps.

use std::collections::BTreeSet;
use std::path::Path;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use similar::{ChangeTag, TextDiff};

/// What a session changed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DiffStats {
    /// Files added, removed or changed, relative to the app folder.
    pub files_touched: Vec<String>,
    pub lines_added: u32,
    pub lines_removed: u32,
    /// Packages the lock files name now and did not before (`name`, or `group:artifact` for Maven).
    pub dependencies_added: Vec<String>,
    pub dependencies_removed: Vec<String>,
}

/// Compares `workspace` with `baseline`, both copies of one app folder.
pub fn diff(baseline: &Path, workspace: &Path) -> std::io::Result<DiffStats> {
    let before = files(baseline)?;
    let after = files(workspace)?;
    let mut stats = DiffStats::default();
    for relative in before.union(&after) {
        let old = std::fs::read(baseline.join(relative)).unwrap_or_default();
        let new = std::fs::read(workspace.join(relative)).unwrap_or_default();
        if old == new && before.contains(relative) == after.contains(relative) {
            continue;
        }
        stats.files_touched.push(relative.clone());
        let (old, new) = (String::from_utf8_lossy(&old), String::from_utf8_lossy(&new));
        for change in TextDiff::from_lines(old.as_ref(), new.as_ref()).iter_all_changes() {
            match change.tag() {
                ChangeTag::Insert => stats.lines_added += 1,
                ChangeTag::Delete => stats.lines_removed += 1,
                ChangeTag::Equal => {}
            }
        }
    }
    let (old_deps, new_deps) = (dependencies(baseline), dependencies(workspace));
    stats.dependencies_added = new_deps.difference(&old_deps).cloned().collect();
    stats.dependencies_removed = old_deps.difference(&new_deps).cloned().collect();
    Ok(stats)
}

fn files(dir: &Path) -> std::io::Result<BTreeSet<String>> {
    Ok(crate::images::apps::context_files(dir)?.into_iter().map(|p| p.to_string_lossy().into_owned()).collect())
}

/// Every package the folder's lock and dependency files name.
pub fn dependencies(dir: &Path) -> BTreeSet<String> {
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).ok();
    let mut names = BTreeSet::new();
    if let Some(text) = read("package-lock.json") {
        names.extend(npm_lock(&text));
    }
    if let Some(text) = read("go.sum") {
        names.extend(text.lines().filter_map(|l| l.split_whitespace().next()).map(str::to_string));
    }
    if let Some(text) = read("requirements.txt") {
        names.extend(requirements(&text));
    }
    if let Some(text) = read("composer.lock") {
        names.extend(composer_lock(&text));
    }
    if let Some(text) = read("pom.xml") {
        names.extend(maven(&text));
    }
    if let Some(text) = read("Gemfile.lock") {
        names.extend(gemfile_lock(&text));
    }
    names
}

/// npm's lock file v2/v3: every `node_modules/<name>` under `packages`.
fn npm_lock(text: &str) -> Vec<String> {
    let lock: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
    let packages = lock.get("packages").and_then(|p| p.as_object());
    packages.into_iter().flat_map(|p| p.keys()).filter_map(|k| k.rsplit_once("node_modules/").map(|(_, name)| name.to_string())).collect()
}

/// pip's requirements: the name before any version specifier, normalised as PEP 503 says.
fn requirements(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty() && !l.starts_with('-'))
        .filter_map(|l| l.split(|c: char| "=<>!~[; ".contains(c)).next())
        .map(|name| name.to_lowercase().replace(['_', '.'], "-"))
        .collect()
}

fn composer_lock(text: &str) -> Vec<String> {
    let lock: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
    let packages = lock.get("packages").and_then(|p| p.as_array()).cloned().unwrap_or_default();
    packages.iter().filter_map(|p| p.get("name")?.as_str().map(str::to_string)).collect()
}

/// Maven has no lock file: the direct `<dependency>` and `<plugin>` coordinates of pom.xml.
fn maven(text: &str) -> Vec<String> {
    let Ok(doc) = roxmltree::Document::parse(text) else { return Vec::new() };
    let child = |node: roxmltree::Node, name: &str| node.children().find(|c| c.has_tag_name(name)).and_then(|c| c.text()).map(str::trim).map(str::to_string);
    doc.descendants()
        .filter(|n| n.has_tag_name("dependency") || n.has_tag_name("plugin"))
        .filter_map(|n| Some(format!("{}:{}", child(n, "groupId").unwrap_or_default(), child(n, "artifactId")?)))
        .collect()
}

/// Bundler's lock file: the gems under each `specs:` (four spaces, then the name and version).
fn gemfile_lock(text: &str) -> Vec<String> {
    text.lines().filter(|l| l.starts_with("    ") && !l.starts_with("     ")).filter_map(|l| l.split_whitespace().next()).map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_an_added_and_a_removed_file_are_counted_line_by_line() {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        std::fs::write(a.path().join("main.go"), "one\ntwo\nthree\n").unwrap();
        std::fs::write(b.path().join("main.go"), "one\n2\nthree\nfour\n").unwrap();
        std::fs::write(a.path().join("old.go"), "x\ny\n").unwrap();
        std::fs::write(b.path().join("new.go"), "z\n").unwrap();
        std::fs::write(a.path().join("same.go"), "s\n").unwrap();
        std::fs::write(b.path().join("same.go"), "s\n").unwrap();
        let stats = diff(a.path(), b.path()).unwrap();
        assert_eq!(stats.files_touched, vec!["main.go", "new.go", "old.go"]);
        assert_eq!((stats.lines_added, stats.lines_removed), (3, 3), "main.go +2 −1, new.go +1, old.go −2");
    }

    #[test]
    fn dependencies_added_and_removed_are_read_from_each_ecosystems_files() {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        std::fs::write(a.path().join("requirements.txt"), "fastapi==0.1\nasyncpg==0.3  # driver\n").unwrap();
        std::fs::write(b.path().join("requirements.txt"), "fastapi==0.1\nPyJWT[crypto]==2.0\n").unwrap();
        std::fs::write(a.path().join("go.sum"), "github.com/a/b v1.0.0 h1:x=\n").unwrap();
        std::fs::write(b.path().join("go.sum"), "github.com/a/b v1.0.0 h1:x=\ngithub.com/c/d v0.1.0/go.mod h1:y=\n").unwrap();
        let pom = |extra: &str| {
            format!("<project><dependencies><dependency><groupId>io.ktor</groupId><artifactId>ktor-server-netty</artifactId></dependency>{extra}</dependencies></project>")
        };
        std::fs::write(a.path().join("pom.xml"), pom("")).unwrap();
        std::fs::write(b.path().join("pom.xml"), pom("<dependency><groupId>com.zaxxer</groupId><artifactId>HikariCP</artifactId></dependency>")).unwrap();
        let lock = r#"{"packages": {"": {}, "node_modules/hono": {}, "node_modules/@hono/zod-validator": {}}}"#;
        std::fs::write(b.path().join("package-lock.json"), lock).unwrap();
        let stats = diff(a.path(), b.path()).unwrap();
        assert_eq!(stats.dependencies_added, vec!["@hono/zod-validator", "com.zaxxer:HikariCP", "github.com/c/d", "hono", "pyjwt"]);
        assert_eq!(stats.dependencies_removed, vec!["asyncpg"]);
    }

    #[test]
    fn every_app_in_the_repository_names_its_dependencies_somewhere_we_read() {
        let apps = crate::images::apps::discover(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../apps")).unwrap();
        for app in apps.iter().filter(|a| !["laravel", "rails"].contains(&a.id.as_str())) {
            assert!(!dependencies(&app.dir).is_empty(), "{}: no dependency read", app.id);
        }
    }
}
