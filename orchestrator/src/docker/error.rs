//! Errors of the Docker facade: one variant per operation, each saying what to do next.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum DockerError {
    #[error(
        "no Docker engine answers at {host}: {source}\n  start one with `scripts/engine-up` (as root), or point DOCKER_HOST / docker.host at a running engine"
    )]
    Unreachable {
        host: String,
        #[source]
        source: bollard::errors::Error,
    },
    #[error("no {missing} in {dir} for the TLS engine at {host}: put the client's ca.pem, cert.pem and key.pem there (the hosts entry's cert_dir)")]
    Certificates { host: String, dir: String, missing: &'static str },
    #[error("the Docker engine at {host} reports its time as `{time}`, which is no RFC 3339 time; upgrade the engine")]
    Clock { host: String, time: String },
    #[error(
        "copying image {tag} to the engine at {to} failed: {message}\n  check that engine's free disk, or set its hosts entry's build: true to build there"
    )]
    Transfer { tag: String, to: String, message: String },
    #[error("the Docker engine at {host} speaks API {api}, older than the 1.41 bakeoff needs; upgrade the engine")]
    TooOld { host: String, api: String },
    #[error("building image {tag} failed: {message}\n  fix the Dockerfile step that failed, or the files it reads")]
    Build { tag: String, message: String },
    #[error("importing image {tag} failed: {source}")]
    Import {
        tag: String,
        #[source]
        source: bollard::errors::Error,
    },
    #[error("inspecting image {tag} failed: {source}")]
    InspectImage {
        tag: String,
        #[source]
        source: bollard::errors::Error,
    },
    #[error("creating {kind} {name} failed: {source}")]
    Create {
        kind: &'static str,
        name: String,
        #[source]
        source: bollard::errors::Error,
    },
    #[error("starting container {name} failed: {source}")]
    Start {
        name: String,
        #[source]
        source: bollard::errors::Error,
    },
    #[error("{action} container {name} failed: {source}\n  check `docker ps -a`; `bakeoff down` removes what a run left")]
    Pause {
        action: &'static str,
        name: String,
        #[source]
        source: bollard::errors::Error,
    },
    #[error("restarting container {name} failed: {source}\n  check it with `docker ps -a` and its logs; `bakeoff down` removes the run's containers")]
    Restart {
        name: String,
        #[source]
        source: bollard::errors::Error,
    },
    #[error("container {name} was still being removed by the engine a minute later: check `docker ps -a` and the engine's log, then run `bakeoff down`")]
    StillRemoving { name: String },
    #[error("inspecting container {name} failed: {source}")]
    Inspect {
        name: String,
        #[source]
        source: bollard::errors::Error,
    },
    #[error("container {name} publishes no host port for {port}/tcp")]
    NoPort { name: String, port: u16 },
    #[error("container {name} was not ready after {waited_s} s ({what})\n  its last log lines:\n{logs}")]
    NotReady { name: String, what: String, waited_s: u64, logs: String },
    #[error("container {name} exited before it was ready ({what}): {status}\n  its last log lines:\n{logs}")]
    Exited { name: String, status: String, what: String, logs: String },
    #[error("listing labelled {kind} failed: {source}")]
    List {
        kind: &'static str,
        #[source]
        source: bollard::errors::Error,
    },
    #[error("removing {kind} {name} failed: {source}\n  run `bakeoff down` again, or remove it with the docker CLI")]
    Remove {
        kind: &'static str,
        name: String,
        #[source]
        source: bollard::errors::Error,
    },
    #[error("reading the engine's {what} failed: {source}")]
    Query {
        what: &'static str,
        #[source]
        source: bollard::errors::Error,
    },
}
