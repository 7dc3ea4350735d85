//! Text documents read with positions: RON files parsed by the `ron` crate into a tree
//! that keeps every value's span (`ron`), read field by field with every problem
//! collected (`decode`), and problems reported like a compiler's (`diagnostic`).
//!
//! Banks, blueprints and `config.ron` share this machinery; none of them is defined here.

pub mod csv;
pub mod decode;
pub mod diagnostic;
pub mod ron;
