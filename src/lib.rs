//! labcert: a practice engine for the clinical laboratory certification exams.
//!
//! The library holds everything; `src/main.rs` only calls [`cli::main`].
//!
//! - [`bank`]: the question model, RON bank files, checking and diagnostics, importers
//! - [`doc`]: RON documents read with positions, and compiler-like diagnostics
//! - [`irt`]: item response models, information, ability estimation (pure maths)
//! - [`cat`]: adaptive item selection: content balancing, exposure control
//! - [`exam`]: blueprints, linear forms, the exam session, scoring, simulation
//! - [`learner`]: what is known about a candidate: faded ability estimates, review schedules
//! - [`practice`]: choosing practice items where the candidate is weak, reviews first
//! - [`store`]: the SQLite progress database and its migrations
//! - [`report`]: exam results and the progress report
//! - [`instructor`]: blueprint coverage, item analysis, calibration
//! - [`settings`]: global options resolved into plain values (data dir, profile, banks)
//! - [`cli`]: argument definitions and one module per subcommand
//! - [`ui`]: terminal input and output (the timed line editor, wrapping, colour)
//! - [`files`]: the one reader and the one atomic writer for the user's files
//! - [`exit`]: the exit codes

pub mod bank;
pub mod cat;
pub mod cli;
pub mod doc;
pub mod exam;
pub mod exit;
pub mod files;
#[cfg(test)]
mod fuzz;
pub mod instructor;
pub mod irt;
pub mod learner;
pub mod practice;
pub mod report;
pub mod settings;
pub mod store;
pub mod ui;

pub use exit::Exit;
