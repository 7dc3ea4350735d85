//! What a candidate reads afterwards: exam results (and, later, progress reports).

pub mod exam;
