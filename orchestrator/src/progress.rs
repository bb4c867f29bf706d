//! Progress on stderr for long steps: a spinner on a terminal, plain lines elsewhere (CI logs).

use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

/// One long step (a build, a seed): started with a title, finished with an outcome.
pub struct Step {
    bar: ProgressBar,
    title: String,
    started: Instant,
}

impl Step {
    pub fn start(title: impl Into<String>) -> Step {
        let title = title.into();
        let bar = ProgressBar::new_spinner();
        bar.set_style(ProgressStyle::with_template("{spinner} {prefix} {wide_msg}").expect("template"));
        bar.set_prefix(title.clone());
        bar.enable_steady_tick(Duration::from_millis(120));
        if bar.is_hidden() {
            eprintln!("==> {title}");
        }
        Step { bar, title, started: Instant::now() }
    }

    /// Shows the latest detail line (e.g. a build step).
    pub fn detail(&self, line: &str) {
        let short: String = line.chars().take(100).collect();
        self.bar.set_message(short);
    }

    /// Seconds since the step started.
    pub fn elapsed_s(&self) -> f64 {
        self.started.elapsed().as_secs_f64()
    }

    pub fn done(self, outcome: impl AsRef<str>) {
        self.bar.finish_and_clear();
        eprintln!("  ok {} — {} ({:.1} s)", self.title, outcome.as_ref(), self.elapsed_s());
    }
}

impl Drop for Step {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}
