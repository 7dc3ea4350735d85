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
pub mod input;
pub mod item;
pub mod progress;
pub mod text;

/// Whether stdin is a person's terminal (interactive prompts).
pub fn stdin_is_terminal() -> bool {
    io::stdin().is_terminal()
}
