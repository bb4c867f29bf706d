//! The doctor's checks of `hosts:`: every engine (reachable, API version, cores, memory, clock
//! against the orchestrator's) and the network paths between roles on different engines (a load
//! host to the app's published port, the app's host to the database's).

use crate::config::Config;
use crate::docker::{Engine, Scope};
use crate::hosts::{self, paths, Placement};
use crate::session::{guarded_all, new_run_id, Ending};

use super::{check, first_line, Check, Status};

/// One line per distinct engine of `hosts:` and one per clock, then one per network path.
pub async fn checks(config: &Config) -> Vec<Check> {
    let mut out = Vec::new();
    for (keys, host) in distinct(config) {
        let address = host.address_or(&config.docker.host).to_string();
        match Engine::connect_to(&address, &host.cert_dir, "doctor").await {
            Err(e) => out.push(check(
                keys,
                Status::Fail,
                format!("{address}: {}", first_line(&e.to_string())),
                "start that engine, or fix the entry's address and cert_dir",
            )),
            Ok(engine) => out.extend(engine_lines(config, &keys, &engine).await),
        }
    }
    out.extend(path_checks(config).await);
    out
}

/// Each engine address once, with the keys of every role on it (`hosts.app, hosts.db`).
fn distinct(config: &Config) -> Vec<(String, crate::config::HostConfig)> {
    let mut seen: Vec<(String, String, crate::config::HostConfig)> = Vec::new();
    for (key, host) in hosts::entries(config) {
        let address = host.address_or(&config.docker.host).to_string();
        match seen.iter_mut().find(|(a, _, _)| *a == address) {
            Some((_, keys, _)) => *keys = format!("{keys}, {key}"),
            None => seen.push((address, key, host)),
        }
    }
    seen.into_iter().map(|(_, keys, host)| (keys, host)).collect()
}

/// The engine's facts and its clock offset.
async fn engine_lines(config: &Config, keys: &str, engine: &Engine) -> Vec<Check> {
    let facts = match engine.facts().await {
        Ok(facts) => facts,
        Err(e) => return vec![check(keys, Status::Fail, first_line(&e.to_string()), "check that engine's log")],
    };
    let gib = facts.memory_bytes as f64 / (1u64 << 30) as f64;
    let needed_mb =
        if keys.contains("hosts.db") { config.postgres.memory_mb } else { 0 } + if keys.contains("hosts.app") { config.run.app_memory_mb } else { 0 };
    let detail = format!("Docker {} (API {}) at {}: {} cores, {gib:.1} GiB", facts.version, facts.api_version, engine.host(), facts.cpus);
    let facts_line = if (facts.memory_bytes as u64) < needed_mb * 1024 * 1024 {
        check(
            keys,
            Status::Warn,
            detail,
            format!("its roles' containers are limited to {needed_mb} MiB together; give the host more memory or lower the limits"),
        )
    } else {
        check(keys, Status::Ok, detail, "")
    };
    vec![facts_line, clock_line(config, keys, engine).await]
}

/// Fails when the engine's clock is further from the orchestrator's than
/// `hosts.max_clock_offset_ms` (plus half the round trip of the question).
async fn clock_line(config: &Config, keys: &str, engine: &Engine) -> Check {
    let name = format!("{keys} clock");
    let (offset_ms, round_trip_ms) = match engine.clock_offset_ms().await {
        Ok(measured) => measured,
        Err(e) => return check(name, Status::Fail, first_line(&e.to_string()), "upgrade the engine"),
    };
    let max = config.hosts.max_clock_offset_ms;
    let detail = format!("{offset_ms:+.1} ms against the orchestrator (round trip {round_trip_ms:.1} ms)");
    if clock_off(offset_ms, round_trip_ms, max) {
        let fix = format!("the engine at {} is more than {max} ms off: synchronise its clock (chrony/NTP) with the orchestrator's", engine.host());
        check(name, Status::Fail, detail, fix)
    } else {
        check(name, Status::Ok, detail, "")
    }
}

/// Whether a measured offset is beyond `max_ms`, allowing for half the round trip (the engine
/// read its clock somewhere within it).
fn clock_off(offset_ms: f64, round_trip_ms: f64, max_ms: f64) -> bool {
    offset_ms.abs() > max_ms + round_trip_ms / 2.0
}

/// The paths between roles on different engines: each load host to the app, the app to the
/// database. Nothing to try when every role shares one engine (the load generator and the
/// database are then reached on the engine's own host and network).
async fn path_checks(config: &Config) -> Vec<Check> {
    let Ok(placement) = Placement::connect(config, &format!("doctor-{}", new_run_id())).await else {
        return Vec::new(); // the engine lines above already name the engine that failed
    };
    let mut pairs = Vec::new();
    for load in &placement.load {
        if load.engine.host() != placement.app.engine.host() {
            pairs.push((load.clone(), placement.app.clone()));
        }
    }
    if placement.split() {
        pairs.push((placement.app.clone(), placement.db.clone()));
    }
    if pairs.is_empty() {
        return Vec::new();
    }
    let engines = placement.engines();
    let tag = config.images.base_tag.clone();
    let work = async {
        for engine in &engines {
            paths::base_on(&placement.local, engine, &tag).await?;
        }
        let mut outcomes = Vec::new();
        for (index, (from, to)) in pairs.iter().enumerate() {
            outcomes.push(paths::probe(from, to, &tag, index).await?);
        }
        Ok(outcomes)
    };
    match guarded_all(&engines, true, work).await {
        Ending::Finished(Ok(outcomes)) => {
            remove_probes(&engines).await;
            outcomes.iter().map(path_line).collect()
        }
        Ending::Finished(Err(e)) => {
            vec![check("network paths", Status::Fail, first_line(&e.to_string()), "build the base first (`bakeoff images base`), then run doctor again")]
        }
        Ending::Interrupted => vec![check("network paths", Status::Fail, "interrupted", "")],
    }
}

/// Removes the listeners and probes without a word (their removal is expected: the session's
/// clean-up speaks only when a failure or Ctrl-C left something).
async fn remove_probes(engines: &[Engine]) {
    for engine in engines {
        if let Err(e) = engine.remove(&Scope::Run(engine.run_id().to_string())).await {
            eprintln!("doctor could not remove its probes on {}: {e}", engine.host());
        }
    }
}

fn path_line(outcome: &paths::PathOutcome) -> Check {
    let name = format!("path {} → {}", outcome.from_key, outcome.to_key);
    if outcome.reached {
        check(name, Status::Ok, format!("{} answers", outcome.describe()), "")
    } else {
        let fix = format!(
            "a container on {} cannot connect to {}:{}: fix {}.reach_as / publish_on, or the firewall between the hosts",
            outcome.from_host, outcome.to_address, outcome.port, outcome.to_key
        );
        check(name, Status::Fail, format!("{} does not answer", outcome.describe()), fix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clock_is_off_only_beyond_the_threshold_plus_half_the_round_trip() {
        assert!(!clock_off(40.0, 2.0, 50.0));
        assert!(!clock_off(-54.0, 10.0, 50.0), "within 50 ms + 5 ms");
        assert!(clock_off(-56.0, 10.0, 50.0));
        assert!(clock_off(2_000.0, 1.0, 50.0), "a load host two seconds ahead");
    }
}
