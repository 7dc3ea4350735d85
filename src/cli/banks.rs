//! `labcert banks check`, `labcert banks list` and `labcert banks export`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Args, Subcommand, ValueEnum};
use serde::Serialize;

use crate::bank::export::{self, Export, Format, Loss, LossKind};
use crate::bank::{Area, Bank, Kind, Level, LoadRequest, load};
use crate::doc::diagnostic::{self, JsonDiagnostic};
use crate::exit::Failure;
use crate::settings::Settings;
use crate::ui;
use crate::ui::text::plural;

#[derive(Debug, Subcommand)]
pub enum BanksCommand {
    /// Report every problem in bank files, like a compiler (no PATH: all loaded banks)
    Check {
        /// Bank files or folders to check
        paths: Vec<PathBuf>,
        /// Hold the banks to the shipped banks' standard: a missing explanation or
        /// reference is an error, not a warning
        #[arg(long)]
        strict: bool,
        /// Show only errors (the count of warnings is still given)
        #[arg(long)]
        errors_only: bool,
    },
    /// Count the loaded items per bank, area, level and kind
    List,
    /// Show items as a candidate sees them, exhibits drawn (with `--answer`, the key
    /// and explanation too)
    Show {
        /// Item ids
        #[arg(value_name = "ITEM_ID", required = true)]
        ids: Vec<String>,
        /// Also show the key, the explanation and the references
        #[arg(long)]
        answer: bool,
        /// Draw for this many columns (default: the terminal's width)
        #[arg(long, value_name = "COLUMNS", value_parser = clap::value_parser!(u16).range(40..=200))]
        width: Option<u16>,
    },
    /// Write items' exhibits as SVG files, one per exhibit (ITEM-N.svg), into a folder
    Exhibits {
        /// Only these items (default: every loaded item with exhibits)
        #[arg(value_name = "ITEM_ID")]
        ids: Vec<String>,
        /// The folder to write into (created if missing)
        #[arg(short = 'o', long = "output", value_name = "DIR", required = true)]
        output: PathBuf,
        /// Replace files that exist
        #[arg(long)]
        force: bool,
    },
    /// Write banks as GIFT for Moodle, or as CSV in the columns `labcert import csv` reads
    Export(ExportArgs),
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The banks to write, by id (`labcert banks list` shows them); several go into one file
    #[arg(value_name = "BANK_ID", required = true)]
    bank_ids: Vec<String>,
    /// The file's format
    #[arg(long, value_enum, ignore_case = true)]
    format: FormatArg,
    /// The file to write; `-` writes to standard output
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: PathBuf,
    /// Replace FILE if it exists
    #[arg(long)]
    force: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    /// Moodle's GIFT format (Question bank > Import > GIFT format)
    Gift,
    /// Comma-separated values in the columns `labcert import csv` reads
    Csv,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Gift => Format::Gift,
            FormatArg::Csv => Format::Csv,
        }
    }
}

pub fn run(settings: &Settings, cmd: BanksCommand) -> anyhow::Result<()> {
    match cmd {
        BanksCommand::Check {
            paths,
            strict,
            errors_only,
        } => check(settings, paths, strict, errors_only),
        BanksCommand::List => list(settings),
        BanksCommand::Show { ids, answer, width } => show(settings, &ids, answer, width),
        BanksCommand::Exhibits { ids, output, force } => exhibits(settings, &ids, &output, force),
        BanksCommand::Export(args) => export_banks(settings, &args),
    }
}

#[derive(Serialize)]
struct CheckJson {
    files_checked: usize,
    items_checked: usize,
    errors: usize,
    warnings: usize,
    diagnostics: Vec<JsonDiagnostic>,
}

fn check(
    settings: &Settings,
    paths: Vec<PathBuf>,
    strict: bool,
    errors_only: bool,
) -> anyhow::Result<()> {
    // The bar's length is the number of files, known once the folders are walked.
    let bar = ui::progress::bar(settings.quiet, 0, 0, "checking banks");
    let request = LoadRequest {
        only_report: (!paths.is_empty()).then_some(paths),
        full_check: true,
        strict,
        progress: bar.clone(),
        ..settings.banks.clone()
    };
    let report = load(&request);
    bar.finish_and_clear();
    let mut report = report?;
    let (errors, warnings) = (report.errors(), report.warnings());
    if errors_only {
        report.diagnostics.retain(|d| d.is_error());
    }
    if settings.json {
        let json = CheckJson {
            files_checked: report.files_checked,
            items_checked: report.items_checked,
            errors,
            warnings,
            diagnostics: report
                .diagnostics
                .iter()
                .map(|d| diagnostic::to_json(d, &report.sources))
                .collect(),
        };
        let mut out = std::io::stdout().lock();
        serde_json::to_writer_pretty(&mut out, &json)?;
        writeln!(out)?;
    } else {
        let mut out = ui::stdout(settings.color);
        diagnostic::render(&mut out, &report.sources, &report.diagnostics)?;
        writeln!(
            out,
            "checked {} and {}: {}, {}",
            plural(report.files_checked, "file"),
            plural(report.items_checked, "item"),
            plural(errors, "error"),
            plural(warnings, "warning"),
        )?;
    }
    if errors > 0 {
        return Err(Failure::Reported.into());
    }
    Ok(())
}

/// Item counts by area, level and kind; every area, level and kind is present.
#[derive(Serialize, Default)]
struct Counts {
    items: usize,
    areas: BTreeMap<&'static str, usize>,
    levels: BTreeMap<&'static str, usize>,
    kinds: BTreeMap<&'static str, usize>,
    /// Items with at least one exhibit.
    exhibits: usize,
    /// Exhibits by kind (an item may have several).
    exhibit_kinds: BTreeMap<&'static str, usize>,
}

impl Counts {
    fn new() -> Self {
        Counts {
            items: 0,
            areas: Area::ALL.iter().map(|a| (a.name(), 0)).collect(),
            levels: Level::ALL.iter().map(|l| (l.name(), 0)).collect(),
            kinds: Kind::ALL.iter().map(|k| (k.name(), 0)).collect(),
            exhibits: 0,
            exhibit_kinds: BTreeMap::new(),
        }
    }

    fn add(&mut self, bank: &Bank) {
        for item in &bank.items {
            self.items += 1;
            *self.areas.entry(item.area.name()).or_default() += 1;
            *self.levels.entry(item.level.name()).or_default() += 1;
            *self.kinds.entry(item.answer.kind().name()).or_default() += 1;
            self.exhibits += usize::from(!item.exhibits.is_empty());
            for e in &item.exhibits {
                *self.exhibit_kinds.entry(e.kind()).or_default() += 1;
            }
        }
    }
}

#[derive(Serialize)]
struct BankJson {
    id: String,
    title: String,
    version: String,
    origin: String,
    #[serde(flatten)]
    counts: Counts,
}

#[derive(Serialize)]
struct ListJson {
    banks: Vec<BankJson>,
    areas: BTreeMap<&'static str, usize>,
    levels: BTreeMap<&'static str, usize>,
    kinds: BTreeMap<&'static str, usize>,
    /// Items with at least one exhibit, and exhibits by kind.
    exhibits: usize,
    exhibit_kinds: BTreeMap<&'static str, usize>,
    total: usize,
}

fn list(settings: &Settings) -> anyhow::Result<()> {
    let library = super::load_library(settings)?;
    let mut total = Counts::new();
    let banks: Vec<BankJson> = library
        .banks
        .iter()
        .map(|b| {
            let mut c = Counts::new();
            c.add(b);
            total.add(b);
            BankJson {
                id: b.id.clone(),
                title: b.title.clone(),
                version: b.version.clone(),
                origin: b.origin.to_string(),
                counts: c,
            }
        })
        .collect();
    let mut out = std::io::stdout().lock();
    if settings.json {
        let json = ListJson {
            banks,
            areas: total.areas,
            levels: total.levels,
            kinds: total.kinds,
            exhibits: total.exhibits,
            exhibit_kinds: total.exhibit_kinds,
            total: total.items,
        };
        serde_json::to_writer_pretty(&mut out, &json)?;
        writeln!(out)?;
        return Ok(());
    }
    if banks.is_empty() {
        writeln!(out, "No banks loaded (--no-builtin with no --bank).")?;
        return Ok(());
    }
    for b in &banks {
        writeln!(
            out,
            "{} {} ({}): {}",
            b.id,
            b.version,
            b.origin,
            plural(b.counts.items, "item")
        )?;
        writeln!(out, "  {}", b.title)?;
        let nonzero = |m: &BTreeMap<&str, usize>| {
            m.iter()
                .filter(|(_, n)| **n > 0)
                .map(|(k, n)| format!("{k} {n}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        writeln!(out, "  areas:  {}", nonzero(&b.counts.areas))?;
        writeln!(out, "  levels: {}", nonzero(&b.counts.levels))?;
        writeln!(out, "  kinds:  {}", nonzero(&b.counts.kinds))?;
        if b.counts.exhibits > 0 {
            writeln!(
                out,
                "  exhibits: {} ({})",
                plural(b.counts.exhibits, "item"),
                nonzero(&b.counts.exhibit_kinds)
            )?;
        }
    }
    writeln!(out)?;
    writeln!(
        out,
        "{:<16}{:>7}{:>6}{:>6}{:>6}{:>8}{:>8}{:>9}",
        "area", "items", "MLT", "MLS", "both", "single", "select", "numeric"
    )?;
    let mut row = |name: &str, items: &[&crate::bank::Item]| -> std::io::Result<()> {
        let n = |f: &dyn Fn(&crate::bank::Item) -> bool| items.iter().filter(|i| f(i)).count();
        writeln!(
            out,
            "{:<16}{:>7}{:>6}{:>6}{:>6}{:>8}{:>8}{:>9}",
            name,
            items.len(),
            n(&|i| i.level == Level::Mlt),
            n(&|i| i.level == Level::Mls),
            n(&|i| i.level == Level::Both),
            n(&|i| i.answer.kind() == Kind::SingleBest),
            n(&|i| i.answer.kind() == Kind::SelectAll),
            n(&|i| i.answer.kind() == Kind::Numeric),
        )
    };
    let all: Vec<&crate::bank::Item> = library.items().map(|(_, i)| i).collect();
    for area in Area::ALL {
        let items: Vec<_> = all.iter().copied().filter(|i| i.area == area).collect();
        row(area.name(), &items)?;
    }
    row("total", &all)?;
    if total.exhibits > 0 {
        let kinds: Vec<String> = total
            .exhibit_kinds
            .iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect();
        writeln!(
            out,
            "\n{} with exhibits: {}",
            plural(total.exhibits, "item"),
            kinds.join(", ")
        )?;
    }
    Ok(())
}

/// Finds each id among the loaded items; an unknown id is a usage error naming the
/// closest id.
fn find_items<'a>(
    library: &'a crate::bank::Library,
    ids: &[String],
) -> anyhow::Result<Vec<&'a crate::bank::Item>> {
    ids.iter()
        .map(|id| {
            library.item(id).ok_or_else(|| {
                let hint =
                    crate::doc::decode::suggest(id, library.items().map(|(_, i)| i.id.as_str()))
                        .map(|s| format!(" (did you mean {s}?)"))
                        .unwrap_or_default();
                Failure::Usage(format!("no loaded item has the id \"{id}\"{hint}")).into()
            })
        })
        .collect()
}

/// `labcert banks show`: items as a candidate sees them, in their written order.
fn show(
    settings: &Settings,
    ids: &[String],
    answer: bool,
    width: Option<u16>,
) -> anyhow::Result<()> {
    let library = super::load_library(settings)?;
    let items = find_items(&library, ids)?;
    let width = width.map_or_else(ui::width, usize::from);
    let mut out = std::io::stdout().lock();
    for (n, item) in items.iter().enumerate() {
        if n > 0 {
            writeln!(out)?;
        }
        writeln!(
            out,
            "{} · {} · {} · {}",
            item.id,
            item.area.name(),
            item.topic,
            item.level.name()
        )?;
        let order: Vec<usize> = (0..item.answer.choices().len()).collect();
        ui::item::write_body_at(&mut out, item, &order, width)?;
        if answer {
            writeln!(out)?;
            writeln!(
                out,
                "{}",
                ui::text::wrap(&format!("Key: {}", item.answer.key_text()), width, "")
            )?;
            writeln!(
                out,
                "{}",
                ui::text::wrap(
                    ui::item::explanation_or_note(&item.explanation),
                    width,
                    "  "
                )
            )?;
            if !item.references.is_empty() {
                let read = format!("Read: {}", item.references.join("; "));
                writeln!(out, "{}", ui::text::wrap(&read, width, "  "))?;
            }
        }
    }
    Ok(())
}

/// `labcert banks exhibits`: each exhibit as an SVG file in a folder.
fn exhibits(settings: &Settings, ids: &[String], output: &Path, force: bool) -> anyhow::Result<()> {
    let library = super::load_library(settings)?;
    let items: Vec<&crate::bank::Item> = if ids.is_empty() {
        library
            .items()
            .map(|(_, i)| i)
            .filter(|i| !i.exhibits.is_empty())
            .collect()
    } else {
        find_items(&library, ids)?
    };
    if let Some(i) = items.iter().find(|i| i.exhibits.is_empty()) {
        return Err(Failure::Usage(format!("item {} has no exhibits", i.id)).into());
    }
    std::fs::create_dir_all(output)
        .with_context(|| format!("{}: cannot create the folder", output.display()))?;
    let rules = super::output_rules_with_banks(settings, force, &library);
    let mut written = 0;
    for item in &items {
        for (n, e) in item.exhibits.iter().enumerate() {
            let path = output.join(format!("{}-{}.svg", item.id, n + 1));
            let mut file = crate::files::NewFile::create(&path, &rules)?;
            file.write_all(crate::exhibit::svg::render(e, true).as_bytes())
                .with_context(|| format!("{}: cannot write", path.display()))?;
            file.commit()?;
            written += 1;
        }
    }
    if settings.json {
        let mut out = std::io::stdout().lock();
        serde_json::to_writer_pretty(
            &mut out,
            &serde_json::json!({"output": output.display().to_string(), "items": items.len(), "files": written}),
        )?;
        writeln!(out)?;
    } else {
        eprintln!(
            "Wrote {} of {} to {}.",
            plural(written, "SVG file"),
            plural(items.len(), "item"),
            output.display()
        );
    }
    Ok(())
}

/// How many item ids a note lists before "and N more".
const MAX_IDS_LISTED: usize = 10;

/// `labcert banks export`: finds the banks, writes them through `bank::export` to the
/// file (atomically, never over a protected file or, without `--force`, an existing
/// one) or to standard output, and says on stderr what was written and what the format
/// could not carry.
fn export_banks(settings: &Settings, args: &ExportArgs) -> anyhow::Result<()> {
    let library = super::load_library(settings)?;
    let banks = chosen_banks(&library.banks, &args.bank_ids)?;
    let format = Format::from(args.format);
    let exported = export::export(&banks, format);
    let to_stdout = args.output.as_os_str() == "-";
    if to_stdout {
        let mut out = std::io::stdout().lock();
        out.write_all(exported.text.as_bytes())?;
        out.flush()?;
    } else {
        // A loaded bank file is an input: writing GIFT over it would destroy it.
        let rules = super::output_rules_with_banks(settings, args.force, &library);
        let mut file = crate::files::NewFile::create(&args.output, &rules)?;
        file.write_all(exported.text.as_bytes())
            .with_context(|| format!("{}: cannot write", args.output.display()))?;
        file.commit()?;
    }
    let output = if to_stdout {
        "standard output".to_string()
    } else {
        args.output.display().to_string()
    };
    let ids: Vec<&str> = banks.iter().map(|b| b.id.as_str()).collect();
    if settings.json {
        let json = ExportJson {
            format,
            output,
            banks: ids,
            items: exported.items,
            losses: exported
                .losses
                .iter()
                .map(|l| LossJson {
                    loss: l,
                    problem: l.kind.describe(),
                })
                .collect(),
        };
        if to_stdout {
            let mut err = std::io::stderr().lock();
            serde_json::to_writer_pretty(&mut err, &json)?;
            writeln!(err)?;
        } else {
            let mut out = std::io::stdout().lock();
            serde_json::to_writer_pretty(&mut out, &json)?;
            writeln!(out)?;
        }
    } else {
        summary(
            &mut std::io::stderr().lock(),
            &exported,
            format,
            &ids,
            &output,
        )?;
    }
    Ok(())
}

#[derive(Serialize)]
struct ExportJson<'a> {
    format: Format,
    output: String,
    banks: Vec<&'a str>,
    items: usize,
    losses: Vec<LossJson<'a>>,
}

#[derive(Serialize)]
struct LossJson<'a> {
    #[serde(flatten)]
    loss: &'a Loss,
    problem: String,
}

/// The loaded banks named on the command line, in that order (a repeated id once); an
/// id that names none is a usage error with the nearest id suggested.
fn chosen_banks<'a>(loaded: &'a [Bank], ids: &[String]) -> anyhow::Result<Vec<&'a Bank>> {
    let mut chosen: Vec<&Bank> = Vec::new();
    for id in ids {
        match loaded.iter().find(|b| b.id == *id) {
            Some(bank) if chosen.iter().any(|c| c.id == bank.id) => {}
            Some(bank) => chosen.push(bank),
            None => {
                let names = loaded.iter().map(|b| b.id.as_str());
                let hint = bank_hint(id, names)
                    .map_or_else(String::new, |s| format!(" (did you mean \"{s}\"?)"));
                return Err(Failure::Usage(format!(
                    "no loaded bank has the id \"{id}\"{hint}; `labcert banks list` shows the loaded banks"
                ))
                .into());
            }
        }
    }
    Ok(chosen)
}

/// The bank id someone typing `id` most likely meant: the shortest id that contains it
/// (`hematology` for `labcert-hematology`), else the closest spelling.
fn bank_hint<'a>(id: &str, names: impl Iterator<Item = &'a str> + Clone) -> Option<&'a str> {
    let lower = id.to_lowercase();
    names
        .clone()
        .filter(|n| !lower.is_empty() && n.to_lowercase().contains(&lower))
        .min_by_key(|n| n.len())
        .or_else(|| crate::doc::decode::suggest(id, names))
}

/// What was written, and what the format could not carry, grouped by what is lost.
fn summary(
    out: &mut dyn Write,
    exported: &Export,
    format: Format,
    ids: &[&str],
    output: &str,
) -> std::io::Result<()> {
    let from = if ids.len() <= 3 {
        ids.join(", ")
    } else {
        plural(ids.len(), "bank")
    };
    writeln!(
        out,
        "wrote {} from {from} to {output} ({})",
        plural(exported.items, "item"),
        format.title()
    )?;
    let mut by_kind: BTreeMap<LossKind, Vec<&str>> = BTreeMap::new();
    for l in &exported.losses {
        by_kind.entry(l.kind).or_default().push(&l.item);
    }
    for (kind, items) in by_kind {
        let listed: Vec<&str> = items.iter().take(MAX_IDS_LISTED).copied().collect();
        let more = items.len().saturating_sub(MAX_IDS_LISTED);
        writeln!(
            out,
            "note: {}: {}: {}{}",
            plural(items.len(), "item"),
            kind.describe(),
            listed.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        )?;
    }
    Ok(())
}
