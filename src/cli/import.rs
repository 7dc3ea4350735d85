//! `labcert import gift|aiken|csv FILE -o OUT.ron`: another tool's questions as a bank,
//! and a summary the instructor can act on.
//!
//! This module resolves the options into an [`ImportRequest`] (checking `--area`,
//! `--level` and `--bank-id`, and collecting the item ids of the other loaded banks so
//! imported ids do not clash with them), runs the import (`bank::import`), writes the
//! bank atomically and prints what was imported, what was skipped and why, and what
//! each item still needs, as text or (`--json`) as one JSON object. With `--update` the
//! import is merged into the existing bank first (`bank::import::update`), and the
//! summary says what was kept, replaced, added and removed. Exit code 0: every
//! question imported and the bank complete; 1: the bank was written but questions were
//! skipped or items need more data; 2: nothing was written (usage, I/O, an input that
//! cannot be read as the format).

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Args, ValueEnum};
use serde::Serialize;

use crate::bank::import::areas;
use crate::bank::import::update::{self, Existing, Update};
use crate::bank::import::{
    BankMeta, Defaults, Format, Given, ImageUse, Import, ImportError, ImportRequest, ImportedItem,
    Need, Note, Skipped, Written, bank_id_for, import_file, write_bank,
};
use crate::bank::{Area, Level, LoadRequest, load};
use crate::doc::decode::valid_id;
use crate::exit::Failure;
use crate::files::NewFile;
use crate::settings::Settings;
use crate::ui::progress;
use crate::ui::text::plural;

/// How many item ids a line of the text summary lists before "and N more".
const MAX_IDS_LISTED: usize = 20;

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The input's format
    #[arg(value_enum, ignore_case = true)]
    format: FormatArg,
    /// The file of questions to import
    #[arg(value_name = "FILE")]
    input: PathBuf,
    /// The bank file to write
    #[arg(short = 'o', long = "output", value_name = "OUT.ron")]
    output: PathBuf,
    /// Content area for items whose file gives none (blood-banking, chemistry, hematology, immunology, microbiology, urinalysis, lab-operations)
    #[arg(long, value_name = "AREA", value_parser = parse_area)]
    area: Option<Area>,
    /// Topic for items whose file gives none
    #[arg(long, value_name = "TOPIC", value_parser = parse_topic)]
    topic: Option<String>,
    /// Level for items whose file gives none: MLT, MLS or both [default: both]
    #[arg(long, value_name = "LEVEL", value_parser = parse_level)]
    level: Option<Level>,
    /// The bank's id [default: the output file's name]
    #[arg(long = "bank-id", value_name = "ID", value_parser = parse_bank_id)]
    bank_id: Option<String>,
    /// Replace OUT.ron if it exists
    #[arg(long)]
    force: bool,
    /// Merge into OUT.ron, a bank an earlier import wrote: questions are matched by id,
    /// then by stem; unchanged ones keep what was written by hand, changed ones take
    /// the new text; the summary says what was kept, replaced, added and removed
    #[arg(long, conflicts_with = "force")]
    update: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    /// Moodle's GIFT format
    Gift,
    /// The Aiken format (one best answer, `ANSWER: X`)
    Aiken,
    /// Comma-separated values with a header line (docs/import-formats.md)
    Csv,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Gift => Format::Gift,
            FormatArg::Aiken => Format::Aiken,
            FormatArg::Csv => Format::Csv,
        }
    }
}

/// An area by its name or a name instructors use (`Blood Bank`, `Micro`, `QC`).
fn parse_area(text: &str) -> Result<Area, String> {
    areas::area_from_name(text).ok_or_else(|| {
        format!(
            "not a content area; use one of: {}",
            Area::ALL.map(Area::name).join(", ")
        )
    })
}

fn parse_level(text: &str) -> Result<Level, String> {
    Level::from_name(text).ok_or_else(|| "not a level; use MLT, MLS or both".to_string())
}

fn parse_topic(text: &str) -> Result<String, String> {
    let topic = text.trim();
    if topic.is_empty() {
        Err("the topic is empty".to_string())
    } else {
        Ok(topic.to_string())
    }
}

fn parse_bank_id(text: &str) -> Result<String, String> {
    if valid_id(text) {
        Ok(text.to_string())
    } else {
        Err("use 1 to 64 letters, digits, `-`, `_` or `.`".to_string())
    }
}

/// Files smaller than this (a few thousand questions) import too fast to need a spinner.
const WORTH_A_SPINNER: u64 = 1 << 20;

pub fn run(settings: &Settings, args: ImportArgs) -> anyhow::Result<()> {
    // Read the bank to merge into before anything is written.
    let existing = if args.update {
        Some(existing_bank(&args.output)?)
    } else {
        None
    };
    let rules = super::output_rules(
        settings,
        args.force || args.update,
        &[&args.input],
        "the file being imported",
    );
    // Refuse a bad output before reading anything.
    let file = NewFile::create(&args.output, &rules)?;
    let (request, notes) = resolve(settings, &args, existing.as_ref());
    let bytes = std::fs::metadata(&args.input).map_or(0, |m| m.len());
    let spinner = progress::spinner(settings.quiet, bytes, WORTH_A_SPINNER, "importing");
    let import = import_file(&args.input, &request);
    let written = import.map(|mut import| {
        import.notes.extend(notes);
        if let Some(existing) = existing {
            update::merge(
                &mut import,
                existing,
                &args.output.display().to_string(),
                args.bank_id.as_deref(),
                &request.taken_ids,
                request.image_dir.as_deref(),
            );
        }
        let written = write_bank(&mut import);
        (import, written)
    });
    spinner.finish_and_clear();
    let (import, written) = written?;
    let mut file = file;
    file.write_all(written.text.as_bytes())
        .with_context(|| format!("{}: cannot write the bank", args.output.display()))?;
    file.commit()?;
    let complete = import.is_complete() && written.bank_problems.is_empty();
    let summary = Summary {
        images: import.images(request.image_dir.as_deref()),
        image_dir: request.image_dir.as_deref().unwrap_or(Path::new(".")),
        import: &import,
        written: &written,
        output: &args.output,
        complete,
    };
    if settings.json {
        let mut out = io::stdout().lock();
        serde_json::to_writer_pretty(&mut out, &summary.json())?;
        writeln!(out)?;
    } else {
        summary.print(&mut io::stdout().lock())?;
    }
    if !complete {
        return Err(Failure::Reported.into());
    }
    Ok(())
}

/// The bank `--update` merges into: it must exist and be readable as a bank.
fn existing_bank(path: &Path) -> anyhow::Result<Existing> {
    if !path.exists() {
        return Err(Failure::Usage(format!(
            "{}: no such file; --update merges into a bank an earlier import wrote (leave out --update to create it)",
            path.display()
        ))
        .into());
    }
    let text = crate::files::read_text(path, crate::bank::MAX_BANK_FILE_BYTES, "a bank file")?;
    update::read_existing(&text).map_err(|e| {
        ImportError::UpdateUnreadable {
            path: path.display().to_string(),
            line: e.line,
            column: e.column,
            problem: e.problem,
        }
        .into()
    })
}

/// Turns the options into an import request, with notes about the output's name or
/// the other banks for the summary.
fn resolve(
    settings: &Settings,
    args: &ImportArgs,
    existing: Option<&Existing>,
) -> (ImportRequest, Vec<Note>) {
    let format = Format::from(args.format);
    let bank_id = args
        .bank_id
        .clone()
        .or_else(|| existing.map(|e| e.meta.id.clone()))
        .unwrap_or_else(|| bank_id_for(&args.output));
    let file_name = args.input.file_name().map_or_else(
        || args.input.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let (taken_ids, context_note) = taken_ids(&settings.banks, &bank_id);
    let mut notes: Vec<Note> = context_note.into_iter().collect();
    if !args
        .output
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("ron"))
    {
        notes.push(Note {
            line: None,
            text: format!(
                "{} does not end in .ron: a folder given to --bank is searched for .ron files only",
                args.output.display()
            ),
        });
    }
    let request = ImportRequest {
        format,
        source_name: args.input.display().to_string(),
        bank: BankMeta::for_source(bank_id, &file_name, format),
        defaults: Defaults {
            area: args.area,
            topic: args.topic.clone(),
            level: args.level,
        },
        taken_ids,
        image_dir: Some(
            args.output
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
        ),
    };
    (request, notes)
}

/// The item ids of the other loaded banks (shipped, `--bank`, config), leaving out a
/// bank with the id being written (an earlier import of the same file). A bank that
/// cannot be loaded only costs the clash check, noted in the summary.
fn taken_ids(banks: &LoadRequest, bank_id: &str) -> (HashMap<String, String>, Option<Note>) {
    match load(banks) {
        Ok(report) => {
            let ids = report
                .banks
                .iter()
                .filter(|b| b.id != bank_id)
                .flat_map(|b| b.items.iter().map(|i| (i.id.clone(), b.id.clone())))
                .collect();
            (ids, None)
        }
        Err(e) => (
            HashMap::new(),
            Some(Note {
                line: None,
                text: format!(
                    "the other banks could not be loaded, so ids were not checked against them: {e}"
                ),
            }),
        ),
    }
}

/// What the command prints.
struct Summary<'a> {
    import: &'a Import,
    written: &'a Written,
    output: &'a Path,
    complete: bool,
    images: Vec<ImageUse>,
    /// The bank's folder, where images go.
    image_dir: &'a Path,
}

#[derive(Serialize)]
struct SummaryJson<'a> {
    format: Format,
    input: String,
    output: String,
    bank_id: &'a str,
    questions: usize,
    imported: usize,
    complete: bool,
    skipped: &'a [Skipped],
    needs: Vec<ItemNeedsJson<'a>>,
    notes: &'a [Note],
    /// Warnings `labcert banks check` will show, by code.
    warnings: &'a std::collections::BTreeMap<&'static str, usize>,
    /// For the items without references, the standard text of their area.
    references: Vec<ReferenceHint>,
    /// The image files the items show, and whether each is in the bank's folder.
    images: &'a [ImageUse],
    /// What `--update` did (absent without it).
    #[serde(skip_serializing_if = "Option::is_none")]
    update: Option<&'a Update>,
    bank_problems: &'a [String],
}

#[derive(Serialize)]
struct ItemNeedsJson<'a> {
    id: &'a str,
    line: usize,
    needs: Vec<NeedJson>,
}

#[derive(Serialize)]
struct NeedJson {
    field: &'static str,
    problem: String,
    /// For a missing area: the one the item's words suggest.
    #[serde(skip_serializing_if = "Option::is_none")]
    suggestion: Option<String>,
}

/// Items without references, by area, and the standard text to cite for it.
#[derive(Serialize)]
struct ReferenceHint {
    /// The area (or, for an item without one, the area its words suggest); absent when
    /// neither is known.
    area: Option<&'static str>,
    reference: Option<&'static str>,
    items: usize,
}

/// The kinds of need that are the same sentence for every item, listed as one group.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Group {
    Area,
    Topic,
    Explanation,
}

impl Group {
    fn of(need: &Need) -> Option<Group> {
        match need {
            Need::Area => Some(Group::Area),
            Need::Topic => Some(Group::Topic),
            Need::Explanation => Some(Group::Explanation),
            _ => None,
        }
    }

    fn sentence(self, format: Format) -> String {
        match self {
            Group::Area => format!(
                "no area: pass --area AREA, or add `area: \"...\",` to each item (the areas: {})",
                Area::ALL.map(Area::name).join(", ")
            ),
            Group::Topic => {
                "no topic: pass --topic TOPIC, or add `topic: \"...\",` to each item".to_string()
            }
            Group::Explanation => format!(
                "no explanation ({}): write `explanation: \"...\",` for each item",
                match format {
                    Format::Gift => "the questions have no feedback",
                    Format::Aiken => "the Aiken format has no feedback",
                    Format::Csv => "the explanation cell is empty",
                }
            ),
        }
    }
}

/// The area an item has, or the one its words suggest.
fn area_or_guess(item: &ImportedItem) -> Option<Area> {
    match &item.area {
        Given::Valid(area) => Some(*area),
        _ => item.area_guess.as_ref().map(|g| g.area),
    }
}

/// `"microbiology" (the text mentions "gram stain" and "cocci")`.
fn suggestion(item: &ImportedItem) -> Option<String> {
    item.area_guess.as_ref().map(|g| {
        format!(
            "{} (the text mentions {})",
            g.area,
            crate::bank::import::quoted_list(&g.because)
        )
    })
}

impl Summary<'_> {
    fn json(&self) -> SummaryJson<'_> {
        let import = self.import;
        SummaryJson {
            format: import.format,
            input: import.source_name.clone(),
            output: self.output.display().to_string(),
            bank_id: &import.bank.id,
            questions: import.questions(),
            imported: import.items.len(),
            complete: self.complete,
            skipped: &import.skipped,
            needs: import
                .incomplete()
                .map(|item| ItemNeedsJson {
                    id: &item.id,
                    line: item.line,
                    needs: item
                        .needs
                        .iter()
                        .map(|n| NeedJson {
                            field: n.field(),
                            problem: n.problem(import.format),
                            suggestion: matches!(n, Need::Area | Need::UnknownArea(_))
                                .then(|| suggestion(item))
                                .flatten(),
                        })
                        .collect(),
                })
                .collect(),
            notes: &import.notes,
            warnings: &self.written.warnings,
            references: self.reference_hints(),
            images: &self.images,
            update: import.update.as_ref(),
            bank_problems: &self.written.bank_problems,
        }
    }

    /// The items without references, by (known or suggested) area.
    fn reference_hints(&self) -> Vec<ReferenceHint> {
        let mut hints: Vec<ReferenceHint> = Vec::new();
        for item in self.import.items.iter().filter(|i| i.references.is_empty()) {
            let area = area_or_guess(item);
            match hints.iter_mut().find(|h| h.area == area.map(Area::name)) {
                Some(h) => h.items += 1,
                None => hints.push(ReferenceHint {
                    area: area.map(Area::name),
                    reference: area.map(areas::reference_for),
                    items: 1,
                }),
            }
        }
        hints
    }

    fn print(&self, out: &mut impl Write) -> io::Result<()> {
        let import = self.import;
        let output = self.output.display();
        match &import.update {
            Some(u) => writeln!(
                out,
                "updated {output} from {}: {}; {} unchanged, {} changed, {} added, {} removed",
                import.source_name,
                plural(import.questions(), "question"),
                u.unchanged.len(),
                u.changed.len(),
                u.added.len(),
                u.removed.len()
            )?,
            None => writeln!(
                out,
                "imported {} of {} from {} into {output}",
                import.items.len(),
                plural(import.questions(), "question"),
                import.source_name
            )?,
        }
        if !import.skipped.is_empty() {
            writeln!(out, "skipped {}:", import.skipped.len())?;
            for s in &import.skipped {
                let at = match s.column {
                    Some(column) => format!("{}:{}:{column}", import.source_name, s.line),
                    None => format!("line {}", s.line),
                };
                writeln!(
                    out,
                    "  {at}: {} \"{}\": {}",
                    s.kind.label(),
                    s.question,
                    s.reason
                )?;
            }
        }
        if let Some(update) = &import.update {
            self.print_update(out, update)?;
        }
        self.print_needs(out)?;
        self.print_images(out)?;
        if !import.notes.is_empty() {
            writeln!(out, "notes:")?;
            for n in &import.notes {
                match n.line {
                    Some(line) => writeln!(out, "  line {line}: {}", n.text)?,
                    None => writeln!(out, "  {}", n.text)?,
                }
            }
        }
        for p in &self.written.bank_problems {
            writeln!(
                out,
                "bank problem (please report this as a labcert bug): {p}"
            )?;
        }
        if !self.written.warnings.is_empty() {
            let warnings: Vec<String> = self
                .written
                .warnings
                .iter()
                .map(|(code, n)| format!("{code} {n}"))
                .collect();
            writeln!(
                out,
                "`labcert banks check` will also warn (not errors): {}",
                warnings.join(", ")
            )?;
        }
        self.print_references(out)?;
        if self.complete {
            writeln!(
                out,
                "the bank is complete: `labcert banks check {output}` passes; set `author` and `license` in it before sharing"
            )?;
        } else {
            writeln!(
                out,
                "set `author` and `license` in {output} before sharing the bank"
            )?;
        }
        Ok(())
    }

    /// What `--update` kept, replaced, added and removed.
    fn print_update(&self, out: &mut impl Write, u: &Update) -> io::Result<()> {
        let source = &self.import.source_name;
        let output = self.output.display();
        if !u.changed.is_empty() {
            writeln!(
                out,
                "changed {} (the file's question replaced the bank's; hand-written values it replaced are kept in a `// {}` comment above the item):",
                u.changed.len(),
                update::BEFORE_COMMENT.trim_end()
            )?;
            for c in &u.changed {
                let replaced = if c.replaced.is_empty() {
                    String::new()
                } else {
                    format!("; replaced {}", c.replaced.join(", "))
                };
                writeln!(
                    out,
                    "  {} (line {}): {} changed{replaced}",
                    c.id,
                    c.line,
                    c.question.join(", ")
                )?;
            }
        }
        for (what, changes) in [
            (
                "kept from the bank for unchanged questions (the file says otherwise)",
                &u.kept,
            ),
            ("filled in from the file (the bank had none)", &u.filled),
        ] {
            if changes.is_empty() {
                continue;
            }
            writeln!(out, "{what}:")?;
            for (field, n) in Update::count_by_field(changes) {
                let ids: Vec<&str> = changes
                    .iter()
                    .filter(|c| c.field == field)
                    .map(|c| c.id.as_str())
                    .collect();
                writeln!(
                    out,
                    "  {field} in {}: {}",
                    plural(n, "item"),
                    short_list(&ids)
                )?;
            }
        }
        if !u.added.is_empty() {
            let ids: Vec<&str> = u.added.iter().map(String::as_str).collect();
            writeln!(out, "added {}: {}", u.added.len(), short_list(&ids))?;
        }
        if !u.removed.is_empty() {
            let ids: Vec<String> = u
                .removed
                .iter()
                .map(|r| match &r.id {
                    Some(id) => format!("{id} (was line {})", r.line),
                    None => format!("an item without an id (was line {})", r.line),
                })
                .collect();
            let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
            writeln!(
                out,
                "removed {} no longer in {source} (kept, commented out, at the end of {output}): {}",
                u.removed.len(),
                short_list(&ids)
            )?;
        }
        for k in &u.ids_kept {
            writeln!(
                out,
                "  {} keeps its id (the file now gives \"{}\"), so its history stays with it",
                k.id, k.file_id
            )?;
        }
        if !u.comments_not_kept.is_empty() {
            let lines: Vec<String> = u.comments_not_kept.iter().map(usize::to_string).collect();
            writeln!(
                out,
                "comments you wrote among the items of the old {output} (line {}) are not carried over: the file is written anew, its fields merged",
                lines.join(", ")
            )?;
        }
        Ok(())
    }

    /// The image files to copy into the bank's folder.
    fn print_images(&self, out: &mut impl Write) -> io::Result<()> {
        let missing: Vec<&ImageUse> = self.images.iter().filter(|i| !i.present).collect();
        if !missing.is_empty() {
            writeln!(
                out,
                "images: copy {} into {} (the bank's folder; `image:` is relative to it):",
                plural(missing.len(), "file"),
                self.image_dir.display()
            )?;
            for image in &missing {
                let ids: Vec<&str> = image.items.iter().map(String::as_str).collect();
                let found = match &image.beside_input {
                    Some(path) => format!("; found at {path}"),
                    None => String::new(),
                };
                writeln!(
                    out,
                    "  {} (shown by {}){found}",
                    image.file,
                    short_list(&ids)
                )?;
            }
        } else if !self.images.is_empty() {
            writeln!(
                out,
                "images: all {} in {}",
                plural(self.images.len(), "file"),
                self.image_dir.display()
            )?;
        }
        for image in self.images.iter().filter(|i| i.items.len() > 1) {
            writeln!(
                out,
                "  {} is shown by {} questions: in Moodle each question has its own files, so these may be different pictures with one name (rename them apart if so)",
                image.file,
                image.items.len()
            )?;
        }
        Ok(())
    }

    /// The standard text to cite, for the items without references.
    fn print_references(&self, out: &mut impl Write) -> io::Result<()> {
        let hints = self.reference_hints();
        let known: Vec<&ReferenceHint> = hints.iter().filter(|h| h.reference.is_some()).collect();
        if known.is_empty() {
            return Ok(());
        }
        writeln!(
            out,
            "items without references: add `references: [\"...\"],`; the standard texts:"
        )?;
        for h in known {
            writeln!(
                out,
                "  {} ({}): {}",
                h.area.unwrap_or_default(),
                plural(h.items, "item"),
                h.reference.unwrap_or_default()
            )?;
        }
        Ok(())
    }

    /// What items need: the same need of many items as one line, the rest per item.
    fn print_needs(&self, out: &mut impl Write) -> io::Result<()> {
        let import = self.import;
        let incomplete: Vec<&ImportedItem> = import.incomplete().collect();
        if incomplete.is_empty() {
            return Ok(());
        }
        writeln!(
            out,
            "needs attention: {} of {} (`labcert banks check {}` reports them until they are complete; each is marked `// needs:` in the file; the items that lack only an explanation can be used now):",
            incomplete.len(),
            plural(import.items.len(), "item"),
            self.output.display()
        )?;
        for group in [Group::Area, Group::Topic, Group::Explanation] {
            let items: Vec<&ImportedItem> = incomplete
                .iter()
                .copied()
                .filter(|i| i.needs.iter().any(|n| Group::of(n) == Some(group)))
                .collect();
            if items.is_empty() {
                continue;
            }
            let who = if items.len() == import.items.len() && items.len() > 1 {
                format!("all {}", plural(items.len(), "item"))
            } else {
                plural(items.len(), "item")
            };
            writeln!(out, "  {who}: {}", group.sentence(import.format))?;
            if items.len() < import.items.len() {
                writeln!(out, "    {}", id_list(&items))?;
            }
            if group == Group::Area {
                print_guesses(out, &items)?;
            }
        }
        for item in &incomplete {
            for need in item.needs.iter().filter(|n| Group::of(n).is_none()) {
                writeln!(
                    out,
                    "  {} (line {}): {}",
                    item.id,
                    item.line,
                    need.problem(import.format)
                )?;
            }
        }
        Ok(())
    }
}

/// The areas the items' words suggest, by area: `perhaps microbiology (by their words):
/// Q3 (line 9), Q5 (line 14)`.
fn print_guesses(out: &mut impl Write, items: &[&ImportedItem]) -> io::Result<()> {
    for area in Area::ALL {
        let guessed: Vec<&ImportedItem> = items
            .iter()
            .copied()
            .filter(|i| i.area_guess.as_ref().is_some_and(|g| g.area == area))
            .collect();
        if !guessed.is_empty() {
            writeln!(
                out,
                "    perhaps {area} (by their words): {}",
                id_list(&guessed)
            )?;
        }
    }
    Ok(())
}

/// The first ids of a list, then "and N more".
fn short_list(ids: &[&str]) -> String {
    let mut list: Vec<String> = ids
        .iter()
        .take(MAX_IDS_LISTED)
        .map(|s| s.to_string())
        .collect();
    if ids.len() > MAX_IDS_LISTED {
        list.push(format!(
            "... and {} more (--json lists them all)",
            ids.len() - MAX_IDS_LISTED
        ));
    }
    list.join(", ")
}

/// `Q2 (line 14), colours (line 22), ... and 12 more`.
fn id_list(items: &[&ImportedItem]) -> String {
    let mut list: Vec<String> = items
        .iter()
        .take(MAX_IDS_LISTED)
        .map(|i| format!("{} (line {})", i.id, i.line))
        .collect();
    if items.len() > MAX_IDS_LISTED {
        list.push(format!(
            "... and {} more (--json lists them all)",
            items.len() - MAX_IDS_LISTED
        ));
    }
    list.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_checked() {
        assert_eq!(parse_area("Hematology"), Ok(Area::Hematology));
        assert_eq!(parse_area("heme"), Ok(Area::Hematology));
        assert!(
            parse_area("histology")
                .unwrap_err()
                .contains("blood-banking")
        );
        assert_eq!(parse_level("mlt"), Ok(Level::Mlt));
        assert!(parse_level("MLT/MLS").is_err());
        assert!(parse_bank_id("my bank").is_err());
        assert!(parse_topic("  ").is_err());
    }

    #[test]
    fn id_lists_are_cut_short() {
        let item = |n: usize| ImportedItem {
            line: n,
            number: n,
            id: format!("q{n}"),
            area: crate::bank::import::Given::Absent,
            topic: None,
            subtopic: None,
            level: crate::bank::import::Given::Valid(Level::Both),
            stem: "s".into(),
            answer: crate::bank::Answer::Numeric {
                value: 1.0,
                tolerance: 0.0,
                unit: String::new(),
            },
            explanation: None,
            references: Vec::new(),
            difficulty: Some(3),
            irt: Default::default(),
            image: None,
            tags: Vec::new(),
            enemies: Vec::new(),
            shuffle: None,
            comments: Vec::new(),
            needs: vec![Need::Area],
            area_guess: None,
            id_kind: Default::default(),
        };
        let items: Vec<ImportedItem> = (1..=25).map(item).collect();
        let refs: Vec<&ImportedItem> = items.iter().collect();
        let list = id_list(&refs);
        assert!(list.starts_with("q1 (line 1), q2 (line 2)"), "{list}");
        assert!(
            list.ends_with("... and 5 more (--json lists them all)"),
            "{list}"
        );
    }
}
