//! What `bakeoff up` prints: how to reach the database and each app it started.

use std::fmt::Write;

use crate::stack::{up::StartedApp, Stack};

/// `db_docker`: the docker command for the database's engine (`docker`, or `docker -H ADDRESS`).
pub fn summary(run_id: &str, stack: &Stack, db_docker: &str, apps: &[StartedApp]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "database ready (run {run_id}):");
    let _ = writeln!(out, "  from this host:        {}", stack.host_url);
    let _ = writeln!(out, "  from network {}: {}", stack.network, stack.network_url);
    let _ = writeln!(out, "  logs:                  {db_docker} logs -f {}", stack.postgres_container);
    for app in apps {
        let base = format!("http://{}:{}", app.address, app.port);
        let _ = writeln!(out, "{} ready:", app.app);
        let _ = writeln!(out, "  app URL:      {base}{}", app.health_path);
        let _ = writeln!(out, "  metrics URL:  {base}/metrics");
        let _ = writeln!(out, "  database URL: {} (the app uses {})", stack.host_url, stack.network_url);
        let _ = writeln!(out, "  logs:         {} logs -f {}", app.docker, app.container);
    }
    out.push_str("`bakeoff down` removes it all.\n");
    out
}
