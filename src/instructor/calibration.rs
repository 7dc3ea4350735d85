//! Rasch calibration: new difficulties `b` for the items of one or more banks from a
//! class's answers, on one scale.
//!
//! The estimator is joint maximum likelihood (JML, Wright & Panchapakesan 1969, as in
//! Winsteps) with the (L − 1)/L bias correction (Wright & Douglas 1977), where L is the
//! mean number of calibrated items a candidate answered. JML makes no assumption about
//! the shape of the class's ability distribution (a class of 30 is not a normal sample),
//! handles the sparse answers of adaptive exams and practice directly, and is fast; its
//! known bias, which inflates the spread of b by L/(L − 1), is what the correction
//! removes. (For two items the corrected JML equals conditional ML exactly; a unit test
//! checks it.) See docs/instructors.md for the choice against marginal ML.
//!
//! Before estimating, items that cannot be estimated are refused and keep their old `b`:
//! fewer answers than the minimum, all answers right or all wrong, or not a Rasch item
//! (a ≠ 1 or c ≠ 0). Candidates whose answers to the remaining items are all right or all
//! wrong have no finite ability and are left out; leaving them out can leave an item with
//! too few answers or no wrong (or right) answer, so the two steps repeat until nothing
//! changes.
//!
//! **Anchoring.** JML fixes the scale only up to a shift. After estimation every new `b`
//! is shifted by one constant so that the anchor items keep their mean `b`: the items
//! the instructor names (`--anchor`), otherwise the calibrated items whose `b` was given
//! in the bank, otherwise all calibrated items (with the `b` their ratings gave). The
//! shift leaves the fit unchanged (a Rasch model is invariant to it) and keeps the bank
//! on the scale its blueprints' passing standards are written in.
//!
//! **Fit and precision.** Each calibrated item gets the Rasch mean-square fit statistics
//! (Wright & Masters 1982) from the uncorrected JML estimates: outfit, the mean of the
//! squared standardized residuals (x − P)²/(P(1 − P)) over its answers, sensitive to
//! unexpected answers far from the item's difficulty (a strong candidate missing an easy
//! item: a miskey, a trick); and infit, Σ(x − P)²/ΣP(1 − P), the information-weighted
//! version, sensitive to misfit near the item. Both expect 1; the flags follow Linacre's
//! guidance: above 1.5 the item is erratic (check its key and wording), below 0.5 it is
//! more predictable than the model (usually harmless). With a class of 20-30 the
//! standard errors are wide: an item whose SE is above [`ROUGH_SE`] is marked rough.
//!
//! Reading the answers is `responses`' job, and writing the bank file `rewrite`'s.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;
use thiserror::Error;

use super::responses::ClassAnswers;
use crate::bank::model::b_range_for_rating;
use crate::bank::{BSource, Bank, Item};
use crate::irt::logistic;
use crate::store::content_hash;

/// The default `--min-answers`: low enough that a class of 20-30 calibrates (an item
/// answered by 10 candidates at p = 0.5 has an SE near 0.65 logits, reported as rough).
pub const DEFAULT_MIN_ANSWERS: usize = 10;
/// A new `b` whose standard error is above this (logits) is marked rough: a class-sized
/// sample places it only to within about a logit either way.
pub const ROUGH_SE: f64 = 0.5;
/// Mean-square fit above this marks an erratic item; below [`OVERFIT`], an item more
/// predictable than the model (Linacre's productive range is 0.5 to 1.5).
pub const MISFIT: f64 = 1.5;
pub const OVERFIT: f64 = 0.5;
/// Estimates are kept within the range a bank accepts (docs/bank-format.md).
pub const B_LIMIT: f64 = crate::bank::decode::B_LIMIT;
/// JML stops when no difficulty moves more than this (logits) in a Newton step.
const TOLERANCE: f64 = 1e-7;
const MAX_ITERATIONS: usize = 200;
/// The largest Newton step taken at once, so early iterations cannot overshoot.
const MAX_STEP: f64 = 1.0;

/// What to calibrate and how.
#[derive(Debug, Clone)]
pub struct CalibrationRequest {
    /// Items with fewer (first) answers than this are refused.
    pub min_answers: usize,
    /// Item ids whose mean `b` the calibration keeps; empty for the default rule.
    pub anchors: Vec<String>,
    /// Use answers given to an earlier text of an item (a different `content_hash`).
    pub include_edited: bool,
}

impl Default for CalibrationRequest {
    fn default() -> Self {
        CalibrationRequest {
            min_answers: DEFAULT_MIN_ANSWERS,
            anchors: Vec::new(),
            include_edited: false,
        }
    }
}

#[derive(Debug, Error, PartialEq)]
pub enum CalibrationError {
    #[error("--anchor names {} not in bank \"{bank}\"", list(.ids))]
    UnknownAnchors { bank: String, ids: Vec<String> },
    #[error("none of the anchor items ({}) could be calibrated; name others, or leave out --anchor to anchor on the items whose b the bank gives", list(.ids))]
    AnchorsRefused { ids: Vec<String> },
}

fn list(ids: &[String]) -> String {
    ids.iter()
        .map(|i| format!("\"{i}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Why an item keeps its old `b`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "reason", rename_all = "kebab-case")]
pub enum Refusal {
    TooFewAnswers { answers: usize, min: usize },
    AllRight { answers: usize },
    AllWrong { answers: usize },
    NotRasch { a: f64, c: f64 },
}

/// An item that was not calibrated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RefusedItem {
    pub bank_id: String,
    pub item_id: String,
    /// The `b` it keeps.
    pub b: f64,
    #[serde(flatten)]
    pub reason: Refusal,
    /// Judged on the answers left after candidates with all-right or all-wrong patterns
    /// were left out.
    pub after_leaving_out_candidates: bool,
}

/// A calibrated item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CalibratedItem {
    pub bank_id: String,
    pub item_id: String,
    pub area: &'static str,
    /// Answers used (from the candidates in the estimation).
    pub answers: usize,
    /// Proportion right among them.
    pub p: f64,
    pub old_b: f64,
    /// Where the old `b` came from: `given`, `rating` or `default`.
    pub old_b_source: &'static str,
    pub b: f64,
    /// Standard error of the new `b` (model standard error, scaled like `b`).
    pub se: f64,
    pub anchor: bool,
    /// The estimate fell outside ±6 and was clamped to the bank's range.
    pub clamped: bool,
    /// The new `b` is outside the range the item's 1-5 rating suggests (`banks check`
    /// will warn `b-rating-mismatch`).
    pub outside_rating: bool,
    /// `se` is above [`ROUGH_SE`]: too wide to trust much.
    pub rough: bool,
    /// Information-weighted (infit) and unweighted (outfit) mean-square fit.
    pub infit: f64,
    pub outfit: f64,
    /// `erratic` (a mean-square above [`MISFIT`]), `predictable` (both below
    /// [`OVERFIT`]), or none.
    pub fit: Option<&'static str>,
}

/// Which items anchor the scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AnchorRule {
    /// The items named with `--anchor`.
    Named,
    /// The calibrated items whose `b` was given in the bank.
    GivenB,
    /// No calibrated item had a given `b`: all calibrated items, with the `b` their
    /// ratings (or the default) gave.
    CurrentB,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Anchoring {
    pub rule: AnchorRule,
    pub items: usize,
    /// The anchor items' mean `b` before, which they keep.
    pub mean_b: f64,
    /// The constant added to every estimate to keep it.
    pub shift: f64,
}

/// The outcome of a calibration.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Calibration {
    /// The banks calibrated together, on one scale.
    pub banks: Vec<String>,
    pub items: Vec<CalibratedItem>,
    pub refused: Vec<RefusedItem>,
    /// Candidates with answers to this bank's items.
    pub candidates: usize,
    /// Candidates in the estimation.
    pub candidates_used: usize,
    /// Left out: every answer to the calibrated items right.
    pub candidates_all_right: usize,
    /// Left out: every answer to the calibrated items wrong.
    pub candidates_all_wrong: usize,
    /// Answers used in the estimation.
    pub answers_used: usize,
    /// Answers to items of banks not being calibrated.
    pub answers_other_banks: usize,
    /// Answers to item ids the banks do not have.
    pub answers_unknown_items: usize,
    /// Answers to an earlier text of an item, left out (see `include_edited`).
    pub answers_edited: usize,
    /// L: the mean number of calibrated items a candidate in the estimation answered.
    pub mean_items_per_candidate: f64,
    /// (L − 1)/L, applied to the centred estimates and their standard errors.
    pub bias_correction: f64,
    pub anchoring: Option<Anchoring>,
    pub iterations: usize,
    pub converged: bool,
    /// Sizes of the groups of calibrated items that candidates' answers link together,
    /// largest first. More than one group means no candidate answered items from two
    /// groups, so their difficulties are on unrelated scales.
    pub item_groups: Vec<usize>,
    /// The abilities of the candidates in the estimation, on the new `b` scale, for the
    /// Wright map.
    pub abilities: Vec<f64>,
}

/// Sizes of the groups of items linked by candidates who answered items of both (a
/// union-find over the candidate-item graph), largest first.
pub fn linked_groups(items: usize, persons: &[Vec<(usize, bool)>]) -> Vec<usize> {
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut parent: Vec<usize> = (0..items).collect();
    for person in persons {
        if let Some(&(first, _)) = person.first() {
            for &(j, _) in &person[1..] {
                let (a, b) = (root(&mut parent, first), root(&mut parent, j));
                if a != b {
                    parent[a] = b;
                }
            }
        }
    }
    let mut sizes = std::collections::HashMap::new();
    for i in 0..items {
        *sizes.entry(root(&mut parent, i)).or_insert(0usize) += 1;
    }
    let mut out: Vec<usize> = sizes.into_values().collect();
    out.sort_unstable_by(|a, b| b.cmp(a));
    out
}

/// Calibrates `bank`'s items from the class's first answers.
pub fn calibrate(
    banks: &[&Bank],
    class: &ClassAnswers,
    request: &CalibrationRequest,
) -> Result<Calibration, CalibrationError> {
    // Item ids are unique across the loaded banks, so an id names one item.
    let items: HashMap<&str, &Item> = banks
        .iter()
        .flat_map(|b| b.items.iter())
        .map(|i| (i.id.as_str(), i))
        .collect();
    let bank_of: HashMap<&str, &str> = banks
        .iter()
        .flat_map(|b| b.items.iter().map(|i| (i.id.as_str(), b.id.as_str())))
        .collect();
    let bank_ids: Vec<String> = banks.iter().map(|b| b.id.clone()).collect();
    let unknown: Vec<String> = request
        .anchors
        .iter()
        .filter(|id| !items.contains_key(id.as_str()))
        .cloned()
        .collect();
    if !unknown.is_empty() {
        return Err(CalibrationError::UnknownAnchors {
            bank: bank_ids.join(", "),
            ids: unknown,
        });
    }

    // Sort the answers: this bank's, to current (or any) text, grouped by item.
    let hashes: HashMap<&str, String> =
        items.iter().map(|(id, i)| (*id, content_hash(i))).collect();
    let mut candidate_index: HashMap<&str, usize> = HashMap::new();
    let mut answers_by_item: BTreeMap<&str, Vec<(usize, bool)>> = BTreeMap::new();
    let (mut other_banks, mut unknown_items, mut edited) = (0, 0, 0);
    for a in &class.answers {
        if !bank_ids.contains(&a.bank_id) {
            other_banks += 1;
            continue;
        }
        let Some(hash) = hashes
            .get(a.item_id.as_str())
            .filter(|_| bank_of.get(a.item_id.as_str()) == Some(&a.bank_id.as_str()))
        else {
            unknown_items += 1;
            continue;
        };
        if !request.include_edited && a.content_hash != *hash {
            edited += 1;
            continue;
        }
        let next = candidate_index.len();
        let person = *candidate_index.entry(a.candidate.as_str()).or_insert(next);
        answers_by_item
            .entry(a.item_id.as_str())
            .or_default()
            .push((person, a.correct));
    }
    let n_candidates = candidate_index.len();

    // Refuse items, leave out extreme candidates, and repeat until stable.
    let mut refused: Vec<RefusedItem> = Vec::new();
    let mut active: Vec<&str> = Vec::new();
    for (&id, answers) in &answers_by_item {
        let item = items[id];
        let reason = if item.irt.a != 1.0 || item.irt.c != 0.0 {
            Some(Refusal::NotRasch {
                a: item.irt.a,
                c: item.irt.c,
            })
        } else {
            judge(answers, request.min_answers)
        };
        match reason {
            Some(reason) => refused.push(RefusedItem {
                bank_id: bank_of[id].to_string(),
                item_id: id.to_string(),
                b: item.irt.b,
                reason,
                after_leaving_out_candidates: false,
            }),
            None => active.push(id),
        }
    }
    let mut left_out: HashSet<usize> = HashSet::new();
    let (mut all_right, mut all_wrong);
    loop {
        // Candidates' scores on the active items, counting only candidates still in.
        let mut score = vec![(0usize, 0usize); n_candidates];
        for id in &active {
            for &(person, correct) in &answers_by_item[id] {
                score[person].0 += 1;
                score[person].1 += usize::from(correct);
            }
        }
        all_right = 0;
        all_wrong = 0;
        left_out.clear();
        for (person, &(n, right)) in score.iter().enumerate() {
            if n > 0 && right == n {
                all_right += 1;
                left_out.insert(person);
            } else if n > 0 && right == 0 {
                all_wrong += 1;
                left_out.insert(person);
            }
        }
        let before = active.len();
        active.retain(|id| {
            let kept: Vec<(usize, bool)> = answers_by_item[id]
                .iter()
                .copied()
                .filter(|(person, _)| !left_out.contains(person))
                .collect();
            match judge(&kept, request.min_answers) {
                None => true,
                Some(reason) => {
                    refused.push(RefusedItem {
                        bank_id: bank_of[id].to_string(),
                        item_id: id.to_string(),
                        b: items[id].irt.b,
                        reason,
                        after_leaving_out_candidates: true,
                    });
                    false
                }
            }
        });
        // Stop when nothing changed, or nothing is left (keeping the counts of the
        // last round that had items).
        if active.len() == before || active.is_empty() {
            break;
        }
    }
    refused.sort_by(|x, y| x.item_id.cmp(&y.item_id));

    // The estimation's data: persons in, items active.
    let mut person_index: HashMap<usize, usize> = HashMap::new();
    let mut persons: Vec<Vec<(usize, bool)>> = Vec::new();
    for (j, id) in active.iter().enumerate() {
        for &(person, correct) in &answers_by_item[id] {
            if left_out.contains(&person) {
                continue;
            }
            let next = persons.len();
            let k = *person_index.entry(person).or_insert(next);
            if k == persons.len() {
                persons.push(Vec::new());
            }
            persons[k].push((j, correct));
        }
    }
    let answers_used: usize = persons.iter().map(Vec::len).sum();
    let mean_items = if persons.is_empty() {
        0.0
    } else {
        answers_used as f64 / persons.len() as f64
    };

    let mut calibration = Calibration {
        banks: bank_ids.clone(),
        items: Vec::new(),
        refused,
        candidates: n_candidates,
        candidates_used: persons.len(),
        candidates_all_right: all_right,
        candidates_all_wrong: all_wrong,
        answers_used,
        answers_other_banks: other_banks,
        answers_unknown_items: unknown_items,
        answers_edited: edited,
        mean_items_per_candidate: mean_items,
        bias_correction: 1.0,
        anchoring: None,
        iterations: 0,
        converged: true,
        item_groups: Vec::new(),
        abilities: Vec::new(),
    };
    if active.is_empty() {
        if !request.anchors.is_empty() {
            return Err(CalibrationError::AnchorsRefused {
                ids: request.anchors.clone(),
            });
        }
        return Ok(calibration);
    }

    calibration.item_groups = linked_groups(active.len(), &persons);
    let fit = jml(active.len(), &persons);
    // Every person in the estimation answered at least two items (one right, one
    // wrong), so L >= 2 and the factor is positive.
    let factor = (mean_items - 1.0) / mean_items;
    let corrected: Vec<f64> = fit.b.iter().map(|b| b * factor).collect();

    let named: HashSet<&str> = request.anchors.iter().map(String::as_str).collect();
    let is_anchor: Vec<bool> = {
        let by_rule = |pick: &dyn Fn(&Item) -> bool| -> Vec<bool> {
            active.iter().map(|id| pick(items[id])).collect()
        };
        let named_in = by_rule(&|i| named.contains(i.id.as_str()));
        let given = by_rule(&|i| i.b_source == BSource::Given);
        if !named.is_empty() {
            if !named_in.contains(&true) {
                return Err(CalibrationError::AnchorsRefused {
                    ids: request.anchors.clone(),
                });
            }
            calibration.anchoring = Some(anchoring(AnchorRule::Named, &named_in));
            named_in
        } else if given.contains(&true) {
            calibration.anchoring = Some(anchoring(AnchorRule::GivenB, &given));
            given
        } else {
            let all = vec![true; active.len()];
            calibration.anchoring = Some(anchoring(AnchorRule::CurrentB, &all));
            all
        }
    };
    let mean_over = |values: &dyn Fn(usize) -> f64| {
        let picked: Vec<f64> = (0..active.len())
            .filter(|&j| is_anchor[j])
            .map(values)
            .collect();
        picked.iter().sum::<f64>() / picked.len() as f64
    };
    let mean_old = mean_over(&|j| items[active[j]].irt.b);
    let shift = mean_old - mean_over(&|j| corrected[j]);
    if let Some(a) = &mut calibration.anchoring {
        a.mean_b = mean_old;
        a.shift = shift;
    }

    let mut answered = vec![(0usize, 0usize); active.len()];
    for person in &persons {
        for &(j, correct) in person {
            answered[j].0 += 1;
            answered[j].1 += usize::from(correct);
        }
    }
    let (infit, outfit) = mean_squares(active.len(), &persons, &fit.theta, &fit.b);
    calibration.abilities = fit.theta.iter().map(|t| t * factor + shift).collect();
    calibration.items = active
        .iter()
        .enumerate()
        .map(|(j, id)| {
            let item = items[id];
            let raw = corrected[j] + shift;
            let b = raw.clamp(-B_LIMIT, B_LIMIT);
            let se = fit.se[j] * factor;
            CalibratedItem {
                bank_id: bank_of[id].to_string(),
                item_id: id.to_string(),
                area: item.area.name(),
                answers: answered[j].0,
                p: answered[j].1 as f64 / answered[j].0 as f64,
                old_b: item.irt.b,
                old_b_source: match item.b_source {
                    BSource::Given => "given",
                    BSource::Rating => "rating",
                    BSource::Default => "default",
                },
                b,
                se,
                rough: se > ROUGH_SE,
                infit: infit[j],
                outfit: outfit[j],
                fit: if infit[j] > MISFIT || outfit[j] > MISFIT {
                    Some("erratic")
                } else if infit[j] < OVERFIT && outfit[j] < OVERFIT {
                    Some("predictable")
                } else {
                    None
                },
                anchor: is_anchor[j],
                clamped: b != raw,
                outside_rating: item.difficulty.is_some_and(|rating| {
                    let (lo, hi) = b_range_for_rating(rating);
                    b < lo || b > hi
                }),
            }
        })
        .collect();
    calibration.bias_correction = factor;
    calibration.iterations = fit.iterations;
    calibration.converged = fit.converged;
    Ok(calibration)
}

/// Each item's infit and outfit mean-squares at abilities `theta` and difficulties `b`:
/// with P the Rasch probability of each answer x, outfit is the mean of (x − P)²/(P(1 −
/// P)) and infit is Σ(x − P)² / ΣP(1 − P), over the item's answers.
pub fn mean_squares(
    items: usize,
    persons: &[Vec<(usize, bool)>],
    theta: &[f64],
    b: &[f64],
) -> (Vec<f64>, Vec<f64>) {
    let mut squared = vec![0.0f64; items];
    let mut variance = vec![0.0f64; items];
    let mut z2 = vec![0.0f64; items];
    let mut n = vec![0.0f64; items];
    for (person, &t) in persons.iter().zip(theta) {
        for &(j, correct) in person {
            let p = logistic(t - b[j]);
            let residual = f64::from(u8::from(correct)) - p;
            let w = p * (1.0 - p);
            squared[j] += residual * residual;
            variance[j] += w;
            z2[j] += residual * residual / w;
            n[j] += 1.0;
        }
    }
    let infit = (0..items).map(|j| squared[j] / variance[j]).collect();
    let outfit = (0..items).map(|j| z2[j] / n[j]).collect();
    (infit, outfit)
}

fn anchoring(rule: AnchorRule, picked: &[bool]) -> Anchoring {
    Anchoring {
        rule,
        items: picked.iter().filter(|p| **p).count(),
        mean_b: 0.0,
        shift: 0.0,
    }
}

/// Whether an item's answers allow an estimate.
fn judge(answers: &[(usize, bool)], min: usize) -> Option<Refusal> {
    let n = answers.len();
    let right = answers.iter().filter(|(_, c)| *c).count();
    if n < min.max(1) {
        Some(Refusal::TooFewAnswers { answers: n, min })
    } else if right == n {
        Some(Refusal::AllRight { answers: n })
    } else if right == 0 {
        Some(Refusal::AllWrong { answers: n })
    } else {
        None
    }
}

/// A JML fit: item difficulties centred at 0 (no bias correction), their model standard
/// errors 1/√(Σ PQ), and the abilities.
#[derive(Debug, Clone, PartialEq)]
pub struct JmlFit {
    pub b: Vec<f64>,
    pub se: Vec<f64>,
    pub theta: Vec<f64>,
    pub iterations: usize,
    pub converged: bool,
}

/// Joint maximum likelihood for the Rasch model. `persons[n]` lists person n's answers
/// as (item index, correct). Every person and every item must have at least one right
/// and one wrong answer (extreme scores have no finite estimate; `calibrate` removes
/// them first).
///
/// Newton's method on the difficulties with the abilities profiled out: each round
/// solves every ability exactly for the current difficulties, then takes the Newton
/// step for all difficulties at once, whose Hessian is the Schur complement
/// S = D_b − Wᵀ D_θ⁻¹ W of the joint information (W holding P·Q for each answer). S is
/// never formed: the step is solved by conjugate gradients with S applied through the
/// answers, so the cost is a few passes over the answers however large the bank. Steps
/// are capped at [`MAX_STEP`] logits and the difficulties re-centred after each; the fit
/// has converged when no difficulty moves more than 1e-7 logits. (Alternating one-step
/// updates, the textbook JML, converge in a handful of rounds on complete data but
/// need over a thousand on the sparse, targeted answers of adaptive exams; this takes
/// a handful on both.)
pub fn jml(items: usize, persons: &[Vec<(usize, bool)>]) -> JmlFit {
    let mut item_n = vec![0.0f64; items];
    let mut item_right = vec![0.0f64; items];
    for person in persons {
        for &(j, correct) in person {
            item_n[j] += 1.0;
            item_right[j] += f64::from(u8::from(correct));
        }
    }
    let logit = |right: f64, n: f64| {
        let p = (right / n).clamp(0.01, 0.99);
        (p / (1.0 - p)).ln()
    };
    let mut b: Vec<f64> = (0..items)
        .map(|j| -logit(item_right[j], item_n[j]))
        .collect();
    center(&mut b, &mut []);
    let person_score: Vec<f64> = persons
        .iter()
        .map(|p| p.iter().filter(|(_, c)| *c).count() as f64)
        .collect();
    let mut theta: Vec<f64> = persons
        .iter()
        .zip(&person_score)
        .map(|(p, &s)| logit(s, p.len() as f64))
        .collect();

    let mut iterations = 0;
    let mut converged = false;
    while iterations < MAX_ITERATIONS {
        iterations += 1;
        solve_abilities(persons, &person_score, &b, &mut theta);
        let info = Information::at(items, persons, &theta, &b);
        let residual: Vec<f64> = (0..items)
            .map(|j| item_right[j] - info.expected[j])
            .collect();
        let mut step = info.solve(persons, &residual);
        let largest = step.iter().fold(0.0f64, |m, s| m.max(s.abs()));
        if largest > MAX_STEP {
            for s in &mut step {
                *s *= MAX_STEP / largest;
            }
        }
        for (bj, s) in b.iter_mut().zip(&step) {
            *bj -= s;
        }
        center(&mut b, &mut theta);
        if largest < TOLERANCE {
            converged = true;
            break;
        }
    }
    solve_abilities(persons, &person_score, &b, &mut theta);
    let info = Information::at(items, persons, &theta, &b);
    JmlFit {
        se: info.d_b.iter().map(|v| 1.0 / v.sqrt()).collect(),
        b,
        theta,
        iterations,
        converged,
    }
}

/// Solves each person's ability for the given difficulties (Newton, capped steps).
fn solve_abilities(persons: &[Vec<(usize, bool)>], score: &[f64], b: &[f64], theta: &mut [f64]) {
    for ((person, t), &s) in persons.iter().zip(theta.iter_mut()).zip(score) {
        for _ in 0..100 {
            let (mut e, mut v) = (0.0, 0.0);
            for &(j, _) in person {
                let p = logistic(*t - b[j]);
                e += p;
                v += p * (1.0 - p);
            }
            let step = ((s - e) / v).clamp(-MAX_STEP, MAX_STEP);
            *t += step;
            if step.abs() < 1e-10 {
                break;
            }
        }
    }
}

/// The joint information at (θ, b), in the pieces the Newton step needs.
struct Information {
    /// Expected score of each item, Σ P.
    expected: Vec<f64>,
    /// Σ PQ per item and per person (the diagonal blocks).
    d_b: Vec<f64>,
    d_theta: Vec<f64>,
    /// P·Q of each answer, in the order of `persons` (the off-diagonal block W).
    w: Vec<Vec<f64>>,
}

impl Information {
    fn at(items: usize, persons: &[Vec<(usize, bool)>], theta: &[f64], b: &[f64]) -> Self {
        let mut info = Information {
            expected: vec![0.0; items],
            d_b: vec![0.0; items],
            d_theta: vec![0.0; persons.len()],
            w: Vec::with_capacity(persons.len()),
        };
        for (n, person) in persons.iter().enumerate() {
            let mut row = Vec::with_capacity(person.len());
            for &(j, _) in person {
                let p = logistic(theta[n] - b[j]);
                let pq = p * (1.0 - p);
                info.expected[j] += p;
                info.d_b[j] += pq;
                info.d_theta[n] += pq;
                row.push(pq);
            }
            info.w.push(row);
        }
        info
    }

    /// S·v, with S = D_b − Wᵀ D_θ⁻¹ W.
    fn apply(&self, persons: &[Vec<(usize, bool)>], v: &[f64]) -> Vec<f64> {
        let mut out: Vec<f64> = self.d_b.iter().zip(v).map(|(d, x)| d * x).collect();
        for ((person, row), d) in persons.iter().zip(&self.w).zip(&self.d_theta) {
            let u = person
                .iter()
                .zip(row)
                .map(|(&(j, _), w)| w * v[j])
                .sum::<f64>()
                / d;
            for (&(j, _), w) in person.iter().zip(row) {
                out[j] -= w * u;
            }
        }
        out
    }

    /// Solves S·x = g by conjugate gradients with the diagonal of S as preconditioner.
    /// S is singular along (1, ..., 1) (a common shift changes nothing), so `g` is
    /// projected off that direction first; the caller re-centres the result.
    fn solve(&self, persons: &[Vec<(usize, bool)>], g: &[f64]) -> Vec<f64> {
        let n = g.len();
        let mut diag = self.d_b.clone();
        for ((person, row), d) in persons.iter().zip(&self.w).zip(&self.d_theta) {
            for (&(j, _), w) in person.iter().zip(row) {
                diag[j] -= w * w / d;
            }
        }
        for d in &mut diag {
            *d = d.max(1e-12);
        }
        let mean = g.iter().sum::<f64>() / n as f64;
        let mut r: Vec<f64> = g.iter().map(|x| x - mean).collect();
        let norm = |v: &[f64]| v.iter().map(|x| x * x).sum::<f64>().sqrt();
        let target = 1e-10 * norm(&r).max(1e-300);
        let mut x = vec![0.0; n];
        let mut z: Vec<f64> = r.iter().zip(&diag).map(|(r, d)| r / d).collect();
        let mut p = z.clone();
        let mut rz: f64 = r.iter().zip(&z).map(|(a, b)| a * b).sum();
        for _ in 0..n.max(50) * 2 {
            if norm(&r) <= target {
                break;
            }
            let q = self.apply(persons, &p);
            let pq: f64 = p.iter().zip(&q).map(|(a, b)| a * b).sum();
            if pq <= 0.0 || !pq.is_finite() {
                break;
            }
            let alpha = rz / pq;
            for k in 0..n {
                x[k] += alpha * p[k];
                r[k] -= alpha * q[k];
            }
            z = r.iter().zip(&diag).map(|(r, d)| r / d).collect();
            let rz_next: f64 = r.iter().zip(&z).map(|(a, b)| a * b).sum();
            let beta = rz_next / rz;
            rz = rz_next;
            for k in 0..n {
                p[k] = z[k] + beta * p[k];
            }
        }
        x
    }
}

/// Shifts difficulties to mean 0, and abilities with them (the likelihood is unchanged).
fn center(b: &mut [f64], theta: &mut [f64]) {
    if b.is_empty() {
        return;
    }
    let mean = b.iter().sum::<f64>() / b.len() as f64;
    for x in b.iter_mut().chain(theta.iter_mut()) {
        *x -= mean;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::load::check_text;
    use crate::instructor::responses::{Origin, RecordedAnswer};
    use rand::rngs::StdRng;
    use rand::{RngExt, SeedableRng};

    #[track_caller]
    fn assert_close(actual: f64, expected: f64, tol: f64) {
        assert!(
            (actual - expected).abs() <= tol,
            "got {actual}, expected {expected} (tolerance {tol})"
        );
    }

    /// Persons with patterns (1,0) and (0,1) on two items, `n10` and `n01` of each.
    fn two_items(n10: usize, n01: usize) -> Vec<Vec<(usize, bool)>> {
        let mut persons = vec![vec![(0, true), (1, false)]; n10];
        persons.extend(vec![vec![(0, false), (1, true)]; n01]);
        persons
    }

    #[test]
    fn linked_groups_find_items_no_candidate_connects() {
        // Candidates 1-2 answered items 0-2, candidate 3 items 3-4: two groups.
        let persons = vec![
            vec![(0, true), (1, false)],
            vec![(1, true), (2, false)],
            vec![(3, true), (4, false)],
        ];
        assert_eq!(linked_groups(5, &persons), vec![3, 2]);
        let mut linked = persons.clone();
        linked.push(vec![(2, true), (3, false)]);
        assert_eq!(linked_groups(5, &linked), vec![5]);
    }

    #[test]
    fn two_item_jml_is_twice_conditional_ml_and_the_correction_halves_it() {
        // Andersen (1973): with two items, JML gives b2 - b1 = 2 ln(n10/n01), conditional
        // ML gives ln(n10/n01); (L - 1)/L = 1/2 removes the bias exactly.
        for (n10, n01) in [(30, 10), (12, 12), (5, 40)] {
            let fit = jml(2, &two_items(n10, n01));
            assert!(fit.converged);
            let cml = (n10 as f64 / n01 as f64).ln();
            assert_close(fit.b[1] - fit.b[0], 2.0 * cml, 1e-6);
            assert_close(fit.b[0] + fit.b[1], 0.0, 1e-12);
        }
    }

    #[test]
    fn the_fit_solves_the_score_equations() {
        let mut rng = StdRng::seed_from_u64(3);
        let true_b: Vec<f64> = (0..12).map(|j| -1.5 + 0.25 * j as f64).collect();
        let mut persons = Vec::new();
        while persons.len() < 80 {
            let theta = rng.random_range(-1.5..1.5);
            // Each person answers a random 8 of the 12 items.
            let mut answers: Vec<(usize, bool)> = Vec::new();
            for (j, b) in true_b.iter().enumerate() {
                if rng.random_range(0..3) > 0 {
                    answers.push((j, rng.random::<f64>() < logistic(theta - b)));
                }
            }
            let right = answers.iter().filter(|a| a.1).count();
            if right > 0 && right < answers.len() {
                persons.push(answers);
            }
        }
        let fit = jml(12, &persons);
        // Newton on the profiled difficulties: a handful of rounds, not hundreds.
        assert!(
            fit.converged && fit.iterations <= 10,
            "{} iterations",
            fit.iterations
        );
        let mut expected = [0.0; 12];
        let mut observed = [0.0; 12];
        for (person, t) in persons.iter().zip(&fit.theta) {
            let (mut e, mut s) = (0.0, 0.0);
            for &(j, c) in person {
                let p = logistic(t - fit.b[j]);
                e += p;
                s += f64::from(u8::from(c));
                expected[j] += p;
                observed[j] += f64::from(u8::from(c));
            }
            assert_close(e, s, 1e-5);
        }
        for j in 0..12 {
            assert_close(expected[j], observed[j], 1e-5);
            assert!(fit.se[j] > 0.1 && fit.se[j] < 1.0, "se {}", fit.se[j]);
        }
    }

    const BANK: &str = r#"Bank(id: "t", title: "t", author: "t", version: "1", license: "CC0-1.0", items: [
        (id: "i1", area: "chemistry", topic: "t", level: "both", b: 1.0, stem: "One?", answer: SingleBest(choices: ["a", "b"], key: "A"), explanation: "e", references: ["r"]),
        (id: "i2", area: "chemistry", topic: "t", level: "both", b: -1.0, stem: "Two?", answer: SingleBest(choices: ["a", "b"], key: "A"), explanation: "e", references: ["r"]),
        (id: "i3", area: "chemistry", topic: "t", level: "both", difficulty: 3, stem: "Three?", answer: SingleBest(choices: ["a", "b"], key: "A"), explanation: "e", references: ["r"]),
        (id: "easy", area: "chemistry", topic: "t", level: "both", difficulty: 1, stem: "Four?", answer: SingleBest(choices: ["a", "b"], key: "A"), explanation: "e", references: ["r"]),
        (id: "rare", area: "chemistry", topic: "t", level: "both", difficulty: 3, stem: "Five?", answer: SingleBest(choices: ["a", "b"], key: "A"), explanation: "e", references: ["r"]),
        (id: "threepl", area: "chemistry", topic: "t", level: "both", b: 0.5, a: 1.3, c: 0.2, stem: "Six?", answer: SingleBest(choices: ["a", "b"], key: "A"), explanation: "e", references: ["r"]),
    ])"#;

    fn bank() -> Bank {
        let report = check_text("t.ron", BANK);
        assert_eq!(report.errors(), 0);
        report.banks[0].clone()
    }

    fn class(bank: &Bank, rows: &[(&str, &str, bool)]) -> ClassAnswers {
        let answers = rows
            .iter()
            .enumerate()
            .map(|(k, (candidate, item, correct))| RecordedAnswer {
                candidate: candidate.to_string(),
                mode: "exam".into(),
                blueprint_id: String::new(),
                answered_at: k as i64,
                bank_id: bank.id.clone(),
                item_id: item.to_string(),
                content_hash: bank
                    .items
                    .iter()
                    .find(|i| i.id == *item)
                    .map_or_else(|| "0".repeat(16), content_hash),
                area: crate::bank::Area::Chemistry,
                response: "A".into(),
                correct: *correct,
                seconds: 1.0,
                origin: Origin { file: 0, line: k },
            })
            .collect();
        ClassAnswers::from_answers(vec![], answers)
    }

    #[test]
    fn refusals_and_left_out_candidates() {
        let bank = bank();
        // Ten candidates. i1, i2, i3 have mixed answers; `easy` is always right;
        // `rare` has 2 answers; `threepl` is not Rasch. Candidate "top" is right on all
        // of i1-i3, "bottom" wrong on all.
        let mut rows = Vec::new();
        let names: Vec<String> = (0..8).map(|k| format!("c{k}")).collect();
        for (k, name) in names.iter().enumerate() {
            rows.push((name.as_str(), "i1", k % 4 == 0));
            rows.push((name.as_str(), "i2", k % 4 != 3));
            rows.push((name.as_str(), "i3", k % 2 == 1));
            rows.push((name.as_str(), "easy", true));
            rows.push((name.as_str(), "threepl", k % 2 == 1));
        }
        for item in ["i1", "i2", "i3"] {
            rows.push(("top", item, true));
            rows.push(("bottom", item, false));
        }
        rows.push(("c0", "rare", true));
        rows.push(("c1", "rare", false));
        let class = class(&bank, &rows);
        let request = CalibrationRequest {
            min_answers: 5,
            ..Default::default()
        };
        let cal = calibrate(&[&bank], &class, &request).unwrap();
        let refused: Vec<(&str, &Refusal)> = cal
            .refused
            .iter()
            .map(|r| (r.item_id.as_str(), &r.reason))
            .collect();
        assert_eq!(
            refused,
            vec![
                ("easy", &Refusal::AllRight { answers: 8 }),
                ("rare", &Refusal::TooFewAnswers { answers: 2, min: 5 }),
                ("threepl", &Refusal::NotRasch { a: 1.3, c: 0.2 }),
            ]
        );
        assert_eq!(cal.refused[0].b, -2.0, "a refused item keeps its b");
        assert_eq!((cal.candidates_all_right, cal.candidates_all_wrong), (1, 1));
        assert_eq!(cal.candidates, 10);
        assert_eq!(cal.candidates_used, 8);
        let ids: Vec<&str> = cal.items.iter().map(|i| i.item_id.as_str()).collect();
        assert_eq!(ids, vec!["i1", "i2", "i3"]);
        // Anchored on i1 and i2 (b given): their mean stays 0.
        let anchoring = cal.anchoring.as_ref().unwrap();
        assert_eq!((anchoring.rule, anchoring.items), (AnchorRule::GivenB, 2));
        assert_close(cal.items[0].b + cal.items[1].b, 0.0, 1e-9);
        // i1 (2 of 8 right) is harder than i3 (4 of 8), which is harder than i2 (6 of 8).
        assert!(cal.items[0].b > cal.items[2].b && cal.items[2].b > cal.items[1].b);
        assert_close(cal.bias_correction, 2.0 / 3.0, 1e-12);
    }

    #[test]
    fn named_anchors_and_their_errors() {
        let bank = bank();
        let mut rows = Vec::new();
        let names: Vec<String> = (0..8).map(|k| format!("c{k}")).collect();
        for (k, name) in names.iter().enumerate() {
            rows.push((name.as_str(), "i1", k < 3));
            rows.push((name.as_str(), "i3", k >= 3));
        }
        let class = class(&bank, &rows);
        let mut request = CalibrationRequest {
            min_answers: 5,
            anchors: vec!["i3".into()],
            ..Default::default()
        };
        let cal = calibrate(&[&bank], &class, &request).unwrap();
        assert_eq!(cal.anchoring.as_ref().unwrap().rule, AnchorRule::Named);
        assert_close(cal.items[1].b, 0.0, 1e-9);
        request.anchors = vec!["nope".into()];
        assert_eq!(
            calibrate(&[&bank], &class, &request)
                .unwrap_err()
                .to_string(),
            "--anchor names \"nope\" not in bank \"t\""
        );
        request.anchors = vec!["easy".into()];
        assert!(matches!(
            calibrate(&[&bank], &class, &request),
            Err(CalibrationError::AnchorsRefused { .. })
        ));
    }
}
