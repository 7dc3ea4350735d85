//! `labcert calibrate RESPONSES.csv... -o CALIBRATED.ron`: Rasch difficulties from a
//! class's answers, written into a copy of the bank.
//!
//! Reads the exports, picks the bank (`--bank-id`, or the one loaded bank the answers
//! are to), runs `instructor::calibration`, rewrites the bank's own text (the file, or
//! the shipped text for a built-in bank) with `instructor::rewrite`, checks the result
//! with the bank checks, and writes it atomically. Exit 0 when the copy is written, 1
//! when no item could be calibrated (nothing is written) or a file is malformed, 2 for
//! usage and I/O problems.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, anyhow, bail};
use clap::Args;
use serde::Serialize;

use crate::bank::load::{BUILTIN_BANKS, check_text};
use crate::bank::{Bank, BankOrigin, Library};
use crate::doc::diagnostic;
use crate::exit::Failure;
use crate::files::NewFile;
use crate::instructor::ClassAnswers;
use crate::instructor::calibration::{
    self, AnchorRule, Calibration, CalibrationRequest, DEFAULT_MIN_ANSWERS,
};
use crate::instructor::responses::ReadOptions;
use crate::instructor::rewrite::{NewDifficulty, rewrite_difficulties};
use crate::settings::Settings;
use crate::ui::progress;
use crate::ui::text::plural;
use crate::ui::text::wrap;

const WIDTH: usize = 80;

#[derive(Debug, Args)]
pub struct CalibrateArgs {
    /// Answer exports (`labcert export --format csv`), e.g. one per student
    #[arg(required = true, value_name = "RESPONSES.csv")]
    files: Vec<PathBuf>,
    /// Where to write the calibrated copy of the bank
    #[arg(short = 'o', long = "output", value_name = "CALIBRATED.ron")]
    output: PathBuf,
    /// The bank to calibrate (needed when the answers are to items of several banks)
    #[arg(long, value_name = "ID")]
    bank_id: Option<String>,
    /// Items with fewer answers keep their b
    #[arg(long, default_value_t = DEFAULT_MIN_ANSWERS, value_name = "N")]
    min_answers: usize,
    /// Keep the mean b of these items (repeatable) [default: the items whose b the bank gives]
    #[arg(long, value_name = "ITEM_ID")]
    anchor: Vec<String>,
    /// Also use answers given to an earlier text of an item
    #[arg(long)]
    include_edited: bool,
    /// Take each file's candidate from its file name instead of the `profile` column
    #[arg(long)]
    candidate_from_file: bool,
    /// Replace the output file if it exists (e.g. the bank's own file, calibrated in place)
    #[arg(long)]
    force: bool,
}

#[derive(Serialize)]
struct CalibrateJson<'a> {
    output: Option<String>,
    #[serde(flatten)]
    calibration: &'a Calibration,
}

pub fn run(settings: &Settings, args: CalibrateArgs) -> anyhow::Result<()> {
    let inputs: Vec<&Path> = args.files.iter().map(PathBuf::as_path).collect();
    let rules = super::output_rules(settings, args.force, &inputs, "an answer file being read");
    // Refuse a bad output before the work.
    let file = NewFile::create(&args.output, &rules)?;
    let options = ReadOptions {
        candidate_from_file: args.candidate_from_file,
        ..ReadOptions::default()
    };
    let class = super::analyze::read_class(&args.files, &options, settings.quiet)?;
    let library = super::load_library(settings)?;
    let bank = choose_bank(&library, &class, args.bank_id.as_deref())?;
    let request = CalibrationRequest {
        min_answers: args.min_answers,
        anchors: args.anchor.clone(),
        include_edited: args.include_edited,
    };
    let spinner = progress::spinner(
        settings.quiet,
        class.answers.len() as u64,
        super::analyze::WORTH_A_SPINNER_ANSWERS,
        "calibrating",
    );
    let result = calibration::calibrate(bank, &class, &request);
    spinner.finish_and_clear();
    let result = result?;

    let written = if result.items.is_empty() {
        None
    } else {
        let today = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        write_bank(bank, &result, file, &utc_date(today))?;
        Some(args.output.display().to_string())
    };

    let mut out = std::io::stdout().lock();
    if settings.json {
        let json = CalibrateJson {
            output: written.clone(),
            calibration: &result,
        };
        serde_json::to_writer_pretty(&mut out, &json)?;
        writeln!(out)?;
    } else {
        render(bank, &result, written.as_deref(), &args, &mut out)?;
    }
    if written.is_none() {
        return Err(Failure::Problem(format!(
            "no item of bank \"{}\" could be calibrated, so nothing was written",
            bank.id
        ))
        .into());
    }
    Ok(())
}

/// The UTC date of a time in seconds since 1970, as `2026-11-21`.
fn utc_date(unix_seconds: i64) -> String {
    jiff::Timestamp::from_second(unix_seconds)
        .map(|t| t.strftime("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// The bank named by `--bank-id`, or the one loaded bank the answers are to.
fn choose_bank<'l>(
    library: &'l Library,
    class: &ClassAnswers,
    bank_id: Option<&str>,
) -> anyhow::Result<&'l Bank> {
    if let Some(id) = bank_id {
        return library.banks.iter().find(|b| b.id == id).ok_or_else(|| {
            let ids: Vec<&str> = library.banks.iter().map(|b| b.id.as_str()).collect();
            anyhow!(
                "no loaded bank has the id \"{id}\" (loaded: {}); add it with --bank FILE",
                ids.join(", ")
            )
        });
    }
    let mut answered: BTreeMap<&str, usize> = BTreeMap::new();
    for a in &class.answers {
        *answered.entry(a.bank_id.as_str()).or_default() += 1;
    }
    let loaded: Vec<(&Bank, usize)> = library
        .banks
        .iter()
        .filter_map(|b| answered.get(b.id.as_str()).map(|n| (b, *n)))
        .collect();
    match loaded.as_slice() {
        [(bank, _)] => Ok(bank),
        [] => bail!(
            "none of the answered items is in a loaded bank (the answers are to bank{} {}); add the bank with --bank FILE",
            if answered.len() == 1 { "" } else { "s" },
            answered.keys().copied().collect::<Vec<_>>().join(", ")
        ),
        several => bail!(
            "the answers are to items of several loaded banks ({}); calibrate one at a time with --bank-id ID",
            several
                .iter()
                .map(|(b, n)| format!("{} with {n} answers", b.id))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// The bank's text as written: its file, or the shipped text of a built-in bank.
fn bank_text(bank: &Bank) -> anyhow::Result<String> {
    let text = match &bank.origin {
        BankOrigin::Builtin(name) => BUILTIN_BANKS
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, text)| (*text).to_string())
            .ok_or_else(|| anyhow!("the shipped bank {name} is not in this build"))?,
        BankOrigin::File(path) => std::fs::read_to_string(path)
            .with_context(|| format!("{}: cannot read the bank again", path.display()))?,
    };
    Ok(text.strip_prefix('\u{feff}').unwrap_or(&text).to_string())
}

/// Rewrites the bank with the new difficulties, checks it, and writes it atomically.
fn write_bank(
    bank: &Bank,
    result: &Calibration,
    mut file: NewFile,
    date: &str,
) -> anyhow::Result<()> {
    let updates: Vec<NewDifficulty> = result
        .items
        .iter()
        .map(|i| NewDifficulty {
            item_id: i.item_id.clone(),
            b: i.b,
            note: format!("n = {}, se = {:.2}, {date}", i.answers, i.se),
        })
        .collect();
    let text = rewrite_difficulties(&bank_text(bank)?, &updates)
        .with_context(|| format!("cannot rewrite bank \"{}\" ({})", bank.id, bank.origin))?;
    let name = file.path().display().to_string();
    let report = check_text(&name, &text);
    if report.errors() > 0 {
        bail!(
            "the calibrated bank would not pass `labcert banks check` (a labcert bug; please report it):\n{}",
            diagnostic::render_to_string(&report.sources, &report.diagnostics)
        );
    }
    file.write_all(text.as_bytes())
        .with_context(|| format!("{name}: cannot write"))?;
    file.commit()?;
    Ok(())
}

fn paragraph(out: &mut dyn Write, text: &str) -> std::io::Result<()> {
    writeln!(out, "{}", wrap(text, WIDTH, ""))
}

fn render(
    bank: &Bank,
    r: &Calibration,
    written: Option<&str>,
    args: &CalibrateArgs,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    paragraph(
        out,
        &format!(
            "Rasch calibration of bank \"{}\" ({}) by joint maximum likelihood, from {}.",
            bank.id,
            bank.origin,
            plural(args.files.len(), "answer file")
        ),
    )?;
    writeln!(out)?;
    let mut candidates = format!(
        "Candidates: {} answered this bank's items; {} in the estimation.",
        r.candidates, r.candidates_used
    );
    if r.candidates_all_right + r.candidates_all_wrong > 0 {
        candidates.push_str(&format!(
            " Left out, having no finite ability: {} with every answer right and {} with every answer wrong.",
            r.candidates_all_right, r.candidates_all_wrong
        ));
    }
    paragraph(out, &candidates)?;
    if !r.items.is_empty() {
        paragraph(
            out,
            &format!(
                "Answers: {} used, {:.1} items per candidate (L); the estimates are scaled by the JML bias correction (L - 1)/L = {:.3}.",
                r.answers_used, r.mean_items_per_candidate, r.bias_correction
            ),
        )?;
    }
    if let Some(a) = &r.anchoring {
        let who = match a.rule {
            AnchorRule::Named => format!("the {} named with --anchor", plural(a.items, "item")),
            AnchorRule::GivenB => format!(
                "the {} whose b the bank gave",
                plural(a.items, "calibrated item")
            ),
            AnchorRule::CurrentB => format!(
                "no calibrated item had a b of its own, so all {} (b from their ratings)",
                plural(a.items, "item")
            ),
        };
        paragraph(
            out,
            &format!(
                "Anchoring: {who} {} {:.2}; every estimate was shifted by {:+.2}.",
                if a.items == 1 {
                    "keeps its b of"
                } else {
                    "keep their mean b of"
                },
                a.mean_b,
                a.shift
            ),
        )?;
    }
    let mut set_aside = Vec::new();
    if r.answers_other_banks > 0 {
        set_aside.push(format!(
            "{} to items of other banks (calibrate one bank at a time: --bank-id)",
            plural(r.answers_other_banks, "answer")
        ));
    }
    if r.answers_unknown_items > 0 {
        set_aside.push(format!(
            "{} to item ids this bank does not have",
            plural(r.answers_unknown_items, "answer")
        ));
    }
    if r.answers_edited > 0 {
        set_aside.push(format!(
            "{} to an earlier text of an item (--include-edited uses them)",
            plural(r.answers_edited, "answer")
        ));
    }
    if !set_aside.is_empty() {
        paragraph(out, &format!("Not used: {}.", set_aside.join("; ")))?;
    }
    if r.item_groups.len() > 1 {
        paragraph(
            out,
            &format!(
                "warning: no candidate links these groups of items (sizes {}): each group's difficulties are on its own scale, and how the groups compare is not measured. Give the groups common items (or candidates who answer both), or calibrate one group at a time.",
                r.item_groups
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )?;
    }
    if !r.converged {
        paragraph(
            out,
            &format!(
                "warning: the estimation did not converge in {} iterations; the estimates may be rough (are the answers very sparse?).",
                r.iterations
            ),
        )?;
    }

    if !r.items.is_empty() {
        writeln!(out)?;
        let id_width = r
            .items
            .iter()
            .map(|i| i.item_id.chars().count())
            .max()
            .unwrap_or(4)
            .clamp(4, 24);
        writeln!(
            out,
            "{:<id_width$} {:>5} {:>5} {:>7} {:>7} {:>5}",
            "item", "n", "p", "old b", "new b", "se"
        )?;
        for i in &r.items {
            let mut notes = Vec::new();
            if i.anchor {
                notes.push("anchor");
            }
            if i.clamped {
                notes.push("clamped to the bank's range");
            }
            if i.outside_rating {
                notes.push("outside its rating's range");
            }
            let row = format!(
                "{:<id_width$} {:>5} {:>5.2} {:>7.2} {:>7.2} {:>5.2}  {}",
                i.item_id,
                i.answers,
                i.p,
                i.old_b,
                i.b,
                i.se,
                notes.join(", ")
            );
            writeln!(out, "{}", row.trim_end())?;
        }
    }
    if !r.refused.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "Not calibrated ({}; they keep their b):",
            plural(r.refused.len(), "item")
        )?;
        for item in &r.refused {
            let text = wrap(&item.message(), WIDTH, "    ");
            writeln!(out, "  - {}", &text[4..])?;
        }
    }
    writeln!(out)?;
    match written {
        Some(path) => {
            let outside = r.items.iter().filter(|i| i.outside_rating).count();
            if outside > 0 {
                paragraph(
                    out,
                    &format!(
                        "{} now {} a b outside the range {} 1-5 rating suggests; `labcert banks check` warns about {} (b-rating-mismatch): update the rating, or keep the warning as a reminder.",
                        plural(outside, "item"),
                        if outside == 1 { "has" } else { "have" },
                        if outside == 1 { "its" } else { "their" },
                        if outside == 1 { "it" } else { "them" }
                    ),
                )?;
            }
            paragraph(
                out,
                &format!(
                    "Wrote {path}: {} with a new b and a `// calibrated:` comment. It has the bank id \"{}\": load it instead of the original, not beside it. Check it with `labcert banks check {path}`.",
                    plural(r.items.len(), "item"),
                    bank.id
                ),
            )?;
        }
        None => paragraph(out, "Nothing was written: no item could be calibrated.")?,
    }
    Ok(())
}
