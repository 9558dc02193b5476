//! Progress of long CLI steps on standard error: a spinner with the elapsed time on a terminal,
//! plain lines otherwise (logs, CI), and in both cases how long the step took.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

/// Run `work`, showing that `what` is under way.
pub fn step<T>(what: &str, work: impl FnOnce() -> anyhow::Result<T>) -> anyhow::Result<T> {
    let started = Instant::now();
    let spinner = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new_spinner().with_message(what.to_owned());
        if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
            bar.set_style(style);
        }
        bar.enable_steady_tick(Duration::from_millis(100));
        bar
    });
    if spinner.is_none() {
        eprintln!("{what}…");
    }
    let result = work();
    if let Some(bar) = spinner {
        bar.finish_and_clear();
    }
    let outcome = if result.is_ok() { "done" } else { "failed" };
    eprintln!(
        "{what}: {outcome} in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    result
}
