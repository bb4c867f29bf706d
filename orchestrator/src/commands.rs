//! What each command does, wired from the library's parts.

use std::process::ExitCode;

use anyhow::{bail, Context, Result};

use crate::cli::{Cli, Command, DatasetArgs, ImagesCommand, LoadArgs, LoadgenArgs, SeedArgs, UpArgs};
use crate::config::Config;
use crate::docker::{Engine, Scope};
use crate::hosts::Placement;
use crate::inputs::{fit_for_verify, read_queries, use_catalog};
use crate::progress::Step;
use crate::run as bakeoff_run;
use crate::seed::{self, Dataset, DatasetManifest, DatasetSpec};
use crate::session::{guarded, guarded_all, new_run_id, Ending};
use crate::stack::{self, Stack};
use crate::{doctor, fuzz, images, report, verify};

/// Runs the command line; the exit code says whether it succeeded (130 when interrupted).
pub async fn run(cli: Cli) -> Result<ExitCode> {
    let mut config = Config::load(cli.config.as_deref())?;
    if let Some(host) = &cli.docker_host {
        config.docker.host = host.clone();
    }
    match cli.command {
        Command::Config => {
            print!("{}", config.to_yaml());
            Ok(ExitCode::SUCCESS)
        }
        Command::Compare { runs, fail_if_slower, force, out } => compare_command(&config, &runs, fail_if_slower, force, out),
        Command::Report { run_dir } => {
            let sources = crate::change::ease::EaseSources::of(&config);
            let path = report::html::rebuild(&run_dir, |run| sources.for_run(run))?;
            println!("{}", path.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Schema => {
            print!("{}", crate::collect::schema::run_schema_text());
            Ok(ExitCode::SUCCESS)
        }
        Command::Doctor => {
            let report = doctor::diagnose(&config).await;
            print!("{}", report::doctor::table(&report));
            Ok(if report.can_run() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
        }
        Command::Images(which) => images_command(config, which).await,
        Command::Seed(args) => seed_command(config, args).await,
        Command::Up(args) => up_command(config, args).await,
        Command::Verify { apps, catalog } => {
            use_catalog(&mut config, &catalog)?;
            fit_for_verify(&config)?;
            one_engine_only(&config, "verify")?;
            verify_command(config, apps).await
        }
        Command::Fuzz { apps } => {
            one_engine_only(&config, "fuzz")?;
            fuzz_command(config, apps).await
        }
        Command::Apps => {
            let found = images::apps::find(&config.paths.apps_dir)?;
            print!("{}", report::apps::table(&found.ready));
            print!("{}", report::verify::unfinished_note(&found.unfinished));
            Ok(ExitCode::SUCCESS)
        }
        Command::Change(command) => crate::change::command::run(config, command).await,
        Command::New { id, language, framework, display_name } => {
            let compose = config.paths.apps_dir.parent().unwrap_or(std::path::Path::new(".")).join("compose/apps.yaml");
            let created = crate::scaffold::create(&config, &compose, &crate::scaffold::NewApp { id, language, framework, display_name })?;
            print!("{}", report::scaffold::checklist(&created));
            Ok(ExitCode::SUCCESS)
        }
        Command::Run { apps, quick, scenarios, repeat, catalog, queries } => {
            use_catalog(&mut config, &catalog)?;
            fit_for_verify(&config)?;
            run_command(config, apps, quick, scenarios, repeat, queries).await
        }
        Command::Load(args) => load_command(args).await,
        Command::Loadgen(args) => loadgen_command(args).await,
        Command::Fixture { port, delay_ms, threads } => fixture_command(port, delay_ms, threads).await,
        Command::Down => down_command(config).await,
    }
}

/// The orchestrator's own engine (`docker.host`), for commands that run every role there.
async fn connect(config: &Config) -> Result<Engine> {
    Ok(Engine::connect(&config.docker.host, &new_run_id()).await?)
}

/// Refuses a config that puts the app or the database on another engine, for a command that
/// runs them on `docker.host` only (today: all but `up`, `down` and `doctor`).
fn one_engine_only(config: &Config, command: &str) -> Result<()> {
    let local = config.docker.host.as_str();
    for (key, host) in [("hosts.app", &config.hosts.app), ("hosts.db", &config.hosts.db)] {
        let address = host.address_or(local);
        if address != local {
            bail!("{key}.address puts a role on {address}, but `bakeoff {command}` runs app and database on docker.host ({local}) only; `bakeoff up`, `down` and `doctor` place app and database on engines (and `run` its load generators, hosts.load) — empty {key}.address for {command}");
        }
    }
    Ok(())
}

/// Turns a guarded command's ending into an exit code.
fn finish<T>(ending: Ending<T>, on_success: impl FnOnce(T)) -> Result<ExitCode> {
    match ending {
        Ending::Finished(Ok(value)) => {
            on_success(value);
            Ok(ExitCode::SUCCESS)
        }
        Ending::Finished(Err(e)) => Err(e),
        Ending::Interrupted => Ok(ExitCode::from(crate::session::INTERRUPTED_EXIT_CODE)),
    }
}

async fn images_command(mut config: Config, which: ImagesCommand) -> Result<ExitCode> {
    let engine = connect(&config).await?;
    let work = async {
        Ok(match which {
            ImagesCommand::Base { force, ca_dir } => {
                if let Some(dir) = ca_dir {
                    config.images.ca_dir = dir;
                }
                images::ensure_base(&engine, &config.images, force).await?
            }
            ImagesCommand::Postgres { force } => images::ensure_postgres(&engine, &config.images, force).await?,
            ImagesCommand::Loadgen { force } => images::loadgen::ensure_loadgen(&engine, &config.images, force).await?,
        })
    };
    finish(guarded(&engine, true, work).await, |image| {
        let state = if image.built { "built" } else { "already present" };
        println!("{} {state} ({})", image.tag, image.source);
    })
}

fn dataset(config: &mut Config, args: &DatasetArgs) -> Result<Dataset> {
    use_catalog(config, &args.catalog)?;
    if config.dataset.catalog.is_some() {
        return Ok(config.dataset.with_products(0));
    }
    let spec = DatasetSpec { products: args.products.unwrap_or(config.dataset.products), seed: args.seed.unwrap_or(config.dataset.seed) };
    spec.check()?;
    Ok(Dataset::Generated(spec))
}

async fn seed_command(mut config: Config, args: SeedArgs) -> Result<ExitCode> {
    let spec = dataset(&mut config, &args.dataset)?;
    if let Some(url) = &args.database_url {
        let mut client = stack::connect(url).await?;
        let report = load(&mut client, &spec, args.reset).await?;
        record_manifest(&config, &report.manifest)?;
        print!("{}", report::seed::summary(&report));
        return Ok(ExitCode::SUCCESS);
    }
    let engine = connect(&config).await?;
    let work = async {
        let stack = Stack::start(&engine, &config).await?;
        let mut client = stack.connect().await?;
        let report = load(&mut client, &spec, false).await?;
        stack.wait_seeded(&engine).await?;
        record_manifest(&config, &report.manifest)?;
        Ok(report)
    };
    finish(guarded(&engine, false, work).await, |report| print!("{}", report::seed::summary(&report)))
}

async fn up_command(mut config: Config, args: UpArgs) -> Result<ExitCode> {
    let spec = dataset(&mut config, &args.dataset)?;
    let apps = if args.apps.is_empty() { Vec::new() } else { images::apps::find(&config.paths.apps_dir)?.select(&args.apps)?.ready_only()? };
    let placement = Placement::connect(&config, &new_run_id()).await?;
    let work = async {
        let stack = Stack::start_placed(&placement, &config).await?;
        let report = load(&mut stack.connect().await?, &spec, false).await?;
        stack.wait_seeded(&placement.db.engine).await?;
        record_manifest(&config, &report.manifest)?;
        let started = crate::stack::up::start_apps(&placement, &config, &stack, &apps).await?;
        Ok((stack, report, started))
    };
    finish(guarded_all(&placement.engines(), true, work).await, |(stack, report, started)| {
        let db_docker = crate::stack::up::docker_command(&placement, &placement.db.engine);
        print!("{}", report::seed::summary(&report));
        print!("{}", report::up::summary(placement.local.run_id(), &stack, &db_docker, &started));
    })
}

async fn load(client: &mut tokio_postgres::Client, dataset: &Dataset, reset: bool) -> Result<seed::SeedReport> {
    let step = Step::start(format!("seeding {}", dataset.describe()));
    let report = seed::seed(client, dataset, reset).await?;
    step.done(format!("checksum {}", &report.manifest.checksum_sha256[..16]));
    Ok(report)
}

/// Writes the dataset manifest under results/datasets/, refusing if the committed reference
/// manifest for the same dataset (datasets/manifests/) disagrees.
fn record_manifest(config: &Config, manifest: &DatasetManifest) -> Result<()> {
    let reference = DatasetManifest::path_in(&config.paths.datasets_dir.join("manifests"), manifest.products, manifest.seed);
    if let Some(known) = DatasetManifest::read(&reference).filter(|_| manifest.source.is_none()) {
        if known.generator_version == manifest.generator_version && known.checksum_sha256 != manifest.checksum_sha256 {
            bail!(
                "the generated data differs from the reference manifest {} (checksum {} there, {} now): the generator is not deterministic on this machine, or changed without a GENERATOR_VERSION bump",
                reference.display(),
                known.checksum_sha256,
                manifest.checksum_sha256
            );
        }
    }
    let path = config.paths.results_dir.join("datasets").join(manifest.own_file_name());
    manifest.write(&path).with_context(|| format!("writing the dataset manifest {}", path.display()))
}

async fn verify_command(config: Config, wanted: Vec<String>) -> Result<ExitCode> {
    let found = images::apps::find(&config.paths.apps_dir)?.select(&wanted)?;
    anyhow::ensure!(!found.ready.is_empty() || !found.unfinished.is_empty(), "no apps found under {}", config.paths.apps_dir.display());
    let engine = connect(&config).await?;
    let ending = guarded(&engine, false, verify::verify_found(&engine, &config, &found)).await;
    let mut passed = false;
    let code = finish(ending, |(outcome, dir): (verify::VerifyOutcome, std::path::PathBuf)| {
        print!("{}", report::verify::failures(&outcome));
        print!("{}", report::verify::matrix(&outcome));
        print!("{}", report::verify::still_missing(&outcome));
        passed = outcome.passed();
        if !passed {
            println!("failing request/response pairs: {}", dir.display());
        }
    })?;
    Ok(if code == ExitCode::SUCCESS && !passed { ExitCode::FAILURE } else { code })
}

async fn fuzz_command(config: Config, wanted: Vec<String>) -> Result<ExitCode> {
    let apps = images::apps::find(&config.paths.apps_dir)?.select(&wanted)?.ready_only()?;
    anyhow::ensure!(!apps.is_empty(), "no apps found under {}", config.paths.apps_dir.display());
    let engine = connect(&config).await?;
    let ending = guarded(&engine, false, fuzz::fuzz(&engine, &config, &apps)).await;
    let mut passed = false;
    let code = finish(ending, |(outcomes, dir): (Vec<fuzz::AppFuzz>, std::path::PathBuf)| {
        print!("{}", report::fuzz::findings(&outcomes));
        print!("{}", report::fuzz::table(&outcomes));
        passed = outcomes.iter().all(fuzz::AppFuzz::passed);
        println!("schemathesis reports and output: {}", dir.display());
    })?;
    Ok(if code == ExitCode::SUCCESS && !passed { ExitCode::FAILURE } else { code })
}

async fn run_command(
    config: Config,
    wanted: Vec<String>,
    quick: bool,
    scenarios: Vec<String>,
    repeat: u32,
    queries: Option<std::path::PathBuf>,
) -> Result<ExitCode> {
    crate::scenario::selected(&config, &scenarios)?;
    let found = images::apps::find(&config.paths.apps_dir)?.select(&wanted)?;
    eprint!("{}", report::verify::unfinished_note(&found.unfinished));
    let apps = found.ready;
    anyhow::ensure!(!apps.is_empty(), "no apps found under {}", config.paths.apps_dir.display());
    let placement = Placement::connect(&config, &new_run_id()).await?;
    let queries = queries.as_deref().map(read_queries).transpose()?;
    let plan = bakeoff_run::Plan { repeat, queries, ..bakeoff_run::Plan::new(&config, quick) };
    let ending = guarded_all(&placement.engines(), false, bakeoff_run::bakeoff(&placement, &config, &apps, &plan, &scenarios)).await;
    let (mut broken, mut nothing_measured) = (Vec::new(), None);
    let code = finish(ending, |(results, dir): (crate::collect::RunResults, std::path::PathBuf)| {
        print!("{}", report::leaderboard::leaderboard(&results));
        println!("results: {}", dir.display());
        broken = bakeoff_run::slo_violations(&config, &results);
        nothing_measured = bakeoff_run::nothing_measured(&results);
    })?;
    if let Some(why) = nothing_measured {
        bail!("{why}");
    }
    if !broken.is_empty() {
        eprintln!("SLO broken:\n  {}", broken.join("\n  "));
        return Ok(ExitCode::from(2));
    }
    Ok(code)
}

fn compare_command(config: &Config, dirs: &[std::path::PathBuf], threshold: Option<f64>, force: bool, out: Option<std::path::PathBuf>) -> Result<ExitCode> {
    let runs = crate::compare::load(dirs)?;
    if !force {
        crate::compare::check_alike(&runs)?;
    }
    let rows = crate::compare::rows(&runs);
    print!("{}", report::compare::table(&runs, &rows, threshold));
    let path = out.unwrap_or_else(|| config.paths.results_dir.join(format!("compare-{}-{}.html", runs[0].run_id, runs[runs.len() - 1].run_id)));
    std::fs::write(&path, report::compare::html(&runs, &rows, threshold).map_err(anyhow::Error::msg)?)
        .with_context(|| format!("writing {}", path.display()))?;
    println!("compare.html: {}", path.display());
    let regressions = threshold.map(|pct| crate::compare::regressions(&rows, pct)).unwrap_or_default();
    if regressions.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    for r in &regressions {
        eprintln!("regression: {} / {} {}: {:+.1} % ({})", r.app, r.workload.name(), r.metric, r.change_pct.unwrap_or(0.0), r.verdict);
    }
    Ok(ExitCode::from(2))
}

async fn load_command(args: LoadArgs) -> Result<ExitCode> {
    let (addr, path) = crate::load::parse_url(&args.url)?;
    let mode = match (args.rate, args.closed) {
        (Some(rps), None) => crate::load::Mode::Open(crate::load::Profile::Constant { rps, duration_s: args.duration_s }),
        (None, Some(_)) => crate::load::Mode::Closed { duration: std::time::Duration::from_secs_f64(args.duration_s) },
        _ => anyhow::bail!("give --rate R (open model) or --closed N (closed loop)"),
    };
    let config = crate::load::EngineConfig {
        workers: args.workers.max(1),
        cpus: args.cpus,
        connections: args.closed.unwrap_or(args.connections),
        queue_bound: 100_000,
        timeout: std::time::Duration::from_secs(10),
        seed: 1,
        key_prefix: new_run_id(),
        realtime: !args.no_realtime,
        idle_polling: args.idle_polling,
        keep_orders: false,
    };
    let workload = std::sync::Arc::new(crate::load::Workload::fixed(&path));
    let (summary, _) = tokio::task::spawn_blocking(move || crate::load::measure(addr, &mode, workload, &config)).await??;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        print!("{}", report::load::summary(&summary));
    }
    Ok(ExitCode::SUCCESS)
}

async fn loadgen_command(args: LoadgenArgs) -> Result<ExitCode> {
    let text = match (&args.source.spec, args.source.spec_json) {
        (_, Some(json)) => json,
        (Some(path), None) if path.as_os_str() == "-" => std::io::read_to_string(std::io::stdin()).context("reading the spec from standard input")?,
        (Some(path), None) => std::fs::read_to_string(path).with_context(|| format!("reading the spec {}", path.display()))?,
        (None, None) => bail!("give the spec: --spec FILE, --spec - (standard input) or --spec-json JSON"),
    };
    let mut spec: crate::load::loadgen::LoadgenSpec = serde_json::from_str(&text).context("the spec is not a loadgen spec (docs/distributed.md)")?;
    spec.share = args.share.unwrap_or(spec.share);
    spec.start_unix_ns = args.start_unix_ns.unwrap_or(spec.start_unix_ns);
    let result = tokio::task::spawn_blocking(move || crate::load::loadgen::run(&spec)).await??;
    println!("{}", serde_json::to_string(&result)?);
    Ok(ExitCode::SUCCESS)
}

async fn fixture_command(port: u16, delay_ms: u64, threads: usize) -> Result<ExitCode> {
    let listener = std::net::TcpListener::bind(("127.0.0.1", port)).with_context(|| format!("binding 127.0.0.1:{port}"))?;
    listener.set_nonblocking(true)?;
    eprintln!("fixture: answering on 127.0.0.1:{port} with {threads} thread(s), {delay_ms} ms delay; Ctrl-C stops it");
    let delay = std::time::Duration::from_millis(delay_ms);
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(threads.max(1)).enable_all().build().expect("a runtime");
        runtime.block_on(async move { crate::load::fixture::serve(tokio::net::TcpListener::from_std(listener).expect("listener"), delay).await });
    });
    crate::session::interrupted().await;
    Ok(ExitCode::SUCCESS)
}

/// Removes what bakeoff labelled on every engine of the config; an engine that fails is named
/// (and the command fails) after the others were cleaned.
async fn down_command(config: Config) -> Result<ExitCode> {
    let all = crate::hosts::remove_everywhere(&config, &Scope::All).await;
    let several = all.len() > 1;
    let mut failed = Vec::new();
    for on in all {
        let at = if several { format!(" on {}", on.host) } else { String::new() };
        match on.removed {
            Ok(r) => {
                println!("removed {} container(s), {} network(s), {} volume(s) labelled bakeoff.managed-by=bakeoff{at}", r.containers, r.networks, r.volumes)
            }
            Err(e) if !several => return Err(e.into()),
            Err(e) => failed.push(format!("{}: {e}", on.host)),
        }
    }
    if !failed.is_empty() {
        bail!("could not clean every engine:\n  {}", failed.join("\n  "));
    }
    Ok(ExitCode::SUCCESS)
}
