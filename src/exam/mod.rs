//! Mock exams: blueprints, form assembly, the exam session and its scoring, and
//! simulation of candidates through the same code.

pub mod blueprint;
