//! `hosts:`: which Docker engine runs each role (app, database, load generators), how the other
//! roles reach it, and whether it may build images. Every role defaults to the engine of
//! `docker.host` at 127.0.0.1: one machine, exactly as before `hosts:` existed.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};

/// The engine of each role.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct HostsConfig {
    pub app: HostConfig,
    pub db: HostConfig,
    /// One engine per load generator (at least one).
    pub load: Vec<HostConfig>,
    /// `bakeoff doctor` fails when an engine's clock is further than this from the
    /// orchestrator's (after allowing for half the round trip of the question), in ms.
    pub max_clock_offset_ms: f64,
}

/// One Docker engine and how the other roles reach it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct HostConfig {
    /// Engine address: `unix:///path`, `tcp://host:port` (TLS when `cert_dir` is set) or
    /// `ssh://user@host`; empty: the engine of `docker.host` (the orchestrator's own).
    pub address: String,
    /// Folder holding `ca.pem`, `cert.pem` and `key.pem` for a `tcp://` engine with TLS (as
    /// `DOCKER_CERT_PATH`); empty: plain TCP.
    pub cert_dir: String,
    /// The address by which the other roles (and the orchestrator) reach this host's published
    /// ports: an IP address or a host name.
    pub reach_as: String,
    /// The host address the engine publishes container ports on (an IP address of that host).
    pub publish_on: String,
    /// Whether images may be built on this engine; false: they are built on the engine of
    /// `docker.host` and copied with the engine API's image export and import.
    pub build: bool,
}

impl Default for HostConfig {
    fn default() -> Self {
        HostConfig { address: String::new(), cert_dir: String::new(), reach_as: "127.0.0.1".into(), publish_on: "127.0.0.1".into(), build: true }
    }
}

impl HostConfig {
    /// The engine address, with `docker_host` for an empty one.
    pub fn address_or<'a>(&'a self, docker_host: &'a str) -> &'a str {
        if self.address.is_empty() {
            docker_host
        } else {
            &self.address
        }
    }

    /// Checks the entry at config key `key` (`hosts.app`, `hosts.load[1]`); Err says which key to fix.
    pub fn check(&self, key: &str) -> Result<(), String> {
        let known = ["unix://", "tcp://", "ssh://"];
        if !self.address.is_empty() && !known.iter().any(|scheme| self.address.starts_with(scheme)) {
            return Err(format!(
                "{key}.address: `{}` is not an engine address; use unix:///PATH, tcp://HOST:PORT or ssh://USER@HOST (empty: docker.host)",
                self.address
            ));
        }
        if !self.cert_dir.is_empty() && !self.address.starts_with("tcp://") {
            return Err(format!(
                "{key}.cert_dir: TLS certificates apply to a tcp:// address only; set {key}.address to tcp://HOST:PORT or empty {key}.cert_dir"
            ));
        }
        if self.reach_as.trim().is_empty() || self.reach_as.contains(['/', ':', ' ']) && self.reach_as.parse::<IpAddr>().is_err() {
            return Err(format!("{key}.reach_as: `{}` is not an IP address or host name the other roles can reach this host at", self.reach_as));
        }
        if self.publish_on.parse::<IpAddr>().is_err() {
            return Err(format!(
                "{key}.publish_on: `{}` is not an IP address; give one of this host's addresses (127.0.0.1, or the address in {key}.reach_as)",
                self.publish_on
            ));
        }
        Ok(())
    }
}

impl HostsConfig {
    /// Every entry checked; Err names the key to fix.
    pub fn check(&self) -> Result<(), String> {
        self.app.check("hosts.app")?;
        self.db.check("hosts.db")?;
        if self.load.is_empty() {
            return Err("hosts.load: name at least one load host (`load: [{}]` is the orchestrator's own engine)".into());
        }
        for (i, host) in self.load.iter().enumerate() {
            host.check(&format!("hosts.load[{i}]"))?;
        }
        if self.max_clock_offset_ms.is_nan() || self.max_clock_offset_ms <= 0.0 {
            return Err("hosts.max_clock_offset_ms must be > 0".into());
        }
        Ok(())
    }

    /// Whether app and database run on different engines (with `docker_host` for empty addresses).
    pub fn split(&self, docker_host: &str) -> bool {
        self.app.address_or(docker_host) != self.db.address_or(docker_host)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts() -> HostsConfig {
        HostsConfig { app: HostConfig::default(), db: HostConfig::default(), load: vec![HostConfig::default()], max_clock_offset_ms: 50.0 }
    }

    #[test]
    fn the_default_entries_pass_and_name_the_local_engine() {
        assert_eq!(hosts().check(), Ok(()));
        assert_eq!(HostConfig::default().address_or("unix:///x.sock"), "unix:///x.sock");
        assert!(!hosts().split("unix:///x.sock"));
    }

    #[test]
    fn an_unknown_scheme_names_the_key_to_fix() {
        let mut h = hosts();
        h.load.push(HostConfig { address: "http://10.0.0.1:2375".into(), ..Default::default() });
        let message = h.check().unwrap_err();
        assert!(message.starts_with("hosts.load[1].address:"), "{message}");
    }

    #[test]
    fn certificates_without_tcp_a_bad_publish_address_and_no_load_host_are_refused() {
        let mut h = hosts();
        h.db.cert_dir = "/certs".into();
        assert!(h.check().unwrap_err().starts_with("hosts.db.cert_dir:"));
        let mut h = hosts();
        h.app.publish_on = "localhost".into();
        assert!(h.check().unwrap_err().starts_with("hosts.app.publish_on:"));
        let mut h = hosts();
        h.app.reach_as = "".into();
        assert!(h.check().unwrap_err().starts_with("hosts.app.reach_as:"));
        let mut h = hosts();
        h.load.clear();
        assert!(h.check().unwrap_err().starts_with("hosts.load:"));
    }

    #[test]
    fn app_and_database_on_different_addresses_are_split() {
        let mut h = hosts();
        h.app.address = "tcp://10.0.0.5:2376".into();
        assert!(h.split("unix:///var/run/docker.sock"));
    }
}
