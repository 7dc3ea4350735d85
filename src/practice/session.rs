//! A practice or review session as a state machine: which question comes next and why,
//! what an answer means (right, wrong, guessed), what the candidate sees after it, and
//! the summary at the end.
//!
//! The session writes every answer through [`PracticeStore`] before returning the
//! feedback, so nothing acknowledged is lost. Reading input and drawing the screen are
//! the CLI's; choosing items is [`super::select::Chooser`]'s.

use std::collections::BTreeMap;

use rand::RngExt;
use rand::rngs::StdRng;

use super::select::{Chooser, PracticeItem, Reason};
use crate::bank::decode::letter_for;
use crate::bank::{Answer, Area, Item, Library};
use crate::exam::blueprint::Blueprint;
use crate::exam::response::{self, Response};
use crate::store::history::{ability_map, due_reviews, item_histories};
use crate::store::{AnswerRecord, Store, StoreError};

/// Where answers are written, so sessions can be tested without a database.
pub trait PracticeStore {
    fn record(&self, mode: &str, answer: &AnswerRecord) -> Result<(), StoreError>;
}

/// The progress database as a [`PracticeStore`] for one profile.
pub struct StoredPractice<'s> {
    pub store: &'s crate::store::Store,
    pub profile: i64,
}

impl PracticeStore for StoredPractice<'_> {
    fn record(&self, mode: &str, answer: &AnswerRecord) -> Result<(), StoreError> {
        self.store.record_answer(self.profile, mode, answer)
    }
}

/// Practice (chosen where the candidate is weak) or review (the due items).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Practice,
    Review,
}

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Mode::Practice => "practice",
            Mode::Review => "review",
        }
    }
}

/// The items a practice session may use: those of the blueprint's level, in the chosen
/// area and topic.
pub fn candidates<'l>(
    library: &'l Library,
    blueprint: &Blueprint,
    area: Option<Area>,
    topic: Option<&str>,
) -> Vec<PracticeItem<'l>> {
    library
        .items()
        .filter(|(_, i)| blueprint.level.admits(i.level))
        .filter(|(_, i)| area.is_none_or(|a| i.area == a))
        .filter(|(_, i)| topic.is_none_or(|t| i.topic.eq_ignore_ascii_case(t)))
        .map(|(bank, item)| PracticeItem { bank, item })
        .collect()
}

/// The blueprint a candidate is preparing for: `style` if given, else the style of their
/// last finished exam (when it is a shipped one), else ASCP MLS.
pub fn preparing_for(
    store: &crate::store::Store,
    profile: i64,
    style: Option<&str>,
) -> Result<Blueprint, StoreError> {
    let last = || -> Result<Option<String>, StoreError> {
        let exams = crate::store::history::finished_exams(store.connection(), profile).map_err(
            |source| StoreError::Sqlite {
                path: store.path().to_path_buf(),
                source,
            },
        )?;
        // A practice run (changed time limit, custom blueprint) does not say what the
        // candidate prepares for.
        Ok(exams
            .iter()
            .rev()
            .find(|e| !e.custom)
            .map(|e| e.blueprint_id.clone())
            .filter(|id| crate::exam::blueprint::shipped(id).is_some()))
    };
    let id = match style {
        Some(s) => s.to_string(),
        None => last()?.unwrap_or_else(|| "ascp-mls".to_string()),
    };
    // A readiness check prepares for the exam it checks readiness for.
    let id = match id.strip_prefix("readiness-") {
        Some(level) => format!("ascp-{level}"),
        None => id,
    };
    Ok(crate::exam::blueprint::shipped(&id)
        .or_else(|| crate::exam::blueprint::shipped("ascp-mls"))
        .expect("the shipped blueprints parse (tested)"))
}

/// A chooser over `items`, from the profile's record in the store: its ability
/// estimates, item histories and the reviews in `due`, as of `now_ms`.
pub fn chooser_from_store<'l>(
    store: &Store,
    profile: i64,
    items: Vec<PracticeItem<'l>>,
    blueprint: &Blueprint,
    due: &[(String, String)],
    now_ms: i64,
) -> rusqlite::Result<Chooser<'l>> {
    let conn = store.connection();
    let (areas, topics) = ability_map(conn, profile)?;
    let history = item_histories(conn, profile)?;
    Ok(Chooser::new(
        items,
        blueprint.targets(),
        blueprint.passing_theta,
        areas,
        topics,
        history,
        due,
        now_ms,
    ))
}

/// The reviews due for the profile at `now_ms`, as (bank id, item id).
pub fn due_now(
    store: &Store,
    profile: i64,
    now_ms: i64,
) -> rusqlite::Result<Vec<(String, String)>> {
    Ok(due_reviews(store.connection(), profile, now_ms)?
        .into_iter()
        .map(|(bank, item, _)| (bank, item))
        .collect())
}

/// The topics of the loaded items, in one area or all, sorted.
pub fn topics(library: &Library, area: Option<Area>) -> Vec<String> {
    let mut t: Vec<String> = library
        .items()
        .filter(|(_, i)| area.is_none_or(|a| i.area == a))
        .map(|(_, i)| i.topic.clone())
        .collect();
    t.sort();
    t.dedup();
    t
}

/// A question to show.
#[derive(Debug, Clone)]
pub struct Question<'l> {
    pub number: usize,
    pub total: usize,
    pub item: PracticeItem<'l>,
    /// The order its choices are shown in: `order[i]` is the item's choice shown as
    /// letter `i` (see `exam::response::shown_order`).
    pub order: Vec<usize>,
    /// Why this item, in words.
    pub why: String,
}

/// What the candidate learns after answering.
#[derive(Debug, Clone, PartialEq)]
pub struct Feedback {
    pub correct: bool,
    pub guessed: bool,
    /// The key as the candidate would write it.
    pub key: String,
    /// For a select-all item answered wrongly: the right choices left out and the
    /// wrong choices picked, as letters.
    pub missed: Vec<String>,
    pub wrongly_chosen: Vec<String>,
}

/// One area's standing before and after the session.
#[derive(Debug, Clone, PartialEq)]
pub struct Moved {
    pub area: Area,
    pub theta_before: f64,
    pub theta_after: f64,
    pub se_after: f64,
}

/// The end of a session.
#[derive(Debug, Clone)]
pub struct Summary {
    pub asked: usize,
    pub right: usize,
    /// Areas answered in, with how their estimates moved.
    pub moved: Vec<Moved>,
    /// The areas most worth studying next, with the chance each is below the pass mark.
    pub study_next: Vec<(Area, f64)>,
}

pub struct Session<'l, S: PracticeStore> {
    chooser: Chooser<'l>,
    store: S,
    mode: Mode,
    limit: usize,
    asked: usize,
    right: usize,
    before: BTreeMap<Area, (f64, f64, f64)>,
    touched: Vec<Area>,
    /// The area the candidate chose (`--area`): then "weak area" is not the reason.
    chosen_area: Option<Area>,
    current: Option<usize>,
    /// The current question's choice order.
    order: Vec<usize>,
}

impl<'l, S: PracticeStore> Session<'l, S> {
    pub fn new(
        chooser: Chooser<'l>,
        store: S,
        mode: Mode,
        limit: usize,
        chosen_area: Option<Area>,
    ) -> Self {
        let before = Area::ALL
            .iter()
            .map(|a| (*a, chooser.area_standing(*a)))
            .collect();
        Session {
            chooser,
            store,
            mode,
            limit,
            asked: 0,
            right: 0,
            before,
            touched: Vec::new(),
            chosen_area,
            current: None,
            order: Vec::new(),
        }
    }

    /// Reviews waiting among this session's items.
    pub fn due_count(&self) -> usize {
        self.chooser.due_count()
    }

    /// The next question, or `None` when the session is complete or nothing is left.
    pub fn next(&mut self, rng: &mut StdRng) -> Option<Question<'l>> {
        if self.asked >= self.limit {
            return None;
        }
        let (k, reason) = self.chooser.next(rng)?;
        self.current = Some(k);
        let item = self.chooser.item(k);
        // A fixed-order item draws nothing, so it leaves the session's choices as they were.
        let seed = if item.item.shuffle { rng.random() } else { 0 };
        self.order = response::shown_order(item.item, seed);
        Some(Question {
            number: self.asked + 1,
            total: self.limit,
            item,
            order: self.order.clone(),
            why: self.why(reason, item.item),
        })
    }

    fn why(&self, reason: Reason, item: &Item) -> String {
        match reason {
            Reason::Review => "due for review".to_string(),
            Reason::Weak { .. } | Reason::LittleData { .. } if self.chosen_area.is_some() => {
                format!("{}, the area you chose", item.area.title())
            }
            Reason::Weak { area, below } if below >= 0.5 => format!(
                "{} is a weak area ({:.0}% likely below the pass mark)",
                area.title(),
                below * 100.0
            ),
            Reason::Weak { area, below } => format!(
                "{} counts for much of the exam and is not yet safe ({:.0}% likely below the pass mark)",
                area.title(),
                below * 100.0
            ),
            Reason::LittleData { area } => format!("little data yet on {}", area.title()),
        }
    }

    /// Takes the answer typed for the current question (a trailing `?` marks a guess).
    /// `Ok(Err(message))` when it does not fit the item; the question stays.
    pub fn answer(
        &mut self,
        text: &str,
        seconds: f64,
    ) -> Result<Result<Feedback, String>, StoreError> {
        let Some(k) = self.current else {
            return Ok(Err("there is no question to answer".into()));
        };
        let p = self.chooser.item(k);
        let trimmed = text.trim();
        let guessed = trimmed.ends_with('?');
        let r = match response::parse(trimmed.trim_end_matches('?'), &p.item.answer) {
            Ok(r) => response::from_shown(r, &self.order),
            Err(msg) => return Ok(Err(msg)),
        };
        let correct = response::is_correct(&p.item.answer, &r);
        let shown = r.to_string();
        self.store.record(
            self.mode.name(),
            &AnswerRecord {
                bank_id: &p.bank.id,
                item: p.item,
                response: &shown,
                correct,
                seconds,
                guessed,
            },
        )?;
        self.chooser.record(k, correct);
        self.current = None;
        self.asked += 1;
        self.right += usize::from(correct);
        if !self.touched.contains(&p.item.area) {
            self.touched.push(p.item.area);
        }
        // Feedback speaks in the letters the candidate saw.
        let shown = |own: usize| {
            let at = self.order.iter().position(|&o| o == own).unwrap_or(own);
            letter_for(at).to_string()
        };
        let (mut missed, mut wrongly_chosen): (Vec<String>, Vec<String>) =
            match (&p.item.answer, &r) {
                (Answer::SelectAll { keys, .. }, Response::Choices(picked)) => (
                    keys.iter()
                        .filter(|k| !picked.contains(k))
                        .map(|&k| shown(k))
                        .collect(),
                    picked
                        .iter()
                        .filter(|k| !keys.contains(k))
                        .map(|&k| shown(k))
                        .collect(),
                ),
                _ => (Vec::new(), Vec::new()),
            };
        missed.sort();
        wrongly_chosen.sort();
        Ok(Ok(Feedback {
            correct,
            guessed,
            key: response::shown_key(&p.item.answer, &self.order),
            missed,
            wrongly_chosen,
        }))
    }

    pub fn asked(&self) -> usize {
        self.asked
    }

    /// How many questions the session was asked for.
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// What the session did, and what to study next for `blueprint`.
    pub fn summary(&self, blueprint: &Blueprint) -> Summary {
        let mut touched = self.touched.clone();
        touched.sort();
        let moved = touched
            .iter()
            .map(|a| {
                let (t0, _, _) = self.before[a];
                let (t1, se1, _) = self.chooser.area_standing(*a);
                Moved {
                    area: *a,
                    theta_before: t0,
                    theta_after: t1,
                    se_after: se1,
                }
            })
            .collect();
        let targets = blueprint.targets();
        let mut next: Vec<(f64, Area, f64)> = Area::ALL
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let (_, _, below) = self.chooser.area_standing(*a);
                (targets.target[i] * below, *a, below)
            })
            .collect();
        next.sort_by(|x, y| y.0.total_cmp(&x.0));
        Summary {
            asked: self.asked,
            right: self.right,
            moved,
            study_next: next.into_iter().take(2).map(|(_, a, b)| (a, b)).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::load::check_text;
    use crate::bank::synthetic::{Shape, bank_text_with};
    use rand::SeedableRng;
    use std::cell::RefCell;
    use std::collections::HashMap;

    #[derive(Default)]
    struct Log(RefCell<Vec<(String, String, bool, bool)>>);

    impl PracticeStore for &Log {
        fn record(&self, mode: &str, a: &AnswerRecord) -> Result<(), StoreError> {
            self.0
                .borrow_mut()
                .push((mode.to_string(), a.item.id.clone(), a.correct, a.guessed));
            Ok(())
        }
    }

    fn library(text: &str) -> Library {
        let report = check_text("t.ron", text);
        assert_eq!(
            report.errors(),
            0,
            "{}",
            crate::doc::diagnostic::render_to_string(&report.sources, &report.diagnostics)
        );
        Library {
            banks: report.banks,
        }
    }

    fn session<'l>(
        lib: &'l Library,
        log: &'l Log,
        limit: usize,
        area: Option<Area>,
    ) -> Session<'l, &'l Log> {
        let bp = crate::exam::blueprint::shipped("ascp-mls").unwrap();
        let chooser = Chooser::new(
            candidates(lib, &bp, area, None),
            bp.targets(),
            bp.passing_theta,
            HashMap::new(),
            HashMap::new(),
            HashMap::new(),
            &[],
            1_700_000_000_000,
        );
        Session::new(chooser, log, Mode::Practice, limit, area)
    }

    fn generated() -> String {
        bank_text_with(
            "g",
            70,
            5,
            Shape {
                single_best_only: true,
                three_pl: false,
                ..Default::default()
            },
        )
    }

    #[test]
    fn answers_are_recorded_with_guesses_and_the_limit_holds() {
        let lib = library(&generated());
        let log = Log::default();
        let mut s = session(&lib, &log, 3, None);
        let mut rng = StdRng::seed_from_u64(1);
        let q = s.next(&mut rng).unwrap();
        assert_eq!((q.number, q.total), (1, 3));
        assert!(
            s.answer("Z", 1.0)
                .unwrap()
                .unwrap_err()
                .contains("no choice Z")
        );
        let f = s.answer("a?", 4.0).unwrap().unwrap();
        assert!(f.guessed);
        s.next(&mut rng).unwrap();
        s.answer("B", 1.0).unwrap().unwrap();
        s.next(&mut rng).unwrap();
        s.answer("C", 1.0).unwrap().unwrap();
        assert!(s.next(&mut rng).is_none(), "three asked for, three given");
        let log = log.0.borrow();
        assert_eq!(log.len(), 3);
        assert!(log.iter().all(|(mode, ..)| mode == "practice"));
        assert!(log[0].3 && !log[1].3);
        let summary = s.summary(&crate::exam::blueprint::shipped("ascp-mls").unwrap());
        assert_eq!(summary.asked, 3);
        assert_eq!(summary.right, log.iter().filter(|l| l.2).count());
    }

    #[test]
    fn a_chosen_area_is_never_called_weak_and_enemies_never_meet() {
        // Two items that answer each other, and nothing else in hematology.
        let text = r#"Bank(id: "e", title: "t", author: "a", version: "1", license: "x", items: [
            (id: "e-1", area: "hematology", topic: "t", level: "both", difficulty: 3, stem: "First item asks what exactly?", answer: SingleBest(choices: ["a", "b"], key: "A"), explanation: "Because. Yes.", references: ["r"], enemies: ["e-2"]),
            (id: "e-2", area: "hematology", topic: "t", level: "both", difficulty: 3, stem: "Second item asks something else?", answer: SingleBest(choices: ["a", "b"], key: "A"), explanation: "Because. Yes.", references: ["r"], enemies: ["e-1"]),
        ])"#;
        let lib = library(text);
        let log = Log::default();
        let mut s = session(&lib, &log, 5, Some(Area::Hematology));
        let mut rng = StdRng::seed_from_u64(2);
        let q = s.next(&mut rng).unwrap();
        assert_eq!(q.why, "Hematology, the area you chose");
        s.answer("A", 1.0).unwrap().unwrap();
        assert!(
            s.next(&mut rng).is_none(),
            "the enemy of the item asked is not asked"
        );
    }
}
