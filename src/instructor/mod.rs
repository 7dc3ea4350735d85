//! Instructor tools: does a bank support a blueprint, how did a class's items perform,
//! and what difficulties do the class's answers give them.
//!
//! - [`coverage`]: items per blueprint area against what one exam needs, with exposure
//!   (exams before items repeat) and the spread of difficulty (`labcert blueprint check`)
//! - [`responses`]: reading answer exports (CSV) defensively, first answers only
//! - [`analysis`]: classical item analysis: p, corrected point-biserial, distractors,
//!   time, flags (`labcert analyze`)
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

pub use responses::ClassAnswers;
