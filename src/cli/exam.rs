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
use crate::exam::blueprint;
use crate::exam::runner::{Clock, Ending, Input, Runner, StoredExam};
use crate::exam::{Session, score};
use crate::exit::Failure;
use crate::settings::Settings;
use crate::store::content_hash;
use crate::ui::input;
use crate::ui::text::{clock, invocation, parse_duration, plural, wrap};

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
    /// Start even when the banks cannot fill the exam (it comes up short)
    #[arg(long)]
    allow_short: bool,
}

/// `labcert exam show ID` and `labcert exam discard ID`.
#[derive(Debug, Subcommand)]
pub enum ExamAction {
    /// Show a finished exam's results again
    Show(super::exams::ShowArgs),
    /// Take an exam out of your exam history (its answers stay in your record)
    Discard(super::exams::DiscardArgs),
}

/// How the exam begins: resuming a saved one (the most recent, or this id), or new.
enum Start {
    Resume(crate::store::StoredExam, crate::exam::Blueprint),
    New(crate::exam::Blueprint, String),
}

/// The saved exam to resume; asking for one that does not exist is a usage mistake
/// (exit 2).
fn resumable(
    store: &crate::store::Store,
    profile: i64,
    settings: &Settings,
    which: Option<i64>,
) -> anyhow::Result<crate::store::StoredExam> {
    let saved = match which {
        Some(id) => store.unfinished_exam_by_id(profile, id)?,
        None => store.unfinished_exam(profile)?,
    };
    saved.ok_or_else(|| {
        Failure::Usage(match which {
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
        .into()
    })
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

    // The blueprint first: it says which banks the exam draws on.
    let start = match resume {
        Some(which) => {
            let saved = resumable(&store, profile, settings, which)?;
            let bp = blueprint::parse(&format!("<saved exam {}>", saved.id), &saved.blueprint_text)
                .map_err(|e| {
                    anyhow!(
                        "the saved exam's blueprint no longer reads:\n{}",
                        e.rendered
                    )
                })?;
            Start::Resume(saved, bp)
        }
        None => {
            let (bp, text) = super::chosen_blueprint(args.style, args.blueprint.as_deref())?;
            Start::New(bp, text)
        }
    };
    let library = match &start {
        Start::Resume(_, bp) | Start::New(bp, _) => super::library_for(library, bp)?,
    };

    let (session, exam_id, start_clock) = match start {
        Start::Resume(saved, bp) => {
            let session = Session::restore(bp, &library, saved.seed, &saved.slots)?;
            let clock = Clock {
                limit: args
                    .time_limit
                    .unwrap_or(crate::ui::text::stored_time_limit(saved.time_limit_seconds)),
                used_before: crate::ui::text::stored_seconds(saved.time_used_seconds),
                started: Instant::now(),
            };
            (session, saved.id, clock)
        }
        Start::New(bp, text) => {
            // An exam the banks cannot fill is refused, with what each area lacks.
            let coverage = crate::instructor::coverage::check(&bp, &library);
            if !coverage.supported && !args.allow_short {
                let mut message = format!(
                    "the loaded banks cannot fill {} ({}):",
                    bp.name,
                    plural(coverage.shortfalls.len(), "shortfall")
                );
                for s in &coverage.shortfalls {
                    message.push_str(&format!("\n  {s}"));
                }
                message.push_str(&format!(
                "\nLoad more banks (--bank), use another style, or start it anyway with --allow-short (`{} blueprint check` shows the details).",
                invocation()
            ));
                return Err(Failure::Problem(message).into());
            }
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
        }
    };

    let mut session = session;
    control_exposure(settings, &store, &mut session)?;
    // Finding exposure parameters the first time is not the candidate's time.
    let start_clock = Clock {
        started: Instant::now(),
        ..start_clock
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
    crate::ui::exam::intro(&runner, &mut out)?;
    let mut step = runner.begin(Instant::now())?;
    let ending = loop {
        for e in &step.events {
            crate::ui::exam::render(e, &mut out)?;
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
            writeln!(out, "{}", wrap(&text, crate::ui::width(), ""))?;
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
                out.flush()?;
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
    }
}

/// Adaptive exams whose blueprint sets `max_exposure` use Sympson-Hetter exposure
/// parameters for the loaded banks: kept in the progress store, and found by simulation
/// the first time a blueprint meets these banks (about a second; a bar shows on a
/// terminal). Any change to the banks or the blueprint makes a new key.
fn control_exposure(
    settings: &Settings,
    store: &crate::store::Store,
    session: &mut Session,
) -> anyhow::Result<()> {
    if !session.blueprint.is_adaptive() || session.blueprint.max_exposure.is_none() {
        return Ok(());
    }
    let key = session.exposure_key();
    let k = match store.exposure_parameters(&key)? {
        Some(k) => k,
        None => {
            let bar = crate::ui::progress::bar(
                settings.quiet,
                0,
                0,
                "preparing exposure control for these banks (once)",
            );
            let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
            let found = session.find_exposure(crate::exam::simulate::LIVE_EXAMINEES, threads, &bar);
            bar.finish_and_clear();
            let Some(found) = found else {
                return Ok(());
            };
            store.save_exposure_parameters(&key, found.control.target, &found.k)?;
            found.k
        }
    };
    session.set_exposure(k);
    Ok(())
}
