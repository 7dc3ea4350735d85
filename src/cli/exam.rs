//! `labcert exam`: a timed mock exam, adaptive (ASCP style) or linear (AMT style).
//!
//! Resolves the blueprint, opens the store, starts or restores the session, then runs
//! the exam's state machine (`exam::runner`): shows what it returns, reads the
//! candidate's answer with the clock's deadline, and feeds it back. Everything is saved
//! as it happens, so `quit`, Ctrl-C or the end of input leave an exam that
//! `labcert exam --resume` continues.

use std::io::{self, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::anyhow;
use clap::{Args, Subcommand};

use super::Style;
use crate::exam::blueprint::{self, Review};
use crate::exam::clock_text;
use crate::exam::runner::{Clock, Ending, Event, Input, Runner, StoredExam};
use crate::exam::{Session, score};
use crate::exit::Failure;
use crate::settings::Settings;
use crate::store::content_hash;
use crate::ui::input;
use crate::ui::text::{clock, invocation, parse_duration, wrap};

const WIDTH: usize = 80;
/// How many recent exams' items a new adaptive exam avoids.
const RECENT_EXAMS: usize = 3;

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct ExamArgs {
    #[command(subcommand)]
    action: Option<ExamAction>,
    /// A shipped exam style
    #[arg(long, value_enum, ignore_case = true, conflicts_with = "blueprint", required_unless_present_any = ["blueprint", "resume"])]
    style: Option<Style>,
    /// Your own blueprint file (see docs/blueprint-format.md)
    #[arg(long, value_name = "FILE")]
    blueprint: Option<PathBuf>,
    /// Continue an unfinished exam: the most recent one, or the one with this id
    /// (`labcert exams` lists them)
    #[arg(long, value_name = "ID", num_args = 0..=1, conflicts_with_all = ["style", "blueprint"])]
    resume: Option<Option<i64>>,
    /// Override the time limit, e.g. 90m, 1h30m, 0:45:00 (1 second to 24 hours)
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    time_limit: Option<Duration>,
}

/// `labcert exam show ID` and `labcert exam discard ID`.
#[derive(Debug, Subcommand)]
pub enum ExamAction {
    /// Show a finished exam's results again
    Show(super::exams::ShowArgs),
    /// Take an exam out of your exam history (its answers stay in your record)
    Discard(super::exams::DiscardArgs),
}

pub fn run(settings: &Settings, args: ExamArgs) -> anyhow::Result<()> {
    match args.action {
        Some(ExamAction::Show(a)) => return super::exams::show(settings, a),
        Some(ExamAction::Discard(a)) => return super::exams::discard(settings, a),
        None => {}
    }
    let library = super::load_library(settings)?;
    let (store, profile) = super::open_store(settings)?;
    let resume = match args.resume {
        Some(which) => Some(which),
        None => super::exams::before_a_new_exam(&store, profile)?,
    };

    let (session, exam_id, start_clock) = if let Some(which) = resume {
        let saved = match which {
            Some(id) => store.unfinished_exam_by_id(profile, id)?,
            None => store.unfinished_exam(profile)?,
        };
        let Some(saved) = saved else {
            // Asking to resume what does not exist is a usage mistake (exit 2).
            return Err(Failure::Usage(match which {
                Some(id) => format!(
                    "exam {id} is not an unfinished exam of profile \"{}\"; `{} exams` lists them",
                    settings.profile,
                    invocation()
                ),
                None => format!(
                    "No unfinished exam for profile \"{}\". Start one with: {} exam --style ascp-mls",
                    settings.profile,
                    invocation()
                ),
            })
            .into());
        };
        let bp = blueprint::parse(&format!("<saved exam {}>", saved.id), &saved.blueprint_text)
            .map_err(|e| {
                anyhow!(
                    "the saved exam's blueprint no longer reads:\n{}",
                    e.rendered
                )
            })?;
        let session = Session::restore(bp, &library, saved.seed, &saved.slots)?;
        let clock = Clock {
            limit: args
                .time_limit
                .unwrap_or(crate::ui::text::stored_time_limit(saved.time_limit_seconds)),
            used_before: crate::ui::text::stored_seconds(saved.time_used_seconds),
            started: Instant::now(),
        };
        (session, saved.id, clock)
    } else {
        let (bp, text) = super::chosen_blueprint(args.style, args.blueprint.as_deref())?;
        let seed = settings.seed.unwrap_or_else(rand::random);
        let recent = store.recent_exam_items(profile, RECENT_EXAMS)?;
        let limit = args.time_limit.unwrap_or(bp.time_limit);
        // A changed clock or a custom blueprint makes a practice run: recorded, but it
        // does not set the style practice and report prepare for.
        let custom = args.blueprint.is_some() || limit != bp.time_limit;
        let session = Session::new(bp, &library, seed, &recent)?;
        let exam_id = store.start_exam(
            profile,
            &session.blueprint.id,
            &text,
            seed,
            limit.as_secs_f64(),
            custom,
        )?;
        if !session.blueprint.is_adaptive() {
            let slots: Vec<_> = (0..session.slots().len())
                .map(|k| (session.stored(k), content_hash(session.item(k).item)))
                .collect();
            store.save_slots(exam_id, &slots)?;
        }
        let clock = Clock {
            limit,
            used_before: Duration::ZERO,
            started: Instant::now(),
        };
        (session, exam_id, clock)
    };

    // With --json the transcript goes to stderr, so stdout holds only the result.
    let transcript = || -> Box<dyn Write> {
        if settings.json {
            Box::new(io::stderr())
        } else {
            Box::new(io::stdout())
        }
    };
    let mut out = transcript();
    let mut source = super::answer_source(transcript());
    let mut runner = Runner::new(
        session,
        StoredExam {
            store: &store,
            profile,
            exam: exam_id,
        },
        start_clock,
    );
    intro(&runner, &mut out)?;
    let mut step = runner.begin(Instant::now())?;
    let ending = loop {
        for e in &step.events {
            render(e, &mut out)?;
        }
        if let Some(ending) = step.ended {
            break ending;
        }
        let Some(prompt) = step.prompt.take() else {
            break Ending::Paused { interrupted: false };
        };
        let line = source.read_line(&prompt.text, Some(prompt.deadline), &mut || {
            runner.tick(Instant::now())
        });
        let input = match line {
            input::Input::Line(t) => Input::Line(t),
            input::Input::Eof => Input::Eof,
            input::Input::TimedOut => Input::TimedOut,
            input::Input::Interrupted => Input::Interrupted,
        };
        step = runner.handle(input, Instant::now())?;
    };
    let now = Instant::now();
    match ending {
        Ending::Paused { interrupted } => {
            runner.save_clock(now)?;
            let mut how = format!("{} exam --resume", invocation());
            if settings.profile != "default" {
                how.push_str(&format!(" --profile {}", settings.profile));
            }
            let text = format!(
                "{}Exam saved: {} of {} answered, {} left on the clock (it is stopped while labcert is closed). Continue with: {how}",
                if interrupted { "Interrupted. " } else { "" },
                runner.answered(),
                runner.session().planned_length(),
                clock(runner.clock().left(now)),
            );
            writeln!(out, "{}", wrap(&text, WIDTH, ""))?;
            if settings.json {
                // A script whose answers ran out still gets one JSON object.
                let saved = serde_json::json!({
                    "status": "saved",
                    "exam_id": exam_id,
                    "style": runner.session().blueprint.id,
                    "answered": runner.answered(),
                    "items": runner.session().planned_length(),
                    "seconds_left": runner.clock().left(now).as_secs_f64().floor(),
                    "resume": how,
                });
                writeln!(
                    io::stdout().lock(),
                    "{}",
                    serde_json::to_string_pretty(&saved)?
                )?;
            }
            Ok(())
        }
        Ending::Finished { timed_out } => {
            let used = runner.clock().used(now).min(runner.clock().limit);
            let limit = runner.clock().limit;
            let result = score(
                runner.session(),
                used.as_secs_f64(),
                limit.as_secs_f64(),
                timed_out,
            );
            let json = serde_json::to_string_pretty(&result)?;
            store.finish_exam(
                exam_id,
                used.as_secs_f64(),
                result.scaled_score,
                result.passed,
                &json,
            )?;
            if settings.json {
                let mut finished = serde_json::json!({ "status": "finished", "exam_id": exam_id });
                if let (Some(out), serde_json::Value::Object(fields)) =
                    (finished.as_object_mut(), serde_json::to_value(&result)?)
                {
                    out.extend(fields);
                }
                writeln!(
                    io::stdout().lock(),
                    "{}",
                    serde_json::to_string_pretty(&finished)?
                )?;
            } else {
                crate::report::exam::render(&result, &mut out)?;
            }
            Ok(())
        }
    }
}

fn intro<S: crate::exam::runner::ExamStore>(
    runner: &Runner<'_, S>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let session = runner.session();
    let bp = &session.blueprint;
    let limit = runner.clock().limit;
    let left = runner.clock().left(Instant::now());
    // The shipped styles' names already say how many items; a custom name may not.
    let count = format!("{} items", session.planned_length());
    let title = if bp.name.contains(&count) {
        bp.name.clone()
    } else {
        format!("{}, {count}", bp.name)
    };
    let mut lines = vec![if limit.saturating_sub(left) < Duration::from_secs(1) {
        format!("{title}. Time allowed: {}.", clock_text(limit))
    } else {
        format!(
            "{title}. Time left: {} of the {} allowed.",
            clock_text(left),
            clock_text(limit)
        )
    }];
    let answered = runner.answered();
    if answered > 0 {
        lines.push(format!("Resuming: {answered} answered so far."));
    }
    lines.push(match (bp.is_adaptive(), bp.review) {
        (true, Review::EndOfTest) => "Adaptive: each question depends on your answers so far. No skipping; after the last question you may review and change answers while time remains.".into(),
        (true, _) => "Adaptive: each question depends on your answers so far. No skipping, no going back.".into(),
        (false, _) => "Commands at any question: next, back, mark, goto N, list, submit. Marked and skipped questions can be revisited before you submit.".into(),
    });
    lines.push(format!("Type quit (or press Ctrl-C) to stop; your answers are saved and `{} exam --resume` continues.", invocation()));
    for (area, wanted, have) in &session.shortfalls {
        lines.push(format!(
            "Note: the loaded banks have only {have} {} items for this exam's {wanted}; the form is shorter.",
            area.name()
        ));
    }
    for l in lines {
        writeln!(out, "{}", wrap(&l, WIDTH, ""))?;
    }
    Ok(())
}

fn render(event: &Event, out: &mut dyn Write) -> io::Result<()> {
    match event {
        Event::Item {
            number,
            total,
            marked,
            answer_so_far,
            item,
            time_left,
            ..
        } => {
            let head = format!("Question {number} of {total}");
            let left = format!("Time left {}", clock(*time_left));
            writeln!(out, "{}", "-".repeat(WIDTH))?;
            writeln!(out, "{head}{left:>width$}", width = WIDTH - head.len())?;
            if *marked {
                writeln!(out, "[marked]")?;
            }
            writeln!(out)?;
            crate::ui::item::write_body(out, item.item)?;
            if let Some(r) = answer_so_far {
                writeln!(out, "Your answer so far: {r}")?;
            }
        }
        Event::Note(text) | Event::Alert(text) => writeln!(out, "{}", wrap(text, WIDTH, ""))?,
        Event::Answers(list) => {
            let cells: Vec<String> = list
                .iter()
                .map(|(k, a, m)| format!("{k:>3}{} {a:<7}", if *m { "*" } else { "" }))
                .collect();
            for row in cells.chunks(6) {
                writeln!(out, "{}", row.join(" ").trim_end())?;
            }
        }
        Event::Help(commands) => {
            for (cmd, what) in commands {
                writeln!(out, "  {cmd:<14} {what}")?;
            }
        }
        Event::EndOfQuestions(text) => {
            writeln!(out, "{}", "=".repeat(WIDTH))?;
            writeln!(out, "{}", wrap(text, WIDTH, ""))?;
        }
    }
    Ok(())
}
