//! labcert: a practice engine for the clinical laboratory certification exams.
//!
//! The library holds everything; `src/main.rs` only calls [`cli::main`].
//!
//! - [`bank`]: the question model, RON bank files, checking and diagnostics
//! - [`settings`]: global options resolved into plain values (data dir, profile, banks)
//! - [`cli`]: argument definitions and one module per subcommand
//! - [`ui`]: terminal output (colour, pipes)
//! - [`exit`]: the exit codes

pub mod bank;
pub mod cat;
pub mod cli;
pub mod exam;
pub mod exit;
pub mod instructor;
pub mod irt;
pub mod practice;
pub mod report;
pub mod settings;
pub mod store;
pub mod ui;

pub use exit::Exit;
