//! Mock exams: blueprints, form assembly, the exam session and its scoring, and
//! simulation of candidates through the same selection and estimation code.
//!
//! - `blueprint`: what an exam is made of (data, with diagnostics)
//! - `adaptive`: the adaptive core shared by exams and simulation
//! - `form`: linear form assembly
//! - `session`: one candidate's exam as a plain value
//! - `response`: reading and marking answers
//! - `result`: scoring
//! - `simulate`: simulated candidates

pub mod adaptive;
pub mod blueprint;
pub mod form;
pub mod response;
pub mod result;
pub mod session;
pub mod simulate;

pub use blueprint::Blueprint;
pub use response::Response;
pub use result::{ExamResult, score};
pub use session::{Session, SessionError, Slot, StoredSlot};
