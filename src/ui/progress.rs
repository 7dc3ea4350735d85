//! Progress bars for long work, drawn on stderr with indicatif.
//!
//! A bar is for a person watching: it is drawn only when stderr is a terminal, never
//! with `--quiet`, and only when the work is big enough to be worth watching. Bars go
//! to stderr, so they never mix with data (`--json`, CSV) on stdout, and they are
//! cleared when the work ends, so a finished run's output is the same with or without
//! one. Everywhere else the bar is [`ProgressBar::hidden`], which costs nothing.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Whether to draw: a terminal on stderr, no `--quiet`, and at least `worth` units of
/// work (examinees, files, bytes) to show.
pub fn should_draw(stderr_is_terminal: bool, quiet: bool, work: u64, worth: u64) -> bool {
    stderr_is_terminal && !quiet && work >= worth
}

/// A bar over `len` units of work, labelled `what`; hidden unless [`should_draw`].
pub fn bar(quiet: bool, len: u64, worth: u64, what: &str) -> ProgressBar {
    if !should_draw(std::io::stderr().is_terminal(), quiet, len, worth) {
        return ProgressBar::hidden();
    }
    let style = ProgressStyle::with_template("{msg} [{bar:30}] {human_pos}/{human_len} ({eta})")
        .map_or_else(
            |_| ProgressStyle::default_bar(),
            |s| s.progress_chars("=> "),
        );
    ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr())
        .with_style(style)
        .with_message(what.to_string())
}

/// A spinner for work of unknown length (`work` is what decides whether it is worth
/// showing, e.g. the bytes to read), labelled `what`, counting `{pos}` units when
/// ticked with `inc`.
pub fn spinner(quiet: bool, work: u64, worth: u64, what: &str) -> ProgressBar {
    if !should_draw(std::io::stderr().is_terminal(), quiet, work, worth) {
        return ProgressBar::hidden();
    }
    let style = ProgressStyle::with_template("{spinner} {msg} {human_pos} ({elapsed})")
        .unwrap_or_else(|_| ProgressStyle::default_spinner());
    let spinner = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
        .with_style(style)
        .with_message(what.to_string());
    spinner.enable_steady_tick(Duration::from_millis(120));
    spinner
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_drawn_only_for_a_person_watching_big_work() {
        assert!(should_draw(true, false, 1000, 200));
        assert!(should_draw(true, false, 200, 200), "the threshold counts");
        assert!(
            !should_draw(false, false, 1000, 200),
            "stderr is a pipe or file"
        );
        assert!(!should_draw(true, true, 1000, 200), "--quiet");
        assert!(
            !should_draw(true, false, 199, 200),
            "too little work to watch"
        );
    }

    #[test]
    fn a_bar_that_should_not_draw_is_hidden() {
        // Under the test harness stderr is captured, not a terminal (and --quiet wins
        // anyway): every bar and spinner is hidden and costs nothing.
        assert!(bar(true, 10_000, 1, "simulating").is_hidden());
        assert!(spinner(true, 10_000, 1, "reading").is_hidden());
    }
}
