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
    /// Packages the lock files name now and did not before, and packages the app now asks for
    /// itself and did not (a transitive package made direct counts): `name`, or `group:artifact`
    /// for Maven.
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
    let (old_all, new_all) = (dependencies(baseline), dependencies(workspace));
    let (old_direct, new_direct) = (direct_dependencies(baseline), direct_dependencies(workspace));
    let changed = |from: &BTreeSet<String>, to: &BTreeSet<String>, direct_from: &BTreeSet<String>, direct_to: &BTreeSet<String>| {
        to.difference(from).chain(direct_to.difference(direct_from)).cloned().collect::<BTreeSet<_>>().into_iter().collect()
    };
    stats.dependencies_added = changed(&old_all, &new_all, &old_direct, &new_direct);
    stats.dependencies_removed = changed(&new_all, &old_all, &new_direct, &old_direct);
    Ok(stats)
}

/// SHA-256 over the folder's build context: every file's path and contents, in order.
pub fn fingerprint(dir: &Path) -> std::io::Result<String> {
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::new();
    for name in files(dir)? {
        hash.update(name.as_bytes());
        hash.update([0]);
        hash.update(std::fs::read(dir.join(&name))?);
        hash.update([0]);
    }
    Ok(hex::encode(hash.finalize()))
}

fn files(dir: &Path) -> std::io::Result<BTreeSet<String>> {
    Ok(crate::images::apps::context_files(dir)?.into_iter().map(|p| p.to_string_lossy().into_owned()).collect())
}

/// Every package the folder's lock and dependency files name, the direct ones included (an app
/// without a lock file, as Laravel on Debian's packages, names only those).
pub fn dependencies(dir: &Path) -> BTreeSet<String> {
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).ok();
    let mut names = direct_dependencies(dir);
    if let Some(text) = read("package-lock.json") {
        names.extend(npm_lock(&text));
    }
    if let Some(text) = read("go.sum") {
        names.extend(text.lines().filter_map(|l| l.split_whitespace().next()).map(str::to_string));
    }
    if let Some(text) = read("composer.lock") {
        names.extend(composer_lock(&text));
    }
    if let Some(text) = read("Gemfile.lock") {
        names.extend(gemfile_lock(&text));
    }
    names
}

/// The packages the app asks for itself: package.json, go.mod (not those marked `// indirect`),
/// requirements.txt, composer.json (not `php` itself), pom.xml and Gemfile.lock's DEPENDENCIES.
pub fn direct_dependencies(dir: &Path) -> BTreeSet<String> {
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).ok();
    let mut names = BTreeSet::new();
    if let Some(text) = read("package.json") {
        names.extend(json_keys(&text, &["dependencies", "devDependencies"]));
    }
    if let Some(text) = read("go.mod") {
        names.extend(go_mod(&text));
    }
    if let Some(text) = read("requirements.txt") {
        names.extend(requirements(&text));
    }
    if let Some(text) = read("composer.json") {
        names.extend(json_keys(&text, &["require", "require-dev"]).into_iter().filter(|name| name != "php"));
    }
    if let Some(text) = read("pom.xml") {
        names.extend(maven(&text));
    }
    if let Some(text) = read("Gemfile.lock") {
        names.extend(gemfile_lock_dependencies(&text));
    }
    names
}

/// The keys of the given objects of a JSON manifest (package.json, composer.json).
fn json_keys(text: &str, objects: &[&str]) -> Vec<String> {
    let manifest: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
    objects.iter().filter_map(|key| manifest.get(key)?.as_object()).flat_map(|o| o.keys().cloned()).collect()
}

/// go.mod's required modules, in `require (…)` blocks or one per line, without the indirect ones.
fn go_mod(text: &str) -> Vec<String> {
    let mut inside = false;
    let mut modules = Vec::new();
    for line in text.lines().map(str::trim) {
        let entry = if inside { Some(line) } else { line.strip_prefix("require ").filter(|rest| !rest.trim_start().starts_with('(')) };
        inside = (inside || line.starts_with("require (") || line == "require(") && line != ")";
        if let Some(entry) = entry.filter(|e| !e.is_empty() && *e != ")" && !e.contains("// indirect")) {
            modules.extend(entry.split_whitespace().next().map(str::to_string));
        }
    }
    modules
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

/// Bundler's lock file: the gems the Gemfile asks for (two spaces under `DEPENDENCIES`).
fn gemfile_lock_dependencies(text: &str) -> Vec<String> {
    let section = text.lines().skip_while(|l| *l != "DEPENDENCIES").skip(1).take_while(|l| l.starts_with("  "));
    section.filter_map(|l| l.split_whitespace().next()).map(|name| name.trim_end_matches('!').to_string()).collect()
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
    fn a_transitive_package_the_app_now_asks_for_itself_is_a_dependency_added() {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let lock = r#"{"packages": {"": {}, "node_modules/class-validator": {}, "node_modules/validator": {}}}"#;
        std::fs::write(a.path().join("package-lock.json"), lock).unwrap();
        std::fs::write(b.path().join("package-lock.json"), lock).unwrap();
        std::fs::write(a.path().join("package.json"), r#"{"dependencies": {"class-validator": "0.15.1"}}"#).unwrap();
        std::fs::write(b.path().join("package.json"), r#"{"dependencies": {"class-validator": "0.15.1", "validator": "^13.15.35"}}"#).unwrap();
        let go_mod =
            |text: &str| format!("module shop\n\ngo 1.24\n\nrequire github.com/gin-gonic/gin v1.11.0\n\nrequire (\n\tgithub.com/a/b v1.0.0{text}\n)\n");
        std::fs::write(a.path().join("go.mod"), go_mod(" // indirect")).unwrap();
        std::fs::write(b.path().join("go.mod"), go_mod("")).unwrap();
        std::fs::write(a.path().join("go.sum"), "github.com/a/b v1.0.0 h1:x=\n").unwrap();
        std::fs::write(b.path().join("go.sum"), "github.com/a/b v1.0.0 h1:x=\n").unwrap();
        let stats = diff(a.path(), b.path()).unwrap();
        assert_eq!(stats.dependencies_added, vec!["github.com/a/b", "validator"]);
        assert!(stats.dependencies_removed.is_empty(), "{stats:?}");
    }

    #[test]
    fn composer_json_and_the_gemfile_lock_name_what_the_app_asks_for() {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let composer = |extra: &str| format!(r#"{{"require": {{"php": "^8.4", "ext-pdo_pgsql": "*", "laravel/framework": "10.48.29"{extra}}}}}"#);
        std::fs::write(a.path().join("composer.json"), composer("")).unwrap();
        std::fs::write(b.path().join("composer.json"), composer(r#", "egulias/email-validator": "^4.0""#)).unwrap();
        let gemfile_lock =
            |extra: &str| format!("GEM\n  specs:\n    oj (3.16.3)\n    pg (1.5.6)\n\nDEPENDENCIES\n  pg (= 1.5.6)\n{extra}\nRUBY VERSION\n   ruby 3.3.8p144\n");
        std::fs::write(a.path().join("Gemfile.lock"), gemfile_lock("")).unwrap();
        std::fs::write(b.path().join("Gemfile.lock"), gemfile_lock("  oj (= 3.16.3)\n")).unwrap();
        assert_eq!(direct_dependencies(a.path()).into_iter().collect::<Vec<_>>(), vec!["ext-pdo_pgsql", "laravel/framework", "pg"]);
        let stats = diff(a.path(), b.path()).unwrap();
        assert_eq!(stats.dependencies_added, vec!["egulias/email-validator", "oj"]);
    }

    #[test]
    fn every_app_in_the_repository_names_its_dependencies_somewhere_we_read() {
        let apps = crate::images::apps::discover(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../apps")).unwrap();
        for app in &apps {
            assert!(!dependencies(&app.dir).is_empty(), "{}: no dependency read", app.id);
            assert!(!direct_dependencies(&app.dir).is_empty(), "{}: no direct dependency read", app.id);
        }
    }
}
