//! Adaptive practice: where the candidate is weak (`ability`), what to review when
//! (`schedule`), and what to ask next (`select`).

pub mod ability;
pub mod schedule;
pub mod select;
