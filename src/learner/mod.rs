//! What is known about one candidate, as pure models: a running ability estimate per
//! area and topic (`ability`) and each item's review schedule (`schedule`).
//!
//! The store keeps these models' state, updated in the same transaction as the answer
//! that changes it; practice and the report read it. Neither I/O nor the choice of what
//! to ask is here: this module sits below both `store` and `practice`, so the two need
//! not know each other.

pub mod ability;
pub mod schedule;
