//! Static ease-of-change figures of an app, for apps no developer has had a session with yet:
//! its source lines by language (tokei), files, direct and all dependencies (from its dependency
//! and lock files), its image's size, and how long its image takes to build from nothing and after
//! a one-line change. They say how much there is to read and to keep up, and how long the inner
//! loop's deploy takes, not how easy a change is — only sessions say that.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::collect::RunResults;

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
    /// Wall time of an image build without the build cache, when one was measured.
    pub no_cache_build_s: Option<f64>,
    /// Wall time of the rebuild after a one-line change to the app's `touch_file`.
    pub incremental_build_s: Option<f64>,
    /// Where the build times come from: a run's id (its deploy scenario) or `measured now`.
    pub builds_from: Option<String>,
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
        no_cache_build_s: None,
        incremental_build_s: None,
        builds_from: None,
    }
}

impl EaseFigures {
    /// Takes the image size and build times a run measured for this app, if it did.
    pub fn fill_from_run(&mut self, run: &RunResults) {
        let Some(app) = run.apps.iter().find(|a| a.app == self.app) else { return };
        if let Some(bytes) = app.image_size_bytes {
            self.image_mb = Some(bytes as f64 / 1e6);
        }
        if let Some(deploy) = &app.deploy {
            self.no_cache_build_s = deploy.no_cache_build_ms.map(|ms| ms as f64 / 1000.0);
            self.incremental_build_s = Some(deploy.incremental_build_ms as f64 / 1000.0);
            self.builds_from = Some(run.run_id.clone());
        }
    }
}

/// Every finished run under `results_dir` (its run folders and `reference/`), newest first; a
/// run.json this version cannot read is passed over.
pub fn runs_newest_first(results_dir: &Path) -> Vec<RunResults> {
    let mut folders: Vec<std::path::PathBuf> = Vec::new();
    for top in [results_dir.to_path_buf(), results_dir.join("reference")] {
        let Ok(entries) = std::fs::read_dir(&top) else { continue };
        folders.extend(entries.flatten().map(|e| e.path()).filter(|p| p.join("run.json").is_file()));
    }
    let mut runs: Vec<RunResults> =
        folders.iter().filter_map(|f| std::fs::read_to_string(f.join("run.json")).ok()).filter_map(|t| serde_json::from_str(&t).ok()).collect();
    runs.sort_by(|a, b| b.started_at.cmp(&a.started_at));
    runs
}

/// Fills in build times from the newest run that measured this app's builds (its deploy scenario).
/// A run whose no-cache build was measured is preferred to a newer one (a quick run) that skipped it.
pub fn fill_from_newest(figures: &mut EaseFigures, runs: &[RunResults]) {
    let deploy_of = |r: &&RunResults| r.apps.iter().find(|a| a.app == figures.app).and_then(|a| a.deploy.clone());
    let full = runs.iter().find(|r| deploy_of(r).is_some_and(|d| d.no_cache_build_ms.is_some()));
    if let Some(run) = full.or_else(|| runs.iter().find(|r| deploy_of(r).is_some())) {
        figures.fill_from_run(run);
    }
}

/// What report.html shows of ease of change beside a run's performance figures: the feedback
/// sessions of the run's apps, and static figures of those without one. Empty: no section.
#[derive(Debug, Clone, Default)]
pub struct EaseOfChange {
    pub sessions: Vec<super::session::Session>,
    pub figures: Vec<EaseFigures>,
    /// Why something could not be read (a broken session file never breaks a run's report).
    pub notes: Vec<String>,
}

/// Where a run's ease-of-change section is read from.
#[derive(Debug, Clone)]
pub struct EaseSources {
    /// Feedback sessions (results/feedback): every session.json under it.
    pub feedback_dir: std::path::PathBuf,
    /// The apps' folders, for the static figures.
    pub apps_dir: std::path::PathBuf,
    /// Earlier runs, for build times this run did not measure.
    pub results_dir: std::path::PathBuf,
}

impl EaseSources {
    pub fn of(config: &crate::config::Config) -> EaseSources {
        EaseSources {
            feedback_dir: super::command::feedback_dir(config),
            apps_dir: config.paths.apps_dir.clone(),
            results_dir: config.paths.results_dir.clone(),
        }
    }

    /// The section for `run`: sessions of its apps; for its other measured apps, static figures
    /// with this run's image size and build times (or the newest run's that measured them).
    pub fn for_run(&self, run: &RunResults) -> EaseOfChange {
        let mut ease = EaseOfChange::default();
        if self.feedback_dir.is_dir() {
            match super::command::gather(std::slice::from_ref(&self.feedback_dir)) {
                Ok(all) => ease.sessions = all.into_iter().filter(|s| run.apps.iter().any(|a| a.app == s.app)).collect(),
                Err(e) => ease.notes.push(format!("the feedback sessions in {} could not be read: {e:#}", self.feedback_dir.display())),
            }
        }
        let runs = runs_newest_first(&self.results_dir);
        for app in &run.apps {
            let dir = self.apps_dir.join(&app.app);
            if ease.sessions.iter().any(|s| s.app == app.app) || !dir.is_dir() {
                continue;
            }
            let mut figures = measure(&app.app, &dir);
            if app.deploy.as_ref().is_some_and(|d| d.no_cache_build_ms.is_some()) {
                figures.fill_from_run(run);
            } else {
                fill_from_newest(&mut figures, &runs);
                if figures.no_cache_build_s.is_none() && app.deploy.is_some() {
                    figures.fill_from_run(run);
                }
            }
            if let Some(bytes) = app.image_size_bytes {
                figures.image_mb = Some(bytes as f64 / 1e6);
            }
            ease.figures.push(figures);
        }
        ease
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
    fn rails_counts_the_gems_its_gemfile_names_apart_from_the_ones_they_pull_in() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../apps/rails");
        let figures = measure("rails", &dir);
        let gemfile = std::fs::read_to_string(dir.join("Gemfile")).unwrap();
        let named = gemfile.lines().filter(|l| l.trim_start().starts_with("gem ")).count();
        assert_eq!(figures.dependencies_direct, named, "{figures:?}");
        assert!(figures.dependencies_direct < figures.dependencies_all, "{figures:?}");
    }

    #[test]
    fn build_times_come_from_the_newest_run_that_built_without_the_cache() {
        let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../results/reference/full-2026-12-02/run.json")).unwrap();
        let full: RunResults = serde_json::from_str(&text).unwrap();
        let mut quick = full.clone();
        quick.run_id = "newer-quick".into();
        quick.started_at = "2099-01-01T00:00:00Z".into();
        for app in &mut quick.apps {
            let deploy = app.deploy.as_mut().unwrap();
            deploy.no_cache_build_ms = None;
            deploy.incremental_build_ms = 999;
        }
        let mut figures = measure("django", &Path::new(env!("CARGO_MANIFEST_DIR")).join("../apps/django"));
        let runs = [quick.clone(), full.clone()];
        fill_from_newest(&mut figures, &runs);
        let deploy = full.apps.iter().find(|a| a.app == "django").unwrap().deploy.clone().unwrap();
        assert_eq!(figures.builds_from.as_deref(), Some(full.run_id.as_str()));
        assert_eq!(figures.no_cache_build_s, deploy.no_cache_build_ms.map(|ms| ms as f64 / 1000.0));
        assert_eq!(figures.incremental_build_s, Some(deploy.incremental_build_ms as f64 / 1000.0));

        let mut only_quick = measure("django", &Path::new(env!("CARGO_MANIFEST_DIR")).join("../apps/django"));
        fill_from_newest(&mut only_quick, &[quick]);
        assert_eq!((only_quick.no_cache_build_s, only_quick.incremental_build_s), (None, Some(0.999)));
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
