//! Question banks: the model, reading RON files with positions, checking them, and
//! reporting problems like a compiler.
//!
//! `typed` reads a bank in one typed pass for use (`crate::doc` reads it with positions for
//! checking), `decode` turns the tree into the
//! `model` and reports what is wrong with each item, `validate` checks across items and
//! files, `load` finds the files (shipped, `--bank`, config) and runs it all, and
//! `diagnostic` renders what was found. `area_names` reads areas as instructors name them
//! and suggests an area and a reference for an item. `import` reads other tools' question files into
//! banks and `export` writes banks for them (GIFT for Moodle, CSV).

pub mod area_names;
pub mod decode;
pub mod export;
pub mod import;
pub mod load;
pub mod model;
pub mod similar;
pub mod synthetic;
pub mod typed;
pub mod validate;

pub use crate::doc::diagnostic::Diagnostic;
pub use load::{Library, LoadReport, LoadRequest, MAX_BANK_FILE_BYTES, load};
pub use model::{Answer, Area, BSource, Bank, BankOrigin, Item, Kind, Level, content_hash};
