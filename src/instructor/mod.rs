//! Instructor tools: does a bank support a blueprint, how did a class's items perform,
//! and what difficulties do the class's answers give them.
//!
//! - [`coverage`]: items per blueprint area against what one exam needs, with exposure
//!   (exams before items repeat) and the spread of difficulty (`labcert blueprint check`)
//! - [`responses`]: reading answer exports (CSV) defensively, selecting by mode and exam
//!   style, first answers only
//! - [`analysis`]: item analysis with Moodle's quiz statistics: facility, discrimination,
//!   distractors and numeric answers, the test's reliability, flags (`labcert analyze`)
//! - [`statistics`]: the formulas behind it (distribution, alpha, 27% groups)
//! - [`calibration`]: Rasch difficulties by JML with anchoring (`labcert calibrate`)
//! - [`rewrite`]: writing new `b` values into a bank file's text, keeping its layout
//! - [`date`]: the calendar arithmetic the above need
//!
//! Everything here is computation on loaded banks and read answers; argument parsing,
//! printing and writing files belong to `cli::blueprint`, `cli::analyze` and
//! `cli::calibrate`.

pub mod analysis;
pub mod calibration;
pub mod coverage;
pub mod responses;
pub mod rewrite;
pub mod statistics;

pub use responses::ClassAnswers;
