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

    let mut pattern: Vec<(ItemParams, bool)> = slots
        .iter()
        .map(|s| (*pool.params(s.item), s.correct.unwrap_or(false)))
        .collect();
    // A variable-length exam that met its stopping rule is complete as it stands; one
    // stopped early (time ran out) is scored as if it had reached its minimum, the
    // missing items counting as wrong (the NCLEX run-out-of-time rule is stricter; see
    // docs/scoring.md).
    let planned = match bp.length {
        crate::exam::blueprint::Length::Variable { .. } if session.complete() => slots.len(),
        crate::exam::blueprint::Length::Variable { min, .. } => min.max(slots.len()),
        crate::exam::blueprint::Length::Fixed(_) => session.planned_length(),
    };
    let unreached = if bp.is_adaptive() {
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
    let items = planned.max(slots.len());
    let correct = slots.iter().filter(|s| s.correct == Some(true)).count();
    let (scaled, passed) = bp.outcome(est.theta, correct, items);
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
        time_used_seconds,
        time_limit_seconds,
        areas,
        missed,
    }
}
