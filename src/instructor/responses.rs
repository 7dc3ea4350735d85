//! Reading a class's answers back from `labcert export --format csv` files
//! (docs/export-format.md), and keeping each candidate's first answer to each item.
//!
//! The reader is defensive, like the bank loader: a missing or unreadable file is an
//! [`ExportError`] that the command turns into exit code 2; a file that is too large,
//! not UTF-8, lacks a needed column or has malformed rows is one that names the file and
//! the line (exit code 1), with every malformed row listed (up to
//! [`MAX_LISTED_PROBLEMS`]), never a panic. CSV follows RFC 4180: quoted fields may hold
//! commas, line breaks and doubled quotes; `\r\n` and `\n` line ends are both accepted.
//! Columns are matched by name and unknown ones ignored, so a newer export still reads.
//!
//! What the answers mean (statistics, calibration) is for `analysis` and `calibration`.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::bank::Area;
use crate::doc::csv::{Record, Records};

/// Export files larger than this are refused (an answer row is about 150 bytes, so this
/// is some 800,000 answers: a whole programme's year, not one class).
pub const MAX_EXPORT_FILE_BYTES: u64 = 128 * 1024 * 1024;
/// At most this many malformed rows are listed per file; the rest are counted.
pub const MAX_LISTED_PROBLEMS: usize = 20;

/// The columns the instructor tools read; the export's others (`install_id`, `mode`,
/// `exam_id`, `blueprint_id`, `topic`, `a`, `b`, `c`) are optional (exports made before
/// labcert wrote `install_id` and `blueprint_id` still read).
pub const REQUIRED_COLUMNS: [&str; 9] = [
    "profile",
    "answered_at",
    "bank_id",
    "item_id",
    "content_hash",
    "area",
    "response",
    "correct",
    "seconds",
];

/// The header `labcert export` writes, quoted in messages.
pub const EXPORT_HEADER: &str = "install_id,profile,answered_at,mode,exam_id,blueprint_id,bank_id,item_id,content_hash,area,topic,response,correct,seconds,a,b,c";

/// Milliseconds since 1970-01-01T00:00:00Z.
pub type UnixMillis = i64;

/// Reads an RFC 3339 time such as `2026-11-21T14:03:22Z` or `2026-11-21T16:03:22+02:00`
/// (with jiff); `None` for anything else, including impossible dates.
fn parse_rfc3339(text: &str) -> Option<UnixMillis> {
    text.trim()
        .parse::<jiff::Timestamp>()
        .ok()
        .map(|t| t.as_millisecond())
}

/// A file of answers that could not be used.
#[derive(Debug, Error)]
pub enum ExportError {
    #[error("{}: no such file", .path.display())]
    NotFound { path: PathBuf },
    #[error(transparent)]
    Read(crate::files::ReadError),
    #[error("{}: is a folder; give the export files themselves (e.g. class/*.csv)", .path.display())]
    Folder { path: PathBuf },
    #[error(
        "{}: the file is larger than {} MiB, the limit for an answer export; export one file per student and pass them together",
        .path.display(), MAX_EXPORT_FILE_BYTES >> 20
    )]
    TooLarge { path: PathBuf },
    #[error(
        "{}:{line}:{column}: not UTF-8 text (byte 0x{byte:02X}); export the answers again with `labcert export --format csv`, or save the file as UTF-8",
        .path.display()
    )]
    NotUtf8 {
        path: PathBuf,
        line: usize,
        column: usize,
        byte: u8,
    },
    #[error("{}:{line}: a NUL byte: this is a binary file, not a CSV answer export", .path.display())]
    Binary { path: PathBuf, line: usize },
    #[error("{}: the file is empty; an answer export starts with the header line\n  {EXPORT_HEADER}", .path.display())]
    Empty { path: PathBuf },
    #[error(
        "{}:{line}: the header lacks the column{} {}; is this a `labcert export --format csv` file? Its header is\n  {EXPORT_HEADER}",
        .path.display(),
        if .missing.len() == 1 { "" } else { "s" },
        .missing.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")
    )]
    MissingColumns {
        path: PathBuf,
        line: usize,
        missing: Vec<&'static str>,
    },
    #[error("{}:{line}: the column `{column}` is named twice in the header", .path.display())]
    DuplicateColumn {
        path: PathBuf,
        line: usize,
        column: String,
    },
    #[error("{}", malformed_message(.path, .problems, *.total))]
    Malformed {
        path: PathBuf,
        /// The first [`MAX_LISTED_PROBLEMS`] problems, in file order.
        problems: Vec<RowProblem>,
        total: usize,
    },
}

impl ExportError {
    /// Whether the file could not be read at all (exit code 2), as opposed to read and
    /// found wrong (exit code 1).
    pub fn is_unreadable(&self) -> bool {
        matches!(
            self,
            ExportError::NotFound { .. } | ExportError::Read(_) | ExportError::Folder { .. }
        )
    }
}

/// One malformed row: its line and what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct RowProblem {
    pub line: usize,
    /// The column (in characters) when one place is to blame, e.g. a broken quote.
    pub column: Option<usize>,
    pub message: String,
}

fn malformed_message(path: &Path, problems: &[RowProblem], total: usize) -> String {
    let mut out = format!(
        "{}: {total} malformed row{}:",
        path.display(),
        if total == 1 { "" } else { "s" }
    );
    for p in problems {
        let _ = match p.column {
            Some(column) => write!(
                out,
                "\n  {}:{}:{column}: {}",
                path.display(),
                p.line,
                p.message
            ),
            None => write!(out, "\n  {}:{}: {}", path.display(), p.line, p.message),
        };
    }
    if total > problems.len() {
        let _ = write!(out, "\n  ... and {} more", total - problems.len());
    }
    out
}

/// Where an answer was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Origin {
    /// Index of the file among those read.
    pub file: usize,
    pub line: usize,
}

/// One answer as exported, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedAnswer {
    /// The candidate: `profile@install_id` (the profile in one data directory), only the
    /// profile for exports without `install_id`, or the file name with
    /// `--candidate-from-file`.
    pub candidate: String,
    /// `practice`, `review` or `exam`; empty when the export has no `mode` column.
    pub mode: String,
    /// The exam's style (blueprint id) for exam answers; empty otherwise.
    pub blueprint_id: String,
    pub answered_at: UnixMillis,
    pub bank_id: String,
    pub item_id: String,
    /// The item's text at the time (16 hex digits, see `store::content_hash`).
    pub content_hash: String,
    pub area: Area,
    /// As exported: `B`, `A,C` or a number.
    pub response: String,
    pub correct: bool,
    pub seconds: f64,
    pub origin: Origin,
}

impl RecordedAnswer {
    /// The choice letters in the response, 0-based (`A,C` is `[0, 2]`); `None` when the
    /// response is not letters (a number, or blank).
    pub fn letters(&self) -> Option<Vec<usize>> {
        let mut out = Vec::new();
        for token in self
            .response
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|t| !t.is_empty())
        {
            let mut chars = token.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) if c.is_ascii_alphabetic() => {
                    out.push(usize::from(c.to_ascii_uppercase() as u8 - b'A'));
                }
                _ => return None,
            }
        }
        out.sort_unstable();
        out.dedup();
        (!out.is_empty()).then_some(out)
    }
}

/// How to read the files.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Take the candidate from the file name instead of the `profile` column (for files
    /// from several machines where every student's profile is `default`).
    pub candidate_from_file: bool,
    /// Which answers to keep (all by default).
    pub selection: Selection,
}

/// Where an answer was given, as the export's `mode` column names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Mode {
    Practice,
    Review,
    Exam,
}

impl Mode {
    pub const ALL: [Mode; 3] = [Mode::Practice, Mode::Review, Mode::Exam];

    /// The name in the export's `mode` column.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Practice => "practice",
            Mode::Review => "review",
            Mode::Exam => "exam",
        }
    }
}

/// Which answers an analysis uses: those given in one of `modes` (any mode when empty)
/// and, with `blueprint`, only exam answers of that exam style.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    pub modes: Vec<Mode>,
    pub blueprint: Option<String>,
}

impl Selection {
    /// Whether every answer is kept.
    pub fn is_everything(&self) -> bool {
        self.modes.is_empty() && self.blueprint.is_none()
    }

    /// Whether `answer` is one of the selected.
    pub fn keeps(&self, answer: &RecordedAnswer) -> bool {
        let mode_ok = self.modes.is_empty() || self.modes.iter().any(|m| m.name() == answer.mode);
        let blueprint_ok = self
            .blueprint
            .as_ref()
            .is_none_or(|b| *b == answer.blueprint_id);
        mode_ok && blueprint_ok
    }

    /// The selection as the options that made it: `--mode exam --blueprint spring-quiz`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if !self.modes.is_empty() {
            let names: Vec<&str> = self.modes.iter().map(|m| m.name()).collect();
            parts.push(format!("--mode {}", names.join(",")));
        }
        if let Some(b) = &self.blueprint {
            parts.push(format!("--blueprint {b}"));
        }
        parts.join(" ")
    }
}

/// What the files held before the selection: answers per mode and per exam style, to
/// say what is there when a selection keeps nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Available {
    /// Answers per `mode` value (empty: an export without the column).
    pub modes: std::collections::BTreeMap<String, usize>,
    /// Exam answers per `blueprint_id` (empty: an export made before labcert wrote it).
    pub blueprints: std::collections::BTreeMap<String, usize>,
}

/// A class's answers: each candidate's first answer to each item, among the selected.
#[derive(Debug, Clone, Default)]
pub struct ClassAnswers {
    /// The files read, in the order given.
    pub files: Vec<PathBuf>,
    /// First answers, ordered by candidate, then time.
    pub answers: Vec<RecordedAnswer>,
    /// Later answers by the same candidate to the same item, left out.
    pub repeats_ignored: usize,
    /// The selection applied.
    pub selection: Selection,
    /// Answers the selection left out.
    pub outside_selection: usize,
    /// First answers (in the selection) given after the candidate had already answered
    /// the item outside it: an exam item met before in practice, say.
    pub seen_before: usize,
    /// What the files held, whatever the selection.
    pub available: Available,
    /// Candidates whose answers come from more than one file, with those files' indexes
    /// (the same student's export given twice, or, for exports without `install_id`, two
    /// students with the same profile name).
    pub shared: Vec<(String, Vec<usize>)>,
}

impl ClassAnswers {
    /// Keeps the first answer of each candidate to each item: the earliest `answered_at`,
    /// ties broken by file and line. Later answers come after the candidate has seen the
    /// item (and, in practice, its explanation), so they measure memory of the item
    /// rather than the knowledge it tests. (Every answer; the command selects with
    /// [`ClassAnswers::select`].)
    #[cfg(test)]
    pub fn from_answers(files: Vec<PathBuf>, all: Vec<RecordedAnswer>) -> ClassAnswers {
        ClassAnswers::select(files, all, &Selection::default())
    }

    /// Keeps the answers `selection` keeps, then each candidate's first answer to each
    /// item among them (as [`ClassAnswers::from_answers`]). Selecting first means that
    /// `--mode exam` analyses each candidate's exam answer even when they practised the
    /// item before; [`ClassAnswers::seen_before`] counts those.
    pub fn select(
        files: Vec<PathBuf>,
        mut all: Vec<RecordedAnswer>,
        selection: &Selection,
    ) -> ClassAnswers {
        let mut available = Available::default();
        for a in &all {
            *available.modes.entry(a.mode.clone()).or_default() += 1;
            if a.mode == Mode::Exam.name() {
                *available
                    .blueprints
                    .entry(a.blueprint_id.clone())
                    .or_default() += 1;
            }
        }
        let mut files_of: std::collections::BTreeMap<&str, std::collections::BTreeSet<usize>> =
            std::collections::BTreeMap::new();
        for a in &all {
            files_of
                .entry(a.candidate.as_str())
                .or_default()
                .insert(a.origin.file);
        }
        let shared: Vec<(String, Vec<usize>)> = files_of
            .into_iter()
            .filter(|(_, f)| f.len() > 1)
            .map(|(c, f)| (c.to_string(), f.into_iter().collect()))
            .collect();
        all.sort_by(|x, y| {
            (&x.candidate, x.answered_at, x.origin).cmp(&(&y.candidate, y.answered_at, y.origin))
        });
        // Items each candidate answered so far (any answer), and so far in the selection.
        let mut met: HashSet<(String, String, String)> = HashSet::new();
        let mut kept: HashSet<(String, String, String)> = HashSet::new();
        let (mut outside_selection, mut repeats_ignored, mut seen_before) = (0, 0, 0);
        let mut answers = Vec::new();
        for a in all {
            let key = (a.candidate.clone(), a.bank_id.clone(), a.item_id.clone());
            let met_before = !met.insert(key.clone());
            if !selection.keeps(&a) {
                outside_selection += 1;
            } else if !kept.insert(key) {
                repeats_ignored += 1;
            } else {
                seen_before += usize::from(met_before);
                answers.push(a);
            }
        }
        ClassAnswers {
            files,
            answers,
            repeats_ignored,
            selection: selection.clone(),
            outside_selection,
            seen_before,
            available,
            shared,
        }
    }

    /// How many distinct candidates answered.
    pub fn candidate_count(&self) -> usize {
        let mut names: Vec<&str> = self.answers.iter().map(|a| a.candidate.as_str()).collect();
        names.dedup();
        names.len()
    }
}

/// Reads every file; if any cannot be used, returns every file's error.
pub fn read_exports(
    paths: &[PathBuf],
    options: &ReadOptions,
) -> Result<ClassAnswers, Vec<ExportError>> {
    let names = candidate_names(paths);
    let mut all = Vec::new();
    let mut errors = Vec::new();
    for (index, path) in paths.iter().enumerate() {
        let candidate = options.candidate_from_file.then(|| names[index].as_str());
        match read_export(path, index, candidate) {
            Ok(answers) => all.extend(answers),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(ClassAnswers::select(
            paths.to_vec(),
            all,
            &options.selection,
        ))
    } else {
        Err(errors)
    }
}

/// The candidate name for each file with `--candidate-from-file`: the file name without
/// its extension, or the whole path when two files share a name.
fn candidate_names(paths: &[PathBuf]) -> Vec<String> {
    let stems: Vec<String> = paths
        .iter()
        .map(|p| {
            p.file_stem()
                .map_or_else(|| p.display().to_string(), |s| s.to_string_lossy().into())
        })
        .collect();
    stems
        .iter()
        .zip(paths)
        .map(|(stem, path)| {
            if stems.iter().filter(|s| *s == stem).count() > 1 {
                path.display().to_string()
            } else {
                stem.clone()
            }
        })
        .collect()
}

/// Reads one export file. `file` numbers it for [`Origin`]; `candidate`, when given,
/// replaces the `profile` column.
pub fn read_export(
    path: &Path,
    file: usize,
    candidate: Option<&str>,
) -> Result<Vec<RecordedAnswer>, ExportError> {
    let text = read_text(path)?;
    parse_export(path, &text, file, candidate)
}

fn read_text(path: &Path) -> Result<String, ExportError> {
    use crate::files::ReadError;
    let p = || path.to_path_buf();
    let text =
        crate::files::read_text(path, MAX_EXPORT_FILE_BYTES, "an answer export").map_err(|e| {
            match e {
                ReadError::NotFound { .. } => ExportError::NotFound { path: p() },
                ReadError::NotAFile {
                    kind: "a folder", ..
                } => ExportError::Folder { path: p() },
                ReadError::TooLarge { .. } => ExportError::TooLarge { path: p() },
                ReadError::Binary { line, .. } => ExportError::Binary { path: p(), line },
                ReadError::NotUtf8 {
                    line, column, byte, ..
                } => ExportError::NotUtf8 {
                    path: p(),
                    line,
                    column,
                    byte,
                },
                other => ExportError::Read(other),
            }
        })?;
    // Values from the file reach the terminal in reports and messages: no control
    // characters.
    Ok(crate::doc::diagnostic::clean(&text).into_owned())
}

/// Reads export text (without a byte-order mark). `path` names it in errors.
pub fn parse_export(
    path: &Path,
    text: &str,
    file: usize,
    candidate: Option<&str>,
) -> Result<Vec<RecordedAnswer>, ExportError> {
    let mut records = Records::new(text, ',').map(checked);
    let header = loop {
        match records.next() {
            None => {
                return Err(ExportError::Empty {
                    path: path.to_path_buf(),
                });
            }
            Some(Ok(r)) if r.is_blank() => continue,
            Some(Ok(r)) => break r,
            Some(Err(problem)) => {
                return Err(ExportError::Malformed {
                    path: path.to_path_buf(),
                    problems: vec![problem],
                    total: 1,
                });
            }
        }
    };
    let columns = Columns::from_header(path, &header, candidate.is_some())?;
    let mut answers = Vec::new();
    let mut problems = Vec::new();
    let mut total = 0;
    for record in records {
        let outcome = record.and_then(|r| {
            if r.is_blank() {
                Ok(None)
            } else {
                columns.answer(&r, file, candidate).map(Some)
            }
        });
        match outcome {
            Ok(Some(answer)) => answers.push(answer),
            Ok(None) => {}
            Err(problem) => {
                total += 1;
                if problems.len() < MAX_LISTED_PROBLEMS {
                    problems.push(problem);
                }
            }
        }
    }
    if total > 0 {
        return Err(ExportError::Malformed {
            path: path.to_path_buf(),
            problems,
            total,
        });
    }
    Ok(answers)
}

/// Where each needed column is in a row.
struct Columns {
    count: usize,
    profile: Option<usize>,
    install_id: Option<usize>,
    mode: Option<usize>,
    blueprint_id: Option<usize>,
    answered_at: usize,
    bank_id: usize,
    item_id: usize,
    content_hash: usize,
    area: usize,
    response: usize,
    correct: usize,
    seconds: usize,
}

impl Columns {
    fn from_header(
        path: &Path,
        header: &Record,
        profile_optional: bool,
    ) -> Result<Columns, ExportError> {
        let mut index: HashMap<String, usize> = HashMap::new();
        for (i, name) in header.fields.iter().enumerate() {
            let name = name.trim().to_ascii_lowercase();
            if name.is_empty() {
                continue;
            }
            if index.insert(name.clone(), i).is_some() {
                return Err(ExportError::DuplicateColumn {
                    path: path.to_path_buf(),
                    line: header.line,
                    column: name,
                });
            }
        }
        let missing: Vec<&'static str> = REQUIRED_COLUMNS
            .iter()
            .copied()
            .filter(|c| {
                let optional = profile_optional && *c == "profile";
                !optional && !index.contains_key(*c)
            })
            .collect();
        if !missing.is_empty() {
            return Err(ExportError::MissingColumns {
                path: path.to_path_buf(),
                line: header.line,
                missing,
            });
        }
        // Every required column is present (checked just above).
        let at = |name: &str| index.get(name).copied().unwrap_or(0);
        Ok(Columns {
            count: header.fields.len(),
            profile: index.get("profile").copied(),
            install_id: index.get("install_id").copied(),
            mode: index.get("mode").copied(),
            blueprint_id: index.get("blueprint_id").copied(),
            answered_at: at("answered_at"),
            bank_id: at("bank_id"),
            item_id: at("item_id"),
            content_hash: at("content_hash"),
            area: at("area"),
            response: at("response"),
            correct: at("correct"),
            seconds: at("seconds"),
        })
    }

    fn answer(
        &self,
        record: &Record,
        file: usize,
        candidate: Option<&str>,
    ) -> Result<RecordedAnswer, RowProblem> {
        let problem = |message: String| RowProblem {
            line: record.line,
            column: None,
            message,
        };
        if record.fields.len() != self.count {
            return Err(problem(format!(
                "this row has {} fields but the header has {}; is a comma inside a field not quoted?",
                record.fields.len(),
                self.count
            )));
        }
        let field = |i: usize| record.fields[i].trim();
        let non_empty = |i: usize, name: &str| {
            let v = field(i);
            if v.is_empty() {
                Err(problem(format!("`{name}` is empty")))
            } else {
                Ok(v.to_string())
            }
        };
        let optional = |i: Option<usize>| i.map_or(String::new(), |i| field(i).to_string());
        let install_id = optional(self.install_id);
        let candidate = match (candidate, self.profile) {
            (Some(c), _) => c.to_string(),
            (None, Some(i)) if install_id.is_empty() => non_empty(i, "profile")?,
            (None, Some(i)) => format!("{}@{install_id}", non_empty(i, "profile")?),
            // The header check requires `profile` unless a candidate is given.
            (None, None) => String::new(),
        };
        let at_text = field(self.answered_at);
        let answered_at = parse_rfc3339(at_text).ok_or_else(|| {
            problem(format!(
                "answered_at \"{at_text}\" is not an RFC 3339 time such as 2026-11-21T14:03:22Z"
            ))
        })?;
        let bank_id = non_empty(self.bank_id, "bank_id")?;
        let item_id = non_empty(self.item_id, "item_id")?;
        let hash = field(self.content_hash);
        if hash.len() != 16 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(problem(format!(
                "content_hash \"{hash}\" is not 16 hexadecimal digits"
            )));
        }
        let area_text = field(self.area);
        let area = Area::parse(area_text).ok_or_else(|| {
            problem(format!(
                "unknown area \"{area_text}\" (the areas are {})",
                Area::ALL.map(Area::name).join(", ")
            ))
        })?;
        let correct = match field(self.correct) {
            "1" => true,
            "0" => false,
            other => {
                return Err(problem(format!(
                    "correct is \"{other}\"; it must be 1 or 0"
                )));
            }
        };
        let seconds_text = field(self.seconds);
        let seconds = match seconds_text.parse::<f64>() {
            Ok(s) if s.is_finite() && s >= 0.0 => s,
            _ => {
                return Err(problem(format!(
                    "seconds \"{seconds_text}\" is not a number of seconds (0 or more)"
                )));
            }
        };
        Ok(RecordedAnswer {
            candidate,
            mode: optional(self.mode).to_ascii_lowercase(),
            blueprint_id: optional(self.blueprint_id),
            answered_at,
            bank_id,
            item_id,
            content_hash: hash.to_ascii_lowercase(),
            area,
            response: field(self.response).to_string(),
            correct,
            seconds,
            origin: Origin {
                file,
                line: record.line,
            },
        })
    }
}

/// A record, or what is wrong with its quoting.
fn checked(record: Record) -> Result<Record, RowProblem> {
    match record.problem {
        Some(p) => Err(RowProblem {
            line: p.line,
            column: Some(p.column),
            message: p.message,
        }),
        None => Ok(record),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_export_times() {
        let table = [
            ("1970-01-01T00:00:00Z", Some(0)),
            ("1970-01-01T00:00:01.5Z", Some(1500)),
            ("2026-11-21T14:03:22Z", Some(1_795_269_802_000)),
            ("2026-11-21T16:03:22+02:00", Some(1_795_269_802_000)),
            ("2024-02-29T00:00:00Z", Some(1_709_164_800_000)),
            ("2023-02-29T00:00:00Z", None),
            ("2026-13-01T00:00:00Z", None),
            ("2026-11-21T14:03:22", None),
            ("yesterday", None),
        ];
        for (text, expected) in table {
            assert_eq!(parse_rfc3339(text), expected, "{text}");
        }
    }

    const HEADER: &str = EXPORT_HEADER;

    fn row(profile: &str, at: &str, item: &str, response: &str, correct: u8) -> String {
        format!(
            "3f9a00112233aabb,{profile},{at},exam,1,ascp-mls,class,{item},0123456789abcdef,hematology,anemias,{response},{correct},12.5,1,0,0"
        )
    }

    fn parse(text: &str) -> Result<Vec<RecordedAnswer>, ExportError> {
        parse_export(Path::new("class.csv"), text, 0, None)
    }

    #[test]
    fn reads_an_export_and_matches_columns_by_name() {
        let text = format!(
            "{HEADER}\n{}\n{}\n",
            row("alice", "2026-11-21T14:03:22Z", "hem-1", "B", 1),
            row("bob", "2026-11-21T14:05:00Z", "hem-1", "\"A,C\"", 0)
        );
        let got = parse(&text).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].candidate, "alice@3f9a00112233aabb");
        assert_eq!(
            (got[0].mode.as_str(), got[0].blueprint_id.as_str()),
            ("exam", "ascp-mls")
        );
        assert_eq!(got[0].area, Area::Hematology);
        assert!(got[0].correct && !got[1].correct);
        assert_eq!(got[1].letters(), Some(vec![0, 2]));
        assert_eq!(got[1].origin.line, 3);
        // Reordered columns and an unknown one.
        let text = "item_id,extra,bank_id,profile,answered_at,content_hash,area,response,correct,seconds\nhem-2,?,class,carol,2026-01-01T00:00:00Z,0123456789ABCDEF,chemistry,12.5,1,3\n";
        let got = parse(text).unwrap();
        // An export made before install_id: the profile alone names the candidate.
        assert_eq!(got[0].candidate, "carol");
        assert_eq!(got[0].item_id, "hem-2");
        assert_eq!(got[0].content_hash, "0123456789abcdef");
        assert_eq!(got[0].letters(), None);
    }

    #[test]
    fn every_malformed_row_is_listed_with_its_line() {
        let text = format!(
            "{HEADER}\n{}\n{}\n\n{}\nonly,three,fields\n{}\n",
            row("a", "2026-11-21T14:03:22Z", "x", "B", 2),
            row("a", "soon", "x", "B", 1),
            row("", "2026-11-21T14:03:22Z", "x", "B", 1),
            row("a", "2026-11-21T14:03:22Z", "x", "B", 1).replace("hematology", "hematolgy"),
        );
        let Err(ExportError::Malformed {
            problems, total, ..
        }) = parse(&text)
        else {
            panic!("expected malformed rows");
        };
        assert_eq!(total, 5);
        let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![2, 3, 5, 6, 7]);
        assert!(problems[0].message.contains("must be 1 or 0"));
        assert!(problems[1].message.contains("RFC 3339"));
        assert!(problems[2].message.contains("`profile` is empty"));
        assert!(
            problems[3]
                .message
                .contains("3 fields but the header has 17")
        );
        assert!(problems[4].message.contains("unknown area \"hematolgy\""));
    }

    #[test]
    fn a_header_without_the_needed_columns_is_refused() {
        let err = parse("profile,item_id,correct\nalice,x,1\n").unwrap_err();
        let message = err.to_string();
        assert!(matches!(err, ExportError::MissingColumns { line: 1, .. }));
        assert!(message.contains("`answered_at`, `bank_id`"), "{message}");
        assert!(matches!(parse("\n\n"), Err(ExportError::Empty { .. })));
        assert!(matches!(
            parse("profile,profile\n"),
            Err(ExportError::DuplicateColumn { .. })
        ));
    }

    #[test]
    fn the_first_answer_counts() {
        let text = format!(
            "{HEADER}\n{}\n{}\n{}\n",
            row("a", "2026-11-21T15:00:00Z", "x", "B", 1),
            row("a", "2026-11-21T14:00:00Z", "x", "C", 0),
            row("b", "2026-11-21T16:00:00Z", "x", "B", 1),
        );
        let answers = parse(&text).unwrap();
        let class = ClassAnswers::from_answers(vec![PathBuf::from("class.csv")], answers);
        assert_eq!(class.repeats_ignored, 1);
        assert_eq!(class.answers.len(), 2);
        assert_eq!(class.answers[0].response, "C");
        assert_eq!(class.candidate_count(), 2);
    }

    #[test]
    fn the_selection_comes_before_the_first_answer() {
        let exam = |profile: &str, at: &str, item: &str, blueprint: &str| {
            row(profile, at, item, "B", 1).replacen("ascp-mls", blueprint, 1)
        };
        let text = format!(
            "{HEADER}\n{}\n{}\n{}\n{}\n{}\n",
            row("a", "2026-11-21T14:00:00Z", "x", "C", 0).replacen(
                ",exam,1,ascp-mls,",
                ",practice,,,",
                1
            ),
            exam("a", "2026-11-21T15:00:00Z", "x", "quiz"),
            exam("a", "2026-11-21T15:01:00Z", "y", "quiz"),
            exam("b", "2026-11-21T16:00:00Z", "x", "other"),
            exam("b", "2026-11-21T16:05:00Z", "x", "quiz"),
        );
        let all = parse(&text).unwrap();
        let select = |selection: Selection| {
            ClassAnswers::select(vec![PathBuf::from("class.csv")], all.clone(), &selection)
        };
        let exams = select(Selection {
            modes: vec![Mode::Exam],
            blueprint: None,
        });
        let got: Vec<(&str, &str)> = exams
            .answers
            .iter()
            .map(|a| (a.item_id.as_str(), a.response.as_str()))
            .collect();
        // a's exam answer to x counts, though a practised x before (seen_before).
        assert_eq!(got, vec![("x", "B"), ("y", "B"), ("x", "B")]);
        assert_eq!(
            (
                exams.outside_selection,
                exams.repeats_ignored,
                exams.seen_before
            ),
            (1, 1, 1)
        );
        let quiz = select(Selection {
            modes: vec![],
            blueprint: Some("quiz".into()),
        });
        assert_eq!(quiz.answers.len(), 3);
        assert_eq!((quiz.outside_selection, quiz.seen_before), (2, 2));
        assert_eq!(quiz.available.modes["exam"], 4);
        assert_eq!(quiz.available.blueprints["other"], 1);
        let none = select(Selection {
            modes: vec![Mode::Review],
            blueprint: None,
        });
        assert!(none.answers.is_empty());
        assert_eq!(none.selection.describe(), "--mode review");
        // Without a selection, the first answer overall: the practice one.
        let everything = select(Selection::default());
        assert_eq!(everything.answers[0].response, "C");
        assert_eq!(everything.repeats_ignored, 2);
    }

    #[test]
    fn students_with_one_profile_name_stay_apart_and_a_file_given_twice_is_found() {
        let student = |install: &str| {
            format!(
                "{HEADER}\n{}\n",
                row("default", "2026-11-21T15:00:00Z", "x", "B", 1).replacen(
                    "3f9a00112233aabb",
                    install,
                    1
                )
            )
        };
        let mut all = Vec::new();
        for (file, install) in ["00000000000000aa", "00000000000000bb", "00000000000000aa"]
            .iter()
            .enumerate()
        {
            all.extend(parse_export(Path::new("s.csv"), &student(install), file, None).unwrap());
        }
        let class = ClassAnswers::from_answers(vec![PathBuf::from("s.csv"); 3], all);
        assert_eq!(
            class.candidate_count(),
            2,
            "two data directories, two students"
        );
        assert_eq!(
            class.shared,
            vec![("default@00000000000000aa".to_string(), vec![0, 2])]
        );
    }

    #[test]
    fn candidates_from_file_names() {
        let paths = [
            PathBuf::from("a/alice.csv"),
            PathBuf::from("b/bob.csv"),
            PathBuf::from("c/bob.csv"),
        ];
        assert_eq!(
            candidate_names(&paths),
            vec!["alice", "b/bob.csv", "c/bob.csv"]
        );
    }
}
