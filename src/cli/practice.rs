//! `labcert practice` and `labcert review`: questions with immediate feedback, chosen
//! where they help most (see `practice::select`), every answer saved as it is given.

use crate::exam::runner::{is_exhibit, is_open, is_quit};
use std::io::{self, Write};
use std::time::Instant;

use clap::Args;
use rand::SeedableRng;
use rand::rngs::StdRng;

use super::Style;
use crate::exam::blueprint::Blueprint;
use crate::exit::Failure;
use crate::practice::select::PracticeItem;
use crate::practice::session::{
    Mode, PracticeStore, Session, StoredPractice, candidates, chooser_from_store, due_now,
};
use crate::settings::Settings;
use crate::store::history::next_review;
use crate::store::{Store, now_ms};
use crate::ui::input::{Input, LineSource};
use crate::ui::item::{prompt, write_body_in, write_feedback};
use crate::ui::text::{invocation, plural, wrap};

#[derive(Debug, Args)]
pub struct PracticeArgs {
    /// Only this content area (e.g. hematology)
    #[arg(long, value_name = "AREA")]
    area: Option<String>,
    /// Only this topic (e.g. "antibody identification")
    #[arg(long, value_name = "TOPIC")]
    topic: Option<String>,
    /// How many questions
    #[arg(long, default_value_t = 20, value_name = "N", value_parser = super::at_least_one)]
    questions: usize,
    /// The exam you are preparing for (weights areas; default: your last exam's, else ascp-mls)
    #[arg(long, value_enum, ignore_case = true)]
    style: Option<Style>,
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// At most this many questions
    #[arg(long, default_value_t = 50, value_name = "N", value_parser = super::at_least_one)]
    questions: usize,
}

/// The blueprint a candidate is preparing for: the option, else the last exam's style,
/// else ASCP MLS.
pub fn preparing_for(
    store: &Store,
    profile: i64,
    style: Option<Style>,
) -> anyhow::Result<Blueprint> {
    Ok(crate::practice::session::preparing_for(
        store,
        profile,
        style.map(Style::id),
    )?)
}

pub fn practice(settings: &Settings, args: PracticeArgs) -> anyhow::Result<()> {
    let library = super::load_library(settings)?;
    let (store, profile) = super::open_store(settings)?;
    let bp = preparing_for(&store, profile, args.style)?;
    let area = args.area.as_deref().map(super::area_option).transpose()?;
    let items = candidates(&library, &bp, area, args.topic.as_deref());
    if items.is_empty() {
        let topics = crate::practice::session::topics(&library, area);
        return Err(Failure::Problem(format!(
            "no items match{}{}.{}",
            area.map_or(String::new(), |a| format!(" area {}", a.name())),
            args.topic
                .as_ref()
                .map_or(String::new(), |t| format!(" topic \"{t}\"")),
            if args.topic.is_some() && !topics.is_empty() {
                format!(" Topics available: {}", topics.join("; "))
            } else {
                String::new()
            }
        ))
        .into());
    }
    let now = now_ms();
    let due = due_now(&store, profile, now)?;
    let chooser = chooser_from_store(&store, profile, items, &bp, &due, now)?;
    let sink = StoredPractice {
        store: &store,
        profile,
    };
    let mut session = Session::new(chooser, sink, Mode::Practice, args.questions, area);
    let mut rng = StdRng::seed_from_u64(settings.seed.unwrap_or_else(rand::random));
    let mut out = io::stdout();
    let due_note = match session.due_count() {
        0 => String::new(),
        n => format!(", starting with {} due for review", n.min(args.questions)),
    };
    paragraph(
        &mut out,
        &format!(
            "Practice for {}: {}{due_note}. Answer with a letter (add ? if you are guessing, e.g. B?); quit to stop.",
            bp.name,
            plural(args.questions, "question")
        ),
    )?;
    let mut input = super::answer_source(Box::new(io::stdout()));
    if !run_session(&mut session, &mut rng, &mut out, input.as_mut())? {
        writeln!(out, "No more questions match.")?;
    }
    writeln!(out, "{}", "=".repeat(crate::ui::width()))?;
    let summary = session.summary(&bp);
    if summary.asked == 0 {
        writeln!(out, "No questions answered.")?;
        return Ok(());
    }
    writeln!(
        out,
        "Practice: {} of {} right ({:.0}%).",
        summary.right,
        summary.asked,
        100.0 * summary.right as f64 / summary.asked as f64
    )?;
    // A quiz scored by counting right answers has no score for an ability.
    let scored = matches!(bp.scale, crate::exam::Scale::Linear { .. });
    paragraph(
        &mut out,
        &if scored {
            format!(
                "What moved (ability in logits, then the {} score it implies):",
                bp.id.to_uppercase()
            )
        } else {
            "What moved (ability in logits):".to_string()
        },
    )?;
    let wide = crate::ui::width() >= 72;
    for m in &summary.moved {
        let (before, after) = (
            crate::report::exam::signed(m.theta_before),
            crate::report::exam::signed(m.theta_after),
        );
        let score = |theta| {
            bp.scale
                .theta_score(theta, bp.passing_theta)
                .map_or_else(String::new, |s| s.to_string())
        };
        let (from, to) = (score(m.theta_before), score(m.theta_after));
        if !scored {
            writeln!(
                out,
                "  {:<28}{before} -> {after} (SE {:.2})",
                m.area.title(),
                m.se_after,
            )?;
        } else if wide {
            writeln!(
                out,
                "  {:<28}{before} -> {after} (SE {:.2})   {from} -> {to}",
                m.area.title(),
                m.se_after,
            )?;
        } else {
            writeln!(out, "  {}", m.area.title())?;
            writeln!(
                out,
                "    {before} -> {after} (SE {:.2}); score {from} -> {to}",
                m.se_after
            )?;
        }
    }
    let advice: Vec<String> = summary
        .study_next
        .iter()
        .map(|(a, below)| {
            format!(
                "{} ({:.0}% likely below the pass mark)",
                a.title(),
                below * 100.0
            )
        })
        .collect();
    paragraph(
        &mut out,
        &format!(
            "Study next: {}. `{} report` shows your weakest topics.",
            advice.join("; "),
            invocation()
        ),
    )?;
    let due = due_now(&store, profile, now_ms())?.len();
    if due > 0 {
        writeln!(
            out,
            "{} due for review now: {} review",
            plural(due, "item"),
            invocation()
        )?;
    }
    Ok(())
}

fn paragraph(out: &mut dyn Write, text: &str) -> io::Result<()> {
    writeln!(out, "{}", wrap(text, crate::ui::width(), ""))
}

pub fn review(settings: &Settings, args: ReviewArgs) -> anyhow::Result<()> {
    let library = super::load_library(settings)?;
    let (store, profile) = super::open_store(settings)?;
    let now = now_ms();
    let due = due_now(&store, profile, now)?;
    let mut out = io::stdout();
    let items: Vec<PracticeItem> = library
        .items()
        .filter(|(b, i)| due.iter().any(|(db, di)| *db == b.id && *di == i.id))
        .map(|(bank, item)| PracticeItem { bank, item })
        .collect();
    if items.is_empty() {
        match next_review(store.connection(), profile, now)? {
            Some(t) => writeln!(
                out,
                "Nothing is due for review. The next review is due {}.",
                crate::report::progress::when(t, now)
            )?,
            None => writeln!(
                out,
                "Nothing is scheduled for review yet: missed practice and exam questions are scheduled here."
            )?,
        }
        return Ok(());
    }
    let total = items.len().min(args.questions);
    let bp = preparing_for(&store, profile, None)?;
    let chooser = chooser_from_store(&store, profile, items, &bp, &due, now)?;
    let sink = StoredPractice {
        store: &store,
        profile,
    };
    let mut session = Session::new(chooser, sink, Mode::Review, total, None);
    paragraph(
        &mut out,
        &format!(
            "{} due for review. Answer with a letter (add ? if you are guessing); quit to stop.",
            plural(total, "item")
        ),
    )?;
    let mut input = super::answer_source(Box::new(io::stdout()));
    let mut rng = StdRng::seed_from_u64(settings.seed.unwrap_or_else(rand::random));
    run_session(&mut session, &mut rng, &mut out, input.as_mut())?;
    let summary = session.summary(&bp);
    writeln!(out, "{}", "=".repeat(crate::ui::width()))?;
    paragraph(
        &mut out,
        &format!(
            "Review: {} of {} right. Missed items come back soon; the others later, further apart each time.",
            summary.right, summary.asked
        ),
    )?;
    Ok(())
}

/// Asks the session's questions until it is complete or the candidate stops; `false`
/// when the questions ran out before the number asked for.
fn run_session<S: PracticeStore>(
    session: &mut Session<'_, S>,
    rng: &mut StdRng,
    out: &mut dyn Write,
    input: &mut dyn LineSource,
) -> anyhow::Result<bool> {
    let interactive = crate::ui::stdin_is_terminal() && crate::ui::stdout_is_terminal();
    loop {
        let Some(q) = session.next(rng) else {
            return Ok(session.asked() >= session.limit());
        };
        let item = q.item.item;
        writeln!(out, "{}", "-".repeat(crate::ui::width()))?;
        paragraph(
            out,
            &format!(
                "Question {} of {} · {} · {}",
                q.number,
                q.total,
                item.area.title(),
                item.topic
            ),
        )?;
        paragraph(out, &format!("(Why this one: {}.)", q.why))?;
        writeln!(out)?;
        write_body_in(out, item, &q.order)?;
        let since = Instant::now();
        let prompt = prompt(item);
        loop {
            let text = match input.read_line(&prompt, None, &mut || {}) {
                Input::Line(t) if is_quit(&t) => return Ok(true),
                Input::Line(t) if is_exhibit(&t) && !item.exhibits.is_empty() => {
                    crate::ui::item::write_exhibits_in(out, item, crate::ui::width())?;
                    continue;
                }
                Input::Line(t) if is_open(&t) && item.image.is_some() => {
                    if let Some(path) = &item.image {
                        writeln!(out, "{}", crate::ui::image::open(path))?;
                    }
                    continue;
                }
                Input::Line(t) => t,
                Input::Eof | Input::Interrupted | Input::TimedOut => return Ok(true),
            };
            match session.answer(&text, since.elapsed().as_secs_f64())? {
                Err(msg) => writeln!(out, "{msg}")?,
                Ok(f) => {
                    write_feedback(out, &f, item)?;
                    // On a terminal the feedback stays until the candidate has read it.
                    if interactive && session.asked() < session.limit() {
                        match input.read_line(
                            "Enter for the next question (or quit): ",
                            None,
                            &mut || {},
                        ) {
                            Input::Line(t) if !is_quit(&t) => {}
                            _ => return Ok(true),
                        }
                    }
                    break;
                }
            }
        }
    }
}
