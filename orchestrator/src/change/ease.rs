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
    /// Packages the app names itself (package.json, go.mod, requirements.txt, composer.json,
    /// pom.xml, Gemfile.lock's DEPENDENCIES).
    pub dependencies_direct: usize,
    /// Every package its lock files pin, transitive ones included, and the direct ones (alone
    /// where there is no lock file: Maven, Laravel on Debian's packages).
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
        dependencies_direct: super::diff::direct_dependencies(dir).len(),
        dependencies_all: super::diff::dependencies(dir).len(),
        image_mb: None,
    }
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
        for app in &apps {
            let figures = measure(&app.id, &app.dir);
            assert!(figures.code_lines() > 100 && figures.source_files > 1, "{figures:?}");
            assert!(figures.dependencies_direct > 0 && figures.dependencies_direct <= figures.dependencies_all, "{figures:?}");
        }
    }
}
