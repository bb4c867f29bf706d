//! App manifests (`apps/<id>/app.yaml`) and building app images from their folders.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::manifest::{MaxInFlight, Observability, Tags};
use super::ImagesError;
use crate::docker::{BuildRequest, Engine};
use crate::progress::Step;

/// Name and version of a framework or runtime.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NamedVersion {
    pub name: String,
    pub version: String,
}

/// An app's manifest: who it is, what it runs on, how to reach it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppManifest {
    /// Kebab-case id: folder name, image tag and `bakeoff.app` label.
    pub id: String,
    pub display_name: String,
    pub language: String,
    pub framework: NamedVersion,
    pub runtime: NamedVersion,
    pub server: String,
    pub orm_or_driver: String,
    /// Port the app listens on inside its container.
    pub port: u16,
    pub health_path: String,
    /// A source file the image build copies (relative to the app's folder). The deploy scenario
    /// appends a comment line to a copy of it and times the rebuild, so the file must sit in the
    /// layer a developer's everyday change invalidates.
    pub touch_file: PathBuf,
    pub tags: Tags,
    /// The most requests the app serves at once (threads × workers, FPM children, or unbounded).
    pub max_in_flight: MaxInFlight,
    /// The access log and metrics libraries and which metric family plays which part (RULES.md
    /// §8). `bakeoff verify` fails the observability group of an app without it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observability: Option<Observability>,
    /// Exact versions the image resolves.
    #[serde(default)]
    pub versions: BTreeMap<String, String>,
    /// The folder the manifest was read from.
    #[serde(skip)]
    pub dir: PathBuf,
    /// The image tag to build and run instead of `bakeoff/<id>:latest`: set for a change check's
    /// workspace ([`read_workspace`]), whose image must not replace the app's own.
    #[serde(skip)]
    pub tag: Option<String>,
}

impl AppManifest {
    pub fn image_tag(&self) -> String {
        self.tag.clone().unwrap_or_else(|| format!("bakeoff/{}:latest", self.id))
    }
}

/// An app folder whose manifest cannot be used yet: left unfinished by `bakeoff new`, or invalid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unfinished {
    /// The folder's name (the id the app will have).
    pub id: String,
    pub dir: PathBuf,
    /// What to fill in or fix in `app.yaml`, one line each.
    pub problems: Vec<String>,
}

/// Every app folder under the apps folder: those ready to build and those still unfinished.
#[derive(Debug, Clone, Default)]
pub struct AppsFound {
    pub ready: Vec<AppManifest>,
    pub unfinished: Vec<Unfinished>,
}

impl AppsFound {
    /// Keeps the apps named in `wanted` (all when empty); an unknown name is an error listing the known.
    pub fn select(self, wanted: &[String]) -> Result<AppsFound, ImagesError> {
        if wanted.is_empty() {
            return Ok(self);
        }
        let mut known: Vec<&str> = self.ready.iter().map(|a| a.id.as_str()).chain(self.unfinished.iter().map(|u| u.id.as_str())).collect();
        known.sort_unstable();
        if let Some(unknown) = wanted.iter().find(|w| !known.contains(&w.as_str())) {
            return Err(ImagesError::UnknownApp { app: unknown.clone(), known: known.join(", ") });
        }
        let ready = self.ready.into_iter().filter(|a| wanted.contains(&a.id)).collect();
        let unfinished = self.unfinished.into_iter().filter(|u| wanted.contains(&u.id)).collect();
        Ok(AppsFound { ready, unfinished })
    }

    /// The ready apps; an unfinished one is an error naming what to fill in.
    pub fn ready_only(self) -> Result<Vec<AppManifest>, ImagesError> {
        match self.unfinished.into_iter().next() {
            Some(u) => Err(ImagesError::Unfinished { dir: u.dir, app: u.id, problems: u.problems.join("\n    ") }),
            None => Ok(self.ready),
        }
    }
}

/// Every app folder under `apps_dir` (each holding an `app.yaml`), sorted by id.
pub fn find(apps_dir: &Path) -> Result<AppsFound, ImagesError> {
    let read_dir = std::fs::read_dir(apps_dir).map_err(|source| ImagesError::Apps { dir: apps_dir.into(), source })?;
    let mut found = AppsFound::default();
    for entry in read_dir.flatten() {
        let file = entry.path().join("app.yaml");
        if file.is_file() {
            match read_manifest(&file)? {
                Ok(app) => found.ready.push(app),
                Err(unfinished) => found.unfinished.push(unfinished),
            }
        }
    }
    found.ready.sort_by(|a, b| a.id.cmp(&b.id));
    found.unfinished.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(found)
}

/// Every ready app under `apps_dir`, sorted by id; an unfinished manifest is an error.
pub fn discover(apps_dir: &Path) -> Result<Vec<AppManifest>, ImagesError> {
    find(apps_dir)?.ready_only()
}

/// Reads one manifest of the apps folder: the app, or what keeps it from being used (every
/// `TODO` left, the first thing the manifest's types refuse, an id other than the folder's name).
fn read_manifest(file: &Path) -> Result<Result<AppManifest, Unfinished>, ImagesError> {
    let dir = file.parent().expect("a folder").to_path_buf();
    let folder = dir.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
    let unfinished = |problems| Ok(Err(Unfinished { id: folder.clone(), dir: dir.clone(), problems }));
    match parse_manifest(file)? {
        Err(problems) => unfinished(problems),
        Ok(manifest) if manifest.id != folder => unfinished(vec![format!("id `{}` must equal the folder name `{folder}`", manifest.id)]),
        Ok(manifest) => Ok(Ok(manifest)),
    }
}

/// The manifest in `file`, or every problem that keeps it from use.
fn parse_manifest(file: &Path) -> Result<Result<AppManifest, Vec<String>>, ImagesError> {
    let text = std::fs::read_to_string(file).map_err(|source| ImagesError::Apps { dir: file.into(), source })?;
    let todo = todos(&text);
    if !todo.is_empty() {
        return Ok(Err(todo));
    }
    let mut manifest: AppManifest = match serde_saphyr::from_str(&text) {
        Ok(manifest) => manifest,
        Err(e) => return Ok(Err(vec![e.to_string()])),
    };
    if let Err(message) = manifest.max_in_flight.check() {
        return Ok(Err(vec![message]));
    }
    manifest.dir = file.parent().expect("a folder").to_path_buf();
    Ok(Ok(manifest))
}

/// The manifest of a workspace: a copy of an app's folder kept anywhere, under any name (the
/// folder-name rule of `apps/` does not apply), whose image is built and run as `tag`.
pub fn read_workspace(workspace: &Path, tag: &str) -> Result<AppManifest, ImagesError> {
    let problems = |problems: Vec<String>| ImagesError::Unfinished {
        app: workspace.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default(),
        dir: workspace.to_path_buf(),
        problems: problems.join("\n    "),
    };
    let mut manifest = parse_manifest(&workspace.join("app.yaml"))?.map_err(problems)?;
    manifest.tag = Some(tag.to_string());
    Ok(manifest)
}

/// Every value still marked `TODO` (as `bakeoff new` leaves them), as `path: what to put there`.
fn todos(text: &str) -> Vec<String> {
    fn walk(path: &str, value: &serde_json::Value, found: &mut Vec<String>) {
        match value {
            serde_json::Value::String(s) if s.contains("TODO") => found.push(format!("{path}: {s}")),
            serde_json::Value::Object(map) => map.iter().for_each(|(k, v)| walk(&if path.is_empty() { k.clone() } else { format!("{path}.{k}") }, v, found)),
            serde_json::Value::Array(items) => items.iter().enumerate().for_each(|(i, v)| walk(&format!("{path}[{i}]"), v, found)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    if let Ok(value) = serde_saphyr::from_str::<serde_json::Value>(text) {
        walk("", &value, &mut found);
    }
    found
}

/// Picks the apps named in `wanted` (all when empty); an unknown name is an error listing the known.
pub fn select(all: Vec<AppManifest>, wanted: &[String]) -> Result<Vec<AppManifest>, ImagesError> {
    if wanted.is_empty() {
        return Ok(all);
    }
    let known: Vec<String> = all.iter().map(|a| a.id.clone()).collect();
    if let Some(unknown) = wanted.iter().find(|w| !known.contains(w)) {
        return Err(ImagesError::UnknownApp { app: unknown.clone(), known: known.join(", ") });
    }
    Ok(all.into_iter().filter(|a| wanted.contains(&a.id)).collect())
}

/// What building an app's image did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AppBuild {
    /// Wall time of the build; None for a cache hit.
    pub build_ms: Option<u64>,
    /// The image was already up to date: every layer came from the cache and the image is unchanged.
    pub cached: bool,
}

/// Builds the app's image FROM the base (which must exist). A build that leaves the image as it
/// was (every layer cached) is reported as a cache hit, with no build time.
pub async fn build_app(engine: &Engine, app: &AppManifest) -> Result<AppBuild, ImagesError> {
    let step = Step::start(format!("building {}", app.image_tag()));
    let context = context_of(&app.dir).map_err(|e| ImagesError::Tar(e.to_string()))?;
    let labels = [(crate::docker::labels::APP.to_string(), app.id.clone())].into_iter().collect();
    let before = engine.image_id(&app.image_tag()).await?;
    let request = BuildRequest { tag: app.image_tag(), context_tar: context, build_args: Default::default(), labels, no_cache: false };
    engine.build_image(request, |line| step.detail(line)).await?;
    let after = engine.image_id(&app.image_tag()).await?;
    let build = outcome(before, after, step.elapsed_s());
    step.done(if build.cached { "build: cached (image up to date, nothing rebuilt)" } else { "built" });
    Ok(build)
}

/// A cache hit when the tag names the same image after the build as before it.
fn outcome(before: Option<String>, after: Option<String>, elapsed_s: f64) -> AppBuild {
    let cached = before.is_some() && before == after;
    AppBuild { build_ms: (!cached).then_some((elapsed_s * 1000.0) as u64), cached }
}

/// A check build of the app into `tag` (not its normal tag), labelled with the session's run id so
/// clean-up finds it: from the app's folder, or with `touched` from a copy of it whose
/// `touch_file` has one comment line appended (the folder itself is never changed). Returns the
/// wall time of the build and the ids of its step images (for [`Engine::remove_build`]).
pub async fn build_check(engine: &Engine, app: &AppManifest, tag: &str, no_cache: bool, touched: bool) -> Result<CheckBuild, ImagesError> {
    let what = match (no_cache, touched) {
        (true, _) => "without the build cache".to_string(),
        (false, true) => format!("after a one-line change to {}", app.touch_file.display()),
        (false, false) => "from the cache".to_string(),
    };
    let step = Step::start(format!("building {tag} {what}"));
    let copy = if touched { Some(touched_copy(app)?) } else { None };
    let dir = copy.as_ref().map_or(app.dir.as_path(), |d| d.path());
    let context = context_of(dir).map_err(|e| ImagesError::Tar(e.to_string()))?;
    let labels = crate::docker::labels::for_image(engine.run_id(), &app.id);
    let request = BuildRequest { tag: tag.to_string(), context_tar: context, build_args: Default::default(), labels, no_cache };
    let steps = engine.build_image(request, |line| step.detail(line)).await?;
    let took = std::time::Duration::from_secs_f64(step.elapsed_s());
    step.done(format!("built in {:.1} s", took.as_secs_f64()));
    Ok(CheckBuild { took, steps })
}

/// A check build into `bakeoff/<id>:deploy-check`, removed again (its step images too): wall
/// time in ms and image size in bytes.
pub async fn timed_check_build(engine: &Engine, app: &AppManifest, no_cache: bool, touched: bool) -> anyhow::Result<(u64, u64)> {
    use anyhow::Context;
    let tag = format!("bakeoff/{}:deploy-check", app.id);
    let before = engine.all_image_ids().await?;
    let built = build_check(engine, app, &tag, no_cache, touched).await;
    let size = match &built {
        Ok(_) => Some(engine.image_size(&tag).await),
        Err(_) => None,
    };
    let steps = built.as_ref().map(|b| b.steps.clone()).unwrap_or_default();
    engine.remove_build(&tag, &steps, &before).await.with_context(|| format!("removing the check image {tag}; `docker rmi {tag}` removes it by hand"))?;
    let what = if no_cache { "the no-cache build" } else { "the rebuild after a one-line change" };
    let built = built.with_context(|| format!("{what} of {} failed", app.id))?;
    let (size, _) = size.expect("built")?;
    Ok((built.took.as_millis() as u64, size as u64))
}

/// What a check build did.
#[derive(Debug, Clone)]
pub struct CheckBuild {
    pub took: std::time::Duration,
    /// Ids of the step images its output named, oldest first.
    pub steps: Vec<String>,
}

/// A temporary copy of the app's build context with one comment line appended to `touch_file`.
fn touched_copy(app: &AppManifest) -> Result<tempfile::TempDir, ImagesError> {
    let copy = tempfile::Builder::new().prefix(&format!("bakeoff-{}-", app.id)).tempdir().map_err(ImagesError::TempDir)?;
    let copied = (|| -> std::io::Result<()> {
        for relative in context_files(&app.dir)? {
            let to = copy.path().join(&relative);
            std::fs::create_dir_all(to.parent().expect("inside the copy"))?;
            std::fs::copy(app.dir.join(&relative), &to)?;
        }
        let file = copy.path().join(&app.touch_file);
        let mut text = std::fs::read(&file)?;
        if !text.is_empty() && !text.ends_with(b"\n") {
            text.push(b'\n');
        }
        text.extend_from_slice(comment_line(&app.touch_file).as_bytes());
        std::fs::write(&file, text)
    })();
    copied.map_err(|source| ImagesError::Touch { app: app.id.clone(), file: app.touch_file.clone(), source })?;
    Ok(copy)
}

/// A harmless comment line in the language of `file` (by its extension).
fn comment_line(file: &Path) -> String {
    let marker = match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "py" | "rb" | "sh" | "yaml" | "yml" | "toml" => "#",
        _ => "//",
    };
    format!("{marker} bakeoff deploy: a one-line change for the incremental rebuild\n")
}

/// Local dependency and cache folders left out of a build context.
const SKIP: &[&str] = &["node_modules", ".venv", "__pycache__", "target", "vendor"];

/// The files of a build context, relative to `dir`, sorted within each folder.
pub fn context_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        let mut entries: Vec<_> = std::fs::read_dir(&folder)?.flatten().map(|e| e.path()).collect();
        entries.sort();
        for path in entries {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            if path.is_dir() && !SKIP.contains(&name.as_ref()) {
                stack.push(path);
            } else if path.is_file() {
                files.push(path.strip_prefix(dir).expect("below dir").to_path_buf());
            }
        }
    }
    Ok(files)
}

/// The app folder as a build context, leaving out local dependency and cache folders.
fn context_of(dir: &Path) -> std::io::Result<Vec<u8>> {
    let mut archive = tar::Builder::new(Vec::new());
    for relative in context_files(dir)? {
        archive.append_path_with_name(dir.join(&relative), &relative)?;
    }
    archive.into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_touched_copy_differs_from_the_app_only_by_one_comment_line_in_the_touch_file() {
        let apps = tempfile::tempdir().unwrap();
        let dir = apps.path().join("probe");
        std::fs::create_dir_all(dir.join("src")).unwrap();
        std::fs::write(dir.join("src/main.py"), "print('hi')").unwrap();
        std::fs::write(dir.join("Dockerfile"), "FROM x\n").unwrap();
        let manifest = "id: probe\ndisplay_name: p\nlanguage: python\nframework: {name: n, version: '0'}\nruntime: {name: n, version: '0'}\nserver: s\norm_or_driver: o\nport: 8080\nhealth_path: /health\ntouch_file: src/main.py\ntags: {orm: raw, concurrency: async, processes: single}\nmax_in_flight: {total: 1}\n";
        std::fs::write(dir.join("app.yaml"), manifest).unwrap();
        let app = discover(apps.path()).unwrap().remove(0);
        let copy = touched_copy(&app).unwrap();
        let touched = std::fs::read_to_string(copy.path().join("src/main.py")).unwrap();
        assert_eq!(touched, "print('hi')\n# bakeoff deploy: a one-line change for the incremental rebuild\n");
        assert_eq!(std::fs::read_to_string(dir.join("src/main.py")).unwrap(), "print('hi')", "the app's own file is untouched");
        assert_eq!(context_files(copy.path()).unwrap(), context_files(&dir).unwrap(), "the same files");
        assert!(comment_line(Path::new("main.go")).starts_with("// "));
    }

    #[test]
    fn a_workspace_keeps_its_manifest_id_under_any_folder_name_and_builds_into_its_own_tag() {
        let scratch = tempfile::tempdir().unwrap();
        let original = Path::new(env!("CARGO_MANIFEST_DIR")).join("../apps/fastapi/app.yaml");
        std::fs::copy(original, scratch.path().join("app.yaml")).unwrap();
        let app = read_workspace(scratch.path(), "bakeoff-check/fastapi:abc").unwrap();
        assert_eq!(app.id, "fastapi");
        assert_eq!(app.image_tag(), "bakeoff-check/fastapi:abc");
        assert_eq!(app.dir, scratch.path());
    }

    #[test]
    fn every_apps_touch_file_exists_in_its_folder() {
        let apps = discover(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../apps")).unwrap();
        assert!(apps.len() >= 9, "found {} apps", apps.len());
        for app in &apps {
            let file = app.dir.join(&app.touch_file);
            assert!(file.is_file(), "{}: touch_file {} does not exist", app.id, file.display());
        }
    }

    #[test]
    fn a_build_that_leaves_the_same_image_is_a_cache_hit_without_a_build_time() {
        let id = |s: &str| Some(s.to_string());
        assert_eq!(outcome(id("sha256:a"), id("sha256:a"), 0.1), AppBuild { build_ms: None, cached: true });
        assert_eq!(outcome(id("sha256:a"), id("sha256:b"), 2.5), AppBuild { build_ms: Some(2500), cached: false });
        assert_eq!(outcome(None, id("sha256:b"), 60.0), AppBuild { build_ms: Some(60_000), cached: false });
    }
}
