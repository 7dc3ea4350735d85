//! Adaptive practice: what to ask next (`select`), aimed at the weak areas and topics the
//! `learner` estimates show, with the reviews that are due first; a session as a state
//! machine (`session`).

pub mod select;
pub mod session;
