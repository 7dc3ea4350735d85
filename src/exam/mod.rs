//! Mock exams: blueprints, form assembly, the exam session and its scoring, and
//! simulation of candidates through the same selection and estimation code.
//!
//! - `blueprint`: what an exam is made of (data, with diagnostics)
//! - `adaptive`: the adaptive core shared by exams and simulation
//! - `form`: linear form assembly
//! - `session`: one candidate's exam as a plain value
//! - `response`: reading and marking answers
//! - `result`: scoring
//! - `runner`: the exam as a state machine, driven by the candidate's input
//! - `simulate`: simulated candidates

pub mod adaptive;
pub mod blueprint;
pub mod form;
pub mod response;
pub mod result;
pub mod runner;
pub mod session;
pub mod simulate;

pub use blueprint::{Blueprint, Scale};
pub use response::Response;
pub use result::{ExamResult, score};
pub use session::Session;

/// A duration in words a candidate cannot misread: "2 h 30 min", "12 min 5 s", "45 s".
pub fn clock_text(d: std::time::Duration) -> String {
    let s = d.as_secs();
    let (h, m, sec) = (s / 3600, (s / 60) % 60, s % 60);
    match (h, m, sec) {
        (0, 0, sec) => format!("{sec} s"),
        (0, m, 0) => format!("{m} min"),
        (0, m, sec) => format!("{m} min {sec} s"),
        (h, 0, _) => format!("{h} h"),
        (h, m, _) => format!("{h} h {m} min"),
    }
}
