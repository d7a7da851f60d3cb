//! The progress bar of `pattern test` over an S3 archive: objects read of
//! those listed, bytes, matches, rate. Drawn only when standard error is a
//! terminal, so that pipes and CI logs hold no control sequences.

use indicatif::{HumanBytes, ProgressBar, ProgressDrawTarget, ProgressStyle};
use kmswatch_core::log_search::Progress;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// A bar redrawn from the search's counters until it is finished.
pub struct SearchBar {
    done: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl SearchBar {
    /// Shows `progress` against `total` objects, when standard error is a terminal.
    pub fn start(progress: Arc<Progress>, total: u64) -> Self {
        let done = Arc::new(AtomicBool::new(false));
        if !std::io::stderr().is_terminal() {
            return SearchBar { done, thread: None };
        }
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template("{spinner} {bar:24} {pos}/{len} objects  {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        let stop = Arc::clone(&done);
        let thread = std::thread::spawn(move || {
            let started = Instant::now();
            while !stop.load(Ordering::Relaxed) {
                let (objects, bytes, matched) = progress.get();
                let seconds = started.elapsed().as_secs_f64().max(0.001);
                bar.set_position(objects);
                bar.set_message(format!(
                    "{}  {matched} match(es)  {}/s",
                    HumanBytes(bytes),
                    // Whole bytes per second: a rate, not an exact count.
                    HumanBytes((bytes as f64 / seconds) as u64)
                ));
                std::thread::sleep(Duration::from_millis(200));
            }
            bar.finish_and_clear();
        });
        SearchBar {
            done,
            thread: Some(thread),
        }
    }

    /// Removes the bar.
    pub fn finish(mut self) {
        self.done.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
