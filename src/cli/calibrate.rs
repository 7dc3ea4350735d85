//! `labcert calibrate RESPONSES.csv... -o OUT`: Rasch difficulties from a class's
//! answers, written into copies of the banks.
//!
//! Reads the exports, picks the banks (`--bank-id`, or every loaded bank the answers
//! are to), calibrates them together on one scale (`instructor::calibration`), rewrites
//! each bank's own text (the file, or the shipped text for a built-in bank) with
//! `instructor::rewrite`, checks the result with the bank checks, and writes it
//! atomically: to OUT for one bank, to OUT/BANK-ID.ron for several. Exit 0 when a copy
//! is written, 1 when no item could be calibrated (nothing is written) or a file is
//! malformed, 2 for usage and I/O problems.

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
    /// Where to write the calibrated copy: a file for one bank, a folder (made if need
    /// be) for several, one BANK-ID.ron each
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    output: PathBuf,
    /// Calibrate only this bank (repeatable) [default: every loaded bank the answers are to]
    #[arg(long, value_name = "ID")]
    bank_id: Vec<String>,
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
    /// The file written, when one bank was calibrated.
    output: Option<String>,
    /// Each bank's copy: bank id to file.
    outputs: BTreeMap<&'a str, &'a str>,
    #[serde(flatten)]
    calibration: &'a Calibration,
}

pub fn run(settings: &Settings, args: CalibrateArgs) -> anyhow::Result<()> {
    let inputs: Vec<&Path> = args.files.iter().map(PathBuf::as_path).collect();
    let mut rules = super::output_rules(settings, args.force, &inputs, "an answer file being read");
    // One bank goes to the file named; a folder named (or several banks) gets a file per
    // bank. A file is refused before the work when the rules forbid it.
    let into_folder = args.output.is_dir() || args.output.to_string_lossy().ends_with(['/', '\\']);
    let single = if into_folder {
        None
    } else {
        Some(NewFile::create(&args.output, &rules)?)
    };
    let options = ReadOptions {
        candidate_from_file: args.candidate_from_file,
        ..ReadOptions::default()
    };
    let class = super::analyze::read_class(&args.files, &options, settings.quiet)?;
    let library = super::load_library(settings)?;
    let banks = choose_banks(&library, &class, &args.bank_id)?;
    // Several banks and an output that is not a bank file name: a folder for them.
    let single = match single {
        Some(_)
            if banks.len() > 1
                && !args.output.exists()
                && args.output.extension().is_none_or(|e| e != "ron") =>
        {
            None
        }
        other => other,
    };
    if banks.len() > 1 && single.is_some() {
        drop(single);
        return Err(Failure::Usage(format!(
            "the answers are to items of {} banks ({}), calibrated together on one scale: give -o a folder for their copies (one BANK-ID.ron each; it is made if need be), or pick banks with --bank-id",
            banks.len(),
            banks.iter().map(|b| b.id.as_str()).collect::<Vec<_>>().join(", ")
        ))
        .into());
    }
    for bank in &banks {
        if let BankOrigin::File(path) = &bank.origin {
            rules.protected.add(
                path,
                "a loaded bank (write its copy elsewhere, or --force to calibrate it in place)"
                    .to_string(),
            );
        }
    }
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
    let result = calibration::calibrate(&banks, &class, &request);
    spinner.finish_and_clear();
    let result = result?;

    let today = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let mut written = Vec::new();
    let mut single = single;
    for bank in &banks {
        if !result.items.iter().any(|i| i.bank_id == bank.id) {
            continue;
        }
        let file = match single.take() {
            Some(file) => file,
            None => {
                std::fs::create_dir_all(&args.output).with_context(|| {
                    format!("{}: cannot make the folder", args.output.display())
                })?;
                NewFile::create(&args.output.join(format!("{}.ron", bank.id)), &rules)?
            }
        };
        let path = file.path().display().to_string();
        write_bank(bank, &result, file, &utc_date(today))?;
        written.push((bank.id.clone(), path));
    }

    let mut out = std::io::stdout().lock();
    if settings.json {
        let json = CalibrateJson {
            output: (banks.len() == 1)
                .then(|| written.first().map(|(_, p)| p.clone()))
                .flatten(),
            outputs: written
                .iter()
                .map(|(b, p)| (b.as_str(), p.as_str()))
                .collect(),
            calibration: &result,
        };
        serde_json::to_writer_pretty(&mut out, &json)?;
        writeln!(out)?;
    } else {
        render(&banks, &result, &written, &args, &mut out)?;
    }
    if written.is_empty() {
        return Err(Failure::Problem(format!(
            "no item of {} could be calibrated, so nothing was written",
            banks
                .iter()
                .map(|b| format!("bank \"{}\"", b.id))
                .collect::<Vec<_>>()
                .join(", ")
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

/// The banks named by `--bank-id`, or every loaded bank the answers are to.
fn choose_banks<'l>(
    library: &'l Library,
    class: &ClassAnswers,
    bank_ids: &[String],
) -> anyhow::Result<Vec<&'l Bank>> {
    if !bank_ids.is_empty() {
        let ids: Vec<&str> = library.banks.iter().map(|b| b.id.as_str()).collect();
        return bank_ids
            .iter()
            .map(|id| {
                library.banks.iter().find(|b| &b.id == id).ok_or_else(|| {
                    anyhow!(
                        "no loaded bank has the id \"{id}\" (loaded: {}); add it with --bank FILE",
                        ids.join(", ")
                    )
                })
            })
            .collect();
    }
    let mut answered: BTreeMap<&str, usize> = BTreeMap::new();
    for a in &class.answers {
        *answered.entry(a.bank_id.as_str()).or_default() += 1;
    }
    let loaded: Vec<&Bank> = library
        .banks
        .iter()
        .filter(|b| answered.contains_key(b.id.as_str()))
        .collect();
    if loaded.is_empty() {
        bail!(
            "none of the answered items is in a loaded bank (the answers are to bank{} {}); add the bank with --bank FILE",
            if answered.len() == 1 { "" } else { "s" },
            answered.keys().copied().collect::<Vec<_>>().join(", ")
        );
    }
    Ok(loaded)
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
        .filter(|i| i.bank_id == bank.id)
        .map(|i| NewDifficulty {
            item_id: i.item_id.clone(),
            b: i.b,
            note: format!("n = {}, se = {:.2}, {date}", i.answers, i.se),
        })
        .collect();
    let original = bank_text(bank)?;
    let text = rewrite_difficulties(&original, &updates)
        .with_context(|| format!("cannot rewrite bank \"{}\" ({})", bank.id, bank.origin))?;
    let name = file.path().display().to_string();
    // The rewrite changes only `b` values: it must add no error to those the bank already
    // has (an instructor's bank may be calibrated before every item is complete).
    let report = check_text(&name, &text);
    let before = check_text(&name, &original).errors();
    if report.errors() > before {
        let errors: Vec<_> = report
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .cloned()
            .collect();
        bail!(
            "the calibrated bank would have errors its original does not (a labcert bug; please report it):\n{}",
            diagnostic::render_to_string(&report.sources, &errors)
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
    banks: &[&Bank],
    r: &Calibration,
    written: &[(String, String)],
    args: &CalibrateArgs,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let names: Vec<String> = banks
        .iter()
        .map(|b| format!("\"{}\" ({})", b.id, b.origin))
        .collect();
    paragraph(
        out,
        &format!(
            "Rasch calibration of {} {}{} by joint maximum likelihood, from {}.",
            if banks.len() == 1 { "bank" } else { "banks" },
            names.join(", "),
            if banks.len() > 1 {
                " together, on one scale,"
            } else {
                ""
            },
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
            "{} to items of banks not being calibrated",
            plural(r.answers_other_banks, "answer")
        ));
    }
    if r.answers_unknown_items > 0 {
        set_aside.push(format!(
            "{} to item ids these banks do not have",
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
            "{:<id_width$} {:>4} {:>5} {:>6} {:>6} {:>5} {:>5} {:>6}",
            "item", "n", "p", "old b", "new b", "se", "infit", "outfit"
        )?;
        for i in &r.items {
            let mut notes = Vec::new();
            if i.anchor {
                notes.push("anchor");
            }
            if i.rough {
                notes.push("rough");
            }
            match i.fit {
                Some("erratic") => notes.push("erratic: check key and wording"),
                Some(_) => notes.push("predictable"),
                None => {}
            }
            if i.clamped {
                notes.push("clamped");
            }
            if i.outside_rating {
                notes.push("off its rating");
            }
            let row = format!(
                "{:<id_width$} {:>4} {:>5.2} {:>6.2} {:>6.2} {:>5.2} {:>5.2} {:>6.2}  {}",
                i.item_id,
                i.answers,
                i.p,
                i.old_b,
                i.b,
                i.se,
                i.infit,
                i.outfit,
                notes.join(", ")
            );
            writeln!(out, "{}", row.trim_end())?;
        }
        let rough = r.items.iter().filter(|i| i.rough).count();
        let erratic = r.items.iter().filter(|i| i.fit == Some("erratic")).count();
        let mut reading = format!(
            "infit and outfit are Rasch mean-square fit (1 expected): above {} an item is erratic (strong candidates missing it or weak ones getting it: check its key and wording), below {} more predictable than the model (usually harmless).",
            calibration::MISFIT,
            calibration::OVERFIT
        );
        if rough > 0 {
            reading.push_str(&format!(
                " {} {} rough: a standard error above {} logits, as a class-sized sample gives; use {} with care and calibrate again when more students have answered.",
                plural(rough, "item"),
                if rough == 1 { "is" } else { "are" },
                calibration::ROUGH_SE,
                if rough == 1 { "its b" } else { "their b" }
            ));
        }
        if erratic > 0 {
            reading.push_str(&format!(
                " {} erratic.",
                if erratic == 1 {
                    "1 item is".to_string()
                } else {
                    format!("{erratic} items are")
                }
            ));
        }
        writeln!(out)?;
        paragraph(out, &reading)?;
        writeln!(out)?;
        wright_map(r, out)?;
    }
    if !r.refused.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "Not calibrated ({}; {}):",
            plural(r.refused.len(), "item"),
            if r.refused.len() == 1 {
                "it keeps its b"
            } else {
                "they keep their b"
            }
        )?;
        for line in refusal_summary(&r.refused) {
            let text = wrap(&line, WIDTH, "    ");
            writeln!(out, "  - {}", &text[4..])?;
        }
    }
    writeln!(out)?;
    for (bank_id, path) in written {
        let items = r.items.iter().filter(|i| &i.bank_id == bank_id).count();
        paragraph(
            out,
            &format!(
                "Wrote {path}: {} with a new b and a `// calibrated:` comment. It has the bank id \"{bank_id}\": load it instead of the original, not beside it. Check it with `labcert banks check {path}`.",
                plural(items, "item"),
            ),
        )?;
    }
    match written.first() {
        Some(_) => {
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
        }
        None => paragraph(out, "Nothing was written: no item could be calibrated.")?,
    }
    Ok(())
}

/// How many ids a refusal line lists before "and N more".
const REFUSED_LISTED: usize = 8;

/// One line per reason an item was not calibrated: how many, which (the first few),
/// and what to do.
fn refusal_summary(refused: &[calibration::RefusedItem]) -> Vec<String> {
    use calibration::Refusal;
    let mut groups: BTreeMap<u8, (String, Vec<&str>)> = BTreeMap::new();
    for item in refused {
        let (key, why) = match &item.reason {
            Refusal::TooFewAnswers { min, .. } => (
                0,
                format!("fewer than {min} answers (--min-answers sets how many)"),
            ),
            Refusal::AllRight { .. } => (
                1,
                "every answer right: easier than this class can show".to_string(),
            ),
            Refusal::AllWrong { .. } => (
                2,
                "every answer wrong: harder than this class can show".to_string(),
            ),
            Refusal::NotRasch { .. } => (
                3,
                "not Rasch items (a is not 1 or c is not 0): calibrate estimates b for Rasch items only".to_string(),
            ),
        };
        groups
            .entry(key)
            .or_insert_with(|| (why, Vec::new()))
            .1
            .push(&item.item_id);
    }
    groups
        .into_values()
        .map(|(why, ids)| {
            let mut listed = ids
                .iter()
                .take(REFUSED_LISTED)
                .copied()
                .collect::<Vec<_>>()
                .join(", ");
            if ids.len() > REFUSED_LISTED {
                listed.push_str(&format!(" and {} more", ids.len() - REFUSED_LISTED));
            }
            format!("{}, {why}: {listed}", plural(ids.len(), "item"))
        })
        .collect()
}

/// The Wright map: candidates (`#` marks, at most [`MARKS`] a row) and items (their ids)
/// on one logit axis, from the highest value down, in half-logit rows.
fn wright_map(r: &Calibration, out: &mut dyn Write) -> std::io::Result<()> {
    let items: Vec<(&str, f64)> = r.items.iter().map(|i| (i.item_id.as_str(), i.b)).collect();
    let rows = wright_rows(&r.abilities, &items);
    // Each # stands for enough candidates that the fullest row fits its column.
    let fullest = rows.iter().map(|r| r.1).max().unwrap_or(0);
    let per_mark = fullest.div_ceil(MARKS).max(1);
    paragraph(
        out,
        &format!(
            "Wright map: candidates (left, each # {}) and items (right) on one logit scale, in half-logit rows; a candidate level with an item answers it right half the time.",
            if per_mark == 1 {
                "is one candidate".to_string()
            } else {
                format!("up to {per_mark} candidates")
            }
        ),
    )?;
    for (at, people, items) in rows {
        let marks = "#".repeat(people.div_ceil(per_mark));
        let mut line = format!("{at:>6.1} {marks:>12} |");
        let room = WIDTH.saturating_sub(line.chars().count() + 1);
        let mut listed = String::new();
        for (k, id) in items.iter().enumerate() {
            let more = format!(" +{}", items.len() - k);
            if listed.chars().count() + 1 + id.chars().count() + more.len() > room {
                listed.push_str(&more);
                break;
            }
            listed.push(' ');
            listed.push_str(id);
        }
        line.push_str(&listed);
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// The most `#` marks in a row of the Wright map.
const MARKS: usize = 12;

/// The Wright map's rows, highest first: each row's lower edge (half-logit steps), the
/// candidates and the items whose value falls in it.
fn wright_rows<'a>(abilities: &[f64], items: &[(&'a str, f64)]) -> Vec<(f64, usize, Vec<&'a str>)> {
    let values = abilities.iter().copied().chain(items.iter().map(|i| i.1));
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    if !lo.is_finite() || !hi.is_finite() {
        return Vec::new();
    }
    let row = |v: f64| (v * 2.0).floor() as i64;
    let (top, bottom) = (row(hi), row(lo));
    (bottom..=top)
        .rev()
        .map(|k| {
            let people = abilities.iter().filter(|&&a| row(a) == k).count();
            let mut here: Vec<(&str, f64)> =
                items.iter().copied().filter(|i| row(i.1) == k).collect();
            here.sort_by(|a, b| b.1.total_cmp(&a.1));
            (
                k as f64 / 2.0,
                people,
                here.into_iter().map(|i| i.0).collect(),
            )
        })
        .collect()
}
