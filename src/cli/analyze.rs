//! `labcert analyze RESPONSES.csv...`: classical item analysis of a class's answers.
//!
//! Reads the export files (`instructor::responses`), loads the banks to look items up,
//! runs `instructor::analysis` and renders it as an 80-column report or JSON. Exit 0
//! after a report, 1 when a file is malformed (too large, not UTF-8, missing columns,
//! bad rows) or holds no answers, 2 when a file cannot be read at all.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use crate::bank::Area;
use crate::exit::Failure;
use crate::instructor::ClassAnswers;
use crate::instructor::analysis::{self, DEFAULT_MIN_CANDIDATES, ItemAnalysis, ItemStats};
use crate::instructor::responses::{ExportError, ReadOptions, read_exports};
use crate::settings::Settings;
use crate::ui::progress;
use crate::ui::text::plural;
use crate::ui::text::wrap;

const WIDTH: usize = 80;

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// Answer exports (`labcert export --format csv`), e.g. one per student
    #[arg(required = true, value_name = "RESPONSES.csv")]
    files: Vec<PathBuf>,
    /// Items answered by fewer candidates are shown but not flagged
    #[arg(long, default_value_t = DEFAULT_MIN_CANDIDATES, value_name = "N")]
    min_candidates: usize,
    /// Take each file's candidate from its file name instead of the `profile` column
    #[arg(long)]
    candidate_from_file: bool,
}

/// Answer files smaller than this (about 40,000 answers) read too fast to need a
/// spinner; so does the work on fewer answers than [`WORTH_A_SPINNER_ANSWERS`].
pub(super) const WORTH_A_SPINNER: u64 = 4 << 20;
pub(super) const WORTH_A_SPINNER_ANSWERS: u64 = 40_000;

/// Reads the export files, or reports every file's problem and the exit code to stop
/// with (2 if any file is unreadable, else 1). Shared with `calibrate`.
pub(super) fn read_class(
    files: &[PathBuf],
    candidate_from_file: bool,
    quiet: bool,
) -> anyhow::Result<ClassAnswers> {
    let bytes: u64 = files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    let spinner = progress::spinner(quiet, bytes, WORTH_A_SPINNER, "reading answers");
    let read = read_exports(
        files,
        ReadOptions {
            candidate_from_file,
        },
    );
    spinner.finish_and_clear();
    match read {
        Ok(class) if class.answers.is_empty() => {
            let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
            Err(Failure::Problem(format!(
                "{}: {} no answers (only a header); export answers after some practice or an exam",
                names.join(", "),
                if files.len() == 1 { "holds" } else { "hold" }
            ))
            .into())
        }
        Ok(class) => {
            warn_shared_candidates(&class);
            Ok(class)
        }
        Err(errors) => {
            for e in &errors {
                eprintln!("error: {e}");
            }
            Err(if errors.iter().any(ExportError::is_unreadable) {
                Failure::ReportedUsage
            } else {
                Failure::Reported
            }
            .into())
        }
    }
}

/// How many candidates found in several files are named before "and N more".
const SHARED_LISTED: usize = 5;

/// Warns about candidates whose answers come from more than one file: the same student's
/// export given twice, or (for exports made before labcert wrote `install_id`) students
/// who share a profile name and would be merged.
fn warn_shared_candidates(class: &ClassAnswers) {
    let name = |f: &usize| {
        class
            .files
            .get(*f)
            .map_or_else(String::new, |p| p.display().to_string())
    };
    for (candidate, files) in class.shared.iter().take(SHARED_LISTED) {
        let files: Vec<String> = files.iter().map(name).collect();
        match candidate.split_once('@') {
            Some((profile, install)) => eprintln!(
                "warning: profile \"{profile}\" of one data directory (install id {install}) is in {}: the same student's export given twice? The answers count as one candidate's.",
                files.join(", ")
            ),
            None => eprintln!(
                "warning: profile \"{candidate}\" is in {}, and these exports have no install_id column (made by an older labcert), so they count as one candidate; if they are different students, add --candidate-from-file",
                files.join(", ")
            ),
        }
    }
    if class.shared.len() > SHARED_LISTED {
        eprintln!(
            "warning: and {} more found in several files",
            plural(class.shared.len() - SHARED_LISTED, "candidate")
        );
    }
}

pub fn run(settings: &Settings, args: AnalyzeArgs) -> anyhow::Result<()> {
    let class = read_class(&args.files, args.candidate_from_file, settings.quiet)?;
    let library = super::load_library(settings)?;
    let spinner = progress::spinner(
        settings.quiet,
        class.answers.len() as u64,
        WORTH_A_SPINNER_ANSWERS,
        "analysing",
    );
    let report = analysis::analyze(&class, &library, args.min_candidates.max(1));
    spinner.finish_and_clear();
    let mut out = std::io::stdout().lock();
    if settings.json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        render(&report, &mut out)?;
    }
    Ok(())
}

fn decimal(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_string(), |x| format!("{x:.2}"))
}

fn choices(item: &ItemStats) -> String {
    let mut parts: Vec<String> = item
        .choices
        .iter()
        .map(|c| {
            format!(
                "{}{}{}",
                c.letter,
                c.chosen,
                if c.key == Some(true) { "*" } else { "" }
            )
        })
        .collect();
    if item.kind == Some("numeric") {
        parts.push("(numeric)".into());
    } else if item.no_letter > 0 {
        parts.push(format!("none {}", item.no_letter));
    }
    parts.join(" ")
}

fn render(r: &ItemAnalysis, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        out,
        "Item analysis: {}, {}, {} from {}.",
        plural(r.candidates, "candidate"),
        plural(r.items.len(), "item"),
        plural(r.answers, "answer"),
        plural(r.files, "file")
    )?;
    let mut notes = String::from("A candidate's first answer to an item counts; ");
    if r.repeats_ignored > 0 {
        notes.push_str(&format!(
            "{} to items already answered {} left out. ",
            plural(r.repeats_ignored, "later answer"),
            if r.repeats_ignored == 1 {
                "was"
            } else {
                "were"
            }
        ));
    } else {
        notes.push_str("there were no repeated answers. ");
    }
    notes.push_str(&format!(
        "p: proportion right; r: correlation of the item with the candidate's score on the other items they answered; choices: how often each was chosen (* the key); secs: mean time. Items with fewer than {} are shown but not judged.",
        plural(r.min_candidates, "candidate")
    ));
    writeln!(out, "{}", wrap(&notes, WIDTH, ""))?;

    let id_width = r
        .items
        .iter()
        .map(|i| i.item_id.chars().count())
        .max()
        .unwrap_or(4)
        .clamp(4, 24);
    let mut area = "";
    for item in &r.items {
        if item.area != area {
            area = item.area;
            writeln!(out)?;
            let title = Area::from_name(area).map_or(area, Area::title);
            writeln!(out, "{title}")?;
            writeln!(
                out,
                "{:<id_width$} {:>4} {:>5} {:>5} {:>6}  choices",
                "item", "n", "p", "r", "secs"
            )?;
        }
        let row = format!(
            "{:<id_width$} {:>4} {:>5.2} {:>5} {:>6.1}  {}",
            item.item_id,
            item.candidates,
            item.p,
            decimal(item.r),
            item.mean_seconds,
            choices(item)
        );
        writeln!(out, "{}", row.trim_end())?;
        for flag in &item.flags {
            let text = wrap(&flag.message(), WIDTH, "      ");
            writeln!(out, "    ! {}", &text[6..])?;
        }
    }

    writeln!(out)?;
    writeln!(
        out,
        "{:<16}{:>7}{:>9}{:>8}{:>8}{:>9}",
        "area", "items", "answers", "mean p", "mean r", "flagged"
    )?;
    for a in &r.areas {
        writeln!(
            out,
            "{:<16}{:>7}{:>9}{:>8}{:>8}{:>9}",
            a.area,
            a.items,
            a.answers,
            decimal(a.mean_p),
            decimal(a.mean_r),
            a.flagged
        )?;
    }
    let flagged: usize = r.areas.iter().map(|a| a.flagged).sum();
    writeln!(out)?;
    writeln!(out, "Items to review: {flagged} of {}.", r.items.len())?;
    Ok(())
}
