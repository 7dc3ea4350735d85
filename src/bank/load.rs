//! Finding, reading and checking bank files: the shipped banks, `--bank` paths and the
//! folders listed in the config file.
//!
//! Reading is defensive: a file over [`MAX_BANK_FILE_BYTES`], a binary file or one that
//! is not UTF-8 becomes a diagnostic naming the file (and, for bad UTF-8, the line and
//! column), never a panic. Paths that cannot be read at all (missing, unreadable, a
//! folder without `.ron` files) are [`LoadError`]s: usage or I/O problems, exit code 2.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use thiserror::Error;

use super::decode::{DecodedBank, decode_bank};
use super::model::{Bank, BankOrigin, Item};
use super::validate::cross_check;
use crate::doc::decode::Cx;
use crate::doc::diagnostic::{self, Diagnostic, FileId, Sources};

include!(concat!(env!("OUT_DIR"), "/builtin_banks.rs"));

/// Bank files larger than this are refused (a 450-item bank is about 0.6 MB; a
/// 10,000-item bank about 12 MB).
pub const MAX_BANK_FILE_BYTES: u64 = 32 * 1024 * 1024;
/// How deep `--bank FOLDER` looks for `.ron` files.
const MAX_FOLDER_DEPTH: usize = 16;

/// A bank path that could not be used at all.
#[derive(Debug, Error)]
pub enum LoadError {
    #[error("{}: no such file or folder", .path.display())]
    NotFound { path: PathBuf },
    #[error("{}: cannot read: {source}", .path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error("{}: this folder holds no .ron bank files", .path.display())]
    NoBankFiles { path: PathBuf },
    #[error(transparent)]
    Read(#[from] crate::files::ReadError),
    #[error("{source} (it is listed in {})", .config.display())]
    FromConfig {
        config: PathBuf,
        #[source]
        source: Box<LoadError>,
    },
}

/// What to load and what to report on.
#[derive(Debug, Clone)]
pub struct LoadRequest {
    /// Include the banks shipped in the binary.
    pub builtin: bool,
    /// Files or folders from `--bank`.
    pub paths: Vec<PathBuf>,
    /// Files or folders listed in the config file, and that file.
    pub config_paths: Vec<PathBuf>,
    pub config_file: Option<PathBuf>,
    /// When set, only these files or folders are reported on; everything else is
    /// loaded as context for the cross-bank checks (duplicate ids across banks).
    pub only_report: Option<Vec<PathBuf>>,
    /// Read with positions and run every check, warnings included (`banks check`),
    /// even when the banks look right.
    pub full_check: bool,
    /// Report a missing explanation or reference as an error, not a warning (`banks
    /// check --strict`, the standard the shipped banks are held to).
    pub strict: bool,
    /// Advanced by one for each bank file checked; hidden unless the caller draws it.
    pub progress: indicatif::ProgressBar,
}

impl Default for LoadRequest {
    fn default() -> Self {
        LoadRequest {
            builtin: false,
            paths: Vec::new(),
            config_paths: Vec::new(),
            config_file: None,
            only_report: None,
            full_check: false,
            strict: false,
            progress: indicatif::ProgressBar::hidden(),
        }
    }
}

/// Diagnostics that are warnings in a user's bank but errors under `--strict`.
pub const STRICT_ONLY: [&str; 2] = ["no-explanation", "no-references"];

/// Everything loading found: the usable banks and items, and the diagnostics.
pub struct LoadReport {
    pub sources: Sources,
    /// Diagnostics in reading order, for the reported files only.
    pub diagnostics: Vec<Diagnostic>,
    /// The usable banks, in load order (built-in banks first): an item with an error is
    /// left out of its bank, and a bank whose file cannot be read or whose header has an
    /// error is left out whole.
    pub banks: Vec<Bank>,
    /// What was left out, per file with errors.
    pub left_out: Vec<LeftOut>,
    /// Files that were loaded because the config file lists them (for messages).
    pub from_config: HashSet<FileId>,
    /// How many files and items were reported on.
    pub files_checked: usize,
    pub items_checked: usize,
}

impl LoadReport {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }

    /// The banks strictly: only if nothing had an error (tests and tools that must not
    /// work from a partial bank).
    pub fn into_library(self) -> Result<Library, Box<LoadReport>> {
        if self.errors() > 0 {
            Err(Box::new(self))
        } else {
            Ok(Library { banks: self.banks })
        }
    }

    /// The usable banks, whatever was left out (see [`LoadReport::left_out`]).
    pub fn usable(&self) -> Library {
        Library {
            banks: self.banks.clone(),
        }
    }
}

/// Items of one file that cannot be used because of errors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOut {
    pub file: FileId,
    /// How many items were left out (for a whole file: every item it holds, if known).
    pub items: usize,
    /// The whole file was left out (unreadable, a syntax error, an error in the bank's
    /// own fields, a bank id used twice).
    pub whole_file: bool,
}

/// The checked banks a session works from.
#[derive(Debug, Clone, Default)]
pub struct Library {
    pub banks: Vec<Bank>,
}

impl Library {
    /// Only the banks with these ids, in load order; the ids not loaded are the error.
    pub fn only_banks(&self, ids: &[String]) -> Result<Library, Vec<String>> {
        let missing: Vec<String> = ids
            .iter()
            .filter(|id| !self.banks.iter().any(|b| &b.id == *id))
            .cloned()
            .collect();
        if !missing.is_empty() {
            return Err(missing);
        }
        Ok(Library {
            banks: self
                .banks
                .iter()
                .filter(|b| ids.contains(&b.id))
                .cloned()
                .collect(),
        })
    }

    pub fn items(&self) -> impl Iterator<Item = (&Bank, &Item)> {
        self.banks
            .iter()
            .flat_map(|b| b.items.iter().map(move |i| (b, i)))
    }

    /// The item with this id (ids are unique across loaded banks).
    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items().map(|(_, i)| i).find(|i| i.id == id)
    }
}

/// One file to decode.
struct Input {
    origin: BankOrigin,
    from_config: bool,
    name: String,
    base_dir: Option<PathBuf>,
    report: bool,
    content: Content,
}

enum Content {
    Text(String),
    /// The file could not be taken as text; the diagnostic says why. `shown` is what
    /// the diagnostic may point into (the readable part of a file that is not UTF-8).
    Refused {
        shown: String,
        diagnostic: Box<dyn Fn(FileId) -> Diagnostic>,
    },
}

/// Loads and checks banks as `request` says.
pub fn load(request: &LoadRequest) -> Result<LoadReport, LoadError> {
    let mut inputs = Vec::new();
    let mut notes = Vec::new();
    let targets = match &request.only_report {
        Some(paths) => Some(expand_all(paths, &mut notes)?),
        None => None,
    };
    let target_set: HashSet<PathBuf> = targets.iter().flatten().map(|p| canonical(p)).collect();
    let report_context = targets.is_none();
    if request.builtin {
        for (name, text) in BUILTIN_BANKS {
            inputs.push(Input {
                from_config: false,
                origin: BankOrigin::Builtin((*name).to_string()),
                name: format!("<builtin>/{name}"),
                base_dir: None,
                report: report_context,
                content: Content::Text(text.strip_prefix('\u{feff}').unwrap_or(text).to_string()),
            });
        }
    }
    let mut context = expand_all(&request.paths, &mut notes)?;
    let config_note = |e: LoadError| match &request.config_file {
        Some(config) => LoadError::FromConfig {
            config: config.clone(),
            source: Box::new(e),
        },
        None => e,
    };
    context.extend(expand_all(&request.config_paths, &mut notes).map_err(config_note)?);
    let mut seen = HashSet::new();
    for (path, report) in context
        .iter()
        .map(|p| (p, report_context))
        .chain(targets.iter().flatten().map(|p| (p, true)))
    {
        let key = canonical(path);
        // A file named on the command line is checked even when `--bank` or the config
        // file also loads it: the context copy gives way to the checked one.
        if !report && target_set.contains(&key) {
            continue;
        }
        if !seen.insert(key.clone()) {
            continue;
        }
        let from_config = !request.paths.iter().any(|c| path.starts_with(c))
            && request.config_paths.iter().any(|c| path.starts_with(c));
        let content = read_text(path).map_err(|e| if from_config { config_note(e) } else { e })?;
        inputs.push(Input {
            from_config,
            origin: BankOrigin::File(path.clone()),
            name: path.display().to_string(),
            base_dir: Some(
                path.parent()
                    .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
            ),
            report,
            content,
        });
    }
    request.progress.set_length(inputs.len() as u64);
    // For use, each file is read in one typed pass; a file with an error is read again
    // with positions (so its errors can be pinned to items), the others are not.
    // `banks check` reads every file with positions.
    let mut positions = vec![request.full_check; inputs.len()];
    let mut report = loop {
        match check_inputs(&inputs, &positions, request.full_check, &request.progress) {
            Ok(report) => break report,
            Err(again) => {
                for i in again {
                    positions[i] = true;
                }
                request.progress.set_position(0);
            }
        }
    };
    if request.strict {
        for d in &mut report.diagnostics {
            if STRICT_ONLY.contains(&d.code) {
                d.severity = crate::doc::diagnostic::Severity::Error;
            }
        }
    }
    for note in notes {
        let file = report
            .sources
            .add(note.path.display().to_string(), String::new());
        report
            .diagnostics
            .push(Diagnostic::warning(note.code, file, note.message).hint(note.hint));
    }
    Ok(report)
}

/// Something a folder walk met and went past: a broken link, a loop of links.
struct WalkNote {
    path: PathBuf,
    code: &'static str,
    message: String,
    hint: String,
}

fn canonical(path: &Path) -> PathBuf {
    fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Decodes and checks the inputs: with positions where `positions[i]` says so, else in
/// one typed pass. `checking` (`banks check`) adds the near-duplicate search and keeps
/// the warnings. Returns the inputs to read again with positions when a typed read met
/// an error (its place is needed to leave out only the item at fault).
fn check_inputs(
    inputs: &[Input],
    positions: &[bool],
    checking: bool,
    progress: &indicatif::ProgressBar,
) -> Result<LoadReport, Vec<usize>> {
    let mut again: Vec<usize> = Vec::new();
    let mut sources = Sources::new();
    let mut diags = Vec::new();
    let mut decoded: Vec<DecodedBank> = Vec::new();
    let mut reported: Vec<bool> = Vec::new();
    let mut builtin_files: HashSet<FileId> = HashSet::new();
    let mut from_config: HashSet<FileId> = HashSet::new();
    for (i, input) in inputs.iter().enumerate() {
        progress.inc(1);
        let with_positions = positions.get(i).copied().unwrap_or(true);
        let listed_in_config = input.from_config;
        let is_builtin = matches!(input.origin, BankOrigin::Builtin(_));
        let file = match &input.content {
            Content::Text(text) => {
                let file = sources.add(input.name.clone(), text.clone());
                let mut cx = Cx::new(file, &mut diags);
                let text = sources.text(file);
                if !with_positions {
                    // One typed pass; anything unusual means reading it with positions.
                    match super::typed::bank_tree(text) {
                        Some(root) => {
                            decoded.push(decode_bank(
                                &root,
                                input.origin.clone(),
                                input.base_dir.as_deref(),
                                &mut cx,
                            ));
                            if cx.errors() > 0 {
                                again.push(i);
                            }
                        }
                        None => again.push(i),
                    }
                } else {
                    match crate::doc::ron::parse(text) {
                        Ok(root) => decoded.push(decode_bank(
                            &root,
                            input.origin.clone(),
                            input.base_dir.as_deref(),
                            &mut cx,
                        )),
                        Err(e) => {
                            let d = Diagnostic::error("syntax", file, e.message)
                                .at(e.span, "here")
                                .hint_opt(e.hint);
                            cx.push(d);
                        }
                    }
                }
                file
            }
            Content::Refused { shown, diagnostic } => {
                let file = sources.add(input.name.clone(), shown.clone());
                diags.push(diagnostic(file));
                file
            }
        };
        debug_assert_eq!(file, reported.len());
        if listed_in_config {
            from_config.insert(file);
        }
        if is_builtin {
            builtin_files.insert(file);
        }
        reported.push(input.report);
    }

    // A bank file with the same id as a shipped bank replaces it: an instructor's edited
    // or calibrated copy of a shipped bank is used instead of the built-in one.
    let file_bank_ids: HashSet<String> = decoded
        .iter()
        .filter(|d| !builtin_files.contains(&d.file))
        .filter_map(|d| d.bank_id.as_ref().map(|(id, _)| id.clone()))
        .collect();
    decoded.retain(|d| {
        !builtin_files.contains(&d.file)
            || !d
                .bank_id
                .as_ref()
                .is_some_and(|(id, _)| file_bank_ids.contains(id))
    });

    // When checking particular files, a context bank with the same bank id as a
    // checked one is that bank's other copy (e.g. the shipped version of a file being
    // edited): leave it out of the comparison rather than report every id twice.
    let checked_bank_ids: HashSet<String> = decoded
        .iter()
        .filter(|d| reported[d.file])
        .filter_map(|d| d.bank_id.as_ref().map(|(id, _)| id.clone()))
        .collect();
    decoded.retain(|d| {
        reported[d.file]
            || !d
                .bank_id
                .as_ref()
                .is_some_and(|(id, _)| checked_bank_ids.contains(id))
    });

    if !again.is_empty() {
        return Err(again);
    }
    cross_check(&decoded, &sources, &|f| reported[f], checking, &mut diags);
    // An error the checks across files found in a file read without positions (an id
    // another bank uses): read that file again with them. (A file is its input's index.)
    let unplaced: Vec<usize> = diags
        .iter()
        .filter(|d| d.is_error() && !positions.get(d.file).copied().unwrap_or(true))
        .map(|d| d.file)
        .collect();
    if !unplaced.is_empty() {
        return Err(unplaced);
    }
    if !checking {
        // Warnings are for `banks check`.
        diags.retain(Diagnostic::is_error);
    }
    diags.retain(|d| reported[d.file]);
    diagnostic::sort(&mut diags);

    let files_checked = reported.iter().filter(|r| **r).count();
    let items_checked = decoded
        .iter()
        .filter(|d| reported[d.file])
        .map(|d| d.index.len())
        .sum();
    let (banks, left_out) = usable_parts(decoded, &diags, reported.len());
    Ok(LoadReport {
        sources,
        diagnostics: diags,
        banks,
        left_out,
        from_config,
        files_checked,
        items_checked,
    })
}

/// Splits the decoded banks into what can be used and what was left out: an error
/// inside an item costs that item; any other error in a file (or a file that did not
/// decode at all) costs the whole file.
fn usable_parts(
    decoded: Vec<DecodedBank>,
    diags: &[Diagnostic],
    files: usize,
) -> (Vec<Bank>, Vec<LeftOut>) {
    let mut errors_in: Vec<Vec<&Diagnostic>> = vec![Vec::new(); files];
    for d in diags.iter().filter(|d| d.is_error()) {
        if let Some(list) = errors_in.get_mut(d.file) {
            list.push(d);
        }
    }
    let mut decoded_files = vec![false; files];
    let mut banks = Vec::new();
    let mut left_out = Vec::new();
    for d in decoded {
        if let Some(seen) = decoded_files.get_mut(d.file) {
            *seen = true;
        }
        let errors = errors_in.get(d.file).map_or(&[][..], Vec::as_slice);
        let mut bad = vec![false; d.item_spans.len()];
        let mut bank_level = d.bank.is_none();
        for e in errors {
            let at = e.primary.as_ref().map(|p| p.span.start);
            match at.and_then(|at| d.item_spans.iter().position(|s| s.contains(&at))) {
                Some(i) => bad[i] = true,
                None => bank_level = true,
            }
        }
        // Items that failed to decode are already out of the bank; count them too.
        let kept: HashSet<usize> = d.kept.iter().copied().collect();
        for (i, b) in bad.iter_mut().enumerate() {
            *b |= !kept.contains(&i);
        }
        let Some(mut bank) = d.bank.filter(|_| !bank_level) else {
            left_out.push(LeftOut {
                file: d.file,
                items: d.item_spans.len(),
                whole_file: true,
            });
            continue;
        };
        let dropped = bad.iter().filter(|b| **b).count();
        if dropped > 0 {
            let keep: Vec<bool> = d.kept.iter().map(|&i| !bad[i]).collect();
            let mut k = keep.iter();
            bank.items.retain(|_| *k.next().unwrap_or(&false));
            left_out.push(LeftOut {
                file: d.file,
                items: dropped,
                whole_file: false,
            });
        }
        banks.push(bank);
    }
    // Files that never decoded (unreadable, a syntax error) and had errors.
    for (file, errors) in errors_in.iter().enumerate() {
        if !errors.is_empty() && !decoded_files[file] {
            left_out.push(LeftOut {
                file,
                items: 0,
                whole_file: true,
            });
        }
    }
    left_out.sort_by_key(|l| l.file);
    (banks, left_out)
}

/// Checks bank text that is already in memory (tests, benchmarks, importers).
pub fn check_text(name: &str, text: &str) -> LoadReport {
    let input = Input {
        from_config: false,
        origin: BankOrigin::File(PathBuf::from(name)),
        name: name.to_string(),
        base_dir: None,
        report: true,
        content: Content::Text(text.to_string()),
    };
    // Read with positions, nothing is ever asked to be read again; were it, the empty
    // report says nothing loaded rather than stopping the program.
    check_inputs(&[input], &[true], true, &indicatif::ProgressBar::hidden()).unwrap_or_else(|_| {
        LoadReport {
            sources: Sources::new(),
            diagnostics: Vec::new(),
            banks: Vec::new(),
            left_out: Vec::new(),
            from_config: HashSet::new(),
            files_checked: 0,
            items_checked: 0,
        }
    })
}

/// Files for each path: a file as it is, a folder as the `.ron` files below it.
fn expand_all(paths: &[PathBuf], notes: &mut Vec<WalkNote>) -> Result<Vec<PathBuf>, LoadError> {
    let mut out = Vec::new();
    for p in paths {
        out.extend(expand(p, notes)?);
    }
    Ok(out)
}

fn expand(path: &Path, notes: &mut Vec<WalkNote>) -> Result<Vec<PathBuf>, LoadError> {
    let meta = fs::metadata(path).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => LoadError::NotFound {
            path: path.to_path_buf(),
        },
        _ => LoadError::Io {
            path: path.to_path_buf(),
            source: e,
        },
    })?;
    if !meta.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    let mut visited = HashSet::new();
    visited.extend(crate::files::identity(path));
    walk(path, 0, &mut files, &mut visited, notes)?;
    if files.is_empty() {
        return Err(LoadError::NoBankFiles {
            path: path.to_path_buf(),
        });
    }
    files.sort();
    Ok(files)
}

/// Collects the `.ron` files under `dir`. A folder reached a second time (a link back
/// up the tree, or two links to one folder) is not walked again, so links can never make
/// the walk loop or grow; a link to nothing is noted and passed over.
fn walk(
    dir: &Path,
    depth: usize,
    out: &mut Vec<PathBuf>,
    visited: &mut HashSet<crate::files::FileIdentity>,
    notes: &mut Vec<WalkNote>,
) -> Result<(), LoadError> {
    use crate::files::{Entry, entry_kind, identity};
    let io_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| LoadError::Io { path, source }
    };
    let mut entries: Vec<fs::DirEntry> = fs::read_dir(dir)
        .map_err(io_err(dir))?
        .collect::<Result<_, _>>()
        .map_err(io_err(dir))?;
    entries.sort_by_key(fs::DirEntry::file_name);
    for entry in entries {
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        match entry_kind(&path).map_err(io_err(&path))? {
            Entry::Folder => {
                let first_visit = identity(&path).is_none_or(|id| visited.insert(id));
                if !first_visit {
                    notes.push(WalkNote {
                        path,
                        code: "folder-seen",
                        message: "this folder was already searched for banks (a link leads to it again); it was not searched twice".into(),
                        hint: "remove the link if it is not needed".into(),
                    });
                } else if depth < MAX_FOLDER_DEPTH {
                    walk(&path, depth + 1, out, visited, notes)?;
                }
            }
            Entry::File
                if path
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("ron")) =>
            {
                out.push(path);
            }
            Entry::Broken => notes.push(WalkNote {
                path,
                code: "broken-link",
                message: "a link to nothing (or to itself); skipped".into(),
                hint: "remove the link or point it at a bank file".into(),
            }),
            Entry::File | Entry::Other => {}
        }
    }
    Ok(())
}

/// Reads a bank file as text, or says why it cannot be one: what is not a regular file
/// or is over the size limit is a [`LoadError`]; a binary or non-UTF-8 file is a
/// diagnostic pointing at the place.
fn read_text(path: &Path) -> Result<Content, LoadError> {
    use crate::files::ReadError;
    let bytes = crate::files::read_bytes(path, MAX_BANK_FILE_BYTES, "a bank file");
    let bytes = match bytes {
        Ok(b) => b,
        Err(ReadError::TooLarge { .. }) => {
            return Ok(refused(|file| {
                Diagnostic::error(
                    "file-too-large",
                    file,
                    format!(
                        "the file is larger than {} MiB, the limit for a bank file",
                        MAX_BANK_FILE_BYTES >> 20
                    ),
                )
                .hint("split the bank into several files in one folder and pass the folder with --bank")
            }));
        }
        Err(e) => return Err(e.into()),
    };
    match crate::files::decode_text(path, bytes) {
        Ok(text) => Ok(Content::Text(text)),
        Err(ReadError::Binary { .. } | ReadError::Utf16 { .. }) => Ok(refused(|file| {
            Diagnostic::error("binary-file", file, "this is a binary file, not a RON text file")
                .hint("a bank is a text file such as question_banks/hematology.ron; was the wrong file given?")
        })),
        Err(ReadError::NotUtf8 {
            offset,
            byte,
            lossy,
            ..
        }) => {
            // The lossy text has each bad byte as U+FFFD, so find the place by prefix.
            let shown = lossy;
            let at = shown
                .char_indices()
                .scan(0usize, |raw, (i, c)| {
                    let here = *raw;
                    *raw += if c == '\u{FFFD}' { 1 } else { c.len_utf8() };
                    Some((i, here))
                })
                .find(|(_, raw)| *raw >= offset)
                .map_or(shown.len(), |(i, _)| i);
            let end = shown[at..].chars().next().map_or(at, |c| at + c.len_utf8());
            Ok(Content::Refused {
                shown,
                diagnostic: Box::new(move |file| {
                    Diagnostic::error("invalid-utf8", file, "the file is not valid UTF-8")
                        .at(at..end, format!("byte 0x{byte:02X} here is not UTF-8"))
                        .hint("save the file as UTF-8 (in an editor or spreadsheet, choose \"UTF-8\" when saving)")
                }),
            })
        }
        Err(e) => Err(e.into()),
    }
}

fn refused(diagnostic: impl Fn(FileId) -> Diagnostic + 'static) -> Content {
    Content::Refused {
        shown: String::new(),
        diagnostic: Box::new(diagnostic),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_banks_check_clean() {
        let report = load(&LoadRequest {
            builtin: true,
            full_check: true,
            ..Default::default()
        })
        .unwrap();
        let errors: Vec<_> = report.diagnostics.iter().filter(|d| d.is_error()).collect();
        assert!(
            errors.is_empty(),
            "{}",
            diagnostic::render_to_string(&report.sources, &report.diagnostics)
        );
        assert!(!report.banks.is_empty());
    }
}
