//! The scenarios of `bakeoff run`, one file each behind [`Scenario`]: each gets one app running
//! alone on a fresh, seeded stack and returns its typed result. Adding a scenario is one file
//! and one line in [`all`]; it touches no other scenario.

pub mod capacity;
pub mod cold_start;
pub mod db_restart;
pub mod deploy;
mod phase;
pub mod spike;
pub mod steady;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::Path;

use anyhow::Result;
use futures_util::future::LocalBoxFuture;

use crate::collect::AppResult;
use crate::config::Config;
use crate::docker::Engine;
use crate::images::apps::AppManifest;
use crate::load::{Catalogue, WorkloadKind};
use crate::run::Plan;
use crate::stack::Stack;

pub use phase::{measure, measure_with, Measured, Phase};

/// Every scenario's name, in the default order.
pub const NAMES: &[&str] = &["capacity", "steady", "spike", "cold-start", "deploy", "db-restart"];

/// What a scenario works on: one app, started and healthy, alone with its fresh database.
pub struct Bench<'a> {
    /// The app's engine (`hosts.app`).
    pub engine: &'a Engine,
    /// The database's engine (`hosts.db`; the app's when they share one).
    pub db_engine: &'a Engine,
    /// Where the app's images are built: the app's engine, or the orchestrator's own when
    /// `hosts.app.build` is false (the deploy scenario times its builds there).
    pub build_engine: &'a Engine,
    pub config: &'a Config,
    pub plan: &'a Plan,
    pub app: &'a AppManifest,
    pub stack: &'a Stack,
    /// The app's container.
    pub container: String,
    /// Where the load generator reaches the app.
    pub addr: SocketAddr,
    pub catalogue: Catalogue,
    /// The run's results folder (histogram and interval files go here).
    pub dir: &'a Path,
    /// The steady rate of each workload, decided before any app's steady scenario runs.
    pub steady_rates: &'a BTreeMap<WorkloadKind, SteadyRate>,
    /// Which repetition this is (0: the first; `--repeat`).
    pub repetition: u32,
    /// The load hosts whose generator containers send the load (`hosts.load`); empty: this
    /// process sends it.
    pub load_hosts: &'a [crate::hosts::Placed],
}

/// A steady rate and why it was chosen.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct SteadyRate {
    pub rps: f64,
    /// In words: from the config, from the lowest capacity (naming the app), or the fallback.
    pub why: String,
}

/// One scenario: a name, an estimate of its duration, and the work.
pub trait Scenario {
    fn name(&self) -> &'static str;
    /// Seconds it takes for one app under `plan` (for the estimate printed before a run).
    fn expected_s(&self, config: &Config, plan: &Plan) -> f64;
    /// Runs on `bench` and records its result in `result`.
    fn run<'a>(&'a self, bench: &'a Bench<'a>, result: &'a mut AppResult) -> LocalBoxFuture<'a, Result<()>>;
}

/// Every scenario by name.
pub fn all() -> Vec<Box<dyn Scenario>> {
    vec![
        Box::new(capacity::Capacity),
        Box::new(steady::Steady),
        Box::new(spike::Spike),
        Box::new(cold_start::ColdStart),
        Box::new(deploy::Deploy),
        Box::new(db_restart::DbRestart),
    ]
}

/// The scenarios to run, in the configured order: those named in `only`, else those in
/// `run.scenarios.enabled`. Unknown names are an error naming the known ones.
pub fn selected(config: &Config, only: &[String]) -> Result<Vec<Box<dyn Scenario>>, UnknownScenario> {
    if let Some(name) = only.iter().find(|n| !NAMES.contains(&n.as_str())) {
        return Err(UnknownScenario { name: name.clone() });
    }
    let enabled = &config.run.scenarios.enabled;
    let wanted = |name: &str| if only.is_empty() { enabled.iter().any(|n| n == name) } else { only.iter().any(|n| n == name) };
    let mut chosen: Vec<Box<dyn Scenario>> = all().into_iter().filter(|s| wanted(s.name())).collect();
    let position = |name: &str| enabled.iter().position(|n| n == name).unwrap_or(enabled.len());
    chosen.sort_by_key(|s| position(s.name()));
    Ok(chosen)
}

#[derive(Debug, thiserror::Error, PartialEq)]
#[error("unknown scenario `{name}`; known: {}", NAMES.join(", "))]
pub struct UnknownScenario {
    pub name: String,
}

/// The steady rate of every workload: the configured rate when set; otherwise `share` of the
/// lowest capacity any app reached (capacities per app id); otherwise the fallback.
pub fn steady_rates(config: &Config, capacities: &BTreeMap<String, Vec<capacity::CapacityResult>>) -> BTreeMap<WorkloadKind, SteadyRate> {
    let steady = &config.run.scenarios.steady;
    config
        .run
        .workloads
        .iter()
        .map(|(&kind, &configured)| {
            let lowest = capacities
                .iter()
                .filter_map(|(app, results)| results.iter().find(|c| c.workload == kind).and_then(|c| known_capacity(c).map(|(rps, sign)| (rps, sign, app))))
                .min_by(|a, b| a.0.total_cmp(&b.0));
            let rate = match (configured, lowest) {
                (Some(rps), _) => SteadyRate { rps, why: "set in the config (run.workloads)".into() },
                (None, Some((rps, sign, app))) => SteadyRate {
                    rps: round_rate(rps * steady.share_of_lowest_capacity),
                    why: format!("{:.0} % of the lowest capacity measured ({app}: {sign}{rps:.1}/s)", 100.0 * steady.share_of_lowest_capacity),
                },
                (None, None) => SteadyRate {
                    rps: steady.fallback_rps.get(&kind).copied().unwrap_or(10.0),
                    why: "no capacity measured: the fallback rate (run.scenarios.steady.fallback_rps)".into(),
                },
            };
            (kind, rate)
        })
        .collect()
}

/// What a capacity search says the capacity is at most: the rate found (or the "at least"
/// bound), or for an app that broke the SLO at every rate tried, the lowest of them ("<").
fn known_capacity(c: &capacity::CapacityResult) -> Option<(f64, &'static str)> {
    match (c.capacity_rps, c.bound) {
        (Some(rps), capacity::Bound::AtLeast) => Some((rps, "≥ ")),
        (Some(rps), _) => Some((rps, "")),
        (None, capacity::Bound::Below) => c.steps.iter().map(|s| s.rps).min_by(f64::total_cmp).map(|rps| (rps, "< ")),
        (None, _) => None,
    }
}

/// A moderate rate for a scenario on `workload`: `configured` (named by `key`) when set, else half
/// this app's capacity for the workload, else the workload's steady rate, else `last_resort`.
/// Returns the rate and why it was chosen.
pub fn moderate_rate(bench: &Bench<'_>, result: &AppResult, workload: WorkloadKind, configured: Option<f64>, key: &str, last_resort: f64) -> (f64, String) {
    let capacity = result.capacity.iter().find(|r| r.workload == workload);
    rate_from(workload, configured, key, capacity, bench.steady_rates.get(&workload), last_resort)
}

/// [`moderate_rate`] from its inputs.
fn rate_from(
    workload: WorkloadKind,
    configured: Option<f64>,
    key: &str,
    capacity: Option<&capacity::CapacityResult>,
    steady: Option<&SteadyRate>,
    last_resort: f64,
) -> (f64, String) {
    if let Some(rps) = configured {
        return (rps, format!("set in the config ({key})"));
    }
    let below = capacity.filter(|c| c.bound == capacity::Bound::Below).and_then(|c| c.steps.iter().map(|s| s.rps).min_by(f64::total_cmp));
    match (capacity.and_then(|c| c.capacity_rps), below, steady) {
        (Some(rps), _, _) => (round_rate(rps / 2.0), format!("half this app's {} capacity ({rps}/s)", workload.name())),
        (None, Some(lowest), _) => {
            (round_rate(lowest / 2.0), format!("half the lowest {} rate tried ({lowest}/s), which already broke the SLO", workload.name()))
        }
        (None, None, Some(rate)) => (rate.rps, format!("the steady rate ({})", rate.why)),
        (None, None, None) => (last_resort, format!("no capacity or steady rate: {last_resort}/s")),
    }
}

/// A rate rounded to one decimal, never below 0.1/s.
fn round_rate(rps: f64) -> f64 {
    ((rps * 10.0).round() / 10.0).max(0.1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use capacity::CapacityResult;

    fn capacity(workload: WorkloadKind, rps: Option<f64>) -> CapacityResult {
        CapacityResult { workload, capacity_rps: rps, ..CapacityResult::empty(workload, 100.0, 0.001) }
    }

    #[test]
    fn the_steady_rate_is_half_the_lowest_capacity_unless_the_config_sets_one() {
        let mut config = Config::defaults();
        config.run.workloads.insert(WorkloadKind::Checkout, Some(7.0));
        let capacities = BTreeMap::from([
            ("gin".to_string(), vec![capacity(WorkloadKind::Search, Some(400.0)), capacity(WorkloadKind::Checkout, Some(90.0))]),
            ("rails".to_string(), vec![capacity(WorkloadKind::Search, Some(120.0)), capacity(WorkloadKind::Mixed, None)]),
        ]);
        let rates = steady_rates(&config, &capacities);
        assert_eq!(rates[&WorkloadKind::Search].rps, 60.0);
        assert!(rates[&WorkloadKind::Search].why.contains("rails: 120.0/s"), "{:?}", rates[&WorkloadKind::Search]);
        assert_eq!(rates[&WorkloadKind::Checkout].rps, 7.0, "a configured rate wins");
        assert_eq!(rates[&WorkloadKind::Mixed].rps, 40.0, "no capacity found: the fallback");
    }

    #[test]
    fn an_app_below_every_rate_tried_sets_the_steady_rate_from_its_lowest_failed_rate() {
        let mut below = CapacityResult { bound: capacity::Bound::Below, ..capacity(WorkloadKind::Search, None) };
        below.steps = vec![capacity::CapacityStep::made_up(12.5, 900_000, false), capacity::CapacityStep::made_up(6.3, 500_000, false)];
        let capacities = BTreeMap::from([("gin".to_string(), vec![capacity(WorkloadKind::Search, Some(400.0))]), ("django".to_string(), vec![below])]);
        let rate = &steady_rates(&Config::defaults(), &capacities)[&WorkloadKind::Search];
        assert_eq!(rate.rps, 3.2, "{rate:?}");
        assert!(rate.why.contains("django: < 6.3/s"), "{rate:?}");
    }

    #[test]
    fn a_moderate_rate_is_the_configured_one_else_half_the_capacity_else_half_the_lowest_failed_rate_else_the_steady_one() {
        let search = WorkloadKind::Search;
        let steady = SteadyRate { rps: 30.0, why: "fallback".into() };
        let rate = |configured, capacity: Option<&CapacityResult>, steady| rate_from(search, configured, "k", capacity, steady, 10.0);
        assert_eq!(rate(Some(7.0), None, Some(&steady)).0, 7.0);
        let found = capacity(search, Some(201.0));
        assert_eq!(rate(None, Some(&found), Some(&steady)), (100.5, "half this app's search capacity (201/s)".into()));
        let mut below = CapacityResult { bound: capacity::Bound::Below, ..capacity(search, None) };
        below.steps = vec![capacity::CapacityStep::made_up(25.0, 900_000, false), capacity::CapacityStep::made_up(3.2, 500_000, false)];
        let (rps, why) = rate(None, Some(&below), Some(&steady));
        assert_eq!(rps, 1.6, "{why}");
        assert!(why.contains("lowest search rate tried (3.2/s)"), "{why}");
        assert_eq!(rate(None, None, Some(&steady)).0, 30.0);
        assert_eq!(rate(None, None, None).0, 10.0);
    }

    #[test]
    fn scenarios_run_in_the_configured_order_and_an_unknown_name_is_refused() {
        let mut config = Config::defaults();
        config.run.scenarios.enabled = vec!["spike".into(), "capacity".into()];
        let names: Vec<_> = selected(&config, &[]).unwrap().iter().map(|s| s.name()).collect();
        assert_eq!(names, ["spike", "capacity"]);
        let only: Vec<_> = selected(&config, &["steady".into(), "capacity".into()]).unwrap().iter().map(|s| s.name()).collect();
        assert_eq!(only, ["capacity", "steady"], "named on the command line, in the configured order");
        let error = selected(&config, &["soak".into()]).err().expect("refused");
        assert!(error.to_string().contains("unknown scenario `soak`; known: capacity, steady, spike, cold-start, deploy, db-restart"), "{error}");
    }
}
