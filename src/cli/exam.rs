//! `labcert exam`: a timed mock exam, adaptive (ASCP style) or linear (AMT style).
//!
//! The flow: resolve the blueprint, open the store, start or restore the session, then
//! show items and read answers until the exam is complete, the clock runs out, or the
//! candidate stops (`quit`, Ctrl-C, end of input), in which case everything is already
//! saved and `labcert exam --resume` continues it. Every answer is committed as it is
//! given. The clock does not run while labcert is closed.

use std::io::{self, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::anyhow;
use clap::Args;

use super::Style;
use crate::exam::blueprint::{self, Review};
use crate::exam::{Session, response, score};
use crate::exit::Exit;
use crate::settings::Settings;
use crate::store::{AnswerRecord, Store, content_hash};
use crate::ui::input::{Input, LineSource};
use crate::ui::text::{clock, parse_duration, wrap};

const WIDTH: usize = 80;
/// How many recent exams' items a new adaptive exam avoids.
const RECENT_EXAMS: usize = 3;

#[derive(Debug, Args)]
pub struct ExamArgs {
    /// A shipped exam style
    #[arg(long, value_enum, conflicts_with = "blueprint", required_unless_present_any = ["blueprint", "resume"])]
    style: Option<Style>,
    /// Your own blueprint file (see docs/blueprint-format.md)
    #[arg(long, value_name = "FILE")]
    blueprint: Option<PathBuf>,
    /// Continue the last unfinished exam
    #[arg(long, conflicts_with_all = ["style", "blueprint"])]
    resume: bool,
    /// Override the time limit, e.g. 90m, 1h30m, 0:45:00 (tests use seconds: 5s)
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    time_limit: Option<Duration>,
}

/// How an exam run ended.
enum Ending {
    Finished { timed_out: bool },
    Paused { interrupted: bool },
}

struct Clock {
    limit: Duration,
    used_before: Duration,
    started: Instant,
}

impl Clock {
    fn used(&self) -> Duration {
        self.used_before + self.started.elapsed()
    }

    fn left(&self) -> Duration {
        self.limit.saturating_sub(self.used())
    }

    fn deadline(&self) -> Instant {
        self.started + self.limit.saturating_sub(self.used_before)
    }
}

struct Runner<'s, 'l> {
    session: Session<'l>,
    store: &'s Store,
    profile: i64,
    exam_id: i64,
    clock: Clock,
    out: Box<dyn Write>,
    input: Box<dyn LineSource>,
    last_save: Instant,
}

pub fn run(settings: &Settings, args: ExamArgs) -> anyhow::Result<Exit> {
    let library = match super::load_library(settings)? {
        Ok(l) => l,
        Err(exit) => return Ok(exit),
    };
    let (store, profile) = super::open_store(settings)?;

    let (session, exam_id, clock) = if args.resume {
        let Some(saved) = store.unfinished_exam(profile)? else {
            eprintln!(
                "No unfinished exam for profile \"{}\". Start one with: labcert exam --style ascp-mls",
                settings.profile
            );
            return Ok(Exit::Problem);
        };
        let bp = blueprint::parse(&format!("<saved exam {}>", saved.id), &saved.blueprint_text)
            .map_err(|e| {
                anyhow!(
                    "the saved exam's blueprint no longer reads:\n{}",
                    e.rendered
                )
            })?;
        let session = Session::restore(bp, &library, saved.seed, &saved.slots)?;
        let limit = args
            .time_limit
            .unwrap_or(crate::ui::text::stored_time_limit(saved.time_limit_seconds));
        let clock = Clock {
            limit,
            used_before: crate::ui::text::stored_seconds(saved.time_used_seconds),
            started: Instant::now(),
        };
        (session, saved.id, clock)
    } else {
        let (bp, text) = match super::chosen_blueprint(args.style, args.blueprint.as_deref())? {
            Ok(x) => x,
            Err(exit) => return Ok(exit),
        };
        if let Some(old) = store.unfinished_exam(profile)? {
            let note = format!(
                "Note: an unfinished {} exam ({} answered) is kept; `labcert exam --resume` continues the most recent unfinished exam.",
                old.blueprint_id,
                old.slots.iter().filter(|s| s.response.is_some()).count()
            );
            eprintln!("{}", wrap(&note, WIDTH, ""));
        }
        let seed = settings.seed.unwrap_or_else(rand::random);
        let recent = store.recent_exam_items(profile, RECENT_EXAMS)?;
        let limit = args.time_limit.unwrap_or(bp.time_limit);
        let session = Session::new(bp, &library, seed, &recent)?;
        let exam_id = store.start_exam(
            profile,
            &session.blueprint.id,
            &text,
            seed,
            limit.as_secs_f64(),
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
    let to_stderr = settings.json;
    let out: Box<dyn Write> = if to_stderr {
        Box::new(io::stderr())
    } else {
        Box::new(io::stdout())
    };
    let echo: Box<dyn Write> = if to_stderr {
        Box::new(io::stderr())
    } else {
        Box::new(io::stdout())
    };
    let input = super::answer_source(echo);
    let mut runner = Runner {
        session,
        store: &store,
        profile,
        exam_id,
        clock,
        out,
        input,
        last_save: Instant::now(),
    };
    runner.intro()?;
    let ending = if runner.session.blueprint.is_adaptive() {
        runner.adaptive()?
    } else {
        runner.linear()?
    };
    match ending {
        Ending::Paused { interrupted } => {
            runner.pause_message(settings, interrupted)?;
            Ok(Exit::Ok)
        }
        Ending::Finished { timed_out } => {
            let used = runner.clock.used().min(runner.clock.limit);
            let result = score(&runner.session, used.as_secs_f64(), timed_out);
            let json = serde_json::to_string_pretty(&result)?;
            store.finish_exam(
                exam_id,
                used.as_secs_f64(),
                result.scaled_score,
                result.passed,
                &json,
            )?;
            if settings.json {
                let mut stdout = io::stdout().lock();
                writeln!(stdout, "{json}")?;
            } else {
                crate::report::exam::render(&result, &mut runner.out)?;
            }
            Ok(Exit::Ok)
        }
    }
}

impl Runner<'_, '_> {
    fn intro(&mut self) -> io::Result<()> {
        let bp = &self.session.blueprint;
        let answered = self
            .session
            .slots()
            .iter()
            .filter(|s| s.response.is_some())
            .count();
        let mut lines = vec![format!(
            "{}: {} items, {} left.",
            bp.name,
            self.session.planned_length(),
            clock(self.clock.left())
        )];
        if answered > 0 {
            lines.push(format!("Resuming: {answered} answered so far."));
        }
        lines.push(match (bp.is_adaptive(), bp.review) {
            (true, Review::EndOfTest) => "Adaptive: each question depends on your answers so far. No skipping; after the last question you may review and change answers while time remains.".into(),
            (true, _) => "Adaptive: each question depends on your answers so far. No skipping, no going back.".into(),
            (false, _) => "Commands at any question: next, back, mark, goto N, list, submit. Marked and skipped questions can be revisited before you submit.".into(),
        });
        lines.push("Type quit (or press Ctrl-C) to stop; your answers are saved and `labcert exam --resume` continues.".into());
        for (area, wanted, have) in &self.session.shortfalls {
            lines.push(format!(
                "Note: the loaded banks have only {have} {} items for this exam's {wanted}; the form is shorter.",
                area.name()
            ));
        }
        for l in lines {
            writeln!(self.out, "{}", wrap(&l, WIDTH, ""))?;
        }
        Ok(())
    }

    fn read(&mut self, prompt: &str) -> Input {
        let deadline = Some(self.clock.deadline());
        let store = self.store;
        let exam_id = self.exam_id;
        let clock = &self.clock;
        let last_save = &mut self.last_save;
        let mut tick = || {
            // Keep the stored clock within about 10 seconds of the real one.
            if last_save.elapsed() >= Duration::from_secs(10) {
                let _ = store.update_clock(exam_id, clock.used().as_secs_f64());
                *last_save = Instant::now();
            }
        };
        self.input.read_line(prompt, deadline, &mut tick)
    }

    fn show(&mut self, slot: usize, position: usize) -> io::Result<()> {
        let e = self.session.item(slot);
        let s = &self.session.slots()[slot];
        let total = self.session.planned_length();
        let head = format!("Question {position} of {total}");
        let left = format!("Time left {}", clock(self.clock.left()));
        writeln!(self.out, "{}", "-".repeat(WIDTH))?;
        writeln!(self.out, "{head}{left:>width$}", width = WIDTH - head.len())?;
        if s.marked {
            writeln!(self.out, "[marked]")?;
        }
        writeln!(self.out)?;
        crate::ui::item::write_body(&mut self.out, e.item)?;
        if let Some(r) = &s.response {
            writeln!(self.out, "Your answer so far: {r}")?;
        }
        Ok(())
    }

    fn prompt_for(&self, slot: usize) -> String {
        crate::ui::item::prompt(self.session.item(slot).item)
    }

    /// Takes an answer to `slot`, saving it; `Err(message)` when it does not fit.
    fn answer(
        &mut self,
        slot: usize,
        text: &str,
        since: Instant,
    ) -> anyhow::Result<Result<(), String>> {
        let e = self.session.item(slot);
        let r = match response::parse(text, &e.item.answer) {
            Ok(r) => r,
            Err(msg) => return Ok(Err(msg)),
        };
        let correct = response::is_correct(&e.item.answer, &r);
        self.session.answer(slot, r.clone());
        self.session.add_time(slot, since.elapsed().as_secs_f64());
        let stored = self.session.stored(slot);
        let text = r.to_string();
        self.store.record_exam_answer(
            self.profile,
            self.exam_id,
            slot,
            &stored,
            &AnswerRecord {
                bank_id: &e.bank.id,
                item: e.item,
                response: &text,
                correct,
                seconds: self.session.slots()[slot].seconds,
                guessed: false,
            },
            self.clock.used().as_secs_f64(),
        )?;
        self.last_save = Instant::now();
        Ok(Ok(()))
    }

    /// Saves the time spent on a slot without an answer (paused, skipped, timed out).
    fn save_time(&mut self, slot: usize, since: Instant) -> anyhow::Result<()> {
        self.session.add_time(slot, since.elapsed().as_secs_f64());
        let hash = content_hash(self.session.item(slot).item);
        self.store.save_slot(
            self.exam_id,
            slot,
            &self.session.stored(slot),
            &hash,
            self.clock.used().as_secs_f64(),
        )?;
        Ok(())
    }

    /// How the exam ends when reading an answer to `slot` gave no line: the time spent is
    /// saved; end of input pauses (or submits, once the candidate is reviewing), Ctrl-C
    /// pauses, and the clock running out finishes the exam.
    fn stop_on(
        &mut self,
        slot: usize,
        since: Instant,
        input: &Input,
        eof_submits: bool,
    ) -> anyhow::Result<Ending> {
        self.save_time(slot, since)?;
        Ok(match input {
            Input::TimedOut => {
                writeln!(self.out, "Time is up.")?;
                Ending::Finished { timed_out: true }
            }
            Input::Interrupted => Ending::Paused { interrupted: true },
            Input::Eof if eof_submits => Ending::Finished { timed_out: false },
            Input::Eof | Input::Line(_) => Ending::Paused { interrupted: false },
        })
    }

    fn adaptive(&mut self) -> anyhow::Result<Ending> {
        loop {
            if self.clock.left().is_zero() {
                return Ok(Ending::Finished { timed_out: true });
            }
            // An item shown but not answered before a stop comes back first.
            let pending = self
                .session
                .slots()
                .iter()
                .position(|s| s.response.is_none());
            let slot = match pending {
                Some(s) => s,
                None => match self.session.next_item() {
                    Some(s) => {
                        let hash = content_hash(self.session.item(s).item);
                        self.store.save_slot(
                            self.exam_id,
                            s,
                            &self.session.stored(s),
                            &hash,
                            self.clock.used().as_secs_f64(),
                        )?;
                        s
                    }
                    None => break,
                },
            };
            self.show(slot, slot + 1)?;
            let since = Instant::now();
            let prompt = self.prompt_for(slot);
            loop {
                match self.read(&prompt) {
                    Input::Line(t) if is_quit(&t) => {
                        self.save_time(slot, since)?;
                        return Ok(Ending::Paused { interrupted: false });
                    }
                    Input::Line(t) if t.trim().is_empty() => {
                        writeln!(
                            self.out,
                            "An answer is needed: this exam does not allow skipping."
                        )?;
                    }
                    Input::Line(t) => match self.answer(slot, &t, since)? {
                        Ok(()) => break,
                        Err(msg) => writeln!(self.out, "{msg}")?,
                    },
                    stop => return self.stop_on(slot, since, &stop, false),
                }
            }
        }
        if self.session.blueprint.review == Review::EndOfTest {
            return self.end_review();
        }
        Ok(Ending::Finished { timed_out: false })
    }

    fn list_answers(&mut self) -> io::Result<()> {
        let cells: Vec<String> = self
            .session
            .slots()
            .iter()
            .enumerate()
            .map(|(k, s)| {
                let a = s
                    .response
                    .as_ref()
                    .map_or_else(|| "-".to_string(), ToString::to_string);
                let mark = if s.marked { "*" } else { "" };
                format!("{:>3}{mark} {:<7}", k + 1, a)
            })
            .collect();
        for row in cells.chunks(6) {
            writeln!(self.out, "{}", row.join(" ").trim_end())?;
        }
        Ok(())
    }

    /// ASCP-style review after the last item: answers may be changed; the items stay.
    fn end_review(&mut self) -> anyhow::Result<Ending> {
        writeln!(self.out, "{}", "=".repeat(WIDTH))?;
        writeln!(
            self.out,
            "{}",
            wrap(
                &format!(
                    "You have answered every question. {} left to review: type a question number to see it and change its answer, list to see your answers, or submit to finish.",
                    clock(self.clock.left())
                ),
                WIDTH,
                ""
            )
        )?;
        loop {
            match self.read("Review (number, list or submit): ") {
                Input::Line(t) if t.trim().eq_ignore_ascii_case("submit") => break,
                Input::Line(t) if t.trim().eq_ignore_ascii_case("list") => self.list_answers()?,
                Input::Line(t) if is_quit(&t) => return Ok(Ending::Paused { interrupted: false }),
                Input::Line(t) => {
                    let n = self.session.slots().len();
                    match t.trim().parse::<usize>() {
                        Ok(k) if (1..=n).contains(&k) => {
                            if let Some(e) = self.change(k - 1)? {
                                return Ok(e);
                            }
                        }
                        _ => writeln!(
                            self.out,
                            "Type a question number from 1 to {n}, list, or submit."
                        )?,
                    }
                }
                Input::Eof => break,
                Input::Interrupted => return Ok(Ending::Paused { interrupted: true }),
                Input::TimedOut => {
                    writeln!(self.out, "Time is up.")?;
                    return Ok(Ending::Finished { timed_out: true });
                }
            }
        }
        Ok(Ending::Finished { timed_out: false })
    }

    /// Shows a slot again and reads a changed answer (Enter keeps it).
    fn change(&mut self, slot: usize) -> anyhow::Result<Option<Ending>> {
        self.show(slot, slot + 1)?;
        let since = Instant::now();
        let current = self.session.slots()[slot]
            .response
            .as_ref()
            .map_or_else(|| "no answer".to_string(), ToString::to_string);
        let ask = self.prompt_for(slot);
        let prompt = format!(
            "Enter keeps {current}. New {}{}",
            ask[..1].to_lowercase(),
            &ask[1..]
        );
        loop {
            match self.read(&prompt) {
                Input::Line(t) if t.trim().is_empty() => return Ok(None),
                Input::Line(t) if is_quit(&t) => {
                    return Ok(Some(Ending::Paused { interrupted: false }));
                }
                Input::Line(t) => match self.answer(slot, &t, since)? {
                    Ok(()) => return Ok(None),
                    Err(msg) => writeln!(self.out, "{msg}")?,
                },
                Input::Eof => return Ok(None),
                Input::Interrupted => return Ok(Some(Ending::Paused { interrupted: true })),
                Input::TimedOut => return Ok(Some(Ending::Finished { timed_out: true })),
            }
        }
    }

    /// AMT-style linear form with marking and free movement.
    fn linear(&mut self) -> anyhow::Result<Ending> {
        let n = self.session.slots().len();
        let mut pos = self
            .session
            .slots()
            .iter()
            .position(|s| s.response.is_none())
            .unwrap_or(n);
        // Reaching the end once opens the review: from then on, end of input submits.
        let mut in_review = pos == n;
        loop {
            if self.clock.left().is_zero() {
                return Ok(Ending::Finished { timed_out: true });
            }
            if pos >= n {
                in_review = true;
                match self.summary()? {
                    Summary::Submit => return Ok(Ending::Finished { timed_out: false }),
                    Summary::Go(k) => pos = k,
                    Summary::End(e) => return Ok(e),
                }
                continue;
            }
            self.show(pos, pos + 1)?;
            let since = Instant::now();
            let prompt = self.prompt_for(pos);
            loop {
                let input = self.read(&prompt);
                let cmd = match &input {
                    Input::Line(t) => t.trim().to_ascii_lowercase(),
                    _ => String::new(),
                };
                match input {
                    Input::Line(_) if cmd.is_empty() || cmd == "next" => {
                        self.save_time(pos, since)?;
                        pos += 1;
                        break;
                    }
                    Input::Line(_) if cmd == "back" => {
                        self.save_time(pos, since)?;
                        pos = pos.saturating_sub(1);
                        break;
                    }
                    Input::Line(_) if cmd == "mark" => {
                        let marked = !self.session.slots()[pos].marked;
                        self.session.set_marked(pos, marked);
                        self.save_time(pos, since)?;
                        writeln!(
                            self.out,
                            "{}",
                            if marked { "Marked." } else { "Mark removed." }
                        )?;
                        break;
                    }
                    Input::Line(_) if cmd == "list" => self.list_answers()?,
                    Input::Line(_) if cmd == "submit" => {
                        self.save_time(pos, since)?;
                        pos = n;
                        break;
                    }
                    Input::Line(_) if cmd.starts_with("goto") => match cmd[4..]
                        .trim()
                        .parse::<usize>()
                    {
                        Ok(k) if (1..=n).contains(&k) => {
                            self.save_time(pos, since)?;
                            pos = k - 1;
                            break;
                        }
                        _ => writeln!(self.out, "Write goto and a question number from 1 to {n}.")?,
                    },
                    Input::Line(t) if is_quit(&t) => {
                        self.save_time(pos, since)?;
                        return Ok(Ending::Paused { interrupted: false });
                    }
                    Input::Line(t) => match self.answer(pos, &t, since)? {
                        Ok(()) => {
                            pos += 1;
                            break;
                        }
                        Err(msg) => writeln!(
                            self.out,
                            "{msg} (or next, back, mark, goto N, list, submit)"
                        )?,
                    },
                    stop => return self.stop_on(pos, since, &stop, in_review),
                }
            }
        }
    }

    /// The end-of-form screen of a linear exam.
    fn summary(&mut self) -> anyhow::Result<Summary> {
        let slots = self.session.slots();
        let n = slots.len();
        let unanswered: Vec<usize> = (0..n).filter(|&k| slots[k].response.is_none()).collect();
        let marked: Vec<usize> = (0..n).filter(|&k| slots[k].marked).collect();
        writeln!(self.out, "{}", "=".repeat(WIDTH))?;
        writeln!(
            self.out,
            "{}",
            wrap(
                &format!(
                    "End of the exam: {} answered, {} unanswered, {} marked; {} left. Type goto N, unanswered or marked to go back, list to see your answers, or submit to finish (unanswered questions count as wrong).",
                    n - unanswered.len(),
                    unanswered.len(),
                    marked.len(),
                    clock(self.clock.left())
                ),
                WIDTH,
                ""
            )
        )?;
        loop {
            let input = self.read("Review (goto N, unanswered, marked, list, submit): ");
            match input {
                Input::Line(t) => {
                    let cmd = t.trim().to_ascii_lowercase();
                    match cmd.as_str() {
                        "submit" => return Ok(Summary::Submit),
                        "list" => self.list_answers()?,
                        "unanswered" if !unanswered.is_empty() => {
                            return Ok(Summary::Go(unanswered[0]));
                        }
                        "marked" if !marked.is_empty() => return Ok(Summary::Go(marked[0])),
                        "unanswered" | "marked" => writeln!(self.out, "There are none.")?,
                        c if is_quit(c) => {
                            return Ok(Summary::End(Ending::Paused { interrupted: false }));
                        }
                        c => match c.trim_start_matches("goto").trim().parse::<usize>() {
                            Ok(k) if (1..=n).contains(&k) => return Ok(Summary::Go(k - 1)),
                            _ => writeln!(
                                self.out,
                                "Type goto and a number from 1 to {n}, unanswered, marked, list or submit."
                            )?,
                        },
                    }
                }
                Input::Eof => return Ok(Summary::Submit),
                Input::Interrupted => {
                    return Ok(Summary::End(Ending::Paused { interrupted: true }));
                }
                Input::TimedOut => {
                    writeln!(self.out, "Time is up.")?;
                    return Ok(Summary::End(Ending::Finished { timed_out: true }));
                }
            }
        }
    }

    fn pause_message(&mut self, settings: &Settings, interrupted: bool) -> io::Result<()> {
        let answered = self
            .session
            .slots()
            .iter()
            .filter(|s| s.response.is_some())
            .count();
        let mut how = String::from("labcert exam --resume");
        if settings.profile != "default" {
            how.push_str(&format!(" --profile {}", settings.profile));
        }
        let text = format!(
            "{}Exam saved: {} of {} answered, {} left on the clock (it is stopped while labcert is closed). Continue with: {how}",
            if interrupted { "Interrupted. " } else { "" },
            answered,
            self.session.planned_length(),
            clock(self.clock.left()),
        );
        writeln!(self.out, "{}", wrap(&text, WIDTH, ""))?;
        let used = self.clock.used().as_secs_f64();
        let _ = self.store.update_clock(self.exam_id, used);
        Ok(())
    }
}

enum Summary {
    Submit,
    Go(usize),
    End(Ending),
}

fn is_quit(text: &str) -> bool {
    matches!(
        text.trim().to_ascii_lowercase().as_str(),
        "quit" | "exit" | "stop"
    )
}
