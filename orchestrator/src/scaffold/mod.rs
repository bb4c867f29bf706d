//! `bakeoff new`: a new app folder with the shape every app has — a manifest filled in as far as
//! the language allows, a Dockerfile skeleton following apps/README.md, a README with the usual
//! sections — and the app's service in compose/apps.yaml. What only the developer knows is left
//! as TODO, and `bakeoff verify <id>` lists what is still missing.

pub mod languages;

use std::path::{Path, PathBuf};

use minijinja::{context, Environment};
use thiserror::Error;

use crate::config::Config;
pub use languages::Language;

/// What to create.
#[derive(Debug, Clone)]
pub struct NewApp {
    /// Kebab-case: folder, manifest id, image tag and label.
    pub id: String,
    pub language: String,
    /// The framework's name as its documentation writes it (default: TODO).
    pub framework: Option<String>,
    /// The name in tables (default: the framework's name, or the id).
    pub display_name: Option<String>,
}

/// What `create` wrote.
#[derive(Debug, Clone)]
pub struct Created {
    pub id: String,
    pub dir: PathBuf,
    /// The files written, relative to the repository.
    pub files: Vec<PathBuf>,
    /// The compose file the app's service was added to, with its host port; None when there is
    /// no such file or it already had a service of that name.
    pub compose: Option<(PathBuf, u16)>,
    pub language: &'static Language,
}

#[derive(Debug, Error)]
pub enum ScaffoldError {
    #[error("`{0}` is not a kebab-case id: use lower-case letters and digits in words joined by single hyphens, starting with a letter (e.g. hono-bun)")]
    NotKebabCase(String),
    #[error("`{0}` is reserved (apps/{0}/ is not an app): choose another id")]
    Reserved(String),
    #[error("{0} already exists: choose another id, or remove that folder first")]
    Exists(PathBuf),
    #[error("no language `{language}` is known to `bakeoff new`; the known ones are: {known}")]
    UnknownLanguage { language: String, known: String },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot read {path}: {message}\n  fix the file, or run bakeoff from the repository root")]
    Compose { path: PathBuf, message: String },
    #[error("rendering {0} failed: {1}")]
    Render(&'static str, String),
}

const RESERVED: &[&str] = &["contract"];
const TEMPLATES: &[(&str, &str)] = &[
    ("app.yaml", include_str!("templates/app.yaml.j2")),
    ("Dockerfile", include_str!("templates/Dockerfile.j2")),
    ("README.md", include_str!("templates/README.md.j2")),
    ("compose-service", include_str!("templates/compose-service.j2")),
];
/// The first host port apps get in compose/apps.yaml.
const FIRST_HOST_PORT: u16 = 18001;

/// True for `hono-bun`, `spring`, `ktor2`; false for `Hono`, `hono_bun`, `-x`, `a--b`, `2fa`.
pub fn is_kebab_case(id: &str) -> bool {
    let mut words = id.split('-');
    let first_is_letter = id.chars().next().is_some_and(|c| c.is_ascii_lowercase());
    first_is_letter && words.all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()))
}

/// Writes `apps/<id>/` (all files or none) and adds the app's service to `compose_file`.
pub fn create(config: &Config, compose_file: &Path, new: &NewApp) -> Result<Created, ScaffoldError> {
    let language = check(config, new)?;
    let dir = config.paths.apps_dir.join(&new.id);
    let framework = new.framework.clone().unwrap_or_else(|| "\"TODO: the framework's name\"".into());
    let display = new.display_name.clone().or_else(|| new.framework.clone()).unwrap_or_else(|| new.id.clone());
    let env = environment()?;
    let vars = context! { id => new.id, display_name => display, framework_name => framework, lang => language, base_tag => config.images.base_tag };
    let staging = tempfile::Builder::new()
        .prefix(&format!(".new-{}-", new.id))
        .tempdir_in(&config.paths.apps_dir)
        .map_err(|source| write_error(&config.paths.apps_dir, source))?;
    let mut files = Vec::new();
    for name in ["app.yaml", "Dockerfile", "README.md"] {
        let text = render(&env, name, &vars)?;
        std::fs::write(staging.path().join(name), text).map_err(|source| write_error(&dir.join(name), source))?;
        files.push(dir.join(name));
    }
    std::fs::rename(staging.keep(), &dir).map_err(|source| write_error(&dir, source))?;
    let compose = match add_service(config, compose_file, &new.id, &env) {
        Ok(compose) => compose,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&dir);
            return Err(e);
        }
    };
    Ok(Created { id: new.id.clone(), dir, files, compose, language })
}

/// Refuses a bad id, an existing folder or an unknown language, before anything is written.
fn check(config: &Config, new: &NewApp) -> Result<&'static Language, ScaffoldError> {
    if !is_kebab_case(&new.id) {
        return Err(ScaffoldError::NotKebabCase(new.id.clone()));
    }
    if RESERVED.contains(&new.id.as_str()) {
        return Err(ScaffoldError::Reserved(new.id.clone()));
    }
    let dir = config.paths.apps_dir.join(&new.id);
    if dir.exists() {
        return Err(ScaffoldError::Exists(dir));
    }
    languages::find(&new.language).ok_or_else(|| ScaffoldError::UnknownLanguage { language: new.language.clone(), known: languages::known() })
}

fn environment() -> Result<Environment<'static>, ScaffoldError> {
    let mut env = Environment::new();
    env.set_keep_trailing_newline(true);
    for (name, source) in TEMPLATES {
        env.add_template(name, source).map_err(|e| ScaffoldError::Render(name, e.to_string()))?;
    }
    Ok(env)
}

fn render(env: &Environment, name: &'static str, vars: &minijinja::Value) -> Result<String, ScaffoldError> {
    env.get_template(name).and_then(|t| t.render(vars)).map_err(|e| ScaffoldError::Render(name, e.to_string()))
}

fn write_error(path: &Path, source: std::io::Error) -> ScaffoldError {
    ScaffoldError::Write { path: path.to_path_buf(), source }
}

/// Appends the app's service to the compose file, on the next free host port, with the limits of
/// a run. Leaves the file alone when it has a service of that name already.
fn add_service(config: &Config, file: &Path, id: &str, env: &Environment) -> Result<Option<(PathBuf, u16)>, ScaffoldError> {
    let unreadable = |message: String| ScaffoldError::Compose { path: file.to_path_buf(), message };
    if !file.exists() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(file).map_err(|e| unreadable(e.to_string()))?;
    let compose: serde_json::Value = serde_saphyr::from_str(&text).map_err(|e| unreadable(e.to_string()))?;
    let services = compose.get("services").and_then(|s| s.as_object()).ok_or_else(|| unreadable("it has no `services:`".into()))?;
    if services.contains_key(id) {
        return Ok(None);
    }
    let port = next_host_port(services.values());
    let run = &config.run;
    let vars = context! {
        id => id,
        env_id => id.to_uppercase().replace('-', "_"),
        host_port => port,
        memory => format!("{}g", run.app_memory_mb / 1024),
        cpus => format!("{:.1}", run.app_cpus),
        cpuset => run.app_cpuset,
    };
    let mut updated = text;
    if !updated.ends_with('\n') {
        updated.push('\n');
    }
    updated.push_str(&render(env, "compose-service", &vars)?);
    std::fs::write(file, updated).map_err(|source| write_error(file, source))?;
    Ok(Some((file.to_path_buf(), port)))
}

/// One above the highest default host port any service publishes (`${VAR:-18009}`), at least 18001.
fn next_host_port<'a>(services: impl Iterator<Item = &'a serde_json::Value>) -> u16 {
    let defaults = services.filter_map(|s| s.get("ports")?.as_array()?.first()?.as_str().map(str::to_string)).filter_map(|p| {
        let (_, rest) = p.split_once(":-")?;
        rest.split('}').next()?.parse::<u16>().ok()
    });
    defaults.filter(|p| *p >= FIRST_HOST_PORT).max().map_or(FIRST_HOST_PORT, |p| p + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A config whose apps folder is a fresh temporary one, beside a copy of compose/apps.yaml.
    fn sandbox() -> (tempfile::TempDir, Config, PathBuf) {
        let root = tempfile::tempdir().unwrap();
        let mut config = Config::load(None).unwrap();
        config.paths.apps_dir = root.path().join("apps");
        std::fs::create_dir_all(&config.paths.apps_dir).unwrap();
        let compose = root.path().join("apps.yaml");
        std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("../compose/apps.yaml"), &compose).unwrap();
        (root, config, compose)
    }

    fn new(id: &str, language: &str) -> NewApp {
        NewApp { id: id.into(), language: language.into(), framework: Some("Hono".into()), display_name: None }
    }

    #[test]
    fn ids_must_be_kebab_case() {
        for good in ["hono-bun", "ktor", "spring2", "a-b-c"] {
            assert!(is_kebab_case(good), "{good}");
        }
        for bad in ["Hono", "hono_bun", "-x", "x-", "a--b", "2fa", "", "hono bun"] {
            assert!(!is_kebab_case(bad), "{bad}");
        }
    }

    #[test]
    fn a_bad_id_an_existing_folder_or_an_unknown_language_is_refused_and_nothing_is_written() {
        let (_root, config, compose) = sandbox();
        let before = std::fs::read_to_string(&compose).unwrap();
        std::fs::create_dir(config.paths.apps_dir.join("ktor")).unwrap();
        let refusals = [
            (new("Hono_Bun", "typescript"), "kebab-case"),
            (new("contract", "go"), "reserved"),
            (new("ktor", "kotlin"), "already exists"),
            (new("hono-bun", "cobol"), "typescript"),
        ];
        for (app, says) in refusals {
            let error = create(&config, &compose, &app).unwrap_err().to_string();
            assert!(error.contains(says), "{error}");
        }
        assert_eq!(std::fs::read_dir(&config.paths.apps_dir).unwrap().count(), 1, "only the folder made above");
        assert_eq!(std::fs::read_to_string(&compose).unwrap(), before);
    }

    #[test]
    fn every_language_makes_a_folder_that_verify_reads_as_unfinished_with_only_todos_to_fill_in() {
        for language in languages::LANGUAGES {
            let (_root, config, compose) = sandbox();
            let id = format!("probe-{}", language.id);
            let created = create(&config, &compose, &new(&id, language.id)).unwrap();
            assert_eq!(created.files.len(), 3);
            let found = crate::images::apps::find(&config.paths.apps_dir).unwrap();
            assert!(found.ready.is_empty());
            let problems = &found.unfinished[0].problems;
            assert!(problems.iter().all(|p| p.contains("TODO")), "{problems:?}");
            assert!(problems.iter().any(|p| p.starts_with("framework.version:")), "{problems:?}");
            let outcome = crate::verify::setup::unfinished(&found.unfinished[0], &config.images.base_tag);
            let setup = &outcome.groups[0];
            let not_todo: Vec<&str> =
                setup.failures.iter().map(|f| f.check.as_str()).filter(|c| *c != "app.yaml is finished" && !c.contains("no TODO left")).collect();
            assert!(not_todo.is_empty(), "{}: the skeleton breaks a convention itself: {not_todo:?}", language.id);
        }
    }

    #[test]
    fn a_finished_manifest_from_the_template_parses_once_its_todos_are_filled_in() {
        let (_root, config, compose) = sandbox();
        let created = create(&config, &compose, &new("hono-bun", "typescript")).unwrap();
        let file = created.dir.join("app.yaml");
        let filled = std::fs::read_to_string(&file)
            .unwrap()
            .replace("\"TODO: full, micro or raw\"", "raw")
            .replace("\"TODO: async, threads, virtual-threads or processes\"", "async")
            .replace("\"TODO: single or per-cpu\"", "per-cpu")
            .replace("\"TODO: seconds or collections\"", "seconds")
            .replace("TODO", "done");
        std::fs::write(&file, filled).unwrap();
        let apps = crate::images::apps::discover(&config.paths.apps_dir).unwrap();
        assert_eq!((apps[0].id.as_str(), apps[0].port, apps[0].framework.name.as_str()), ("hono-bun", 8080, "Hono"));
        assert!(apps[0].observability.as_ref().unwrap().event_loop_lag.is_some(), "a JavaScript runtime maps its event-loop lag");
    }

    #[test]
    fn the_compose_service_takes_the_next_host_port_and_the_limits_of_a_run() {
        let (_root, config, compose) = sandbox();
        let before: serde_json::Value = serde_saphyr::from_str(&std::fs::read_to_string(&compose).unwrap()).unwrap();
        let highest = next_host_port(before["services"].as_object().unwrap().values()) - 1;
        assert!(highest >= 18009, "spring has 18009");
        let created = create(&config, &compose, &new("probe-app", "typescript")).unwrap();
        let (_, port) = created.compose.unwrap();
        assert_eq!(port, highest + 1);
        let parsed: serde_json::Value = serde_saphyr::from_str(&std::fs::read_to_string(&compose).unwrap()).unwrap();
        let service = &parsed["services"]["probe-app"];
        assert_eq!(service["image"], "bakeoff/probe-app:latest");
        assert_eq!(service["ports"][0], format!("127.0.0.1:${{BAKEOFF_PROBE_APP_PORT:-{port}}}:8080"));
        assert_eq!(service["cpuset"], config.run.app_cpuset.as_str());
        let again = create(&config, &compose, &new("probe-two", "kotlin")).unwrap();
        assert_eq!(again.compose.unwrap().1, port + 1);
    }
}
