//! The command line.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "bakeoff", version, about = "A reproducible bake-off of backend frameworks")]
pub struct Cli {
    /// YAML file merged over the built-in defaults (`bakeoff config` prints them).
    #[arg(long, global = true, env = "BAKEOFF_CONFIG")]
    pub config: Option<PathBuf>,
    /// Docker engine address (overrides docker.host; DOCKER_HOST is read too).
    #[arg(long, global = true, env = "DOCKER_HOST")]
    pub docker_host: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check that a bake-off can run here: engine, resources, registry, base image.
    Doctor,
    /// Build the local images.
    #[command(subcommand)]
    Images(ImagesCommand),
    /// Generate the catalogue and load it: into a throwaway database (to check and time it),
    /// or into --database-url.
    Seed(SeedArgs),
    /// Start PostgreSQL on a private network, seed it, start the named apps (built if needed) with
    /// the limits of a run, print how to reach each, and leave them running until `bakeoff down`.
    Up(UpArgs),
    /// Build, start and check apps against the contract (all apps when none is named); exit
    /// non-zero if any fails. Failing request/response pairs are saved under results/.
    Verify {
        /// App ids (folders under apps/).
        apps: Vec<String>,
        #[command(flatten)]
        catalog: CatalogArgs,
    },
    /// Run schemathesis (all checks, fixed seed, stateful) against apps started as verify starts
    /// them (all apps when none is named); exit non-zero on any finding. What it printed, with a
    /// curl line per finding, is saved under results/.
    Fuzz {
        /// App ids (folders under apps/).
        apps: Vec<String>,
    },
    /// List the apps (from their manifests) as a Markdown table.
    Apps,
    /// Developer-feedback sessions: the same change task made in different apps, checked by the
    /// task's acceptance checks, timed and sized, with a short survey.
    #[command(subcommand)]
    Change(ChangeCommand),
    /// Start a new app folder: apps/<ID>/ with a manifest filled in as far as it can be, a
    /// Dockerfile skeleton and a README skeleton, and its service in compose/apps.yaml; prints the
    /// checklist. `bakeoff verify ID` then says group by group what is still missing.
    New {
        /// Kebab-case id: the folder, manifest id, image tag and label (e.g. hono-bun).
        id: String,
        /// go, python, javascript, typescript, java, kotlin, php, ruby or rust.
        #[arg(long)]
        language: String,
        /// The framework's name as its documentation writes it (e.g. Hono).
        #[arg(long)]
        framework: Option<String>,
        /// The name in tables (default: the framework's name).
        #[arg(long)]
        display_name: Option<String>,
    },
    /// The bake-off: verify every app (or those named), then measure each alone on a fresh
    /// database; results in results/<run-id>/, a leaderboard on stdout.
    Run {
        /// App ids (default: every app under apps/).
        apps: Vec<String>,
        /// A smoke run in a few minutes: small dataset, short phases (not for decisions).
        #[arg(long)]
        quick: bool,
        /// Run only these scenarios (repeatable: capacity, steady, spike); default: run.scenarios.enabled.
        #[arg(long = "scenario", value_name = "NAME")]
        scenarios: Vec<String>,
        /// Measure every scenario N times, round-robin across apps, and report each figure's
        /// median, 95 % interval and CV (5 recommended before a decision).
        #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=100))]
        repeat: u32,
        #[command(flatten)]
        catalog: CatalogArgs,
        /// A search log to replay: one query per line, optionally `query<TAB>count`; the search
        /// workload draws queries weighted by count (filters and paging as configured).
        #[arg(long, value_name = "FILE")]
        queries: Option<PathBuf>,
    },
    /// Rebuild report.html of a finished run from its run.json and histogram files.
    Report {
        /// The run's folder, e.g. results/0123abcd.
        run_dir: std::path::PathBuf,
    },
    /// Compare runs side by side: per app, workload and figure the values, the change of the
    /// last run against the first in %, and whether it is beyond the noise; writes compare.html.
    Compare {
        /// Run folders (results/<run-id>/), oldest first.
        #[arg(required = true, num_args = 2..)]
        runs: Vec<std::path::PathBuf>,
        /// Exit 2 when a figure of the last run is worse than the first by more than PCT % and not
        /// within the noise (a regression gate for CI).
        #[arg(long, value_name = "PCT")]
        fail_if_slower: Option<f64>,
        /// Compare runs on different datasets, placements or sizes anyway.
        #[arg(long)]
        force: bool,
        /// Where to write compare.html (default: results/compare-<first>-<last>.html).
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
    /// Apply load to any HTTP endpoint and print the percentiles (the generator on its own).
    Load(LoadArgs),
    /// Serve a minimal local endpoint answering {"status":"ok"} (the generator's benchmark target).
    #[command(hide = true)]
    Fixture {
        #[arg(long, default_value_t = 18080)]
        port: u16,
        /// Wait this long before each answer.
        #[arg(long, default_value_t = 0)]
        delay_ms: u64,
        /// Server threads.
        #[arg(long, default_value_t = 1)]
        threads: usize,
    },
    /// One generator of a distributed run: sends its share of the schedule from the common start
    /// instant and prints what it measured as JSON (docs/distributed.md, "Load generator wire
    /// format"). The bakeoff/loadgen image's entry point; the orchestrator starts it.
    #[command(hide = true)]
    Loadgen(LoadgenArgs),
    /// Remove every container, network and volume bakeoff created (found by label).
    Down,
    /// Print the effective configuration.
    Config,
    /// Print the JSON Schema of run.json, generated from the results types (results/run.schema.json
    /// is this output).
    #[command(hide = true)]
    Schema,
}

#[derive(Debug, Subcommand)]
pub enum ChangeCommand {
    /// The change tasks (apps/contract/changes/), one line each.
    List,
    /// A workspace for one developer: a copy of apps/APP under results/feedback/<session>/, the
    /// task's brief printed, the clock started.
    Start {
        /// The app to change (a folder under apps/).
        app: String,
        /// The task id (`bakeoff change list`).
        task: String,
        /// The developer's name or handle, kept in the session file.
        #[arg(long)]
        who: Option<String>,
    },
    /// Rebuild the workspace's image (timed), start it on a fresh database with the task's
    /// schema, run the whole suite and the task's checks; every attempt is recorded.
    Check {
        /// The session's folder or id (default: the newest open session).
        session: Option<PathBuf>,
    },
    /// A last check, the diff against the start, and the survey; completes the session file.
    Finish {
        /// The session's folder or id (default: the newest open session).
        session: Option<PathBuf>,
        /// Read the survey from this YAML/JSON file instead of asking (ease, confidence, helped,
        /// got_in_the_way, comments).
        #[arg(long, value_name = "FILE")]
        answers: Option<PathBuf>,
        /// Skip the last check (the last recorded attempt counts).
        #[arg(long)]
        no_check: bool,
    },
    /// Gather session files (every session.json under the folders; default results/feedback) into
    /// a table per app and task; for apps without a session, static figures (code, dependencies,
    /// image size, build times from the newest run whose deploy scenario measured them).
    Report {
        dirs: Vec<PathBuf>,
        /// Measure the full (no-cache) and incremental build times of every app without a session
        /// now, instead of taking them from earlier runs (minutes per app).
        #[arg(long)]
        measure_builds: bool,
    },
    /// Print the JSON Schema of session.json (results/session.schema.json is this output).
    #[command(hide = true)]
    Schema,
}

#[derive(Debug, Subcommand)]
pub enum ImagesCommand {
    /// The base image every image builds FROM (pulled, or made by debootstrap).
    Base {
        /// Rebuild even if it exists.
        #[arg(long)]
        force: bool,
        /// Folder of *.crt CA certificates to trust inside images (overrides images.ca_dir).
        #[arg(long)]
        ca_dir: Option<String>,
    },
    /// The PostgreSQL 17 image.
    Postgres {
        /// Rebuild even if it exists.
        #[arg(long)]
        force: bool,
    },
    /// The load generator's image (bakeoff/loadgen): this bakeoff binary FROM the base, with
    /// ENTRYPOINT `bakeoff loadgen`.
    Loadgen {
        /// Rebuild even if it holds this binary already.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Clone, Args)]
pub struct DatasetArgs {
    /// Number of products (default: dataset.products, 100000).
    #[arg(long, conflicts_with = "catalog")]
    pub products: Option<u64>,
    /// Generator seed (default: dataset.seed, 42).
    #[arg(long, conflicts_with = "catalog")]
    pub seed: Option<u64>,
    #[command(flatten)]
    pub catalog: CatalogArgs,
}

/// A team's own catalogue instead of the generated one.
#[derive(Debug, Clone, Default, Args)]
pub struct CatalogArgs {
    /// Load this catalogue instead of generating one: a Shopify product CSV export, or the
    /// generic CSV or JSON Lines format (datasets/README.md).
    #[arg(long, value_name = "FILE")]
    pub catalog: Option<PathBuf>,
    /// With --catalog: load the valid rows and list the invalid ones instead of refusing the file.
    #[arg(long, requires = "catalog")]
    pub skip_invalid: bool,
}

#[derive(Debug, Args)]
pub struct UpArgs {
    /// Apps to start beside the database (folders under apps/); none: the database only.
    pub apps: Vec<String>,
    #[command(flatten)]
    pub dataset: DatasetArgs,
}

#[derive(Debug, Args)]
pub struct SeedArgs {
    #[command(flatten)]
    pub dataset: DatasetArgs,
    /// Seed this database instead of a throwaway one (e.g. one started with compose/).
    #[arg(long)]
    pub database_url: Option<String>,
    /// Drop an existing catalogue (and its carts and orders) first.
    #[arg(long)]
    pub reset: bool,
}

#[derive(Debug, Args)]
pub struct LoadArgs {
    /// http://HOST:PORT/PATH (plain HTTP/1.1).
    #[arg(long)]
    pub url: String,
    /// Open model: arrivals per second (latency from the intended send time).
    #[arg(long, conflicts_with = "closed")]
    pub rate: Option<f64>,
    /// Closed loop instead: this many connections sending back to back.
    #[arg(long)]
    pub closed: Option<usize>,
    #[arg(long, default_value_t = 10.0)]
    pub duration_s: f64,
    /// Load threads (one single-threaded runtime each).
    #[arg(long, default_value_t = 1)]
    pub workers: usize,
    /// CPUs to pin load threads to, e.g. 1 or 0,1.
    #[arg(long, value_delimiter = ',')]
    pub cpus: Vec<usize>,
    /// Most connections (open model).
    #[arg(long, default_value_t = 256)]
    pub connections: usize,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
    /// Keep the load threads at normal priority (by default they run under SCHED_FIFO where
    /// allowed: they sleep between sends, so they wake on time beside a busy neighbour).
    #[arg(long)]
    pub no_realtime: bool,
    /// Hold the CPU-latency QoS at 0 µs while measuring (idle CPUs poll instead of halting);
    /// compare with and without on your host before turning on `run.generator_idle_polling`.
    #[arg(long)]
    pub idle_polling: bool,
}

#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct LoadgenSpecSource {
    /// The spec, a JSON file (`-`: standard input).
    #[arg(long, value_name = "FILE")]
    pub spec: Option<PathBuf>,
    /// The spec itself, as JSON.
    #[arg(long, value_name = "JSON")]
    pub spec_json: Option<String>,
}

#[derive(Debug, Args)]
pub struct LoadgenArgs {
    #[command(flatten)]
    pub source: LoadgenSpecSource,
    /// This generator's share, INDEX/COUNT (overrides the spec's).
    #[arg(long, value_name = "I/N")]
    pub share: Option<crate::load::share::Share>,
    /// The common start instant in nanoseconds since the Unix epoch (overrides the spec's).
    #[arg(long, value_name = "NS")]
    pub start_unix_ns: Option<u64>,
}
