//! The network paths between roles, tried for real: a throwaway listener container from the base
//! image on the target's engine, its port published on the target's `publish_on`, and a probe
//! container on the source's engine that opens a TCP connection to the target's `reach_as` and
//! that port (bash's `/dev/tcp`, a one-second timeout per try) and reads the listener's greeting.
//! Both run on a labelled bridge network of their own, as app containers do.

use std::time::{Duration, Instant};

use crate::docker::{ContainerSpec, DockerError, Engine};

use super::Placed;

/// The port the listener listens on inside its container.
const LISTEN_PORT: u16 = 7000;
/// What the listener writes to each connection, so a probe knows it reached the listener itself.
const GREETING: &str = "bakeoff-probe";
/// Connection attempts of a probe, about a second and a half each.
const TRIES: u32 = 5;

/// One path between roles and whether a connection got through.
#[derive(Debug, Clone)]
pub struct PathOutcome {
    /// Config key and engine address of the role the connection starts from.
    pub from_key: String,
    pub from_host: String,
    /// Config key of the role it goes to, and the address and port tried.
    pub to_key: String,
    pub to_address: String,
    pub port: u16,
    pub reached: bool,
}

impl PathOutcome {
    /// The path in words: from which role and engine to which address and port.
    pub fn describe(&self) -> String {
        format!("{} (engine {}) → {} at {}:{}", self.from_key, self.from_host, self.to_key, self.to_address, self.port)
    }
}

/// Tries the path from a container on `from`'s engine to `to`'s published port at `to`'s
/// `reach_as`. `index` keeps the names of several probes of one session apart. The caller
/// removes the session's objects on both engines afterwards.
pub async fn probe(from: &Placed, to: &Placed, base_tag: &str, index: usize) -> Result<PathOutcome, DockerError> {
    let run = to.engine.run_id().to_string();
    let listen_net = format!("bakeoff-{run}-listen{index}");
    to.engine.create_network(&listen_net).await?;
    let listener = format!("bakeoff-{run}-listener{index}");
    let serve = format!(
        "$s=IO::Socket::INET->new(LocalPort=>{LISTEN_PORT},Listen=>16,ReuseAddr=>1) or die $!; while($c=$s->accept){{print $c \"{GREETING}\\n\"; close $c}}"
    );
    let spec = ContainerSpec {
        name: listener.clone(),
        image: base_tag.to_string(),
        app: "doctor".into(),
        cmd: vec!["perl".into(), "-MIO::Socket::INET".into(), "-e".into(), serve],
        network: Some(listen_net),
        publish_port: Some(LISTEN_PORT),
        ..Default::default()
    };
    to.engine.start_container(&spec).await?;
    let port = to.engine.host_port(&listener, LISTEN_PORT).await?;
    let reached = connect_from(from, base_tag, &to.host.reach_as, port, index).await?;
    let from_host = from.engine.host().to_string();
    Ok(PathOutcome { from_key: from.key.clone(), from_host, to_key: to.key.clone(), to_address: to.host.reach_as.clone(), port, reached })
}

/// Whether a container on `from`'s engine reads the greeting at `address`:`port`.
async fn connect_from(from: &Placed, base_tag: &str, address: &str, port: u16, index: usize) -> Result<bool, DockerError> {
    let run = from.engine.run_id().to_string();
    let network = format!("bakeoff-{run}-probe{index}");
    from.engine.create_network(&network).await?;
    let name = format!("bakeoff-{run}-prober{index}");
    let once = format!("exec 3<>/dev/tcp/$0/$1 && read -t 1 line <&3 && [ \"$line\" = {GREETING} ]");
    let script = format!("for i in $(seq {TRIES}); do timeout 1 bash -c '{once}' \"$0\" \"$1\" 2>/dev/null && exit 0; sleep 0.5; done; exit 1");
    let spec = ContainerSpec {
        name: name.clone(),
        image: base_tag.to_string(),
        app: "doctor".into(),
        cmd: vec!["bash".into(), "-c".into(), script, address.to_string(), port.to_string()],
        network: Some(network),
        ..Default::default()
    };
    from.engine.start_container(&spec).await?;
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(u64::from(TRIES) * 2 + 10) {
        if let Some(code) = from.engine.exit_code(&name).await? {
            return Ok(code == 0);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(false)
}

/// Makes sure `engine` holds the base image `tag`, copying it from `local` when it does not.
pub async fn base_on(local: &Engine, engine: &Engine, tag: &str) -> Result<(), DockerError> {
    if engine.image_id(tag).await?.is_some() {
        return Ok(());
    }
    local.copy_image_to(engine, tag).await.map(drop)
}
