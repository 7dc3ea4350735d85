//! Classical item analysis of a class's answers: difficulty (p), discrimination
//! (corrected point-biserial), distractor counts, time, and flags for items to review.
//!
//! Works on each candidate's first answer to each item (see
//! [`ClassAnswers::from_answers`]). The loaded banks are used only to look items up: the
//! number of choices and the key (for distractors nobody chose), the area, and whether
//! the text changed since it was answered. Items missing from the banks are still
//! analysed from the answers alone. Rendering is the command's job.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::responses::{ClassAnswers, RecordedAnswer};
use crate::bank::decode::letter_for;
use crate::bank::{Answer, Area, Item, Library};
use crate::store::content_hash;

/// Items answered correctly by more than this proportion are flagged too easy.
pub const TOO_EASY_P: f64 = 0.9;
/// Items answered correctly by fewer than this proportion are flagged too hard.
pub const TOO_HARD_P: f64 = 0.3;
/// Discrimination below this (and not negative) is flagged weak.
pub const WEAK_R: f64 = 0.2;
/// The default `--min-candidates`: fewer answers than this are reported but not judged.
pub const DEFAULT_MIN_CANDIDATES: usize = 10;

/// Something about an item an instructor should look at.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "flag", rename_all = "kebab-case")]
pub enum Flag {
    /// p above [`TOO_EASY_P`].
    TooEasy { p: f64 },
    /// p below [`TOO_HARD_P`].
    TooHard { p: f64 },
    /// r below 0: stronger candidates get it wrong more often (a miskeyed item?).
    NegativeDiscrimination { r: f64 },
    /// 0 <= r < [`WEAK_R`].
    WeakDiscrimination { r: f64 },
    /// Wrong choices that no candidate chose.
    UnchosenDistractor { letters: Vec<char> },
    /// The item is not in the loaded banks (by bank id and item id).
    NotInBank,
    /// Some answers were given to an earlier text of the item.
    Edited { answers: usize, of: usize },
    /// Fewer candidates than `--min-candidates`: figures shown, not judged.
    FewCandidates { candidates: usize, min: usize },
}

impl Flag {
    /// A sentence for the plain report.
    pub fn message(&self) -> String {
        match self {
            Flag::TooEasy { p } => format!("too easy: p = {p:.2} (above {TOO_EASY_P})"),
            Flag::TooHard { p } => format!("too hard: p = {p:.2} (below {TOO_HARD_P})"),
            Flag::NegativeDiscrimination { r } => format!(
                "negative discrimination: r = {r:.2}; stronger candidates miss it more often: check the key"
            ),
            Flag::WeakDiscrimination { r } => {
                format!("weak discrimination: r = {r:.2} (below {WEAK_R})")
            }
            Flag::UnchosenDistractor { letters } => {
                let list: Vec<String> = letters.iter().map(char::to_string).collect();
                if letters.len() == 1 {
                    format!("nobody chose distractor {}: rewrite or replace it", list[0])
                } else {
                    format!(
                        "nobody chose distractors {}: rewrite or replace them",
                        list.join(", ")
                    )
                }
            }
            Flag::NotInBank => {
                "not in the loaded banks: load its bank with --bank to check its choices".into()
            }
            Flag::Edited { answers, of } => format!(
                "edited since: {answers} of {of} answers {} to an earlier text of the item",
                if *answers == 1 { "was" } else { "were" }
            ),
            Flag::FewCandidates { candidates, min } => format!(
                "only {candidates} candidate{} (under --min-candidates {min}): too few to judge",
                if *candidates == 1 { "" } else { "s" }
            ),
        }
    }
}

/// How often one choice was chosen.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChoiceCount {
    pub letter: char,
    pub chosen: usize,
    /// Whether it is (one of) the key(s); `None` when the item is not in the banks.
    pub key: Option<bool>,
}

/// The figures for one item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemStats {
    pub bank_id: String,
    pub item_id: String,
    pub area: &'static str,
    /// `single-best`, `select-all` or `numeric`; `None` when not in the banks.
    pub kind: Option<&'static str>,
    /// Candidates who answered it (first answers).
    pub candidates: usize,
    pub correct: usize,
    /// Proportion correct.
    pub p: f64,
    /// Corrected item-total point-biserial: the correlation between the item score and
    /// the proportion correct on the other items the candidate answered. `None` when it
    /// is undefined (everyone right or wrong, or no candidate answered another item).
    pub r: Option<f64>,
    /// Candidates in that correlation (those who answered at least one other item).
    pub r_candidates: usize,
    /// How often each choice was chosen (a select-all answer counts every letter).
    pub choices: Vec<ChoiceCount>,
    /// Answers that named no choice letter (blank, or a number for a choice item).
    pub no_letter: usize,
    pub mean_seconds: f64,
    pub flags: Vec<Flag>,
}

/// Totals for one content area.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaSummary {
    pub area: &'static str,
    pub items: usize,
    pub answers: usize,
    /// Mean p over the area's items judged (with at least `min_candidates`).
    pub mean_p: Option<f64>,
    /// Mean r over those items where r is defined.
    pub mean_r: Option<f64>,
    /// Items with at least one flag other than `few-candidates`.
    pub flagged: usize,
}

/// The whole analysis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemAnalysis {
    pub files: usize,
    pub candidates: usize,
    /// First answers used.
    pub answers: usize,
    /// Later answers by a candidate to an item already answered, left out.
    pub repeats_ignored: usize,
    pub min_candidates: usize,
    /// Items ordered by area, bank and item id.
    pub items: Vec<ItemStats>,
    pub areas: Vec<AreaSummary>,
}

/// Analyses every item the class answered. Items with fewer than `min_candidates`
/// candidates get figures but only the `few-candidates`, `not-in-bank` and `edited`
/// flags: their p and r are too noisy to act on.
pub fn analyze(class: &ClassAnswers, library: &Library, min_candidates: usize) -> ItemAnalysis {
    let lookup: HashMap<(&str, &str), &Item> = library
        .items()
        .map(|(bank, item)| ((bank.id.as_str(), item.id.as_str()), item))
        .collect();

    // Each candidate's number answered and number right, over all their first answers.
    let mut totals: HashMap<&str, (usize, usize)> = HashMap::new();
    for a in &class.answers {
        let t = totals.entry(a.candidate.as_str()).or_default();
        t.0 += 1;
        t.1 += usize::from(a.correct);
    }

    let mut by_item: BTreeMap<(&str, &str), Vec<&RecordedAnswer>> = BTreeMap::new();
    for a in &class.answers {
        by_item
            .entry((a.bank_id.as_str(), a.item_id.as_str()))
            .or_default()
            .push(a);
    }

    let mut items: Vec<(Area, ItemStats)> = by_item
        .into_iter()
        .map(|((bank_id, item_id), answers)| {
            let item = lookup.get(&(bank_id, item_id)).copied();
            let area = item.map_or(answers[0].area, |i| i.area);
            let stats = item_stats(
                bank_id,
                item_id,
                area,
                item,
                &answers,
                &totals,
                min_candidates,
            );
            (area, stats)
        })
        .collect();
    items.sort_by(|(a, x), (b, y)| (a, &x.bank_id, &x.item_id).cmp(&(b, &y.bank_id, &y.item_id)));

    let areas = Area::ALL
        .into_iter()
        .filter_map(|area| {
            let in_area: Vec<&ItemStats> = items
                .iter()
                .filter(|(a, _)| *a == area)
                .map(|(_, s)| s)
                .collect();
            (!in_area.is_empty()).then(|| area_summary(area, &in_area, min_candidates))
        })
        .collect();

    ItemAnalysis {
        files: class.files.len(),
        candidates: class.candidate_count(),
        answers: class.answers.len(),
        repeats_ignored: class.repeats_ignored,
        min_candidates,
        items: items.into_iter().map(|(_, s)| s).collect(),
        areas,
    }
}

fn item_stats(
    bank_id: &str,
    item_id: &str,
    area: Area,
    item: Option<&Item>,
    answers: &[&RecordedAnswer],
    totals: &HashMap<&str, (usize, usize)>,
    min_candidates: usize,
) -> ItemStats {
    let n = answers.len();
    let correct = answers.iter().filter(|a| a.correct).count();
    let p = correct as f64 / n as f64;

    // Corrected item-total: the item against the proportion right on the other items.
    let pairs: Vec<(f64, f64)> = answers
        .iter()
        .filter_map(|a| {
            let (answered, right) = totals.get(a.candidate.as_str()).copied()?;
            let x = usize::from(a.correct);
            (answered > 1).then(|| (x as f64, (right - x) as f64 / (answered - 1) as f64))
        })
        .collect();
    let r = pearson(&pairs);

    let letters: Vec<Option<Vec<usize>>> = answers.iter().map(|a| a.letters()).collect();
    let no_letter = letters.iter().filter(|l| l.is_none()).count();
    let (n_choices, keys): (usize, Option<Vec<usize>>) = match item.map(|i| &i.answer) {
        Some(Answer::SingleBest { choices, key }) => (choices.len(), Some(vec![*key])),
        Some(Answer::SelectAll { choices, keys }) => (choices.len(), Some(keys.clone())),
        Some(Answer::Numeric { .. }) => (0, None),
        None => (
            letters
                .iter()
                .flatten()
                .flatten()
                .max()
                .map_or(0, |m| m + 1),
            None,
        ),
    };
    let choices: Vec<ChoiceCount> = (0..n_choices)
        .map(|k| ChoiceCount {
            letter: letter_for(k),
            chosen: letters.iter().flatten().filter(|l| l.contains(&k)).count(),
            key: keys.as_ref().map(|keys| keys.contains(&k)),
        })
        .collect();
    let mean_seconds = answers.iter().map(|a| a.seconds).sum::<f64>() / n as f64;

    let mut flags = Vec::new();
    if n < min_candidates {
        flags.push(Flag::FewCandidates {
            candidates: n,
            min: min_candidates,
        });
    } else {
        if p > TOO_EASY_P {
            flags.push(Flag::TooEasy { p });
        } else if p < TOO_HARD_P {
            flags.push(Flag::TooHard { p });
        }
        match r {
            Some(r) if r < 0.0 => flags.push(Flag::NegativeDiscrimination { r }),
            Some(r) if r < WEAK_R => flags.push(Flag::WeakDiscrimination { r }),
            _ => {}
        }
        let unchosen: Vec<char> = choices
            .iter()
            .filter(|c| c.key == Some(false) && c.chosen == 0)
            .map(|c| c.letter)
            .collect();
        if !unchosen.is_empty() {
            flags.push(Flag::UnchosenDistractor { letters: unchosen });
        }
    }
    match item {
        None => flags.push(Flag::NotInBank),
        Some(item) => {
            let current = content_hash(item);
            let earlier = answers.iter().filter(|a| a.content_hash != current).count();
            if earlier > 0 {
                flags.push(Flag::Edited {
                    answers: earlier,
                    of: n,
                });
            }
        }
    }

    ItemStats {
        bank_id: bank_id.to_string(),
        item_id: item_id.to_string(),
        area: area.name(),
        kind: item.map(|i| i.answer.kind().name()),
        candidates: n,
        correct,
        p,
        r,
        r_candidates: pairs.len(),
        choices,
        no_letter,
        mean_seconds,
        flags,
    }
}

/// The Pearson correlation of the pairs, or `None` with fewer than two pairs or no
/// spread in either variable.
pub fn pearson(pairs: &[(f64, f64)]) -> Option<f64> {
    if pairs.len() < 2 {
        return None;
    }
    let n = pairs.len() as f64;
    let mx = pairs.iter().map(|p| p.0).sum::<f64>() / n;
    let my = pairs.iter().map(|p| p.1).sum::<f64>() / n;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in pairs {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) * (x - mx);
        syy += (y - my) * (y - my);
    }
    // Spread this small is rounding error on a constant.
    if sxx <= 1e-12 || syy <= 1e-12 {
        return None;
    }
    Some(sxy / (sxx * syy).sqrt())
}

fn area_summary(area: Area, items: &[&ItemStats], min_candidates: usize) -> AreaSummary {
    let judged: Vec<&&ItemStats> = items
        .iter()
        .filter(|s| s.candidates >= min_candidates)
        .collect();
    let mean = |values: Vec<f64>| {
        (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
    };
    AreaSummary {
        area: area.name(),
        items: items.len(),
        answers: items.iter().map(|s| s.candidates).sum(),
        mean_p: mean(judged.iter().map(|s| s.p).collect()),
        mean_r: mean(judged.iter().filter_map(|s| s.r).collect()),
        flagged: items
            .iter()
            .filter(|s| {
                s.flags
                    .iter()
                    .any(|f| !matches!(f, Flag::FewCandidates { .. }))
            })
            .count(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instructor::responses::Origin;

    #[track_caller]
    fn assert_close(actual: f64, expected: f64) {
        assert!(
            (actual - expected).abs() < 1e-12,
            "got {actual}, expected {expected}"
        );
    }

    fn answer(candidate: &str, item: &str, response: &str, correct: bool) -> RecordedAnswer {
        RecordedAnswer {
            candidate: candidate.into(),
            mode: "exam".into(),
            blueprint_id: String::new(),
            answered_at: 0,
            bank_id: "class".into(),
            item_id: item.into(),
            content_hash: "0000000000000000".into(),
            area: Area::Chemistry,
            response: response.into(),
            correct,
            seconds: 10.0,
            origin: Origin { file: 0, line: 1 },
        }
    }

    #[test]
    fn pearson_table() {
        type Pairs = &'static [(f64, f64)];
        let table: [(Pairs, Option<f64>); 5] = [
            (&[(0.0, 0.0), (1.0, 1.0)], Some(1.0)),
            (&[(0.0, 1.0), (1.0, 0.0), (1.0, 0.0)], Some(-1.0)),
            (&[(1.0, 0.2), (1.0, 0.9)], None),
            (&[(0.0, 0.5), (1.0, 0.5)], None),
            (&[(1.0, 0.5)], None),
        ];
        for (pairs, expected) in table {
            match (pearson(pairs), expected) {
                (Some(got), Some(want)) => assert_close(got, want),
                (got, want) => assert_eq!(got, want, "{pairs:?}"),
            }
        }
        // x = [1, 0, 1, 0], y = [1, 0, 0.5, 0.5]: sxy = 0.5, sxx = 1, syy = 0.5.
        let r = pearson(&[(1.0, 1.0), (0.0, 0.0), (1.0, 0.5), (0.0, 0.5)]).unwrap();
        assert_close(r, 0.5 / 0.5f64.sqrt());
    }

    #[test]
    fn the_item_is_left_out_of_its_own_total() {
        // Two items; each candidate's rest score is their score on the other item.
        let answers = vec![
            answer("a", "x", "A", true),
            answer("a", "y", "B", true),
            answer("b", "x", "C", false),
            answer("b", "y", "B", true),
            answer("c", "x", "A", true),
            answer("c", "y", "A", false),
        ];
        let class = ClassAnswers::from_answers(vec![], answers);
        let report = analyze(&class, &Library::default(), 1);
        let x = &report.items[0];
        assert_eq!((x.item_id.as_str(), x.candidates, x.correct), ("x", 3, 2));
        // x = [1, 0, 1], rest = y = [1, 1, 0]: r = -0.5.
        assert_close(x.r.unwrap(), -0.5);
        assert!(x.flags.contains(&Flag::NegativeDiscrimination { r: -0.5 }));
        assert!(x.flags.contains(&Flag::NotInBank));
        // Letters seen: A twice, C once; B never (but unknown item: no key, no flag).
        let counts: Vec<(char, usize)> = x.choices.iter().map(|c| (c.letter, c.chosen)).collect();
        assert_eq!(counts, vec![('A', 2), ('B', 0), ('C', 1)]);
        assert!(
            !x.flags
                .iter()
                .any(|f| matches!(f, Flag::UnchosenDistractor { .. }))
        );
    }

    #[test]
    fn few_candidates_are_shown_but_not_judged() {
        let answers = vec![answer("a", "x", "A", true), answer("b", "x", "A", true)];
        let class = ClassAnswers::from_answers(vec![], answers);
        let report = analyze(&class, &Library::default(), 3);
        assert_eq!(
            report.items[0].flags,
            vec![
                Flag::FewCandidates {
                    candidates: 2,
                    min: 3
                },
                Flag::NotInBank
            ]
        );
        assert_eq!(report.areas[0].mean_p, None);
        assert_eq!(report.areas[0].flagged, 1);
    }
}
