//! `labcert banks check` and `labcert banks list`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use clap::Subcommand;
use serde::Serialize;

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
}

pub fn run(settings: &Settings, cmd: BanksCommand) -> anyhow::Result<()> {
    match cmd {
        BanksCommand::Check {
            paths,
            strict,
            errors_only,
        } => check(settings, paths, strict, errors_only),
        BanksCommand::List => list(settings),
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
}

impl Counts {
    fn new() -> Self {
        Counts {
            items: 0,
            areas: Area::ALL.iter().map(|a| (a.name(), 0)).collect(),
            levels: Level::ALL.iter().map(|l| (l.name(), 0)).collect(),
            kinds: Kind::ALL.iter().map(|k| (k.name(), 0)).collect(),
        }
    }

    fn add(&mut self, bank: &Bank) {
        for item in &bank.items {
            self.items += 1;
            *self.areas.entry(item.area.name()).or_default() += 1;
            *self.levels.entry(item.level.name()).or_default() += 1;
            *self.kinds.entry(item.answer.kind().name()).or_default() += 1;
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
    Ok(())
}
