//! Scoring a finished exam: ability, scaled score, pass probability, areas, missed items.
//!
//! **Unanswered items.** On a linear form an item left blank counts as wrong, as on paper.
//! On an adaptive exam the item on screen when time ran out counts as wrong, and so does
//! every item never reached: each is scored as a wrong answer to a Rasch item pitched at
//! the candidate's ability at that moment (b = the EAP estimate from the answers given).
//! Running out of time therefore costs about what answering at chance would, and waiting
//! out the clock cannot protect a good estimate. (ASCP does not publish its rule.)

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::response::key_text;
use super::session::Session;
use crate::bank::Area;
use crate::irt::{ItemParams, Posterior, mle};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AreaResult {
    pub items: usize,
    pub correct: usize,
    /// EAP from this area's items alone (standard normal prior).
    pub theta: f64,
    pub se: f64,
    /// Seconds spent on this area's items, over all visits.
    #[serde(default)]
    pub seconds: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MissedItem {
    pub position: usize,
    pub bank: String,
    pub id: String,
    pub area: String,
    pub topic: String,
    pub stem: String,
    pub choices: Vec<String>,
    pub your_answer: Option<String>,
    pub key: String,
    pub explanation: String,
    pub references: Vec<String>,
    /// Seconds spent on the item, over all visits.
    #[serde(default)]
    pub seconds: f64,
}

fn linear() -> String {
    "linear".to_string()
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ExamResult {
    pub blueprint: String,
    pub name: String,
    /// How `scaled_score` was made: `linear` (from θ, the certification exams),
    /// `percent` (percent right) or `raw` (number right).
    #[serde(default = "linear")]
    pub scale: String,
    pub scaled_score: i64,
    pub passing_score: i64,
    pub passed: bool,
    /// The ability estimate (EAP) and its standard error (posterior SD), in logits.
    pub theta: f64,
    pub se: f64,
    pub estimator: String,
    /// The maximum-likelihood estimate alongside, and whether it sits at a bound.
    pub mle_theta: Option<f64>,
    pub mle_at_bound: bool,
    pub passing_theta: f64,
    /// Posterior probability that the true ability is above the passing standard.
    pub pass_probability: f64,
    pub items: usize,
    pub answered: usize,
    pub correct: usize,
    pub unanswered: usize,
    pub timed_out: bool,
    /// What ended a variable-length exam: `confidence` or `standard-error` (its rule met),
    /// `length` (its maximum), `time-after-minimum` (time ran out after the minimum: scored
    /// on the answers given) or `time-before-minimum` (the run-out-of-time rule: a fail).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped_by: Option<String>,
    pub time_used_seconds: f64,
    pub time_limit_seconds: f64,
    pub areas: BTreeMap<String, AreaResult>,
    pub missed: Vec<MissedItem>,
}

/// Scores `session` as it stands.
/// Scores an exam. `time_limit_seconds` is the limit in force (a `--time-limit` may
/// differ from the blueprint's).
pub fn score(
    session: &Session,
    time_used_seconds: f64,
    time_limit_seconds: f64,
    timed_out: bool,
) -> ExamResult {
    let bp = &session.blueprint;
    let grid = session.grid();
    let pool = session.pool();
    let slots = session.slots();

    // Estimate from the answers given, to place never-reached adaptive items.
    let mut answered_post = Posterior::new(grid);
    for s in slots {
        if let Some(c) = s.correct {
            answered_post.update(pool.params(s.item), c);
        }
    }
    let at_timeout = answered_post.estimate().theta;

    let answered_count = slots.iter().filter(|s| s.correct.is_some()).count();
    // A variable-length exam that met its stopping rule is complete as it stands. One
    // that ran out of time follows the NCLEX run-out-of-time rule: after the minimum it is
    // scored on the answers given (the question on screen does not count); before the
    // minimum it fails, and its score counts the missing items up to the minimum as
    // wrong. One stopped otherwise (it cannot be, but a damaged record might) is scored
    // as if it had reached its minimum.
    use crate::exam::blueprint::Length;
    let stop = session.stopped_by();
    let (planned, stopped_by, only_answered, forced_fail) = match (bp.length, stop) {
        (Length::Variable { .. }, Some(rule)) => {
            (slots.len(), Some(rule.describe().to_string()), false, false)
        }
        (Length::Variable { min, .. }, None) if timed_out && answered_count >= min => (
            answered_count,
            Some("time-after-minimum".to_string()),
            true,
            false,
        ),
        (Length::Variable { min, .. }, None) if timed_out => (
            min.max(slots.len()),
            Some("time-before-minimum".to_string()),
            false,
            true,
        ),
        (Length::Variable { min, .. }, None) => (min.max(slots.len()), None, false, false),
        (Length::Fixed(_), _) => (session.planned_length(), None, false, false),
    };
    let mut pattern: Vec<(ItemParams, bool)> = slots
        .iter()
        .filter(|s| !only_answered || s.correct.is_some())
        .map(|s| (*pool.params(s.item), s.correct.unwrap_or(false)))
        .collect();
    let unreached = if bp.is_adaptive() && !only_answered {
        planned.saturating_sub(slots.len())
    } else {
        0
    };
    pattern.extend(std::iter::repeat_n(
        (ItemParams::rasch(at_timeout), false),
        unreached,
    ));

    let mut post = Posterior::new(grid);
    for (p, c) in &pattern {
        post.update(p, *c);
    }
    let est = post.estimate();
    let m = mle(&pattern);

    let mut areas = BTreeMap::new();
    for area in Area::ALL {
        let in_area: Vec<_> = slots.iter().filter(|s| pool.area(s.item) == area).collect();
        if in_area.is_empty() {
            continue;
        }
        let mut p = Posterior::new(grid);
        for s in &in_area {
            p.update(pool.params(s.item), s.correct.unwrap_or(false));
        }
        let e = p.estimate();
        areas.insert(
            area.name().to_string(),
            AreaResult {
                items: in_area.len(),
                correct: in_area.iter().filter(|s| s.correct == Some(true)).count(),
                theta: e.theta,
                se: e.se,
                seconds: in_area.iter().map(|s| s.seconds).sum(),
            },
        );
    }

    let missed = slots
        .iter()
        .enumerate()
        .filter(|(_, s)| s.correct != Some(true))
        .map(|(k, s)| {
            let e = session.items()[s.item];
            MissedItem {
                position: k + 1,
                bank: e.bank.id.clone(),
                id: e.item.id.clone(),
                area: e.item.area.name().to_string(),
                topic: e.item.topic.clone(),
                stem: e.item.stem.clone(),
                choices: e.item.answer.choices().to_vec(),
                your_answer: s.response.as_ref().map(ToString::to_string),
                key: key_text(&e.item.answer),
                explanation: e.item.explanation.clone(),
                references: e.item.references.clone(),
                seconds: s.seconds,
            }
        })
        .collect();

    let answered = slots.iter().filter(|s| s.response.is_some()).count();
    let items = if only_answered {
        planned
    } else {
        planned.max(slots.len())
    };
    let correct = slots.iter().filter(|s| s.correct == Some(true)).count();
    let (scaled, passed) = bp.outcome(est.theta, correct, items);
    let passed = passed && !forced_fail;
    ExamResult {
        blueprint: bp.id.clone(),
        name: bp.name.clone(),
        scale: bp.scale.name().to_string(),
        scaled_score: scaled,
        passing_score: bp.passing_score(),
        passed,
        theta: est.theta,
        se: est.se,
        estimator: est.method.name().to_string(),
        mle_theta: m.map(|m| m.theta),
        mle_at_bound: m.is_some_and(|m| m.at_bound),
        passing_theta: bp.passing_theta,
        pass_probability: post.prob_above(bp.passing_theta),
        items,
        answered,
        correct,
        unanswered: items - answered,
        timed_out,
        stopped_by,
        time_used_seconds,
        time_limit_seconds,
        areas,
        missed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::{Answer, Library};
    use crate::exam::Response;

    fn library() -> Library {
        crate::bank::synthetic::single_best_library(300, 5)
    }

    fn blueprint(stop: &str) -> crate::exam::Blueprint {
        crate::exam::blueprint::parse(
            "t",
            &format!(
                "Blueprint(id: \"t\", name: \"T\", level: \"any\", delivery: Adaptive(start_theta: 0.0),
                 length: Variable(min: 10, max: 40, stop: {stop}),
                 time_limit_minutes: 60, review: NoReview, passing_theta: 0.0,
                 scale: Linear(cut_score: 400, points_per_logit: 100, min: 100, max: 999),
                 areas: [(area: \"hematology\", min: 50, max: 50), (area: \"chemistry\", min: 50, max: 50)])"
            ),
        )
        .unwrap_or_else(|e| panic!("{}", e.rendered))
    }

    /// Answers `n` items (or until the exam ends): right when `right(k)` for the k-th.
    fn answer(session: &mut Session, n: usize, right: &dyn Fn(usize) -> bool) {
        for k in 0..n {
            let Some(slot) = session.next_item() else {
                return;
            };
            let Answer::SingleBest { key, choices } = &session.item(slot).item.answer else {
                panic!("single best only")
            };
            let choice = if right(k) {
                *key
            } else {
                (key + 1) % choices.len()
            };
            session.answer(slot, Response::Choice(choice));
        }
    }

    #[test]
    fn a_variable_length_exam_stops_by_each_rule() {
        let lib = library();
        // Confidence: every answer wrong is clearly below the standard at the minimum.
        let mut s =
            Session::new(blueprint("Confidence(0.95)"), &lib, 1, &Default::default()).unwrap();
        answer(&mut s, 40, &|_| false);
        let r = score(&s, 100.0, 3600.0, false);
        assert_eq!(r.stopped_by.as_deref(), Some("confidence"));
        assert_eq!((r.items, r.answered, r.unanswered), (10, 10, 0));
        assert!(!r.passed);

        // Standard error: a loose bound is met soon after the minimum.
        let mut s = Session::new(
            blueprint("StandardError(0.45)"),
            &lib,
            2,
            &Default::default(),
        )
        .unwrap();
        answer(&mut s, 40, &|k| k % 2 == 0);
        let r = score(&s, 100.0, 3600.0, false);
        assert_eq!(r.stopped_by.as_deref(), Some("standard-error"));
        assert!((10..40).contains(&r.items), "{}", r.items);
        assert!(r.se <= 0.45 + 1e-9, "{}", r.se);

        // Length: a bound no exam of 40 items reaches ends at the maximum.
        let mut s = Session::new(
            blueprint("StandardError(0.05)"),
            &lib,
            3,
            &Default::default(),
        )
        .unwrap();
        answer(&mut s, 60, &|k| k % 2 == 0);
        let r = score(&s, 100.0, 3600.0, false);
        assert_eq!(r.stopped_by.as_deref(), Some("length"));
        assert_eq!(r.items, 40);
    }

    #[test]
    fn running_out_of_time_fails_before_the_minimum_and_scores_the_answers_after_it() {
        let lib = library();
        // Before the minimum: a fail even with every answer right.
        let mut s = Session::new(
            blueprint("StandardError(0.05)"),
            &lib,
            4,
            &Default::default(),
        )
        .unwrap();
        answer(&mut s, 6, &|_| true);
        let r = score(&s, 3600.0, 3600.0, true);
        assert_eq!(r.stopped_by.as_deref(), Some("time-before-minimum"));
        assert!(!r.passed);
        assert_eq!((r.items, r.answered), (10, 6));

        // After the minimum: scored on the answers given; the question on screen does
        // not count, so it cannot pull a clear pass down.
        let mut s = Session::new(
            blueprint("StandardError(0.05)"),
            &lib,
            5,
            &Default::default(),
        )
        .unwrap();
        answer(&mut s, 15, &|_| true);
        s.next_item().expect("a 16th item is on screen");
        let r = score(&s, 3600.0, 3600.0, true);
        assert_eq!(r.stopped_by.as_deref(), Some("time-after-minimum"));
        assert_eq!((r.items, r.answered, r.unanswered), (15, 15, 0));
        assert!(r.passed, "all 15 right is above the standard");
    }
}
