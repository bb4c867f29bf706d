//! App manifests (`apps/<id>/app.yaml`) and building app images from their folders.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

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
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    /// Exact versions the image resolves.
    #[serde(default)]
    pub versions: BTreeMap<String, String>,
    /// The folder the manifest was read from.
    #[serde(skip)]
    pub dir: PathBuf,
}

impl AppManifest {
    pub fn image_tag(&self) -> String {
        format!("bakeoff/{}:latest", self.id)
    }
}

/// Every app under `apps_dir` (each folder holding an `app.yaml`), sorted by id.
pub fn discover(apps_dir: &Path) -> Result<Vec<AppManifest>, ImagesError> {
    let read_dir = std::fs::read_dir(apps_dir).map_err(|source| ImagesError::Apps { dir: apps_dir.into(), source })?;
    let mut apps = Vec::new();
    for entry in read_dir.flatten() {
        let file = entry.path().join("app.yaml");
        if file.is_file() {
            apps.push(read_manifest(&file)?);
        }
    }
    apps.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(apps)
}

fn read_manifest(file: &Path) -> Result<AppManifest, ImagesError> {
    let text = std::fs::read_to_string(file).map_err(|source| ImagesError::Apps { dir: file.into(), source })?;
    let mut manifest: AppManifest = serde_saphyr::from_str(&text).map_err(|e| ImagesError::Manifest { file: file.into(), message: e.to_string() })?;
    let dir = file.parent().expect("a folder").to_path_buf();
    let folder = dir.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
    if manifest.id != folder {
        let message = format!("id `{}` must equal the folder name `{folder}`", manifest.id);
        return Err(ImagesError::Manifest { file: file.into(), message });
    }
    manifest.dir = dir;
    Ok(manifest)
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

/// The app folder as a build context, leaving out local dependency and cache folders.
fn context_of(dir: &Path) -> std::io::Result<Vec<u8>> {
    const SKIP: &[&str] = &["node_modules", ".venv", "__pycache__", "target", "vendor"];
    let mut archive = tar::Builder::new(Vec::new());
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        let mut entries: Vec<_> = std::fs::read_dir(&folder)?.flatten().map(|e| e.path()).collect();
        entries.sort();
        for path in entries {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            if path.is_dir() && !SKIP.contains(&name.as_ref()) {
                stack.push(path);
            } else if path.is_file() {
                archive.append_path_with_name(&path, path.strip_prefix(dir).expect("below dir"))?;
            }
        }
    }
    archive.into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_build_that_leaves_the_same_image_is_a_cache_hit_without_a_build_time() {
        let id = |s: &str| Some(s.to_string());
        assert_eq!(outcome(id("sha256:a"), id("sha256:a"), 0.1), AppBuild { build_ms: None, cached: true });
        assert_eq!(outcome(id("sha256:a"), id("sha256:b"), 2.5), AppBuild { build_ms: Some(2500), cached: false });
        assert_eq!(outcome(None, id("sha256:b"), 60.0), AppBuild { build_ms: Some(60_000), cached: false });
    }
}
