//! Progress on stderr for long steps: a spinner on a terminal, plain lines elsewhere (CI logs).

use std::time::{Duration, Instant};

use std::sync::LazyLock;

use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

/// Every bar of the process draws through this one, so a step's spinner and the run's bar share
/// the terminal instead of overwriting each other.
static BARS: LazyLock<MultiProgress> = LazyLock::new(MultiProgress::new);

/// One long step (a build, a seed): started with a title, finished with an outcome.
pub struct Step {
    bar: ProgressBar,
    title: String,
    started: Instant,
}

impl Step {
    pub fn start(title: impl Into<String>) -> Step {
        let title = title.into();
        let bar = BARS.add(ProgressBar::new_spinner());
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

/// The whole run's progress: one bar measured in planned seconds. Each scenario moves it from
/// the seconds planned before it towards the end of its own estimate as time passes, and jumps to
/// that end when it finishes; off a terminal, one line per scenario says how far the run is.
pub struct RunProgress {
    bar: ProgressBar,
    planned_s: f64,
    done_s: f64,
    ticker: Option<tokio::task::JoinHandle<()>>,
}

impl RunProgress {
    pub fn new(planned_s: f64) -> RunProgress {
        let bar = BARS.add(ProgressBar::new(planned_s.max(1.0).round() as u64));
        bar.set_style(
            ProgressStyle::with_template("run {elapsed_precise} [{bar:30}] {percent:>3}% · about {eta} left · {msg}").expect("template").progress_chars("=> "),
        );
        RunProgress { bar, planned_s, done_s: 0.0, ticker: None }
    }

    /// Marks the start of a step (`what`) planned to take `expected_s`.
    pub fn begin(&mut self, what: &str, expected_s: f64) {
        self.finish_step();
        if self.bar.is_hidden() {
            eprintln!("progress: {:.0} % of about {:.0} min — {what}", 100.0 * self.done_s / self.planned_s.max(1.0), self.planned_s / 60.0);
        }
        self.bar.set_message(what.to_string());
        let (bar, done_s, started) = (self.bar.clone(), self.done_s, std::time::Instant::now());
        self.ticker = Some(tokio::spawn(async move {
            loop {
                bar.set_position(position_s(done_s, started.elapsed().as_secs_f64(), expected_s).round() as u64);
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
        }));
        self.done_s += expected_s;
    }

    fn finish_step(&mut self) {
        if let Some(ticker) = self.ticker.take() {
            ticker.abort();
        }
        self.bar.set_position(self.done_s.round() as u64);
    }

    pub fn finish(mut self) {
        self.finish_step();
        self.bar.finish_and_clear();
    }
}

impl Drop for RunProgress {
    fn drop(&mut self) {
        if let Some(ticker) = self.ticker.take() {
            ticker.abort();
        }
        self.bar.finish_and_clear();
    }
}

/// Where the bar stands `elapsed_s` into a step planned at `expected_s` after `done_s` planned
/// seconds: it follows the clock but stays short of the step's end until the step ends.
pub fn position_s(done_s: f64, elapsed_s: f64, expected_s: f64) -> f64 {
    done_s + elapsed_s.min(expected_s * 0.99)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_moves_the_bar_with_the_clock_but_never_past_its_own_estimate() {
        assert_eq!(position_s(100.0, 0.0, 50.0), 100.0);
        assert_eq!(position_s(100.0, 20.0, 50.0), 120.0);
        assert_eq!(position_s(100.0, 500.0, 50.0), 149.5);
    }
}
