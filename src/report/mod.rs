//! What a candidate reads afterwards: exam results, the progress report, and the same
//! report as a page to print.

pub mod exam;
pub mod html;
pub mod progress;
