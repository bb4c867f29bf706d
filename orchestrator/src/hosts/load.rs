//! The load role on its engines: one `bakeoff/loadgen` container per load host, each sending its
//! share of one schedule from a common start instant, their results merged exactly
//! (docs/distributed.md). Used by every phase of `bakeoff run` when `hosts.load` names more than
//! the orchestrator's own process (see [`Placement::distributed_load`]).

use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use super::{Placed, Placement};
use crate::config::Config;
use crate::docker::ContainerSpec;
use crate::images::loadgen::{ensure_loadgen, LOADGEN_TAG};
use crate::load::loadgen::LoadgenSpec;
use crate::load::merge::{merge, Merged};
use crate::load::share::Share;
use crate::load::start::unix_now_ns;
use crate::load::wire::GeneratorResult;

/// How far ahead of "now" the common start lies: every generator's container must be created,
/// started and its spec read before it (a start that has passed is refused by the generator).
const START_LEAD: Duration = Duration::from_secs(5);
/// Most bytes of a spec given as one argument (Linux refuses an argument over 128 KiB).
const MAX_SPEC_BYTES: usize = 120 * 1024;

impl Placement {
    /// Whether the load runs in generator containers on the load hosts rather than in this process:
    /// more than one load host, or one that is not the orchestrator's own engine.
    pub fn distributed_load(&self) -> bool {
        self.load.len() > 1 || self.load.iter().any(|p| p.engine.host() != self.local.host())
    }

    /// The loadgen image (this very binary) on every load host: built there, or built on the
    /// orchestrator's engine and copied when the host's `build` is false.
    pub async fn loadgen_images(&self, config: &Config) -> Result<()> {
        for placed in &self.load {
            if placed.host.build || placed.engine.host() == self.local.host() {
                ensure_loadgen(&placed.engine, &config.images, false).await.with_context(|| format!("the loadgen image on {}", placed.key))?;
            } else {
                ensure_loadgen(&self.local, &config.images, false).await?;
                self.local.copy_image_to(&placed.engine, LOADGEN_TAG).await.with_context(|| format!("copying {LOADGEN_TAG} to {}", placed.key))?;
            }
        }
        Ok(())
    }
}

/// Runs `spec` (its share and start are set here) on every load host at once and merges their
/// results. `duration` is the profile's length: a generator that has not finished well after it
/// is stopped and the phase fails, naming it.
pub async fn measure(load: &[Placed], spec: &LoadgenSpec, duration: Duration) -> Result<Merged> {
    let count = load.len() as u32;
    let start_unix_ns = unix_now_ns() + START_LEAD.as_nanos() as u64;
    let mut names = Vec::new();
    for (index, placed) in load.iter().enumerate() {
        let share = Share::new(index as u32, count).expect("index < count");
        let name = container_name(placed, share);
        let spec = LoadgenSpec { start_unix_ns, ..spec.for_share(share) };
        let json = serde_json::to_string(&spec)?;
        if json.len() > MAX_SPEC_BYTES {
            bail!(
                "the load generators' spec is {} KiB, too long for a container argument (the search log of --queries?); use a shorter log",
                json.len() / 1024
            );
        }
        let container = ContainerSpec {
            name: name.clone(),
            image: LOADGEN_TAG.into(),
            app: "loadgen".into(),
            cmd: vec!["--spec-json".into(), json],
            network: Some("host".into()),
            ..ContainerSpec::default()
        };
        placed.engine.start_container(&container).await.with_context(|| format!("starting the load generator on {}", placed.key))?;
        names.push(name);
    }
    let deadline = Instant::now() + START_LEAD + duration + Duration::from_secs(60);
    let mut results = Vec::new();
    for (placed, name) in load.iter().zip(&names) {
        let result = collect(placed, name, deadline).await;
        placed.engine.remove_container(name).await?;
        results.push(result?);
    }
    Ok(merge(&results)?)
}

/// One name per run, host and share (several load hosts may be one engine).
fn container_name(placed: &Placed, share: Share) -> String {
    format!("bakeoff-loadgen-{}-{}-of-{}", placed.engine.run_id(), share.index, share.count)
}

/// Waits for one generator to end and reads its result from its stdout.
async fn collect(placed: &Placed, name: &str, deadline: Instant) -> Result<GeneratorResult> {
    while placed.engine.running(name).await? {
        if Instant::now() > deadline {
            bail!("the load generator on {} ({name}) did not finish in time; its last lines:\n{}", placed.key, placed.engine.last_logs(name, 15).await);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let code = placed.engine.exit_code(name).await?;
    let out = placed.engine.stdout(name).await;
    match (code, serde_json::from_str::<GeneratorResult>(out.trim())) {
        (Some(0), Ok(result)) => Ok(result),
        (code, parsed) => bail!(
            "the load generator on {} ({name}) failed (exit code {code:?}{}); its last lines:\n{}",
            placed.key,
            parsed.err().map(|e| format!(", its output is not a result: {e}")).unwrap_or_default(),
            placed.engine.last_logs(name, 15).await
        ),
    }
}
