//! `labcert analyze RESPONSES.csv...`: item analysis of a class's answers, with the test
//! and item statistics of Moodle's quiz statistics report.
//!
//! Reads the export files (`instructor::responses`), keeping the answers `--mode` and
//! `--blueprint` select, loads the banks to look items up, runs `instructor::analysis`
//! and renders it as a report wrapped to the terminal (80 columns on a pipe) or JSON.
//! Exit 0 after a report, 1 when a file is malformed (too large, not UTF-8, missing
//! columns, bad rows), holds no answers or none the selection keeps, 2 when a file
//! cannot be read at all.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::bank::Area;
use crate::exit::Failure;
use crate::instructor::ClassAnswers;
use crate::instructor::analysis::{
    self, DEFAULT_MIN_CANDIDATES, ItemAnalysis, ItemStats, TestSummary, format_number,
};
use crate::instructor::responses::{
    Available, ExportError, Mode, ReadOptions, Selection, read_exports,
};
use crate::settings::Settings;
use crate::ui::progress;
use crate::ui::text::{plural, shorten, wrap};

/// `--mode`: where the answers were given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ModeArg {
    Practice,
    Review,
    Exam,
}

impl ModeArg {
    fn resolve(self) -> Mode {
        match self {
            ModeArg::Practice => Mode::Practice,
            ModeArg::Review => Mode::Review,
            ModeArg::Exam => Mode::Exam,
        }
    }
}

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// Answer exports (`labcert export --format csv`), e.g. one per student
    #[arg(required = true, value_name = "RESPONSES.csv")]
    files: Vec<PathBuf>,
    /// Only answers given in these modes (repeat or separate with commas: exam,practice)
    #[arg(long, value_enum, value_delimiter = ',', value_name = "MODE")]
    mode: Vec<ModeArg>,
    /// Only exam answers of this exam style (the blueprint id in the export)
    #[arg(long, value_name = "ID")]
    blueprint: Option<String>,
    /// Items answered by fewer candidates are shown but not flagged
    #[arg(long, default_value_t = DEFAULT_MIN_CANDIDATES, value_name = "N")]
    min_candidates: usize,
    /// Take each file's candidate from its file name instead of the `profile` column
    #[arg(long)]
    candidate_from_file: bool,
}

impl AnalyzeArgs {
    fn read_options(&self) -> ReadOptions {
        let mut modes: Vec<Mode> = self.mode.iter().map(|m| m.resolve()).collect();
        modes.sort_unstable();
        modes.dedup();
        ReadOptions {
            candidate_from_file: self.candidate_from_file,
            selection: Selection {
                modes,
                blueprint: self.blueprint.clone(),
            },
        }
    }
}

/// Answer files smaller than this (about 40,000 answers) read too fast to need a
/// spinner; so does the work on fewer answers than [`WORTH_A_SPINNER_ANSWERS`].
pub(super) const WORTH_A_SPINNER: u64 = 4 << 20;
pub(super) const WORTH_A_SPINNER_ANSWERS: u64 = 40_000;

/// Reads the export files, or reports every file's problem and the exit code to stop
/// with (2 if any file is unreadable, else 1). Shared with `calibrate`.
pub(super) fn read_class(
    files: &[PathBuf],
    options: &ReadOptions,
    quiet: bool,
) -> anyhow::Result<ClassAnswers> {
    let bytes: u64 = files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    let spinner = progress::spinner(quiet, bytes, WORTH_A_SPINNER, "reading answers");
    let read = read_exports(files, options);
    spinner.finish_and_clear();
    match read {
        Ok(class) if class.answers.is_empty() && class.outside_selection > 0 => {
            Err(Failure::Problem(nothing_selected(&class.selection, &class.available)).into())
        }
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

/// Why a selection kept nothing, with what the files do hold.
fn nothing_selected(selection: &Selection, available: &Available) -> String {
    let total: usize = available.modes.values().sum();
    let named = |name: &str, none: &str| {
        if name.is_empty() {
            none.to_string()
        } else {
            name.to_string()
        }
    };
    let modes: Vec<String> = available
        .modes
        .iter()
        .map(|(m, n)| format!("{} {}", n, named(m, "without a mode")))
        .collect();
    let mut out = format!(
        "no answers match {}; the files hold {}: {}",
        selection.describe(),
        plural(total, "answer"),
        modes.join(", ")
    );
    if available.blueprints.is_empty() {
        out.push_str(", and no exam answers");
    } else {
        let styles: Vec<String> = available
            .blueprints
            .iter()
            .map(|(b, n)| {
                format!(
                    "{} {n}",
                    named(b, "(no blueprint id: exported by an older labcert)")
                )
            })
            .collect();
        out.push_str(&format!(
            "; exam answers by exam style (--blueprint): {}",
            styles.join(", ")
        ));
    }
    if selection.blueprint.is_some()
        && !selection.modes.is_empty()
        && !selection.modes.contains(&Mode::Exam)
    {
        out.push_str("; only exam answers have a blueprint id, so --blueprint needs --mode exam");
    }
    out
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
    let class = read_class(&args.files, &args.read_options(), settings.quiet)?;
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
        render(&report, crate::ui::width(), &mut out)?;
    }
    Ok(())
}

/// A percentage with one decimal, or `-`.
fn percent(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_string(), |x| format!("{x:.1}"))
}

/// A figure with two decimals, or `-`.
fn decimal(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_string(), |x| format!("{x:.2}"))
}

/// Numeric values shown under an item before "N other values".
const VALUES_SHOWN: usize = 5;

/// What was answered: each choice's count (`*` the key), or a numeric item's values
/// (`*` marked right) and key; then the mean time.
fn answers_line(item: &ItemStats) -> String {
    format!("{}; mean time {:.1}s", answers(item), item.mean_seconds)
}

fn answers(item: &ItemStats) -> String {
    if let Some(numeric) = &item.numeric {
        let mut parts: Vec<String> = numeric
            .values
            .iter()
            .take(VALUES_SHOWN)
            .map(|v| {
                format!(
                    "{}{} ({})",
                    format_number(v.value),
                    if 2 * v.correct > v.answers { "*" } else { "" },
                    v.answers
                )
            })
            .collect();
        let others = &numeric.values[numeric.values.len().min(VALUES_SHOWN)..];
        if !others.is_empty() {
            let answers: usize = others.iter().map(|v| v.answers).sum();
            parts.push(format!(
                "{} ({answers})",
                plural(others.len(), "other value")
            ));
        }
        if numeric.not_a_number > 0 {
            parts.push(format!("not a number ({})", numeric.not_a_number));
        }
        let key = item
            .key
            .as_ref()
            .map_or_else(String::new, |k| format!("; key {k}"));
        return format!("given {}{key}", parts.join(", "));
    }
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
    if item.no_letter > 0 {
        parts.push(format!("none {}", item.no_letter));
    }
    parts.join(" ")
}

/// The seven figures of an item row, each right-aligned: 43 columns with the spaces.
fn figures(item: &ItemStats) -> String {
    format!(
        " {:>4} {:>5} {:>5} {:>5} {:>6} {:>6} {:>5}",
        item.candidates,
        format!("{:.1}", item.facility),
        percent(item.sd),
        percent(item.random_guess_score),
        percent(item.discrimination_index),
        percent(item.discriminative_efficiency),
        decimal(item.d),
    )
}

const FIGURES_WIDTH: usize = 43;
/// The narrowest stem column; below it the table folds into labelled lines.
const MIN_STEM: usize = 12;
const INDENT: &str = "      ";

fn render(r: &ItemAnalysis, width: usize, out: &mut dyn Write) -> std::io::Result<()> {
    let para = |out: &mut dyn Write, text: &str| writeln!(out, "{}", wrap(text, width, ""));
    para(
        out,
        &format!(
            "Item analysis: {}, {}, {} from {}.",
            plural(r.candidates, "candidate"),
            plural(r.items.len(), "item"),
            plural(r.answers, "answer"),
            plural(r.files, "file")
        ),
    )?;
    let mut notes = String::new();
    let selection = Selection {
        modes: Mode::ALL
            .into_iter()
            .filter(|m| r.selection.modes.contains(&m.name()))
            .collect(),
        blueprint: r.selection.blueprint.clone(),
    };
    if !selection.is_everything() {
        notes.push_str(&format!(
            "Selected with {}: {} left out. ",
            selection.describe(),
            plural(r.selection.outside, "other answer")
        ));
        if r.selection.seen_before > 0 {
            notes.push_str(&format!(
                "{} of the answers used came after the candidate had answered the item outside the selection (in practice, say). ",
                r.selection.seen_before
            ));
        }
    }
    notes.push_str("A candidate's first answer to an item counts; ");
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
        "Items with fewer than {} are shown but not judged.",
        plural(r.min_candidates, "candidate")
    ));
    para(out, &notes)?;
    writeln!(out)?;
    render_test(&r.test, width, out)?;
    match &r.groups {
        Some(g) => para(
            out,
            &format!(
                "Upper and lower 27% groups, by proportion right: {} and {} of {} candidates (27% is {}; candidates tied at the edge of a group join it).",
                g.upper, g.lower, g.of, g.target
            ),
        )?,
        None => para(
            out,
            "Upper and lower 27% groups: not formed (fewer than two candidates, or so many tied scores that the groups would meet); D27 is not given.",
        )?,
    }
    writeln!(out)?;
    para(
        out,
        "Item figures as in Moodle's quiz statistics, in %: facil(ity index): % right; SD of the item score; guess: random-guess score; disc(rimination index): correlation of the item with the candidate's score on the other items they answered; effic(iency): disc as a % of the most it could be; D27: proportion right in the upper 27% group minus the lower. Under each item: how often each choice was chosen (* the key), or the numbers given (* marked right), and the mean time.",
    )?;

    let id_width = r
        .items
        .iter()
        .map(|i| i.item_id.chars().count())
        .max()
        .unwrap_or(4)
        .clamp(4, 24);
    let stem_width = width.saturating_sub(id_width + 1 + FIGURES_WIDTH);
    let table = stem_width >= MIN_STEM;
    let mut area = "";
    for item in &r.items {
        if item.area != area {
            area = item.area;
            writeln!(out)?;
            let title = Area::from_name(area).map_or(area, Area::title);
            writeln!(out, "{title}")?;
            if table {
                writeln!(
                    out,
                    "{:<id_width$} {:<stem_width$} {:>4} {:>5} {:>5} {:>5} {:>6} {:>6} {:>5}",
                    "item", "question", "n", "facil", "SD", "guess", "disc", "effic", "D27"
                )?;
            }
        }
        let stem = item.stem.as_deref().unwrap_or("");
        if table {
            let row = format!(
                "{:<id_width$} {:<stem_width$}{}",
                item.item_id,
                shorten(stem, stem_width),
                figures(item)
            );
            writeln!(out, "{}", row.trim_end())?;
        } else {
            // Too narrow for the table: the id and stem, then the figures by name (no
            // space inside a pair, so wrapping never parts a name from its figure).
            let room = width.saturating_sub(item.item_id.chars().count() + 1);
            writeln!(out, "{} {}", item.item_id, shorten(stem, room).trim_end())?;
            let named = format!(
                "n={}, facil={:.1}, SD={}, guess={}, disc={}, effic={}, D27={}",
                item.candidates,
                item.facility,
                percent(item.sd),
                percent(item.random_guess_score),
                percent(item.discrimination_index),
                percent(item.discriminative_efficiency),
                decimal(item.d),
            );
            writeln!(out, "{}", wrap(&named, width, INDENT))?;
        }
        writeln!(out, "{}", wrap(&answers_line(item), width, INDENT))?;
        for flag in &item.flags {
            let text = wrap(&flag.message(), width, INDENT);
            writeln!(out, "    ! {}", &text[INDENT.len()..])?;
        }
    }

    writeln!(out)?;
    render_areas(r, width, out)?;
    let flagged: usize = r.areas.iter().map(|a| a.flagged).sum();
    writeln!(out)?;
    writeln!(out, "Items to review: {flagged} of {}.", r.items.len())?;
    Ok(())
}

/// Moodle's test statistics, and what they are over.
fn render_test(test: &TestSummary, width: usize, out: &mut dyn Write) -> std::io::Result<()> {
    let para = |out: &mut dyn Write, text: &str| writeln!(out, "{}", wrap(text, width, ""));
    let lines = |out: &mut dyn Write, text: &str| writeln!(out, "{}", wrap(text, width, "  "));
    if test.fixed_form {
        para(
            out,
            &format!(
                "Test statistics: a fixed form, every candidate answered all {}.",
                plural(test.items, "item")
            ),
        )?;
    } else {
        let mut text = String::from(
            "Not a fixed form: the candidates answered different items (an adaptive exam, practice, or several quizzes together; --mode and --blueprint pick one quiz). Moodle's test statistics assume that everyone answered the same items.",
        );
        if let Some(all) = &test.percent_right {
            text.push_str(&format!(
                " Every candidate's % right on the items they answered: mean {:.1}%, median {:.1}%, SD {}%.",
                all.mean,
                all.median,
                percent(all.sd)
            ));
        }
        para(out, &text)?;
        let heading = if test.complete_candidates == 0 {
            format!(
                "Test statistics: none, since no candidate answered all {}.",
                plural(test.items, "item")
            )
        } else {
            format!(
                "Test statistics over the {} of {} who answered all {}:",
                test.complete_candidates,
                plural(test.candidates, "candidate"),
                plural(test.items, "item")
            )
        };
        para(out, &heading)?;
    }
    let Some(s) = &test.statistics else {
        return Ok(());
    };
    let marks = |x: Option<f64>| x.map_or_else(|| "-".to_string(), |x| format!("{x:.2}"));
    lines(
        out,
        &format!(
            "mean {:.1}% ({:.2} of {}), median {:.1}%, SD {}% ({} items)",
            s.mean_percent,
            s.mean,
            s.items,
            s.median_percent,
            percent(s.sd_percent),
            marks(s.sd)
        ),
    )?;
    lines(
        out,
        &format!(
            "skewness {}, kurtosis {} (Moodle's aims: about -1 and 0 to 1)",
            s.skewness.map_or_else(|| "-".into(), |x| format!("{x:.3}")),
            s.kurtosis.map_or_else(|| "-".into(), |x| format!("{x:.3}"))
        ),
    )?;
    let reading = match s.cic {
        Some(c) if c >= 75.0 => " (satisfactory: 75% or more)",
        Some(c) if c >= 64.0 => " (acceptable: 64% to 75%)",
        Some(_) => " (unsatisfactory: under 64%)",
        None => "",
    };
    lines(
        out,
        &format!(
            "Cronbach's alpha (KR-20) {}: coefficient of internal consistency {}%{reading}; error ratio {}% (aim under 50%); standard error {}% ({} items)",
            s.alpha.map_or_else(|| "-".into(), |x| format!("{x:.3}")),
            percent(s.cic),
            percent(s.error_ratio),
            percent(s.sem_percent),
            marks(s.sem)
        ),
    )?;
    if s.candidates < 3 {
        lines(
            out,
            "(skewness, alpha and the errors need three candidates, kurtosis four)",
        )?;
    }
    Ok(())
}

/// The area summary: a table, or a line per area when the table would not fit.
fn render_areas(r: &ItemAnalysis, width: usize, out: &mut dyn Write) -> std::io::Result<()> {
    let mean_percent = |x: Option<f64>| percent(x.map(|x| 100.0 * x));
    if width >= 56 {
        writeln!(
            out,
            "{:<16}{:>6}{:>9}{:>9}{:>8}{:>8}",
            "area", "items", "answers", "facil", "disc", "flagged"
        )?;
        for a in &r.areas {
            writeln!(
                out,
                "{:<16}{:>6}{:>9}{:>9}{:>8}{:>8}",
                a.area,
                a.items,
                a.answers,
                mean_percent(a.mean_p),
                mean_percent(a.mean_r),
                a.flagged
            )?;
        }
    } else {
        for a in &r.areas {
            let line = format!(
                "{}: {}, {}, mean facil {}, mean disc {}, {} flagged",
                a.area,
                plural(a.items, "item"),
                plural(a.answers, "answer"),
                mean_percent(a.mean_p),
                mean_percent(a.mean_r),
                a.flagged
            );
            writeln!(out, "{}", wrap(&line, width, ""))?;
        }
    }
    Ok(())
}
