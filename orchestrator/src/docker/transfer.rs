//! Copying an image from one engine to another through the engine API (image export, then
//! import), for hosts that may not build.

use bollard::query_parameters as q;
use futures_util::StreamExt;

use super::{DockerError, Engine, Result};

impl Engine {
    /// Makes `to` hold the same image `tag` as this engine: exported here and imported there
    /// unless `to` already has the same image id (an image keeps its id through export and import).
    /// Returns whether anything was copied.
    pub async fn copy_image_to(&self, to: &Engine, tag: &str) -> Result<bool> {
        let ours = self.image_id(tag).await?.ok_or_else(|| DockerError::Transfer {
            tag: tag.to_string(),
            to: to.host.clone(),
            message: format!("the engine at {} has no such image to copy", self.host),
        })?;
        if to.image_id(tag).await?.as_deref() == Some(ours.as_str()) {
            return Ok(false);
        }
        let exported = self.docker.export_image(tag);
        let options = q::ImportImageOptionsBuilder::default().quiet(true).build();
        let mut progress = to.docker.import_image_stream(options, exported, None);
        while let Some(step) = progress.next().await {
            let failed = |message: String| DockerError::Transfer { tag: tag.to_string(), to: to.host.clone(), message };
            let info = step.map_err(|e| failed(e.to_string()))?;
            if let Some(message) = info.error_detail.and_then(|d| d.message) {
                return Err(failed(message));
            }
        }
        match to.image_id(tag).await? {
            Some(id) if id == ours => Ok(true),
            other => {
                Err(DockerError::Transfer { tag: tag.to_string(), to: to.host.clone(), message: format!("after the import it holds {other:?}, not {ours}") })
            }
        }
    }
}
