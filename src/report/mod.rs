//! What a candidate reads afterwards: exam results and the progress report.

pub mod exam;
pub mod progress;
