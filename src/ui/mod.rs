//! Terminal output: whether to use colour, and writing that survives a closed pipe.
//!
//! Colour and progress bars are for people: when stdout is not a terminal (a pipe, a
//! file, a test) nothing but plain text is written. `NO_COLOR` is honoured.

use std::io::{self, IsTerminal};

use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};

/// The `--color` option.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColorMode {
    #[default]
    Auto,
    Always,
    Never,
}

fn choice(mode: ColorMode, is_terminal: bool) -> ColorChoice {
    match mode {
        ColorMode::Always => ColorChoice::Always,
        ColorMode::Never => ColorChoice::Never,
        ColorMode::Auto if is_terminal && std::env::var_os("NO_COLOR").is_none() => {
            ColorChoice::Auto
        }
        ColorMode::Auto => ColorChoice::Never,
    }
}

/// Standard output, coloured only if `mode` and the terminal allow.
pub fn stdout(mode: ColorMode) -> StandardStream {
    StandardStream::stdout(choice(mode, io::stdout().is_terminal()))
}

/// Standard error, coloured only if `mode` and the terminal allow.
pub fn stderr(mode: ColorMode) -> StandardStream {
    StandardStream::stderr(choice(mode, io::stderr().is_terminal()))
}

/// The width candidate-facing text is wrapped to: `COLUMNS` when set, else the
/// terminal's width, else 80 (a pipe or a file); at least 40, and at most 100 because
/// longer lines are hard to read. Measured once per run.
pub fn width() -> usize {
    static WIDTH: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *WIDTH.get_or_init(|| {
        let columns = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.trim().parse::<usize>().ok());
        let terminal = || {
            stdout_is_terminal()
                .then(|| crossterm::terminal::size().ok())
                .flatten()
                .map(|(w, _)| usize::from(w))
        };
        fit_width(columns.or_else(terminal))
    })
}

/// The width for a measured number of columns (`None`: not a terminal).
fn fit_width(columns: Option<usize>) -> usize {
    columns.map_or(80, |c| c.clamp(40, 100))
}

/// Whether text on stdout and stderr is coloured, decided once per run from `--color`,
/// `NO_COLOR` and whether each is a terminal.
static PAINT: std::sync::OnceLock<(bool, bool)> = std::sync::OnceLock::new();

/// Decides colour for the run (called once, before any command runs).
pub fn set_color(mode: ColorMode) {
    let on = |terminal| !matches!(choice(mode, terminal), ColorChoice::Never);
    let _ = PAINT.set((
        on(io::stdout().is_terminal()),
        on(io::stderr().is_terminal()),
    ));
}

fn paint(on: bool, code: &str, text: &str) -> String {
    if on {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

pub fn stdout_painted() -> bool {
    PAINT.get().is_some_and(|p| p.0)
}

/// Text on stdout for a good outcome (correct, PASS), green when colouring.
pub fn good(text: &str) -> String {
    paint(stdout_painted(), "1;32", text)
}

/// Text on stdout for a bad outcome (not quite, FAIL), red when colouring.
pub fn bad(text: &str) -> String {
    paint(stdout_painted(), "1;31", text)
}

/// Text on stdout that must stand out (time nearly up), yellow when colouring.
pub fn warn(text: &str) -> String {
    paint(stdout_painted(), "1;33", text)
}

/// `warning` for messages on stderr, yellow when colouring.
pub fn warning_word() -> String {
    paint(PAINT.get().is_some_and(|p| p.1), "1;33", "warning")
}

/// `error` for messages on stderr, red when colouring.
pub fn error_word() -> String {
    paint(PAINT.get().is_some_and(|p| p.1), "1;31", "error")
}

/// Whether stdout is a person's terminal (progress bars, prompts).
pub fn stdout_is_terminal() -> bool {
    io::stdout().is_terminal()
}

/// Whether an error is the reader going away (`labcert banks list | head`): not a failure.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
            // JSON written straight to stdout fails with serde_json's own error type.
            || e.downcast_ref::<serde_json::Error>()
                .is_some_and(|e| e.io_error_kind() == Some(io::ErrorKind::BrokenPipe))
    })
}

pub mod exam;
pub mod image;
pub mod input;
pub mod item;
pub mod pager;
pub mod progress;
pub mod text;

/// Whether stdin is a person's terminal (interactive prompts).
pub fn stdin_is_terminal() -> bool {
    io::stdin().is_terminal()
}

#[cfg(test)]
mod tests {
    #[test]
    fn text_is_wrapped_to_the_terminal_within_bounds() {
        assert_eq!(super::fit_width(None), 80, "a pipe or a file");
        assert_eq!(super::fit_width(Some(60)), 60);
        assert_eq!(super::fit_width(Some(20)), 40);
        assert_eq!(super::fit_width(Some(250)), 100);
    }
}
