//! `bakeoff images`: the one local base image (from a registry, or debootstrap when there is
//! none) with the configured CA certificates, and the PostgreSQL image built FROM it.

pub mod apps;
mod debootstrap;
pub mod loadgen;
pub mod manifest;

use std::collections::HashMap;
use std::path::Path;

use thiserror::Error;

use crate::config::ImagesConfig;
use crate::docker::{context_tar, BuildRequest, DockerError, Engine};
use crate::progress::Step;

/// Label on the base image saying where its root filesystem came from.
pub const SOURCE_LABEL: &str = "bakeoff.base.source";
/// Label on the base image counting the CA certificates it trusts beyond Debian's.
pub const CA_LABEL: &str = "bakeoff.base.ca-certificates";
/// Tag of the imported debootstrap root filesystem (an intermediate of the base).
pub const ROOTFS_TAG: &str = "bakeoff/rootfs:trixie";

const BASE_DOCKERFILE: &str = include_str!("../../images/base/Dockerfile");
const POSTGRES_DOCKERFILE: &str = include_str!("../../images/postgres/Dockerfile");
const POSTGRES_ENTRYPOINT: &str = include_str!("../../images/postgres/entrypoint.sh");

#[derive(Debug, Error)]
pub enum ImagesError {
    #[error(transparent)]
    Docker(#[from] DockerError),
    #[error("no registry answers and debootstrap cannot run ({0})\n  install it (`apt-get install debootstrap`, as root) or make debian:trixie-slim pullable")]
    NoDebootstrap(String),
    #[error("debootstrap of {suite} from {mirror} failed; its last lines:\n{log}\n  check the mirror (images.debootstrap_mirror) and that you run as root")]
    Debootstrap { suite: String, mirror: String, log: String },
    #[error("cannot archive the root filesystem with tar: {0}")]
    Tar(String),
    #[error("cannot read CA certificates in {dir}: {source}\n  set images.ca_dir to a folder of *.crt files, or to \"\" for none")]
    CaDir {
        dir: String,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot read the apps folder {dir}: {source}\n  run bakeoff from the repository root, or set paths.apps_dir")]
    Apps {
        dir: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{dir} is not finished:\n    {problems}\n  fill these in ({dir}/app.yaml), or name the apps to use; `bakeoff verify {app}` says group by group what is still missing")]
    Unfinished { app: String, dir: std::path::PathBuf, problems: String },
    #[error("there is no app `{app}`; the apps are: {known}")]
    UnknownApp { app: String, known: String },
    #[error("cannot read the running bakeoff binary to put it in the loadgen image: {0}\n  run bakeoff from its file (cargo build, then target/…/bakeoff images loadgen)")]
    OwnBinary(std::io::Error),
    #[error("cannot make a temporary folder: {0}")]
    TempDir(std::io::Error),
    #[error(
        "cannot copy {app}'s build context to change {file} in the copy: {source}\n  check that touch_file in apps/{app}/app.yaml names a file of that folder"
    )]
    Touch {
        app: String,
        file: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// A built image and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageInfo {
    pub tag: String,
    /// For the base: registry digest or mirror + suite + date; for others: the base they build on.
    pub source: String,
    /// False when the image already existed and was kept.
    pub built: bool,
}

/// Makes sure the base image exists (building it when missing or when `force`).
pub async fn ensure_base(engine: &Engine, config: &ImagesConfig, force: bool) -> Result<ImageInfo, ImagesError> {
    if !force {
        if let Some(labels) = engine.image_labels(&config.base_tag).await? {
            let source = labels.get(SOURCE_LABEL).cloned().unwrap_or_else(|| "unknown".into());
            return Ok(ImageInfo { tag: config.base_tag.clone(), source, built: false });
        }
    }
    let (rootfs, source) = root_filesystem(engine, config).await?;
    let certificates = ca_certificates(&config.ca_dir)?;
    let step = Step::start(format!("building {} FROM {rootfs}", config.base_tag));
    let mut files: Vec<(String, Vec<u8>, u32)> = vec![("Dockerfile".into(), BASE_DOCKERFILE.into(), 0o644)];
    files.push(("ca-certificates/README".into(), b"CA certificates added by bakeoff\n".to_vec(), 0o644));
    for (name, pem) in &certificates {
        files.push((format!("ca-certificates/{name}"), pem.clone(), 0o644));
    }
    let labels = HashMap::from([(SOURCE_LABEL.to_string(), source.clone()), (CA_LABEL.to_string(), certificates.len().to_string())]);
    let request = BuildRequest {
        tag: config.base_tag.clone(),
        context_tar: tar_of(&files)?,
        build_args: HashMap::from([("ROOTFS".to_string(), rootfs)]),
        labels,
        no_cache: force,
    };
    engine.build_image(request, |line| step.detail(line)).await?;
    step.done(format!("{source}; {} extra CA certificate(s)", certificates.len()));
    Ok(ImageInfo { tag: config.base_tag.clone(), source, built: true })
}

/// Makes sure the PostgreSQL image exists, building the base first if needed.
pub async fn ensure_postgres(engine: &Engine, config: &ImagesConfig, force: bool) -> Result<ImageInfo, ImagesError> {
    let base = ensure_base(engine, config, false).await?;
    let source = format!("FROM {} ({})", base.tag, base.source);
    if !force && !base.built && engine.image_labels(&config.postgres_tag).await?.is_some() {
        return Ok(ImageInfo { tag: config.postgres_tag.clone(), source, built: false });
    }
    let step = Step::start(format!("building {}", config.postgres_tag));
    let files = vec![
        ("Dockerfile".to_string(), POSTGRES_DOCKERFILE.as_bytes().to_vec(), 0o644),
        ("entrypoint.sh".to_string(), POSTGRES_ENTRYPOINT.as_bytes().to_vec(), 0o755),
    ];
    let request = BuildRequest {
        tag: config.postgres_tag.clone(),
        context_tar: tar_of(&files)?,
        build_args: HashMap::from([("BASE".to_string(), base.tag.clone())]),
        labels: HashMap::new(),
        no_cache: force,
    };
    engine.build_image(request, |line| step.detail(line)).await?;
    step.done("PostgreSQL 17 from Debian trixie");
    Ok(ImageInfo { tag: config.postgres_tag.clone(), source, built: true })
}

/// The image to build the base FROM, and its provenance: the registry's image when it can be
/// pulled, otherwise a debootstrap root filesystem imported into the engine.
async fn root_filesystem(engine: &Engine, config: &ImagesConfig) -> Result<(String, String), ImagesError> {
    let reference = &config.registry_base;
    if engine.registry_serves(reference).await.is_ok() {
        let step = Step::start(format!("pulling {reference}"));
        engine.pull(reference).await?;
        let digest = engine.repo_digest(reference).await?.unwrap_or_else(|| reference.clone());
        step.done("pulled");
        return Ok((reference.clone(), format!("registry {digest}")));
    }
    let (suite, mirror) = (&config.debootstrap_suite, &config.debootstrap_mirror);
    let dir = tempfile::Builder::new().prefix("bakeoff-rootfs-").tempdir_in("/var/tmp").map_err(ImagesError::TempDir)?;
    let step = Step::start(format!("no registry answers: debootstrap {suite} from {mirror}"));
    debootstrap::debootstrap(suite, mirror, dir.path(), |line| step.detail(line)).await?;
    step.done("root filesystem ready");
    let date = crate::seed::utc_now()[..10].to_string();
    let source = format!("debootstrap minbase {suite} {mirror} {date}");
    let step = Step::start(format!("importing it as {ROOTFS_TAG}"));
    let changes = vec![format!("LABEL {SOURCE_LABEL}=\"{source}\""), "CMD [\"/bin/bash\"]".to_string()];
    engine.import_rootfs(ROOTFS_TAG, debootstrap::tar_stream(dir.path())?, changes).await?;
    step.done("imported");
    Ok((ROOTFS_TAG.to_string(), source))
}

/// The `*.crt` files of `dir`, sorted by name; none when `dir` is empty or absent.
fn ca_certificates(dir: &str) -> Result<Vec<(String, Vec<u8>)>, ImagesError> {
    if dir.is_empty() || !Path::new(dir).is_dir() {
        return Ok(Vec::new());
    }
    let failed = |source| ImagesError::CaDir { dir: dir.to_string(), source };
    let mut certificates = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(failed)? {
        let path = entry.map_err(failed)?.path();
        if path.extension().is_some_and(|e| e == "crt") && path.is_file() {
            let name = path.file_name().expect("file name").to_string_lossy().into_owned();
            certificates.push((name, std::fs::read(&path).map_err(failed)?));
        }
    }
    certificates.sort();
    Ok(certificates)
}

fn tar_of(files: &[(String, Vec<u8>, u32)]) -> Result<Vec<u8>, ImagesError> {
    let borrowed: Vec<(&str, &[u8], u32)> = files.iter().map(|(p, c, m)| (p.as_str(), c.as_slice(), *m)).collect();
    context_tar(&borrowed).map_err(|e| ImagesError::Tar(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_crt_files_are_taken_as_ca_certificates() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("b.crt"), "B").unwrap();
        std::fs::write(dir.path().join("a.crt"), "A").unwrap();
        std::fs::write(dir.path().join("notes.txt"), "x").unwrap();
        let found = ca_certificates(dir.path().to_str().unwrap()).unwrap();
        let names: Vec<&str> = found.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["a.crt", "b.crt"]);
    }

    #[test]
    fn a_missing_or_empty_ca_dir_means_no_extra_certificates() {
        assert!(ca_certificates("").unwrap().is_empty());
        assert!(ca_certificates("/nonexistent/bakeoff-ca").unwrap().is_empty());
    }
}
