//! labcert: a practice engine for the clinical laboratory certification exams.
//!
//! The library holds everything; `src/main.rs` only calls [`main`].
//!
//! - [`bank`]: the question model, RON bank files, checking and diagnostics, importers and
//!   exporters (GIFT for Moodle, CSV)
//! - [`exhibit`]: exhibits (tables, QC charts, electrophoresis scans, histograms, scatter
//!   plots): their data, how a bank writes them, and their drawings for terminal and SVG
//! - [`doc`]: RON documents read with positions, and compiler-like diagnostics
//! - [`irt`]: item response models, information, ability estimation (pure maths)
//! - [`cat`]: adaptive item selection: content balancing, exposure control
//! - [`exam`]: blueprints, linear forms, the exam session, scoring, simulation
//! - [`learner`]: what is known about a candidate: faded ability estimates, review schedules
//! - [`practice`]: choosing practice items where the candidate is weak, reviews first
//! - [`store`]: the SQLite progress database and its migrations
//! - [`report`]: exam results and the progress report (text, JSON, and an HTML page to print)
//! - [`instructor`]: blueprint coverage, item analysis, calibration
//! - [`settings`]: global options resolved into plain values (data dir, profile, banks)
//! - [`cli`]: argument definitions and one module per subcommand
//! - [`ui`]: terminal input and output (the timed line editor, wrapping, colour)
//! - [`hash`]: the one stable hash (FNV-1a)
//! - [`files`]: the one reader and the one atomic writer for the user's files
//! - [`exit`]: the exit codes

mod bank;
mod cat;
mod cli;
mod doc;
mod exam;
mod exhibit;
mod exit;
mod files;
#[cfg(test)]
mod fuzz;
mod hash;
mod instructor;
mod irt;
mod learner;
mod practice;
mod report;
mod settings;
mod store;
mod ui;

// The public API: what the binary, the integration tests and the benchmarks use. The
// parts stay private, so an item nothing uses is reported as dead code.
pub use bank::import;
pub use bank::load::{BUILTIN_BANKS, check_text};
pub use bank::synthetic;
pub use bank::typed::bank_tree;
pub use bank::{
    Answer, Area, Bank, BankOrigin, Item, Kind, Level, Library, LoadReport, LoadRequest, load,
};
pub use cat::{Pool, Progress, select_next};
pub use cli::main;
pub use doc::diagnostic::render_to_string;
pub use doc::ron::parse as parse_ron;
pub use exam::blueprint;
pub use exam::simulate::{calibrate_exposure, simulate, simulate_with};
pub use exam::{Response, Session, score};
pub use exit::Exit;
pub use instructor::calibration::jml;
pub use instructor::responses::{EXPORT_HEADER, MAX_EXPORT_FILE_BYTES};
pub use instructor::rewrite::{NewDifficulty, format_b, rewrite_difficulties};
pub use irt::{Grid, ItemParams, Posterior, eap, logistic, mle, test_information};
pub use store::{MIGRATIONS, Store, backfill_v2 as backfill_history, content_hash, now_ms};
