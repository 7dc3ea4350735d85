//! Every integration test, as one test crate with a module per part (as ripgrep's
//! `tests/tests.rs` and just's `tests/lib.rs` do): one link instead of nine, so the
//! test binaries take a fraction of the disk and build time, and helpers in `common`
//! that no test uses are reported as dead code.

mod common;

mod banks;
mod exam;
mod exhibits;
mod html_report;
mod import;
mod instructor;
mod irt_reference;
mod moodle_export;
mod progress;
mod reliability;
mod screens;
mod shipped_banks;
