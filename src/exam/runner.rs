//! The exam as a state machine: what to show, what to ask, and what each answer or
//! command does, for adaptive (ASCP-style) and linear (AMT-style) exams alike.
//!
//! The runner owns no terminal and no clock source. The caller feeds it what the
//! candidate did ([`Input`]) with the time it happened, and gets back a [`Step`]: things
//! to show ([`Event`]s), the next prompt with its deadline, or how the exam ended. Every
//! answer and every change of state is written through [`ExamStore`] before the step is
//! returned, so a killed process loses at most the question on screen. Rendering is the
//! CLI's business; persistence details are the store's.

use std::time::{Duration, Instant};

use super::blueprint::Review;
use super::response;
use super::session::{ExamItem, Session, StoredSlot};
use crate::bank::content_hash;
use crate::store::{AnswerRecord, StoreError};

/// Where the runner writes, so it can be tested without a database.
pub trait ExamStore {
    /// Saves one slot (shown, marked, skipped, timed) and the clock.
    fn save_slot(
        &self,
        position: usize,
        slot: &StoredSlot,
        hash: &str,
        used: f64,
    ) -> Result<(), StoreError>;
    /// Records an answer to a slot, the slot and the clock, in one transaction.
    fn record_answer(
        &self,
        position: usize,
        slot: &StoredSlot,
        answer: &AnswerRecord,
        used: f64,
    ) -> Result<(), StoreError>;
    /// Saves the clock alone.
    fn update_clock(&self, used: f64) -> Result<(), StoreError>;
}

/// What the candidate did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Line(String),
    /// End of input (Ctrl-D, or the end of a piped script).
    Eof,
    /// The deadline passed.
    TimedOut,
    /// Ctrl-C.
    Interrupted,
}

/// How an exam run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// Submitted, or every item answered, or the time ran out.
    Finished { timed_out: bool },
    /// Stopped with everything saved; `exam --resume` continues.
    Paused { interrupted: bool },
}

/// Something to show the candidate.
#[derive(Debug, Clone)]
pub enum Event<'l> {
    /// A question, with where it is in the exam.
    Item {
        number: usize,
        /// The exam's length: 100, or 30-60 for a variable-length exam.
        total: String,
        marked: bool,
        /// In the letters shown.
        answer_so_far: Option<String>,
        item: ExamItem<'l>,
        /// The order the choices are shown in: `order[i]` is the item's choice shown as
        /// letter `i`.
        order: Vec<usize>,
        time_left: Duration,
    },
    /// A short message (a refusal, "Marked.", a reminder).
    Note(String),
    /// A notice that must stand out: time nearly up, time up.
    Alert(String),
    /// The answers so far: (question number, answer or "-", marked).
    Answers(Vec<(usize, String, bool)>),
    /// The commands valid at this point, with what each does.
    Help(Vec<(&'static str, &'static str)>),
    /// The screen after the last question (adaptive review or linear summary).
    EndOfQuestions(String),
    /// The question's exhibits again (`x`), without the rest of the question.
    Exhibits(ExamItem<'l>),
    /// Open the question's image in the system viewer (`o`).
    OpenImage(ExamItem<'l>),
}

/// The next thing to ask.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    pub text: String,
    pub deadline: Instant,
}

/// The result of one move.
#[derive(Debug, Clone)]
pub struct Step<'l> {
    pub events: Vec<Event<'l>>,
    /// What to ask next; `None` when the exam ended.
    pub prompt: Option<Prompt>,
    pub ended: Option<Ending>,
}

/// The exam's clock: time used before this sitting plus the time since it started.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    pub limit: Duration,
    pub used_before: Duration,
    pub started: Instant,
}

impl Clock {
    pub fn used(&self, now: Instant) -> Duration {
        self.used_before + now.saturating_duration_since(self.started)
    }

    pub fn left(&self, now: Instant) -> Duration {
        self.limit.saturating_sub(self.used(now))
    }

    pub fn deadline(&self) -> Instant {
        self.started + self.limit.saturating_sub(self.used_before)
    }
}

/// When the "time nearly up" notice is given.
pub const WARNING_AT: Duration = Duration::from_secs(5 * 60);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// A question is on screen.
    Question(usize),
    /// Adaptive end-of-test review: the candidate picks a question to change.
    Review,
    /// A question reopened in the review; Enter keeps its answer.
    Change(usize),
    /// The linear form's end screen.
    Summary,
    Done,
}

/// One candidate's exam in progress.
pub struct Runner<'l, S: ExamStore> {
    session: Session<'l>,
    store: S,
    clock: Clock,
    phase: Phase,
    /// When the question on screen was shown.
    shown_at: Instant,
    /// Linear forms: the end was reached once, so end of input submits.
    reviewing: bool,
    warned: bool,
    last_save: Instant,
}

/// `quit`, `exit` or `stop` (exams and practice).
pub fn is_quit(text: &str) -> bool {
    matches!(
        text.trim().to_ascii_lowercase().as_str(),
        "quit" | "exit" | "stop"
    )
}

/// `x` or `exhibit`: show the question's exhibits again.
pub fn is_exhibit(text: &str) -> bool {
    matches!(
        text.trim().to_ascii_lowercase().as_str(),
        "x" | "exhibit" | "exhibits"
    )
}

/// `o` or `open`: open the question's image in the system viewer.
pub fn is_open(text: &str) -> bool {
    matches!(
        text.trim().to_ascii_lowercase().as_str(),
        "o" | "open" | "image"
    )
}

fn is_help(text: &str) -> bool {
    matches!(
        text.trim().to_ascii_lowercase().as_str(),
        "help" | "?" | "h"
    )
}

const ADAPTIVE_HELP: &[(&str, &str)] = &[
    ("A-D", "answer with the letter of your choice"),
    ("x", "show the question's exhibits (tables, charts) again"),
    ("o", "open the question's image in your image viewer"),
    (
        "quit",
        "stop; everything is saved and `exam --resume` continues",
    ),
    ("help", "this list"),
];

const REVIEW_HELP: &[(&str, &str)] = &[
    ("N", "show question N and change its answer"),
    ("list", "your answers so far"),
    ("submit", "finish the exam"),
    ("quit", "stop; everything is saved"),
];

const LINEAR_HELP: &[(&str, &str)] = &[
    ("A-D", "answer with the letter of your choice"),
    ("x", "show the question's exhibits (tables, charts) again"),
    ("o", "open the question's image in your image viewer"),
    (
        "Enter or next",
        "go to the next question, leaving this one for later",
    ),
    ("back", "go to the previous question"),
    (
        "mark",
        "mark this question to come back to (mark again to unmark)",
    ),
    ("goto N", "go to question N"),
    ("list", "your answers and marks"),
    ("submit", "go to the end screen and submit"),
    (
        "quit",
        "stop; everything is saved and `exam --resume` continues",
    ),
];

impl<'l, S: ExamStore> Runner<'l, S> {
    pub fn new(session: Session<'l>, store: S, clock: Clock) -> Self {
        let now = clock.started;
        Runner {
            session,
            store,
            clock,
            phase: Phase::Done,
            shown_at: now,
            reviewing: false,
            warned: false,
            last_save: now,
        }
    }

    pub fn session(&self) -> &Session<'l> {
        &self.session
    }

    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// Answers given so far.
    pub fn answered(&self) -> usize {
        self.session
            .slots()
            .iter()
            .filter(|s| s.response.is_some())
            .count()
    }

    /// Keeps the stored clock within about 10 seconds of the real one while the
    /// candidate thinks; call it about once a second.
    pub fn tick(&mut self, now: Instant) {
        if now.saturating_duration_since(self.last_save) >= Duration::from_secs(10) {
            let _ = self.store.update_clock(self.clock.used(now).as_secs_f64());
            self.last_save = now;
        }
    }

    /// Saves the clock (before the process stops).
    pub fn save_clock(&mut self, now: Instant) -> Result<(), StoreError> {
        self.store.update_clock(self.clock.used(now).as_secs_f64())
    }

    /// The first step: the first (or pending) question, or the end screen.
    pub fn begin(&mut self, now: Instant) -> Result<Step<'l>, StoreError> {
        let mut events = Vec::new();
        if self.session.blueprint.is_adaptive() {
            self.next_adaptive(now, &mut events)
        } else {
            let n = self.session.slots().len();
            let pos = self
                .session
                .slots()
                .iter()
                .position(|s| s.response.is_none())
                .unwrap_or(n);
            self.reviewing = pos == n;
            self.go_linear(pos, now, &mut events)
        }
    }

    /// Takes what the candidate did at the current prompt.
    pub fn handle(&mut self, input: Input, now: Instant) -> Result<Step<'l>, StoreError> {
        let mut events = Vec::new();
        // Whatever was typed, the clock decides first.
        if input == Input::TimedOut || self.clock.left(now).is_zero() {
            self.spend(now)?;
            events.push(Event::Alert("Time is up.".into()));
            return Ok(self.end(events, Ending::Finished { timed_out: true }));
        }
        match self.phase {
            Phase::Question(slot) if self.session.blueprint.is_adaptive() => {
                self.adaptive_input(slot, input, now, events)
            }
            Phase::Question(slot) => self.linear_input(slot, input, now, events),
            Phase::Review => self.review_input(input, now, events),
            Phase::Change(slot) => self.change_input(slot, input, now, events),
            Phase::Summary => self.summary_input(input, now, events),
            Phase::Done => Ok(self.end(events, Ending::Finished { timed_out: false })),
        }
    }

    fn end(&mut self, events: Vec<Event<'l>>, ending: Ending) -> Step<'l> {
        self.phase = Phase::Done;
        Step {
            events,
            prompt: None,
            ended: Some(ending),
        }
    }

    fn ask(&mut self, mut events: Vec<Event<'l>>, text: String, now: Instant) -> Step<'l> {
        if !self.warned && self.clock.left(now) <= WARNING_AT && !self.clock.left(now).is_zero() {
            self.warned = true;
            events.push(Event::Alert(format!(
                "About {} minutes left.",
                self.clock.left(now).as_secs().div_ceil(60)
            )));
        }
        Step {
            events,
            prompt: Some(Prompt {
                text,
                deadline: self.clock.deadline(),
            }),
            ended: None,
        }
    }

    fn show(&mut self, slot: usize, now: Instant, events: &mut Vec<Event<'l>>) {
        let s = &self.session.slots()[slot];
        let order = self.session.shown_order(slot);
        events.push(Event::Item {
            number: slot + 1,
            total: self.session.length_text(),
            marked: s.marked,
            answer_so_far: s
                .response
                .as_ref()
                .map(|r| response::to_shown(r, &order).to_string()),
            item: self.session.item(slot),
            order,
            time_left: self.clock.left(now),
        });
        self.shown_at = now;
    }

    fn prompt_for(&self, slot: usize) -> String {
        prompt(self.session.item(slot).item)
    }

    /// Adds the time since the question was shown to its slot and saves the slot.
    fn spend(&mut self, now: Instant) -> Result<(), StoreError> {
        let slot = match self.phase {
            Phase::Question(s) | Phase::Change(s) => s,
            _ => return self.store.update_clock(self.clock.used(now).as_secs_f64()),
        };
        let secs = now.saturating_duration_since(self.shown_at).as_secs_f64();
        self.session.add_time(slot, secs);
        self.shown_at = now;
        let hash = content_hash(self.session.item(slot).item);
        self.store.save_slot(
            slot,
            &self.session.stored(slot),
            &hash,
            self.clock.used(now).as_secs_f64(),
        )?;
        self.last_save = now;
        Ok(())
    }

    /// Takes an answer to `slot`, saving it; `Ok(Err(message))` when it does not fit.
    fn answer(
        &mut self,
        slot: usize,
        text: &str,
        now: Instant,
    ) -> Result<Result<(), String>, StoreError> {
        let e = self.session.item(slot);
        // Typed against the letters shown; kept in the item's own letters.
        let r = match response::parse(text, &e.item.answer) {
            Ok(r) => response::from_shown(r, &self.session.shown_order(slot)),
            Err(msg) => return Ok(Err(msg)),
        };
        let correct = response::is_correct(&e.item.answer, &r);
        self.session.answer(slot, r.clone());
        let secs = now.saturating_duration_since(self.shown_at).as_secs_f64();
        self.session.add_time(slot, secs);
        self.shown_at = now;
        let text = r.to_string();
        self.store.record_answer(
            slot,
            &self.session.stored(slot),
            &AnswerRecord {
                bank_id: &e.bank.id,
                item: e.item,
                response: &text,
                correct,
                seconds: self.session.slots()[slot].seconds,
                guessed: false,
            },
            self.clock.used(now).as_secs_f64(),
        )?;
        self.last_save = now;
        Ok(Ok(()))
    }

    fn pause(
        &mut self,
        now: Instant,
        events: Vec<Event<'l>>,
        interrupted: bool,
    ) -> Result<Step<'l>, StoreError> {
        self.spend(now)?;
        Ok(self.end(events, Ending::Paused { interrupted }))
    }

    fn answers_list(&self) -> Event<'l> {
        Event::Answers(
            self.session
                .slots()
                .iter()
                .enumerate()
                .map(|(k, s)| {
                    (
                        k + 1,
                        s.response.as_ref().map_or_else(
                            || "-".to_string(),
                            |r| response::to_shown(r, &self.session.shown_order(k)).to_string(),
                        ),
                        s.marked,
                    )
                })
                .collect(),
        )
    }

    // ---- adaptive --------------------------------------------------------------------

    /// Shows the pending question (shown before a stop, not yet answered) or chooses the
    /// next one; after the last, the review or the end.
    fn next_adaptive(
        &mut self,
        now: Instant,
        events: &mut Vec<Event<'l>>,
    ) -> Result<Step<'l>, StoreError> {
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
                        s,
                        &self.session.stored(s),
                        &hash,
                        self.clock.used(now).as_secs_f64(),
                    )?;
                    s
                }
                None => {
                    if self.session.blueprint.review == Review::EndOfTest {
                        return Ok(self.open_review(now, std::mem::take(events)));
                    }
                    return Ok(self.end(
                        std::mem::take(events),
                        Ending::Finished { timed_out: false },
                    ));
                }
            },
        };
        self.phase = Phase::Question(slot);
        self.show(slot, now, events);
        let text = self.prompt_for(slot);
        Ok(self.ask(std::mem::take(events), text, now))
    }

    fn adaptive_input(
        &mut self,
        slot: usize,
        input: Input,
        now: Instant,
        mut events: Vec<Event<'l>>,
    ) -> Result<Step<'l>, StoreError> {
        let text = match input {
            Input::Line(t) => t,
            Input::Interrupted => return self.pause(now, events, true),
            Input::Eof | Input::TimedOut => return self.pause(now, events, false),
        };
        let cmd = text.trim().to_ascii_lowercase();
        if is_quit(&cmd) {
            return self.pause(now, events, false);
        }
        if is_help(&cmd) {
            events.push(Event::Help(ADAPTIVE_HELP.to_vec()));
        } else if is_exhibit(&cmd) {
            events.push(self.exhibits(slot));
        } else if is_open(&cmd) {
            events.push(self.image(slot));
        } else if cmd.is_empty() {
            events.push(Event::Note(
                "An answer is needed: this exam does not allow skipping.".into(),
            ));
        } else if matches!(
            cmd.as_str(),
            "skip" | "next" | "back" | "mark" | "list" | "submit"
        ) || cmd.starts_with("goto")
        {
            events.push(Event::Note(format!(
                "This exam does not allow skipping, marking or going back; answer {}.",
                letters_hint(self.session.item(slot).item)
            )));
        } else {
            match self.answer(slot, &text, now)? {
                Ok(()) => return self.next_adaptive(now, &mut events),
                Err(msg) => events.push(Event::Note(msg)),
            }
        }
        let prompt = self.prompt_for(slot);
        Ok(self.ask(events, prompt, now))
    }

    /// The slot's exhibits again, or a note that it has none.
    fn exhibits(&self, slot: usize) -> Event<'l> {
        let item = self.session.item(slot);
        if item.item.exhibits.is_empty() {
            Event::Note("This question has no exhibit.".into())
        } else {
            Event::Exhibits(item)
        }
    }

    /// Opening the slot's image, or a note that it has none.
    fn image(&self, slot: usize) -> Event<'l> {
        let item = self.session.item(slot);
        if item.item.image.is_none() {
            Event::Note("This question has no image.".into())
        } else {
            Event::OpenImage(item)
        }
    }

    fn open_review(&mut self, now: Instant, mut events: Vec<Event<'l>>) -> Step<'l> {
        self.phase = Phase::Review;
        events.push(Event::EndOfQuestions(format!(
            "You have answered every question. {} left to review: type a question number to see it and change its answer, list to see your answers, or submit to finish.",
            crate::exam::clock_text(self.clock.left(now))
        )));
        self.ask(events, "Review (number, list or submit): ".into(), now)
    }

    fn review_input(
        &mut self,
        input: Input,
        now: Instant,
        mut events: Vec<Event<'l>>,
    ) -> Result<Step<'l>, StoreError> {
        let text = match input {
            Input::Line(t) => t,
            Input::Eof | Input::TimedOut => {
                return Ok(self.end(events, Ending::Finished { timed_out: false }));
            }
            Input::Interrupted => return self.pause(now, events, true),
        };
        let cmd = text.trim().to_ascii_lowercase();
        let n = self.session.slots().len();
        match cmd.as_str() {
            "submit" => return Ok(self.end(events, Ending::Finished { timed_out: false })),
            "list" => events.push(self.answers_list()),
            c if is_quit(c) => return self.pause(now, events, false),
            c if is_help(c) => events.push(Event::Help(REVIEW_HELP.to_vec())),
            c => match c.trim_start_matches("goto").trim().parse::<usize>() {
                Ok(k) if (1..=n).contains(&k) => {
                    let slot = k - 1;
                    self.phase = Phase::Change(slot);
                    self.show(slot, now, &mut events);
                    let text = self.change_prompt(slot);
                    return Ok(self.ask(events, text, now));
                }
                _ => events.push(Event::Note(format!(
                    "Type a question number from 1 to {n}, list, or submit."
                ))),
            },
        }
        Ok(self.ask(events, "Review (number, list or submit): ".into(), now))
    }

    fn change_prompt(&self, slot: usize) -> String {
        let current = self.session.slots()[slot].response.as_ref().map_or_else(
            || "no answer".to_string(),
            |r| response::to_shown(r, &self.session.shown_order(slot)).to_string(),
        );
        let ask = self.prompt_for(slot);
        let mut chars = ask.chars();
        let first = chars
            .next()
            .map(|c| c.to_lowercase().to_string())
            .unwrap_or_default();
        format!("Enter keeps {current}. New {first}{}", chars.as_str())
    }

    fn change_input(
        &mut self,
        slot: usize,
        input: Input,
        now: Instant,
        mut events: Vec<Event<'l>>,
    ) -> Result<Step<'l>, StoreError> {
        let text = match input {
            Input::Line(t) => t,
            Input::Eof | Input::TimedOut => {
                self.spend(now)?;
                self.phase = Phase::Review;
                return Ok(self.ask(events, "Review (number, list or submit): ".into(), now));
            }
            Input::Interrupted => return self.pause(now, events, true),
        };
        if is_quit(&text) {
            return self.pause(now, events, false);
        }
        if text.trim().is_empty() {
            self.spend(now)?;
            self.phase = Phase::Review;
            return Ok(self.ask(events, "Review (number, list or submit): ".into(), now));
        }
        if is_exhibit(&text) {
            events.push(self.exhibits(slot));
        } else if is_open(&text) {
            events.push(self.image(slot));
        } else if is_help(&text) {
            events.push(Event::Help(vec![
                ("A-D", "the new answer"),
                ("x", "show the question's exhibits again"),
                ("Enter", "keep the answer you gave"),
                ("quit", "stop; everything is saved"),
            ]));
        } else {
            match self.answer(slot, &text, now)? {
                Ok(()) => {
                    self.phase = Phase::Review;
                    return Ok(self.ask(events, "Review (number, list or submit): ".into(), now));
                }
                Err(msg) => events.push(Event::Note(msg)),
            }
        }
        let text = self.change_prompt(slot);
        Ok(self.ask(events, text, now))
    }

    // ---- linear ----------------------------------------------------------------------

    fn go_linear(
        &mut self,
        pos: usize,
        now: Instant,
        events: &mut Vec<Event<'l>>,
    ) -> Result<Step<'l>, StoreError> {
        let n = self.session.slots().len();
        if pos >= n {
            self.reviewing = true;
            self.phase = Phase::Summary;
            let slots = self.session.slots();
            let unanswered = slots.iter().filter(|s| s.response.is_none()).count();
            let marked = slots.iter().filter(|s| s.marked).count();
            events.push(Event::EndOfQuestions(format!(
                "End of the exam: {} answered, {unanswered} unanswered, {marked} marked; {} left. Type goto N, unanswered or marked to go back, list to see your answers, or submit to finish (unanswered questions count as wrong).",
                n - unanswered,
                crate::exam::clock_text(self.clock.left(now))
            )));
            return Ok(self.ask(
                std::mem::take(events),
                "Review (goto N, unanswered, marked, list, submit): ".into(),
                now,
            ));
        }
        self.phase = Phase::Question(pos);
        self.show(pos, now, events);
        let text = self.prompt_for(pos);
        Ok(self.ask(std::mem::take(events), text, now))
    }

    fn linear_input(
        &mut self,
        pos: usize,
        input: Input,
        now: Instant,
        mut events: Vec<Event<'l>>,
    ) -> Result<Step<'l>, StoreError> {
        let n = self.session.slots().len();
        let text = match input {
            Input::Line(t) => t,
            Input::Interrupted => return self.pause(now, events, true),
            Input::Eof | Input::TimedOut => {
                if self.reviewing {
                    self.spend(now)?;
                    return Ok(self.end(events, Ending::Finished { timed_out: false }));
                }
                return self.pause(now, events, false);
            }
        };
        let cmd = text.trim().to_ascii_lowercase();
        let go = |this: &mut Self,
                  to: usize,
                  events: &mut Vec<Event<'l>>|
         -> Result<Step<'l>, StoreError> {
            this.spend(now)?;
            this.go_linear(to, now, events)
        };
        match cmd.as_str() {
            "" | "next" | "skip" => return go(self, pos + 1, &mut events),
            "back" => return go(self, pos.saturating_sub(1), &mut events),
            "submit" => return go(self, n, &mut events),
            "list" => events.push(self.answers_list()),
            "mark" => {
                let marked = !self.session.slots()[pos].marked;
                self.session.set_marked(pos, marked);
                events.push(Event::Note(
                    if marked { "Marked." } else { "Mark removed." }.into(),
                ));
                // The question stays: it can be answered now or later.
                return go(self, pos, &mut events);
            }
            c if is_quit(c) => return self.pause(now, events, false),
            c if is_help(c) => events.push(Event::Help(LINEAR_HELP.to_vec())),
            c if is_exhibit(c) => events.push(self.exhibits(pos)),
            c if is_open(c) => events.push(self.image(pos)),
            c if c.starts_with("goto") => match c["goto".len()..].trim().parse::<usize>() {
                Ok(k) if (1..=n).contains(&k) => return go(self, k - 1, &mut events),
                _ => events.push(Event::Note(format!(
                    "Write goto and a question number from 1 to {n}."
                ))),
            },
            _ => match self.answer(pos, &text, now)? {
                Ok(()) => return self.go_linear(pos + 1, now, &mut events),
                Err(msg) => events.push(Event::Note(format!(
                    "{msg} (or next, back, mark, goto N, list, submit; help for more)"
                ))),
            },
        }
        let prompt = self.prompt_for(pos);
        Ok(self.ask(events, prompt, now))
    }

    fn summary_input(
        &mut self,
        input: Input,
        now: Instant,
        mut events: Vec<Event<'l>>,
    ) -> Result<Step<'l>, StoreError> {
        let text = match input {
            Input::Line(t) => t,
            Input::Eof | Input::TimedOut => {
                return Ok(self.end(events, Ending::Finished { timed_out: false }));
            }
            Input::Interrupted => return self.pause(now, events, true),
        };
        let cmd = text.trim().to_ascii_lowercase();
        let slots = self.session.slots();
        let n = slots.len();
        let first = |f: &dyn Fn(usize) -> bool| (0..n).find(|&k| f(k));
        match cmd.as_str() {
            "submit" => return Ok(self.end(events, Ending::Finished { timed_out: false })),
            "list" => events.push(self.answers_list()),
            "unanswered" => match first(&|k| slots[k].response.is_none()) {
                Some(k) => return self.go_linear(k, now, &mut events),
                None => events.push(Event::Note("There are none.".into())),
            },
            "marked" => match first(&|k| slots[k].marked) {
                Some(k) => return self.go_linear(k, now, &mut events),
                None => events.push(Event::Note("There are none.".into())),
            },
            c if is_quit(c) => return self.pause(now, events, false),
            c if is_help(c) => events.push(Event::Help(vec![
                ("goto N", "go to question N"),
                ("unanswered", "the first unanswered question"),
                ("marked", "the first marked question"),
                ("list", "your answers and marks"),
                ("submit", "finish; unanswered questions count as wrong"),
                ("quit", "stop; everything is saved"),
            ])),
            c => match c.trim_start_matches("goto").trim().parse::<usize>() {
                Ok(k) if (1..=n).contains(&k) => return self.go_linear(k - 1, now, &mut events),
                _ => events.push(Event::Note(format!(
                    "Type goto and a number from 1 to {n}, unanswered, marked, list or submit."
                ))),
            },
        }
        Ok(self.ask(
            events,
            "Review (goto N, unanswered, marked, list, submit): ".into(),
            now,
        ))
    }
}

/// The answer prompt for an item's kind: "Answer (A-D): " and the like.
pub fn prompt(item: &crate::bank::Item) -> String {
    use crate::bank::Answer;
    use crate::bank::decode::letter_for;
    let n = item.answer.choices().len();
    // An item with exhibits says how to see them again.
    let x = match (item.exhibits.is_empty(), item.image.is_some()) {
        (true, false) => "",
        (false, false) => "; x: exhibits",
        (true, true) => "; o: image",
        (false, true) => "; x: exhibits, o: image",
    };
    match &item.answer {
        Answer::SingleBest { .. } => {
            format!("Answer (A-{}{x}): ", letter_for(n.saturating_sub(1)))
        }
        Answer::SelectAll { .. } => format!(
            "Answers (A-{}, e.g. A,C{x}): ",
            letter_for(n.saturating_sub(1))
        ),
        Answer::Numeric { unit, .. } if !unit.is_empty() => format!("Answer ({unit}{x}): "),
        Answer::Numeric { .. } if !x.is_empty() => format!("Answer ({}): ", &x[2..]),
        Answer::Numeric { .. } => "Answer: ".to_string(),
    }
}

fn letters_hint(item: &crate::bank::Item) -> String {
    let n = item.answer.choices().len();
    if n == 0 {
        "with a number".into()
    } else {
        format!("A to {}", crate::bank::decode::letter_for(n - 1))
    }
}

/// The progress database as an [`ExamStore`] for one exam.
pub struct StoredExam<'s> {
    pub store: &'s crate::store::Store,
    pub profile: i64,
    pub exam: i64,
}

impl ExamStore for StoredExam<'_> {
    fn save_slot(
        &self,
        position: usize,
        slot: &StoredSlot,
        hash: &str,
        used: f64,
    ) -> Result<(), StoreError> {
        self.store.save_slot(self.exam, position, slot, hash, used)
    }

    fn record_answer(
        &self,
        position: usize,
        slot: &StoredSlot,
        answer: &AnswerRecord,
        used: f64,
    ) -> Result<(), StoreError> {
        self.store
            .record_exam_answer(self.profile, self.exam, position, slot, answer, used)
    }

    fn update_clock(&self, used: f64) -> Result<(), StoreError> {
        self.store.update_clock(self.exam, used)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::Library;
    use std::cell::RefCell;

    /// A store that remembers what it was asked to keep.
    #[derive(Default)]
    struct Log(RefCell<Vec<String>>);

    impl ExamStore for &Log {
        fn save_slot(&self, p: usize, _: &StoredSlot, _: &str, _: f64) -> Result<(), StoreError> {
            self.0.borrow_mut().push(format!("slot {p}"));
            Ok(())
        }
        fn record_answer(
            &self,
            p: usize,
            _: &StoredSlot,
            a: &AnswerRecord,
            _: f64,
        ) -> Result<(), StoreError> {
            self.0
                .borrow_mut()
                .push(format!("answer {p} {}", a.response));
            Ok(())
        }
        fn update_clock(&self, _: f64) -> Result<(), StoreError> {
            self.0.borrow_mut().push("clock".into());
            Ok(())
        }
    }

    fn library() -> Library {
        crate::bank::synthetic::single_best_library(140, 3)
    }

    fn blueprint(delivery: &str, review: &str, length: usize) -> crate::exam::Blueprint {
        crate::exam::blueprint::parse(
            "t",
            &format!(
                "Blueprint(id: \"t\", name: \"T\", level: \"any\", delivery: {delivery}, length: Fixed({length}),
                 time_limit_minutes: 60, review: {review}, passing_theta: 0.0,
                 scale: Linear(cut_score: 400, points_per_logit: 100, min: 100, max: 999),
                 areas: [(area: \"hematology\", min: 50, max: 50), (area: \"chemistry\", min: 50, max: 50)])"
            ),
        )
        .unwrap_or_else(|e| panic!("{}", e.rendered))
    }

    fn clock(limit_secs: u64, t0: Instant) -> Clock {
        Clock {
            limit: Duration::from_secs(limit_secs),
            used_before: Duration::ZERO,
            started: t0,
        }
    }

    fn line(s: &str) -> Input {
        Input::Line(s.into())
    }

    fn notes(step: &Step) -> Vec<String> {
        step.events
            .iter()
            .filter_map(|e| match e {
                Event::Note(t) | Event::Alert(t) => Some(t.clone()),
                _ => None,
            })
            .collect()
    }

    fn shown(step: &Step) -> Option<usize> {
        step.events.iter().find_map(|e| match e {
            Event::Item { number, .. } => Some(*number),
            _ => None,
        })
    }

    #[test]
    fn an_adaptive_exam_refuses_skipping_and_saves_every_answer() {
        let lib = library();
        let log = Log::default();
        let t0 = Instant::now();
        let session = Session::new(
            blueprint("Adaptive(start_theta: 0.0)", "EndOfTest", 3),
            &lib,
            1,
            &Default::default(),
        )
        .unwrap();
        let mut r = Runner::new(session, &log, clock(3600, t0));
        let s = r.begin(t0).unwrap();
        assert_eq!(shown(&s), Some(1));
        let s = r.handle(line("skip"), t0).unwrap();
        assert!(
            notes(&s)[0].contains("does not allow skipping"),
            "{:?}",
            notes(&s)
        );
        let s = r.handle(line("help"), t0).unwrap();
        assert!(matches!(s.events[0], Event::Help(_)));
        // x and o on a question with no exhibit and no image say so and ask again.
        let s = r.handle(line("x"), t0).unwrap();
        assert_eq!(notes(&s), vec!["This question has no exhibit.".to_string()]);
        let s = r.handle(line("o"), t0).unwrap();
        assert_eq!(notes(&s), vec!["This question has no image.".to_string()]);
        assert!(s.prompt.is_some());
        let s = r.handle(line("Z"), t0).unwrap();
        assert!(notes(&s)[0].contains("no choice Z"));
        let s = r.handle(line("b"), t0 + Duration::from_secs(30)).unwrap();
        assert_eq!(shown(&s), Some(2));
        assert_eq!(r.session().slots()[0].seconds, 30.0);
        r.handle(line("A"), t0).unwrap();
        let s = r.handle(line("C"), t0).unwrap();
        // After the last question: the review.
        assert!(matches!(s.events.last(), Some(Event::EndOfQuestions(_))));
        let s = r.handle(line("2"), t0).unwrap();
        assert_eq!(shown(&s), Some(2));
        assert!(s.prompt.unwrap().text.starts_with("Enter keeps A."));
        let s = r.handle(line("D"), t0).unwrap();
        assert!(s.prompt.unwrap().text.starts_with("Review"));
        let s = r.handle(line("submit"), t0).unwrap();
        assert_eq!(s.ended, Some(Ending::Finished { timed_out: false }));
        let answers: Vec<String> = log
            .0
            .borrow()
            .iter()
            .filter(|l| l.starts_with("answer"))
            .cloned()
            .collect();
        // Typed against the shown letters, stored in the item's own letters.
        let own = |slot: usize, shown: usize| {
            let order = r.session().shown_order(slot);
            format!(
                "answer {slot} {}",
                crate::bank::decode::letter_for(order[shown])
            )
        };
        assert_eq!(answers, [own(0, 1), own(1, 0), own(2, 2), own(1, 3)]);
    }

    #[test]
    fn stopping_pauses_and_the_clock_ends_the_exam() {
        let lib = library();
        let log = Log::default();
        let t0 = Instant::now();
        let bp = blueprint("Adaptive(start_theta: 0.0)", "EndOfTest", 10);
        let mut r = Runner::new(
            Session::new(bp.clone(), &lib, 2, &Default::default()).unwrap(),
            &log,
            clock(3600, t0),
        );
        r.begin(t0).unwrap();
        assert_eq!(
            r.handle(Input::Eof, t0).unwrap().ended,
            Some(Ending::Paused { interrupted: false })
        );
        let mut r = Runner::new(
            Session::new(bp.clone(), &lib, 2, &Default::default()).unwrap(),
            &log,
            clock(3600, t0),
        );
        r.begin(t0).unwrap();
        assert_eq!(
            r.handle(Input::Interrupted, t0).unwrap().ended,
            Some(Ending::Paused { interrupted: true })
        );
        // A typed answer after the deadline does not count.
        let mut r = Runner::new(
            Session::new(bp, &lib, 2, &Default::default()).unwrap(),
            &log,
            clock(60, t0),
        );
        r.begin(t0).unwrap();
        let s = r.handle(line("A"), t0 + Duration::from_secs(61)).unwrap();
        assert_eq!(s.ended, Some(Ending::Finished { timed_out: true }));
        assert!(notes(&s).contains(&"Time is up.".to_string()));
        assert_eq!(r.answered(), 0);
    }

    #[test]
    fn five_minutes_before_the_end_a_warning_is_given_once() {
        let lib = library();
        let log = Log::default();
        let t0 = Instant::now();
        let bp = blueprint("Adaptive(start_theta: 0.0)", "NoReview", 10);
        let mut r = Runner::new(
            Session::new(bp, &lib, 3, &Default::default()).unwrap(),
            &log,
            clock(600, t0),
        );
        let s = r.begin(t0).unwrap();
        assert!(notes(&s).is_empty());
        let s = r.handle(line("A"), t0 + Duration::from_secs(290)).unwrap();
        assert!(notes(&s).is_empty());
        let s = r.handle(line("A"), t0 + Duration::from_secs(320)).unwrap();
        assert_eq!(notes(&s), ["About 5 minutes left."]);
        let s = r.handle(line("A"), t0 + Duration::from_secs(330)).unwrap();
        assert!(notes(&s).is_empty(), "only once");
    }

    #[test]
    fn a_linear_form_moves_marks_and_submits() {
        let lib = library();
        let log = Log::default();
        let t0 = Instant::now();
        let bp = blueprint("Linear", "Marking", 4);
        let mut r = Runner::new(
            Session::new(bp, &lib, 4, &Default::default()).unwrap(),
            &log,
            clock(3600, t0),
        );
        assert_eq!(shown(&r.begin(t0).unwrap()), Some(1));
        let s = r.handle(line("mark"), t0).unwrap();
        assert_eq!(
            (shown(&s), notes(&s)),
            (Some(1), vec!["Marked.".to_string()])
        );
        assert_eq!(shown(&r.handle(line(""), t0).unwrap()), Some(2));
        assert_eq!(shown(&r.handle(line("back"), t0).unwrap()), Some(1));
        assert_eq!(shown(&r.handle(line("goto 4"), t0).unwrap()), Some(4));
        let s = r.handle(line("B"), t0).unwrap();
        assert!(
            matches!(s.events.last(), Some(Event::EndOfQuestions(t)) if t.contains("1 answered, 3 unanswered, 1 marked"))
        );
        assert_eq!(shown(&r.handle(line("marked"), t0).unwrap()), Some(1));
        let s = r.handle(line("submit"), t0).unwrap();
        assert!(matches!(s.events.last(), Some(Event::EndOfQuestions(_))));
        // At the end screen, the end of input submits.
        assert_eq!(
            r.handle(Input::Eof, t0).unwrap().ended,
            Some(Ending::Finished { timed_out: false })
        );
    }
}
