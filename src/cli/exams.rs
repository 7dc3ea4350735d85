//! Exams as records: `labcert exams` lists them, `labcert exam show ID` reopens a
//! finished exam's results, `labcert exam discard ID` takes one out of the history, and
//! starting a new exam while one is unfinished asks what to do with it.

use std::io::{self, BufRead, Write};

use clap::Args;

use crate::exam::ExamResult;
use crate::exit::Failure;
use crate::settings::Settings;
use crate::store::{ExamListing, Store};
use crate::ui::text::{invocation, plural, wrap};

#[derive(Debug, Args)]
pub struct ExamsArgs {}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The exam's id (`labcert exams` lists them)
    id: i64,
    /// Only the missed items
    #[arg(long)]
    missed: bool,
    /// Only missed items of this content area
    #[arg(long, value_name = "AREA")]
    area: Option<String>,
}

#[derive(Debug, Args)]
pub struct DiscardArgs {
    /// The exam's id (`labcert exams` lists them)
    id: i64,
}

/// `labcert exams`: every exam of the profile, oldest first.
pub fn list(settings: &Settings, _args: ExamsArgs) -> anyhow::Result<()> {
    let (store, profile) = super::open_store_read_only(settings)?;
    let exams = if profile < 0 {
        Vec::new()
    } else {
        store.exams(profile)?
    };
    let mut out = io::stdout().lock();
    if settings.json {
        serde_json::to_writer_pretty(&mut out, &exams)?;
        writeln!(out)?;
        return Ok(());
    }
    if exams.is_empty() {
        writeln!(
            out,
            "No exams yet for profile \"{}\". Start one with: {} exam --style ascp-mls",
            settings.profile,
            invocation()
        )?;
        return Ok(());
    }
    // At most 60 columns: "999 FAIL *" is the widest score.
    writeln!(
        out,
        "{:>3}  {:<9} {:<16} {:<10} {:>5}  score",
        "id", "style", "started", "status", "done"
    )?;
    for e in &exams {
        writeln!(
            out,
            "{:>3}  {:<9} {:<16} {:<10} {:>5}  {}",
            e.id,
            e.blueprint_id,
            local_time(e.started_ms),
            if e.finished { "finished" } else { "unfinished" },
            e.answered,
            score_text(e)
        )?;
    }
    let practice_runs = exams.iter().filter(|e| e.custom).count();
    if practice_runs > 0 {
        writeln!(
            out,
            "{}",
            wrap(
                &format!(
                    "* a practice run (changed time limit or custom blueprint): it does not set the style `practice` and `report` prepare for ({practice_runs} here)."
                ),
                crate::ui::width(),
                ""
            )
        )?;
    }
    writeln!(
        out,
        "{}",
        wrap(
            &format!(
                "Reopen results: {0} exam show ID. Continue: {0} exam --resume ID. Remove: {0} exam discard ID.",
                invocation()
            ),
            crate::ui::width(),
            ""
        )
    )?;
    Ok(())
}

fn score_text(e: &ExamListing) -> String {
    let mut text = match (e.scaled_score, e.passed) {
        (Some(s), Some(p)) if e.finished => format!(
            "{s}{} {}",
            if e.scale == "percent" { "%" } else { "" },
            if p { "PASS" } else { "FAIL" }
        ),
        _ => "-".to_string(),
    };
    if e.custom {
        text.push_str(" *");
    }
    text
}

/// A time in ms as local `2026-11-29 14:03`.
fn local_time(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| {
            t.to_zoned(jiff::tz::TimeZone::system())
                .strftime("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| "?".into())
}

/// `labcert exam show ID`: a finished exam's results, as at the end of the exam.
pub fn show(settings: &Settings, args: ShowArgs) -> anyhow::Result<()> {
    let area = args.area.as_deref().map(super::area_option).transpose()?;
    let (store, profile) = super::open_store_read_only(settings)?;
    let Some(json) = (profile >= 0)
        .then(|| store.exam_result(profile, args.id))
        .transpose()?
        .flatten()
    else {
        let unfinished = profile >= 0
            && store
                .exams(profile)?
                .iter()
                .any(|e| e.id == args.id && !e.finished);
        if unfinished {
            return Err(Failure::Usage(format!(
                "exam {} is unfinished: it has no results yet; continue it with `{} exam --resume {}`",
                args.id,
                invocation(),
                args.id
            ))
            .into());
        }
        return Err(not_an_exam(settings, args.id, "finished ").into());
    };
    let mut result: ExamResult = serde_json::from_str(&json)
        .map_err(|e| anyhow::anyhow!("exam {}: its stored result does not read: {e}", args.id))?;
    if let Some(area) = area {
        result.missed.retain(|m| m.area == area.name());
    }
    let mut out = io::stdout().lock();
    if settings.json {
        if args.missed || area.is_some() {
            serde_json::to_writer_pretty(&mut out, &result.missed)?;
        } else {
            serde_json::to_writer_pretty(&mut out, &result)?;
        }
        writeln!(out)?;
    } else if args.missed || area.is_some() {
        if result.missed.is_empty() {
            writeln!(
                out,
                "No missed items{}.",
                area.map_or(String::new(), |a| format!(" in {}", a.title()))
            )?;
        }
        drop(out);
        crate::ui::pager::show(settings.no_pager, |_, w| {
            crate::report::exam::render_missed(&result, w)
        })?;
    } else {
        drop(out);
        crate::ui::pager::show(settings.no_pager, |paged, w| {
            if paged {
                crate::report::exam::render_summary_first(&result, w)
            } else {
                crate::report::exam::render(&result, w)
            }
        })?;
    }
    Ok(())
}

/// `labcert exam discard ID`.
pub fn discard(settings: &Settings, args: DiscardArgs) -> anyhow::Result<()> {
    let (store, profile) = super::open_store(settings)?;
    let listing = store.exams(profile)?.into_iter().find(|e| e.id == args.id);
    let Some(e) = listing else {
        return Err(not_an_exam(settings, args.id, "").into());
    };
    store.discard_exam(profile, e.id)?;
    println!(
        "{}",
        wrap(
            &format!(
                "Discarded exam {} ({}, {}, {} answered). Its answers stay in your practice record and review schedule.",
                e.id,
                e.blueprint_id,
                if e.finished { "finished" } else { "unfinished" },
                e.answered
            ),
            crate::ui::width(),
            ""
        )
    );
    Ok(())
}

fn not_an_exam(settings: &Settings, id: i64, kind: &str) -> Failure {
    Failure::Usage(format!(
        "profile \"{}\" has no {kind}exam {id}; `{} exams` lists them",
        settings.profile,
        invocation()
    ))
}

/// Before a new exam starts: an unfinished exam is never stranded silently. On a
/// terminal the candidate chooses (resume it, discard it, or keep it for later);
/// otherwise it is kept and a note says how to continue it. Returns the exam to resume
/// instead of starting a new one, if that was the choice.
pub fn before_a_new_exam(store: &Store, profile: i64) -> anyhow::Result<Option<Option<i64>>> {
    let Some(old) = store.unfinished_exam(profile)? else {
        return Ok(None);
    };
    let answered = old.slots.iter().filter(|s| s.response.is_some()).count();
    let what = format!(
        "You have an unfinished {} exam (exam {}, {} answered).",
        old.blueprint_id,
        old.id,
        plural(answered, "question")
    );
    if !(crate::ui::stdin_is_terminal() && crate::ui::stdout_is_terminal()) {
        eprintln!(
            "{}",
            wrap(
                &format!(
                    "Note: {what} It is kept; `{} exam --resume {}` continues it.",
                    invocation(),
                    old.id
                ),
                crate::ui::width(),
                ""
            )
        );
        return Ok(None);
    }
    let mut out = io::stdout();
    writeln!(out, "{}", wrap(&what, crate::ui::width(), ""))?;
    loop {
        write!(
            out,
            "[r]esume it, [d]iscard it, or [k]eep it for later and start the new exam? "
        )?;
        out.flush()?;
        let mut line = String::new();
        if io::stdin().lock().read_line(&mut line)? == 0 {
            return Ok(None);
        }
        match line.trim().to_ascii_lowercase().as_str() {
            "r" | "resume" => return Ok(Some(Some(old.id))),
            "d" | "discard" => {
                store.discard_exam(profile, old.id)?;
                writeln!(out, "Discarded exam {}.", old.id)?;
                return Ok(None);
            }
            "k" | "keep" | "" => return Ok(None),
            _ => writeln!(out, "Type r, d or k.")?,
        }
    }
}
