//! The results screen of a mock exam, in plain text for an 80-column terminal.

use std::io::{self, Write};

use crate::bank::Area;
use crate::bank::decode::letter_for;
use crate::exam::{ExamResult, clock_text};
use crate::ui::text::wrap;

/// A signed logit value to two places, never "-0.00".
pub fn signed(x: f64) -> String {
    let r = (x * 100.0).round() / 100.0 + 0.0;
    format!("{r:+.2}")
}

/// A probability as a whole percentage, without claiming certainty at the ends.
pub fn percent(p: f64) -> String {
    match p * 100.0 {
        x if x < 0.5 => "under 1%".to_string(),
        x if x > 99.5 => "over 99%".to_string(),
        x => format!("{x:.0}%"),
    }
}

/// Writes the walk through missed items, then the summary: the score comes last, so it
/// is what stays on the screen when the review is long.
pub fn render(r: &ExamResult, out: &mut dyn Write) -> io::Result<()> {
    render_missed(r, out)?;
    write_summary(r, out)
}

/// The results for a pager, which opens at the top: the summary first, then the missed
/// items below it.
pub fn render_summary_first(r: &ExamResult, out: &mut dyn Write) -> io::Result<()> {
    write_summary(r, out)?;
    if !r.missed.is_empty() {
        writeln!(out)?;
    }
    render_missed(r, out)
}

/// The missed items, each with the candidate's answer, the key and the explanation.
pub fn render_missed(r: &ExamResult, out: &mut dyn Write) -> io::Result<()> {
    if r.missed.is_empty() {
        return Ok(());
    }
    writeln!(out, "Missed items ({}), with explanations:", r.missed.len())?;
    for m in &r.missed {
        writeln!(out, "{}", "-".repeat(crate::ui::width()))?;
        writeln!(
            out,
            "Question {} ({}, {}; {})",
            m.position,
            Area::from_name(&m.area).map_or_else(|| m.area.clone(), |a| a.title().to_string()),
            m.topic,
            m.id
        )?;
        writeln!(out, "{}", wrap(&m.stem, crate::ui::width(), "  "))?;
        for (i, c) in m.choices.iter().enumerate() {
            writeln!(
                out,
                "{}",
                crate::ui::text::wrap_hanging(
                    &format!("{}. {c}", letter_for(i)),
                    crate::ui::width(),
                    "    ",
                    "       "
                )
            )?;
        }
        writeln!(
            out,
            "  Your answer: {}. Correct: {}. Time on it: {}.",
            m.your_answer.as_deref().unwrap_or("(none)"),
            m.key,
            clock_text(crate::ui::text::stored_seconds(m.seconds))
        )?;
        writeln!(
            out,
            "{}",
            wrap(
                crate::ui::item::explanation_or_note(&m.explanation),
                crate::ui::width(),
                "  "
            )
        )?;
        if !m.references.is_empty() {
            writeln!(
                out,
                "{}",
                wrap(
                    &format!("Read: {}", m.references.join("; ")),
                    crate::ui::width(),
                    "  "
                )
            )?;
        }
    }
    Ok(())
}

/// The score, the pass/fail result, time and the per-area table.
fn write_summary(r: &ExamResult, out: &mut dyn Write) -> io::Result<()> {
    let rule = "=".repeat(crate::ui::width());
    writeln!(out, "{rule}")?;
    writeln!(out, "Results: {}", r.name)?;
    writeln!(out, "{rule}")?;
    let result = if r.passed {
        crate::ui::good("PASS")
    } else {
        crate::ui::bad("FAIL")
    };
    match r.scale.as_str() {
        // A classroom quiz scored by counting: the count, the cut, and nothing about θ,
        // which does not decide the result.
        "percent" | "raw" => {
            if r.scale == "percent" {
                writeln!(
                    out,
                    "Score: {}% ({} of {} right)",
                    r.scaled_score, r.correct, r.items
                )?;
                writeln!(out, "Pass mark: {}%", r.passing_score)?;
            } else {
                writeln!(out, "Score: {} of {} right", r.correct, r.items)?;
                writeln!(out, "Pass mark: {} right", r.passing_score)?;
            }
            writeln!(out, "Result: {result}")?;
            return write_time_and_areas(r, out);
        }
        _ => {}
    }
    writeln!(out, "Scaled score: {}", r.scaled_score)?;
    writeln!(
        out,
        "Pass mark: {} (a practice estimate on labcert's scale)",
        r.passing_score
    )?;
    writeln!(out, "Result: {result}")?;
    writeln!(
        out,
        "Ability: {} logits ({}), standard error {:.2}; passing standard {}",
        signed(r.theta),
        r.estimator,
        r.se,
        signed(r.passing_theta)
    )?;
    writeln!(
        out,
        "Probability of passing, from this exam: {}",
        percent(r.pass_probability)
    )?;
    writeln!(
        out,
        "{}",
        wrap(
            "  (how sure labcert is, from this exam's answers alone, that your true ability is \
             above the passing standard: near 50% means the exam could go either way. \
             `labcert report` shows your readiness from every answer. Item difficulties are \
             the authors' estimates until calibrated with real answers, so this is a \
             practice estimate.)",
            crate::ui::width(),
            ""
        )
    )?;
    write_time_and_areas(r, out)
}

/// Answered, time, pace and the per-area table: the part of the summary every scale
/// shares.
fn write_time_and_areas(r: &ExamResult, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "Answered {} of {}, {} correct. Time used: {} of the {} allowed.{}",
        r.answered,
        r.items,
        r.correct,
        clock_text(crate::ui::text::stored_seconds(r.time_used_seconds)),
        clock_text(crate::ui::text::stored_seconds(r.time_limit_seconds)),
        if r.timed_out { " Time ran out." } else { "" }
    )?;
    let stop = match r.stopped_by.as_deref() {
        Some("confidence") => Some(format!(
            "The check stopped after {} questions: the result was clear at 95% confidence.",
            r.items
        )),
        Some("standard-error") => Some(format!(
            "The check stopped after {} questions: the estimate was precise enough.",
            r.items
        )),
        Some("time-after-minimum") => Some(
            "Time ran out after the minimum number of questions: the result is your ability estimate from the answers given (the question on screen did not count).".to_string(),
        ),
        Some("time-before-minimum") => Some(
            "Time ran out before the minimum number of questions: under the run-out-of-time rule (as on the NCLEX) that is a fail, whatever the estimate.".to_string(),
        ),
        _ => None,
    };
    if let Some(stop) = stop {
        writeln!(out, "{}", wrap(&stop, crate::ui::width(), ""))?;
    }
    if r.unanswered > 0 {
        writeln!(
            out,
            "{}",
            wrap(
                &format!(
                    "{} not answered and {} as wrong (see docs/scoring.md).",
                    if r.unanswered == 1 {
                        "1 item was".to_string()
                    } else {
                        format!("{} items were", r.unanswered)
                    },
                    if r.unanswered == 1 { "counts" } else { "count" }
                ),
                crate::ui::width(),
                ""
            )
        )?;
    }
    if r.answered > 0 && r.items > 0 {
        let per = |s: f64| crate::ui::text::clock(crate::ui::text::stored_seconds(s));
        writeln!(
            out,
            "{}",
            wrap(
                &format!(
                    "Pace: {} per question answered; this exam allows {} per question.",
                    per(r.time_used_seconds / r.answered as f64),
                    per(r.time_limit_seconds / r.items as f64)
                ),
                crate::ui::width(),
                ""
            )
        )?;
    }
    writeln!(out)?;
    // The time column needs 73 columns; a narrower terminal gets the table without it.
    let timed = crate::ui::width() >= 73;
    let time_head = if timed {
        format!("{:>14}", "Time per item")
    } else {
        String::new()
    };
    writeln!(
        out,
        "{:<26}{:>6}{:>9}{:>18}{time_head}",
        "Area", "Items", "Correct", "Estimate (SE)"
    )?;
    for area in Area::ALL {
        if let Some(a) = r.areas.get(area.name()) {
            let per_item = a.seconds / a.items.max(1) as f64;
            let time = if timed {
                format!(
                    "{:>14}",
                    crate::ui::text::clock(crate::ui::text::stored_seconds(per_item))
                )
            } else {
                String::new()
            };
            writeln!(
                out,
                "{:<26}{:>6}{:>9}{:>18}{time}",
                area.title(),
                a.items,
                a.correct,
                format!("{} ({:.2})", signed(a.theta), a.se),
            )?;
        }
    }
    if r.missed.is_empty() {
        writeln!(out, "\nNo missed items.")?;
    } else {
        writeln!(
            out,
            "\n{} above.",
            if r.missed.len() == 1 {
                "The missed item and its explanation are".to_string()
            } else {
                format!(
                    "The {} missed items and their explanations are",
                    r.missed.len()
                )
            }
        )?;
    }
    Ok(())
}
