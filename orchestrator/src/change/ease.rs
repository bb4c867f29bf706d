//! Static ease-of-change figures of an app, for apps no developer has had a session with yet:
//! its source lines by language (tokei), files, direct and all dependencies (from its dependency
//! and lock files), and its image's size. They say how much there is to read and to keep up, not
//! how easy a change is — only sessions say that.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

/// One app's static figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EaseFigures {
    pub app: String,
    /// Lines of code (not comments or blanks) per language, as tokei counts them.
    pub code_lines_by_language: BTreeMap<String, usize>,
    /// Files tokei counted as source.
    pub source_files: usize,
    /// Packages the app names itself (package.json, go.mod, requirements.txt, pom.xml, …).
    pub dependencies_direct: usize,
    /// Every package its lock files pin, transitive ones included (the direct ones where an
    /// ecosystem keeps no lock file: Maven).
    pub dependencies_all: usize,
    /// The image's size, when it has been built.
    pub image_mb: Option<f64>,
}

impl EaseFigures {
    pub fn code_lines(&self) -> usize {
        self.code_lines_by_language.values().sum()
    }
}

/// Reads `dir` (an app folder); the image size is the caller's to fill in.
pub fn measure(app: &str, dir: &Path) -> EaseFigures {
    let mut languages = tokei::Languages::new();
    let excluded = ["node_modules", "target", "vendor", ".venv", "__pycache__", "*.lock", "package-lock.json", "go.sum"];
    languages.get_statistics(&[dir], &excluded, &tokei::Config::default());
    let mut code_lines_by_language = BTreeMap::new();
    let mut source_files = 0;
    for (kind, language) in languages.iter() {
        if language.code > 0 && !matches!(kind, tokei::LanguageType::Markdown | tokei::LanguageType::Json | tokei::LanguageType::Yaml) {
            code_lines_by_language.insert(kind.name().to_string(), language.code);
            source_files += language.reports.len();
        }
    }
    EaseFigures {
        app: app.to_string(),
        code_lines_by_language,
        source_files,
        dependencies_direct: direct_dependencies(dir),
        dependencies_all: super::diff::dependencies(dir).len(),
        image_mb: None,
    }
}

/// The packages an app asks for itself.
fn direct_dependencies(dir: &Path) -> usize {
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).ok();
    let mut count = 0;
    if let Some(text) = read("package.json") {
        let manifest: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        count += ["dependencies", "devDependencies"].iter().filter_map(|k| manifest.get(k)?.as_object().map(|o| o.len())).sum::<usize>();
    }
    if let Some(text) = read("go.mod") {
        let mut inside = false;
        for line in text.lines().map(str::trim) {
            inside = (inside || line.starts_with("require (")) && line != ")";
            let single = line.starts_with("require ") && !line.ends_with('(');
            if (single || (inside && !line.starts_with("require"))) && !line.contains("// indirect") && !line.is_empty() {
                count += 1;
            }
        }
    }
    if read("pom.xml").is_some() {
        count += super::diff::dependencies(dir).len();
    }
    if read("package.json").is_none() && read("go.mod").is_none() && read("pom.xml").is_none() {
        count += super::diff::dependencies(dir).len();
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gin_counts_go_lines_and_its_direct_modules_apart_from_the_indirect_ones() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../apps/gin");
        let figures = measure("gin", &dir);
        assert!(figures.code_lines_by_language.get("Go").is_some_and(|n| *n > 300), "{figures:?}");
        assert!(!figures.code_lines_by_language.contains_key("Markdown"));
        assert!(figures.dependencies_direct >= 5 && figures.dependencies_direct < figures.dependencies_all, "{figures:?}");
    }

    #[test]
    fn every_app_has_code_and_dependencies_to_count() {
        let apps = crate::images::apps::discover(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../apps")).unwrap();
        for app in apps.iter().filter(|a| !["laravel", "rails"].contains(&a.id.as_str())) {
            let figures = measure(&app.id, &app.dir);
            assert!(figures.code_lines() > 100 && figures.source_files > 1, "{figures:?}");
            assert!(figures.dependencies_direct > 0 && figures.dependencies_direct <= figures.dependencies_all, "{figures:?}");
        }
    }
}
