//! The scan's progress bar on standard error: done / total, the verdicts so
//! far, rate and ETA. Drawn only when standard error is a terminal; silent
//! otherwise (a pipe, a CI log), so that logs hold no control sequences.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use kmswatch_core::scan::ScanSummary;
use std::io::IsTerminal;
use std::time::Duration;

/// The bar, or a hidden one.
pub struct Progress(ProgressBar);

impl Progress {
    /// A bar for `total` accounts, drawn when standard error is a terminal
    /// and `quiet` is off.
    pub fn new(total: usize, quiet: bool) -> Self {
        if quiet || !std::io::stderr().is_terminal() {
            return Progress(ProgressBar::hidden());
        }
        let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template(
            "{spinner} {bar:24} {pos}/{len} accounts  {msg}  {per_sec}  ETA {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        bar.enable_steady_tick(Duration::from_millis(200));
        Progress(bar)
    }

    /// One more account done; `summary` holds the verdicts so far.
    pub fn advance(&self, summary: &ScanSummary) {
        self.0.set_message(format!(
            "PASS {}  FAIL {}  ERROR {}",
            summary.pass,
            summary.fail,
            summary.error + summary.manual
        ));
        self.0.inc(1);
    }

    /// Runs `print` with the bar off the screen, so that streamed lines on a
    /// shared terminal are not torn.
    pub fn suspend(&self, print: impl FnOnce()) {
        self.0.suspend(print);
    }

    /// Removes the bar.
    pub fn clear(&self) {
        self.0.finish_and_clear();
    }
}
