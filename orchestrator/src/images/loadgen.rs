//! `bakeoff images loadgen`: the load generator's image, FROM the base, holding the running
//! bakeoff binary itself (images/loadgen/Dockerfile says why copying it works). The image is
//! labelled with the binary's SHA-256, so it is rebuilt exactly when the binary changed.

use std::collections::HashMap;

use sha2::{Digest, Sha256};

use super::{ensure_base, tar_of, ImageInfo, ImagesError};
use crate::config::ImagesConfig;
use crate::docker::{BuildRequest, Engine};
use crate::progress::Step;

/// The load generator's image.
pub const LOADGEN_TAG: &str = "bakeoff/loadgen:latest";
/// Label holding the SHA-256 of the bakeoff binary inside the image.
pub const BINARY_LABEL: &str = "bakeoff.loadgen.binary-sha256";

const LOADGEN_DOCKERFILE: &str = include_str!("../../images/loadgen/Dockerfile");

/// Makes sure the loadgen image holds this very binary (building the base first if needed).
pub async fn ensure_loadgen(engine: &Engine, config: &ImagesConfig, force: bool) -> Result<ImageInfo, ImagesError> {
    let base = ensure_base(engine, config, false).await?;
    let binary = own_binary()?;
    let sha = hex::encode(Sha256::digest(&binary));
    let source = format!("FROM {} ({}); bakeoff {} binary sha256 {}", base.tag, base.source, env!("CARGO_PKG_VERSION"), &sha[..12]);
    let present = engine.image_labels(LOADGEN_TAG).await?;
    if !force && !base.built && present.is_some_and(|labels| labels.get(BINARY_LABEL) == Some(&sha)) {
        return Ok(ImageInfo { tag: LOADGEN_TAG.into(), source, built: false });
    }
    let step = Step::start(format!("building {LOADGEN_TAG}"));
    let files = vec![("Dockerfile".to_string(), LOADGEN_DOCKERFILE.as_bytes().to_vec(), 0o644), ("bakeoff".to_string(), binary, 0o755)];
    let labels = HashMap::from([(crate::docker::labels::APP.to_string(), "loadgen".to_string()), (BINARY_LABEL.to_string(), sha)]);
    let request = BuildRequest {
        tag: LOADGEN_TAG.into(),
        context_tar: tar_of(&files)?,
        build_args: HashMap::from([("BASE".to_string(), base.tag.clone())]),
        labels,
        no_cache: force,
    };
    engine.build_image(request, |line| step.detail(line)).await?;
    step.done("the bakeoff binary, ENTRYPOINT bakeoff loadgen");
    Ok(ImageInfo { tag: LOADGEN_TAG.into(), source, built: true })
}

/// The bytes of the running executable.
fn own_binary() -> Result<Vec<u8>, ImagesError> {
    let path = std::env::current_exe().map_err(ImagesError::OwnBinary)?;
    std::fs::read(&path).map_err(ImagesError::OwnBinary)
}
