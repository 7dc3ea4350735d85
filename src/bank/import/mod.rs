//! Importers: GIFT (Moodle), Aiken and CSV question files into labcert banks.
//!
//! An import reads a file ([`read_source`]: size limit, encoding), parses it in its
//! format (`gift`, with Moodle's `[id:]`/`[tag:]` comments and `Read:` lines read by
//! `moodle`; `aiken`; `csv`) into drafts and skipped questions, finishes the drafts
//! into items (`draft`: the bank format's rules, ids, `--area`/`--topic`/`--level`
//! defaults, and what each item still needs), and writes the bank (`write`), checking the
//! text with labcert's own reader so that what the import reports and what
//! `labcert banks check` says about the file always agree. Questions that cannot become
//! items are skipped with their line and the reason; items the instructor must complete
//! (no area, no explanation) are written without the missing field, so `banks check`
//! reports exactly those items until they are completed. Areas are read as instructors
//! name them, and suggested from an item's words when nothing names one (`areas`, public
//! for other hints to use); `--update` merges an import into the bank an earlier one
//! wrote (`update`). The command line, the summary and the exit code are `cli::import`'s.
//! The formats and every decision about them are described in docs/import-formats.md.

mod aiken;
pub use super::area_names as areas;
pub(crate) mod csv;
mod draft;
mod gift;
pub(crate) mod html;
pub(crate) mod moodle;
mod source;
pub mod update;
mod write;

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;
use thiserror::Error;

use crate::bank::model::{Area, Level};

pub use draft::{Given, ImportedItem, IrtGiven, Need, Note, SkipKind, Skipped, id_from_name};
pub use source::{decode_source, read_source};
pub use write::{Written, quoted_list, write_bank};

/// Files larger than this are refused: the same limit as a bank file, about 25,000
/// questions.
pub const MAX_IMPORT_FILE_BYTES: u64 = crate::bank::MAX_BANK_FILE_BYTES;

/// The bank metadata an import writes unless told otherwise.
pub const DEFAULT_AUTHOR: &str = "imported";
pub const DEFAULT_VERSION: &str = "1";
pub const DEFAULT_LICENSE: &str = "unknown (set this)";

/// The formats labcert imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Gift,
    Aiken,
    Csv,
}

impl Format {
    /// The format's name as people write it.
    pub fn title(self) -> &'static str {
        match self {
            Format::Gift => "GIFT",
            Format::Aiken => "Aiken",
            Format::Csv => "CSV",
        }
    }

    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Gift => "gift",
            Format::Aiken => "aiken",
            Format::Csv => "csv",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.title())
    }
}

/// An input that cannot be imported at all: nothing is written.
#[derive(Debug, Error)]
pub enum ImportError {
    #[error(transparent)]
    Read(crate::files::ReadError),
    #[error(
        "{path}: the file is larger than {} MiB, the limit for an import; split it into several files and import each into its own bank",
        MAX_IMPORT_FILE_BYTES >> 20
    )]
    TooLarge { path: String },
    #[error(
        "{path}: this is a binary file, not a text file of questions (was the wrong file given?)"
    )]
    Binary { path: String },
    #[error(
        "{path}: the file is UTF-16 text; save it as UTF-8 and import again (Excel: File > Save As > \"CSV UTF-8 (Comma delimited)\"; a text editor: choose the UTF-8 encoding)"
    )]
    Utf16 { path: String },
    #[error(
        "{path}:{line}:{column}: the file is not UTF-8 (byte 0x{byte:02X} here); it was probably saved as Windows-1252 or Latin-1. Save it as UTF-8 and import again (Excel: File > Save As > \"CSV UTF-8 (Comma delimited)\"; a text editor: choose the UTF-8 encoding)"
    )]
    NotUtf8 {
        path: String,
        line: usize,
        column: usize,
        byte: u8,
    },
    #[error(
        "{path}: no {format} questions found; is it a {format} file? (docs/import-formats.md describes the formats)"
    )]
    NoQuestions { path: String, format: Format },
    #[error(
        "{path}:{line}: the CSV header {problem}\n  header:  {header}\n  columns: {}\n  (docs/import-formats.md describes each column)",
        csv::COLUMN_NAMES.join(", ")
    )]
    CsvHeader {
        path: String,
        line: usize,
        problem: String,
        header: String,
    },
    #[error(
        "{path}:{line}:{column}: --update cannot merge into this bank: {problem}; fix it, or import into a new file without --update"
    )]
    UpdateUnreadable {
        path: String,
        line: usize,
        column: usize,
        problem: String,
    },
}

/// What to give items whose file does not say (the `--area`, `--topic` and `--level`
/// options). A value in the file wins over these.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Defaults {
    pub area: Option<Area>,
    pub topic: Option<String>,
    pub level: Option<Level>,
}

/// The bank's own fields.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BankMeta {
    pub id: String,
    pub title: String,
    pub author: String,
    pub version: String,
    pub license: String,
    pub description: String,
}

impl BankMeta {
    /// The metadata of a bank imported from the file named `file_name`: the title is
    /// the file name, the author, version and license are placeholders to replace.
    pub fn for_source(id: String, file_name: &str, format: Format) -> BankMeta {
        BankMeta {
            id,
            title: file_name.to_string(),
            author: DEFAULT_AUTHOR.to_string(),
            version: DEFAULT_VERSION.to_string(),
            license: DEFAULT_LICENSE.to_string(),
            description: format!("Imported from {file_name} ({format}) by labcert import."),
        }
    }
}

/// A bank id made from a file name: the output file's stem, cleaned, or "imported".
pub fn bank_id_for(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let id = id_from_name(&stem);
    if id.is_empty() {
        "imported".to_string()
    } else {
        id
    }
}

/// Everything an import needs.
#[derive(Debug, Clone)]
pub struct ImportRequest {
    pub format: Format,
    /// The input as the user named it, for messages.
    pub source_name: String,
    pub bank: BankMeta,
    pub defaults: Defaults,
    /// Item ids already used by other loaded banks, with the id of the bank using each.
    pub taken_ids: HashMap<String, String>,
    /// The folder the bank will be written to: an item's image must be there, or the
    /// item needs it. `None`: images are not looked for.
    pub image_dir: Option<PathBuf>,
}

/// What an import produced.
#[derive(Debug, Clone)]
pub struct Import {
    pub format: Format,
    pub source_name: String,
    pub bank: BankMeta,
    /// The items to write, in the file's order.
    pub items: Vec<ImportedItem>,
    /// The questions that were not imported, by line.
    pub skipped: Vec<Skipped>,
    pub notes: Vec<Note>,
    /// Item ids of the other loaded banks, with the bank using each: an enemy may name
    /// one of them.
    pub taken_ids: HashMap<String, String>,
    /// What `--update` kept, replaced, added and removed, when the import was merged
    /// into an existing bank.
    pub update: Option<update::Update>,
}

impl Import {
    /// Questions found in the file: imported and skipped.
    pub fn questions(&self) -> usize {
        self.items.len() + self.skipped.len()
    }

    /// The items that still need something.
    pub fn incomplete(&self) -> impl Iterator<Item = &ImportedItem> {
        self.items.iter().filter(|i| !i.needs.is_empty())
    }

    /// Whether every question was imported and every item is complete.
    pub fn is_complete(&self) -> bool {
        self.skipped.is_empty() && self.incomplete().next().is_none()
    }

    /// The image files the items show, in the order first shown, with whether each is
    /// in `image_dir` (the bank's folder) and whether a file of that name lies beside
    /// the imported file, ready to copy.
    pub fn images(&self, image_dir: Option<&Path>) -> Vec<ImageUse> {
        let input_dir = Path::new(&self.source_name).parent();
        let mut uses: Vec<ImageUse> = Vec::new();
        for item in &self.items {
            let Some(file) = &item.image else { continue };
            match uses.iter_mut().find(|u| u.file == *file) {
                Some(u) => u.items.push(item.id.clone()),
                None => uses.push(ImageUse {
                    file: file.clone(),
                    items: vec![item.id.clone()],
                    present: image_dir.is_some_and(|d| d.join(file).is_file()),
                    beside_input: input_dir
                        .map(|d| d.join(file))
                        .filter(|p| p.is_file())
                        .map(|p| p.display().to_string()),
                }),
            }
        }
        uses
    }
}

/// An image file the bank's items show.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImageUse {
    /// The file name, relative to the bank's folder.
    pub file: String,
    /// The items that show it.
    pub items: Vec<String>,
    /// Whether the file is in the bank's folder already.
    pub present: bool,
    /// A file of that name beside the imported file, to copy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub beside_input: Option<String>,
}

/// Imports text already read (see [`read_source`]).
pub fn import_text(text: &str, request: &ImportRequest) -> Result<Import, ImportError> {
    let parsed = match request.format {
        Format::Gift => gift::parse(text),
        Format::Aiken => aiken::parse(text),
        Format::Csv => csv::parse(text, &request.source_name, &request.defaults)?,
    };
    if parsed.drafts.is_empty() && parsed.skipped.is_empty() {
        return Err(ImportError::NoQuestions {
            path: request.source_name.clone(),
            format: request.format,
        });
    }
    let mut finished = draft::finish(
        parsed,
        &draft::FinishContext {
            bank_id: &request.bank.id,
            defaults: &request.defaults,
            taken_ids: &request.taken_ids,
            image_dir: request.image_dir.as_deref(),
        },
    );
    let tagged = finished.items.iter().filter(|i| !i.tags.is_empty()).count();
    if tagged > 0 {
        finished.notes.push(Note {
            line: None,
            text: format!(
                "{} Moodle tags; labcert has no tags, so they are kept in a `// {}...` comment above each item (a tag naming an area or MLT/MLS, or written area:, topic:, subtopic:, level: or difficulty:, also sets that field)",
                plural_items(tagged, "has", "have"),
                write::TAGS_COMMENT
            ),
        });
    }
    Ok(Import {
        format: request.format,
        source_name: request.source_name.clone(),
        bank: request.bank.clone(),
        items: finished.items,
        skipped: finished.skipped,
        notes: finished.notes,
        taken_ids: request.taken_ids.clone(),
        update: None,
    })
}

/// `1 item has` / `3 items have`.
fn plural_items(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 item {one}")
    } else {
        format!("{n} items {many}")
    }
}

/// Reads and imports a file.
pub fn import_file(path: &Path, request: &ImportRequest) -> Result<Import, ImportError> {
    import_text(&read_source(path)?, request)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bank_ids_come_from_the_output_name() {
        assert_eq!(
            bank_id_for(Path::new("out/class hematology.ron")),
            "class-hematology"
        );
        assert_eq!(bank_id_for(Path::new("x/日本.ron")), "imported");
    }

    #[test]
    fn an_empty_file_has_no_questions() {
        let request = ImportRequest {
            format: Format::Gift,
            source_name: "empty.gift".into(),
            bank: BankMeta::for_source("b".into(), "empty.gift", Format::Gift),
            defaults: Defaults::default(),
            taken_ids: HashMap::new(),
            image_dir: None,
        };
        let err = import_text("// only a comment\n\n", &request).unwrap_err();
        assert!(err.to_string().contains("no GIFT questions found"), "{err}");
    }
}
