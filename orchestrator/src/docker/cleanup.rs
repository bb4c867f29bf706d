//! Removing what bakeoff created, found by label only.

use bollard::query_parameters as q;

use super::{DockerError, Engine, Removed, Result, Scope};

impl Engine {
    /// Removes every container, then network, then volume in `scope` (containers first, since
    /// they hold the others).
    pub async fn remove(&self, scope: &Scope) -> Result<Removed> {
        let containers = self.remove_containers(scope).await?;
        let networks = self.remove_networks(scope).await?;
        let volumes = self.remove_volumes(scope).await?;
        self.remove_check_images(scope).await?;
        Ok(Removed { containers, networks, volumes })
    }

    /// How many containers, networks and volumes `scope` holds now.
    pub async fn count(&self, scope: &Scope) -> Result<Removed> {
        Ok(Removed {
            containers: self.container_names(scope).await?.len(),
            networks: self.network_names(scope).await?.len(),
            volumes: self.volume_names(scope).await?.len(),
        })
    }

    async fn container_names(&self, scope: &Scope) -> Result<Vec<String>> {
        let options = q::ListContainersOptionsBuilder::default().all(true).filters(&scope.filters()).build();
        let listed = self.docker.list_containers(Some(options)).await;
        let listed = listed.map_err(|source| DockerError::List { kind: "containers", source })?;
        Ok(listed.into_iter().filter_map(|c| c.id).collect())
    }

    async fn network_names(&self, scope: &Scope) -> Result<Vec<String>> {
        let options = q::ListNetworksOptionsBuilder::default().filters(&scope.filters()).build();
        let listed = self.docker.list_networks(Some(options)).await;
        let listed = listed.map_err(|source| DockerError::List { kind: "networks", source })?;
        Ok(listed.into_iter().filter_map(|n| n.name).collect())
    }

    async fn volume_names(&self, scope: &Scope) -> Result<Vec<String>> {
        let options = q::ListVolumesOptionsBuilder::default().filters(&scope.filters()).build();
        let listed = self.docker.list_volumes(Some(options)).await;
        let listed = listed.map_err(|source| DockerError::List { kind: "volumes", source })?;
        Ok(listed.volumes.unwrap_or_default().into_iter().map(|v| v.name).collect())
    }

    async fn remove_containers(&self, scope: &Scope) -> Result<usize> {
        let names = self.container_names(scope).await?;
        let options = q::RemoveContainerOptionsBuilder::default().force(true).v(true).build();
        for name in &names {
            match self.docker.remove_container(name, Some(options.clone())).await {
                Ok(()) | Err(bollard::errors::Error::DockerResponseServerError { status_code: 404, .. }) => {}
                Err(bollard::errors::Error::DockerResponseServerError { status_code: 409, message }) if message.contains("already in progress") => {
                    self.until_gone(name).await?;
                }
                Err(source) => return Err(DockerError::Remove { kind: "container", name: name.clone(), source }),
            }
        }
        Ok(names.len())
    }

    /// Waits (at most a minute) for a container whose removal someone else started — an
    /// interrupted bakeoff's own clean-up, say — to be gone, so its network can go too.
    async fn until_gone(&self, name: &str) -> Result<()> {
        let started = std::time::Instant::now();
        loop {
            match self.docker.inspect_container(name, None).await {
                Err(bollard::errors::Error::DockerResponseServerError { status_code: 404, .. }) => return Ok(()),
                Err(source) => return Err(DockerError::Inspect { name: name.into(), source }),
                Ok(_) if started.elapsed() > std::time::Duration::from_secs(60) => return Err(DockerError::StillRemoving { name: name.into() }),
                Ok(_) => tokio::time::sleep(std::time::Duration::from_millis(100)).await,
            }
        }
    }

    async fn remove_networks(&self, scope: &Scope) -> Result<usize> {
        let names = self.network_names(scope).await?;
        for name in &names {
            self.remove_network(name).await?;
        }
        Ok(names.len())
    }

    /// Removes one network; an absent one is no error.
    pub async fn remove_network(&self, name: &str) -> Result<()> {
        match self.docker.remove_network(name).await {
            Ok(()) | Err(bollard::errors::Error::DockerResponseServerError { status_code: 404, .. }) => Ok(()),
            Err(source) => Err(DockerError::Remove { kind: "network", name: name.to_string(), source }),
        }
    }

    /// Removes one volume (even while a stopped container still names it); an absent one is no error.
    pub async fn remove_volume(&self, name: &str) -> Result<()> {
        let options = q::RemoveVolumeOptionsBuilder::default().force(true).build();
        match self.docker.remove_volume(name, Some(options)).await {
            Ok(()) | Err(bollard::errors::Error::DockerResponseServerError { status_code: 404, .. }) => Ok(()),
            Err(source) => Err(DockerError::Remove { kind: "volume", name: name.to_string(), source }),
        }
    }

    async fn remove_volumes(&self, scope: &Scope) -> Result<usize> {
        let names = self.volume_names(scope).await?;
        for name in &names {
            self.remove_volume(name).await?;
        }
        Ok(names.len())
    }
}

impl Engine {
    /// The ids (`sha256:…`) of every image the engine holds, intermediate ones included.
    pub async fn all_image_ids(&self) -> Result<std::collections::HashSet<String>> {
        let options = q::ListImagesOptionsBuilder::default().all(true).build();
        let listed = self.docker.list_images(Some(options)).await;
        let listed = listed.map_err(|source| DockerError::List { kind: "images", source })?;
        Ok(listed.into_iter().map(|i| i.id).collect())
    }

    /// Removes a check build: its tag, then every step image of `steps` (ids from
    /// [`Engine::build_image`]) that did not exist in `before` — newest first, each only while
    /// untagged and unused (the engine refuses the others, and those stay).
    pub async fn remove_build(&self, tag: &str, steps: &[String], before: &std::collections::HashSet<String>) -> Result<()> {
        self.remove_image(tag).await?;
        let existed = |id: &str| before.iter().any(|b| b.trim_start_matches("sha256:").starts_with(id));
        for id in steps.iter().rev().filter(|id| !existed(id)) {
            match self.docker.remove_image(id, None::<q::RemoveImageOptions>, None).await {
                Ok(_) | Err(bollard::errors::Error::DockerResponseServerError { status_code: 404 | 409, .. }) => {}
                Err(source) => return Err(DockerError::Remove { kind: "image", name: id.clone(), source }),
            }
        }
        Ok(())
    }

    /// Removes image `tag` (its untagged parents too); an absent image is no error.
    pub async fn remove_image(&self, tag: &str) -> Result<()> {
        match self.docker.remove_image(tag, None::<q::RemoveImageOptions>, None).await {
            Ok(_) | Err(bollard::errors::Error::DockerResponseServerError { status_code: 404, .. }) => Ok(()),
            Err(source) => Err(DockerError::Remove { kind: "image", name: tag.to_string(), source }),
        }
    }

    /// Removes the check images of `scope` (labelled with a run id: [`super::labels::for_image`]).
    async fn remove_check_images(&self, scope: &Scope) -> Result<()> {
        let options = q::ListImagesOptionsBuilder::default().filters(&scope.image_filters()).build();
        let listed = self.docker.list_images(Some(options)).await;
        for image in listed.map_err(|source| DockerError::List { kind: "images", source })? {
            self.remove_image(&image.id).await?;
        }
        Ok(())
    }

    /// Removes one container (and its anonymous volumes), stopping it first.
    pub async fn remove_container(&self, name: &str) -> Result<()> {
        let options = q::RemoveContainerOptionsBuilder::default().force(true).v(true).build();
        match self.docker.remove_container(name, Some(options)).await {
            Ok(()) | Err(bollard::errors::Error::DockerResponseServerError { status_code: 404, .. }) => Ok(()),
            Err(source) => Err(DockerError::Remove { kind: "container", name: name.to_string(), source }),
        }
    }
}

impl Engine {
    /// Stops a container with SIGTERM (its stop signal), SIGKILL after `grace_s`; returns the
    /// exit code and how long the stop took.
    pub async fn stop_container(&self, name: &str, grace_s: i32) -> Result<(i64, std::time::Duration)> {
        let started = std::time::Instant::now();
        let options = q::StopContainerOptionsBuilder::default().t(grace_s).build();
        let stopped = self.docker.stop_container(name, Some(options)).await;
        stopped.map_err(|source| DockerError::Remove { kind: "container (stop)", name: name.to_string(), source })?;
        let took = started.elapsed();
        let inspected = self.docker.inspect_container(name, None).await;
        let inspected = inspected.map_err(|source| DockerError::Inspect { name: name.into(), source })?;
        Ok((inspected.state.and_then(|s| s.exit_code).unwrap_or(-1), took))
    }
}
