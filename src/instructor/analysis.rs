//! Item analysis of a class's answers, with the test and item statistics of Moodle's
//! quiz statistics report: facility, SD, random-guess score, discrimination index and
//! discriminative efficiency per item; mean, median, SD, skewness, kurtosis, Cronbach's
//! alpha, error ratio and standard error for the test; the classical upper-lower 27% D;
//! distractor counts and, for numeric items, the values given; time; and flags for items
//! to review.
//!
//! Works on each candidate's first answer to each item among the selected answers (see
//! [`ClassAnswers::select`]). Moodle assumes one fixed quiz that every candidate
//! answered whole; labcert's answers often are not one (adaptive exams, practice), so
//! item figures use every answer to the item, and the test figures use the candidates who
//! answered every item ([`TestSummary`] says how many that is). The loaded banks are used
//! only to look items up: the stem, the number of choices and the key, the area, and
//! whether the text changed since it was answered. Items missing from the banks are still
//! analysed from the answers alone. The formulas are in [`super::statistics`]; rendering
//! is the command's job.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use super::responses::{ClassAnswers, RecordedAnswer};
use super::statistics::{self, ExtremeGroups};
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
    /// Most of the upper 27% group gave the same answer, and it was marked wrong: the
    /// key (or a numeric item's value or tolerance) may be wrong.
    PossibleMiskey {
        answer: String,
        upper: usize,
        of: usize,
    },
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
            Flag::TooEasy { p } => format!(
                "too easy: facility {:.1}% (above {:.0}%)",
                100.0 * p,
                100.0 * TOO_EASY_P
            ),
            Flag::TooHard { p } => format!(
                "too hard: facility {:.1}% (below {:.0}%)",
                100.0 * p,
                100.0 * TOO_HARD_P
            ),
            Flag::NegativeDiscrimination { r } => format!(
                "negative discrimination: {:.1}%; stronger candidates miss it more often: check the key",
                100.0 * r
            ),
            Flag::WeakDiscrimination { r } => format!(
                "weak discrimination: {:.1}% (below {:.0}%)",
                100.0 * r,
                100.0 * WEAK_R
            ),
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
            Flag::PossibleMiskey { answer, upper, of } => format!(
                "possible miskey: {upper} of the {of} candidates of the upper group who answered it gave {answer}, marked wrong: check the key"
            ),
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

/// How often one number was given to a numeric item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValueCount {
    pub value: f64,
    pub answers: usize,
    /// Of those, how many were marked right when answered.
    pub correct: usize,
}

/// The answers given to a numeric item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NumericAnswers {
    /// Each value given, the most frequent first (ties: the smaller value first). Values
    /// that are equal as numbers (`90`, `90.0`) are one value.
    pub values: Vec<ValueCount>,
    /// Answers that are not a number.
    pub not_a_number: usize,
}

/// Candidates of the upper or lower group who answered an item, and how many were right.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct GroupCount {
    pub candidates: usize,
    pub correct: usize,
}

impl GroupCount {
    fn p(self) -> Option<f64> {
        (self.candidates > 0).then(|| self.correct as f64 / self.candidates as f64)
    }
}

/// The figures for one item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemStats {
    pub bank_id: String,
    pub item_id: String,
    pub area: &'static str,
    /// `single-best`, `select-all` or `numeric`; `None` when not in the banks.
    pub kind: Option<&'static str>,
    /// The question as the bank has it now; `None` when not in the banks.
    pub stem: Option<String>,
    /// The key: `B`, `A,C`, or a numeric item's value, unit and tolerance.
    pub key: Option<String>,
    /// Candidates who answered it (first answers).
    pub candidates: usize,
    pub correct: usize,
    /// Proportion correct.
    pub p: f64,
    /// Moodle's facility index: the mean score as a percentage of the maximum (100 p).
    pub facility: f64,
    /// The standard deviation of the item score (n - 1), as a percentage of the maximum
    /// (as Moodle shows it); `None` under two candidates.
    pub sd: Option<f64>,
    /// The expected score, as a percentage, of a candidate who guesses at random: 100 / k
    /// for single-best with k choices, 100 / (2^k - 1) for select-all (any non-empty set
    /// of the k choices equally likely; only the exact set is right), 0 for numeric items.
    /// `None` when not in the banks.
    pub random_guess_score: Option<f64>,
    /// Corrected item-total point-biserial: the correlation between the item score and
    /// the proportion correct on the other items the candidate answered. `None` when it
    /// is undefined (everyone right or wrong, or no candidate answered another item).
    pub r: Option<f64>,
    /// Candidates in that correlation (those who answered at least one other item).
    pub r_candidates: usize,
    /// Moodle's discrimination index: r as a percentage.
    pub discrimination_index: Option<f64>,
    /// Moodle's discriminative efficiency: the covariance behind r as a percentage of the
    /// largest it could be with the same item scores and rest scores.
    pub discriminative_efficiency: Option<f64>,
    /// The upper 27% group's answers to the item.
    pub upper: GroupCount,
    /// The lower 27% group's answers to the item.
    pub lower: GroupCount,
    /// The classical discrimination index D: the proportion right in the upper group
    /// minus that in the lower group. `None` without groups, or when either group has no
    /// answer to the item.
    pub d: Option<f64>,
    /// How often each choice was chosen (a select-all answer counts every letter).
    pub choices: Vec<ChoiceCount>,
    /// Answers that named no choice letter (blank, or a number for a choice item).
    pub no_letter: usize,
    /// For numeric items (or, when not in the banks, items answered with numbers and no
    /// letters): the values given.
    pub numeric: Option<NumericAnswers>,
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

/// Which answers were analysed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SelectionSummary {
    /// `--mode`: the modes kept (empty: all).
    pub modes: Vec<&'static str>,
    /// `--blueprint`: the exam style kept.
    pub blueprint: Option<String>,
    /// Answers the selection left out.
    pub outside: usize,
    /// First answers given after the candidate had answered the item outside the
    /// selection (an exam item practised before, say).
    pub seen_before: usize,
}

/// Moodle's test statistics, over the candidates who answered every item. Scores are
/// the number of items right; `_percent` figures are of the number of items, as Moodle
/// shows them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestStatistics {
    pub candidates: usize,
    /// The maximum score: the number of items.
    pub items: usize,
    pub mean: f64,
    pub mean_percent: f64,
    pub median: f64,
    pub median_percent: f64,
    /// Sample standard deviation (n - 1); from two candidates.
    pub sd: Option<f64>,
    pub sd_percent: Option<f64>,
    /// k3 / k2^(3/2); from three candidates.
    pub skewness: Option<f64>,
    /// k4 / k2^2 (excess: 0 for a normal distribution); from four candidates.
    pub kurtosis: Option<f64>,
    /// Cronbach's alpha (KR-20 for items scored 0 or 1); from two items and three
    /// candidates.
    pub alpha: Option<f64>,
    /// Moodle's coefficient of internal consistency: alpha as a percentage.
    pub cic: Option<f64>,
    /// Moodle's error ratio: 100 sqrt(1 - alpha), the percentage of the score's spread
    /// that is measurement error.
    pub error_ratio: Option<f64>,
    /// Standard error of measurement: sd sqrt(1 - alpha), in items.
    pub sem: Option<f64>,
    pub sem_percent: Option<f64>,
}

/// Each candidate's percentage right on the items they answered.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreSummary {
    pub candidates: usize,
    pub mean: f64,
    pub median: f64,
    pub sd: Option<f64>,
}

/// The test as a whole.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestSummary {
    /// Items analysed.
    pub items: usize,
    pub candidates: usize,
    /// Whether every candidate answered every item: one fixed form, as Moodle assumes.
    pub fixed_form: bool,
    /// Candidates who answered every item: the ones [`TestSummary::statistics`] is over.
    pub complete_candidates: usize,
    /// Moodle's test statistics over those candidates; `None` when there are none.
    pub statistics: Option<TestStatistics>,
    /// Every candidate's percentage right, whatever items they answered.
    pub percent_right: Option<ScoreSummary>,
}

/// The upper and lower 27% groups, by each candidate's proportion right.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupsSummary {
    /// 27% of the candidates, rounded: the size each group aims at (ties can add more).
    pub target: usize,
    pub upper: usize,
    pub lower: usize,
    /// Candidates ranked.
    pub of: usize,
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
    pub selection: SelectionSummary,
    pub min_candidates: usize,
    pub test: TestSummary,
    /// `None` with fewer than two candidates or when ties make the groups meet.
    pub groups: Option<GroupsSummary>,
    /// Items ordered by area, bank and item id.
    pub items: Vec<ItemStats>,
    pub areas: Vec<AreaSummary>,
}

/// What every item's figures need to know about the candidates.
struct Candidates<'a> {
    /// Each candidate's number answered and number right, over all their first answers.
    totals: HashMap<&'a str, (usize, usize)>,
    upper: HashSet<&'a str>,
    lower: HashSet<&'a str>,
    min_candidates: usize,
}

/// Analyses every item the class answered. Items with fewer than `min_candidates`
/// candidates get figures but only the `few-candidates`, `not-in-bank` and `edited`
/// flags: their p and r are too noisy to act on.
pub fn analyze(class: &ClassAnswers, library: &Library, min_candidates: usize) -> ItemAnalysis {
    let lookup: HashMap<(&str, &str), &Item> = library
        .items()
        .map(|(bank, item)| ((bank.id.as_str(), item.id.as_str()), item))
        .collect();

    let mut totals: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for a in &class.answers {
        let t = totals.entry(a.candidate.as_str()).or_default();
        t.0 += 1;
        t.1 += usize::from(a.correct);
    }
    let names: Vec<&str> = totals.keys().copied().collect();
    let proportions: Vec<f64> = totals
        .values()
        .map(|(answered, right)| *right as f64 / *answered as f64)
        .collect();
    let groups = statistics::extreme_groups(&proportions);
    let members = |pick: fn(&ExtremeGroups) -> &Vec<usize>| -> HashSet<&str> {
        groups
            .as_ref()
            .map(|g| pick(g).iter().map(|&i| names[i]).collect())
            .unwrap_or_default()
    };
    let candidates = Candidates {
        upper: members(|g| &g.upper),
        lower: members(|g| &g.lower),
        totals: totals.iter().map(|(c, t)| (*c, *t)).collect(),
        min_candidates,
    };

    let mut by_item: BTreeMap<(&str, &str), Vec<&RecordedAnswer>> = BTreeMap::new();
    for a in &class.answers {
        by_item
            .entry((a.bank_id.as_str(), a.item_id.as_str()))
            .or_default()
            .push(a);
    }
    let test = test_summary(class, &by_item, &totals, &proportions);

    let mut items: Vec<(Area, ItemStats)> = by_item
        .into_iter()
        .map(|((bank_id, item_id), answers)| {
            let item = lookup.get(&(bank_id, item_id)).copied();
            let area = item.map_or(answers[0].area, |i| i.area);
            let stats = item_stats(bank_id, item_id, area, item, &answers, &candidates);
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
        selection: SelectionSummary {
            modes: class.selection.modes.iter().map(|m| m.name()).collect(),
            blueprint: class.selection.blueprint.clone(),
            outside: class.outside_selection,
            seen_before: class.seen_before,
        },
        min_candidates,
        test,
        groups: groups.map(|g| GroupsSummary {
            target: g.target,
            upper: g.upper.len(),
            lower: g.lower.len(),
            of: proportions.len(),
        }),
        items: items.into_iter().map(|(_, s)| s).collect(),
        areas,
    }
}

/// The test statistics: Moodle's over the candidates who answered every item (all of
/// them on a fixed form), and every candidate's percentage right.
fn test_summary(
    class: &ClassAnswers,
    by_item: &BTreeMap<(&str, &str), Vec<&RecordedAnswer>>,
    totals: &BTreeMap<&str, (usize, usize)>,
    proportions: &[f64],
) -> TestSummary {
    let k = by_item.len();
    // First answers are one per candidate and item, so answering k items is all of them.
    let complete: BTreeMap<&str, usize> = totals
        .iter()
        .filter(|(_, (answered, _))| *answered == k)
        .enumerate()
        .map(|(row, (c, _))| (*c, row))
        .collect();
    let mut rows = vec![vec![0.0; k]; complete.len()];
    for (column, answers) in by_item.values().enumerate() {
        for a in answers {
            if let Some(&row) = complete.get(a.candidate.as_str()) {
                rows[row][column] = f64::from(u8::from(a.correct));
            }
        }
    }
    let percent_right: Vec<f64> = proportions.iter().map(|p| 100.0 * p).collect();
    TestSummary {
        items: k,
        candidates: class.candidate_count(),
        fixed_form: complete.len() == totals.len(),
        complete_candidates: complete.len(),
        statistics: test_statistics(&rows, k),
        percent_right: statistics::distribution(&percent_right).map(|d| ScoreSummary {
            candidates: d.n,
            mean: d.mean,
            median: d.median,
            sd: d.sd,
        }),
    }
}

/// Moodle's test statistics of a complete candidates-by-items matrix of 0/1 scores.
fn test_statistics(rows: &[Vec<f64>], k: usize) -> Option<TestStatistics> {
    if k == 0 {
        return None;
    }
    let scores: Vec<f64> = rows.iter().map(|r| r.iter().sum()).collect();
    let d = statistics::distribution(&scores)?;
    let alpha = statistics::cronbach_alpha(rows);
    // alpha <= 1 in exact arithmetic; rounding must not make the root NaN.
    let unreliable = alpha.map(|a| (1.0 - a).max(0.0).sqrt());
    let sem = d.sd.zip(unreliable).map(|(sd, u)| sd * u);
    let percent = |x: f64| 100.0 * x / k as f64;
    Some(TestStatistics {
        candidates: d.n,
        items: k,
        mean: d.mean,
        mean_percent: percent(d.mean),
        median: d.median,
        median_percent: percent(d.median),
        sd: d.sd,
        sd_percent: d.sd.map(percent),
        skewness: d.skewness,
        kurtosis: d.kurtosis,
        alpha,
        cic: alpha.map(|a| 100.0 * a),
        error_ratio: unreliable.map(|u| 100.0 * u),
        sem,
        sem_percent: sem.map(percent),
    })
}

/// A response as a number, if it is one (`-0` is `0`).
fn number(response: &str) -> Option<f64> {
    let x: f64 = response.trim().parse().ok()?;
    // Adding 0.0 turns -0.0 into 0.0, so the two are one value.
    x.is_finite().then_some(x + 0.0)
}

/// How a number is shown: `15`, `0.6`, `90`.
pub fn format_number(x: f64) -> String {
    format!("{x}")
}

/// The answer as the miskey check compares answers: the letters (`A,C`), the number, or
/// the text.
fn answer_text(a: &RecordedAnswer, numeric: bool) -> String {
    if numeric && let Some(x) = number(&a.response) {
        return format_number(x);
    }
    match a.letters() {
        Some(letters) if !numeric => {
            let letters: Vec<String> = letters.iter().map(|k| letter_for(*k).to_string()).collect();
            letters.join(",")
        }
        _ => a.response.trim().to_string(),
    }
}

/// The key as the report shows it.
fn key_text(answer: &Answer) -> String {
    match answer {
        Answer::Numeric {
            value,
            tolerance,
            unit,
        } => {
            let unit = if unit.is_empty() {
                String::new()
            } else {
                format!(" {unit}")
            };
            if *tolerance > 0.0 {
                format!(
                    "{}{unit} +/- {}",
                    format_number(*value),
                    format_number(*tolerance)
                )
            } else {
                format!("{}{unit}", format_number(*value))
            }
        }
        _ => answer.key_text(),
    }
}

/// The random-guess score as a percentage (see [`ItemStats::random_guess_score`]).
fn random_guess_score(answer: &Answer) -> Option<f64> {
    match answer {
        Answer::SingleBest { choices, .. } if !choices.is_empty() => {
            Some(100.0 / choices.len() as f64)
        }
        Answer::SelectAll { choices, .. } if !choices.is_empty() => {
            let k = i32::try_from(choices.len()).ok()?;
            Some(100.0 / (2f64.powi(k) - 1.0))
        }
        Answer::Numeric { .. } => Some(0.0),
        _ => None,
    }
}

/// The values given to a numeric item, most frequent first.
fn numeric_answers(answers: &[&RecordedAnswer]) -> NumericAnswers {
    // By the bits of the number: `number` gives one bit pattern per value (no NaN, no -0).
    let mut counts: HashMap<u64, ValueCount> = HashMap::new();
    let mut not_a_number = 0;
    for a in answers {
        match number(&a.response) {
            Some(x) => {
                let v = counts.entry(x.to_bits()).or_insert(ValueCount {
                    value: x,
                    answers: 0,
                    correct: 0,
                });
                v.answers += 1;
                v.correct += usize::from(a.correct);
            }
            None => not_a_number += 1,
        }
    }
    let mut values: Vec<ValueCount> = counts.into_values().collect();
    values.sort_by(|x, y| y.answers.cmp(&x.answers).then(x.value.total_cmp(&y.value)));
    NumericAnswers {
        values,
        not_a_number,
    }
}

fn item_stats(
    bank_id: &str,
    item_id: &str,
    area: Area,
    item: Option<&Item>,
    answers: &[&RecordedAnswer],
    candidates: &Candidates,
) -> ItemStats {
    let n = answers.len();
    let correct = answers.iter().filter(|a| a.correct).count();
    let p = correct as f64 / n as f64;
    let scores: Vec<f64> = answers
        .iter()
        .map(|a| f64::from(u8::from(a.correct)))
        .collect();

    // Corrected item-total: the item against the proportion right on the other items.
    let pairs: Vec<(f64, f64)> = answers
        .iter()
        .filter_map(|a| {
            let (answered, right) = candidates.totals.get(a.candidate.as_str()).copied()?;
            let x = usize::from(a.correct);
            (answered > 1).then(|| (x as f64, (right - x) as f64 / (answered - 1) as f64))
        })
        .collect();
    let r = statistics::pearson(&pairs);

    let mut upper = GroupCount::default();
    let mut lower = GroupCount::default();
    for a in answers {
        for (group, count) in [
            (&candidates.upper, &mut upper),
            (&candidates.lower, &mut lower),
        ] {
            if group.contains(a.candidate.as_str()) {
                count.candidates += 1;
                count.correct += usize::from(a.correct);
            }
        }
    }
    let d = upper.p().zip(lower.p()).map(|(u, l)| u - l);

    let letters: Vec<Option<Vec<usize>>> = answers.iter().map(|a| a.letters()).collect();
    let no_letter = letters.iter().filter(|l| l.is_none()).count();
    let is_numeric = match item.map(|i| &i.answer) {
        Some(answer) => matches!(answer, Answer::Numeric { .. }),
        // Not in the banks: numeric when no answer names a letter and some are numbers.
        None => {
            letters.iter().all(Option::is_none)
                && answers.iter().any(|a| number(&a.response).is_some())
        }
    };
    let (n_choices, keys): (usize, Option<Vec<usize>>) = match item.map(|i| &i.answer) {
        Some(Answer::SingleBest { choices, key }) => (choices.len(), Some(vec![*key])),
        Some(Answer::SelectAll { choices, keys }) => (choices.len(), Some(keys.clone())),
        Some(Answer::Numeric { .. }) => (0, None),
        None if is_numeric => (0, None),
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
    if n < candidates.min_candidates {
        flags.push(Flag::FewCandidates {
            candidates: n,
            min: candidates.min_candidates,
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
        flags.extend(possible_miskey(answers, &candidates.upper, is_numeric));
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
        stem: item.map(|i| i.stem.clone()),
        key: item.map(|i| key_text(&i.answer)),
        candidates: n,
        correct,
        p,
        facility: 100.0 * p,
        sd: statistics::sample_sd(&scores).map(|sd| 100.0 * sd),
        random_guess_score: item.and_then(|i| random_guess_score(&i.answer)),
        r,
        r_candidates: pairs.len(),
        discrimination_index: r.map(|r| 100.0 * r),
        discriminative_efficiency: statistics::discriminative_efficiency(&pairs).map(|e| 100.0 * e),
        upper,
        lower,
        d,
        choices,
        no_letter,
        numeric: is_numeric.then(|| numeric_answers(answers)),
        mean_seconds,
        flags,
    }
}

/// The `possible-miskey` flag: more than half of the upper group's answers to the item
/// (at least two) are one and the same wrong answer.
fn possible_miskey(
    answers: &[&RecordedAnswer],
    upper: &HashSet<&str>,
    numeric: bool,
) -> Option<Flag> {
    let theirs: Vec<&&RecordedAnswer> = answers
        .iter()
        .filter(|a| upper.contains(a.candidate.as_str()))
        .collect();
    let mut wrong: BTreeMap<String, usize> = BTreeMap::new();
    for a in theirs.iter().filter(|a| !a.correct) {
        *wrong.entry(answer_text(a, numeric)).or_default() += 1;
    }
    // The most frequent wrong answer; among equals, the first in order.
    let (answer, count) = wrong.into_iter().fold(
        None,
        |best: Option<(String, usize)>, (text, count)| match best {
            Some((_, c)) if c >= count => best,
            _ => Some((text, count)),
        },
    )?;
    (count >= 2 && 2 * count > theirs.len()).then_some(Flag::PossibleMiskey {
        answer,
        upper: count,
        of: theirs.len(),
    })
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

    #[test]
    fn random_guess_scores() {
        let choices = |k: usize| (0..k).map(|i| format!("choice {i}")).collect::<Vec<_>>();
        let table = [
            (
                Answer::SingleBest {
                    choices: choices(4),
                    key: 1,
                },
                Some(25.0),
            ),
            (
                Answer::SingleBest {
                    choices: choices(5),
                    key: 0,
                },
                Some(20.0),
            ),
            // 2^3 - 1 = 7 non-empty sets of three choices, one of them right.
            (
                Answer::SelectAll {
                    choices: choices(3),
                    keys: vec![0, 2],
                },
                Some(100.0 / 7.0),
            ),
            (
                Answer::Numeric {
                    value: 90.0,
                    tolerance: 0.5,
                    unit: "fL".into(),
                },
                Some(0.0),
            ),
        ];
        for (answer, expected) in table {
            assert_eq!(random_guess_score(&answer), expected, "{answer:?}");
        }
    }

    /// Four candidates on a fixed form of three items (everyone answered everything).
    fn fixed_form() -> ClassAnswers {
        let rows = [
            ("a", [true, true, true]),
            ("b", [true, true, false]),
            ("c", [true, false, false]),
            ("d", [false, false, false]),
        ];
        let mut answers = Vec::new();
        for (who, right) in rows {
            for (k, item) in ["x", "y", "z"].iter().enumerate() {
                let response = if right[k] { "A" } else { "B" };
                answers.push(answer(who, item, response, right[k]));
            }
        }
        ClassAnswers::from_answers(vec![], answers)
    }

    #[test]
    fn a_fixed_form_gets_moodles_test_statistics() {
        let report = analyze(&fixed_form(), &Library::default(), 1);
        let test = &report.test;
        assert!(test.fixed_form);
        assert_eq!((test.items, test.complete_candidates), (3, 4));
        let s = test.statistics.as_ref().unwrap();
        // Scores 3, 2, 1, 0: mean 1.5 (50%), median 1.5, SD sqrt(5/3); symmetric.
        assert_close(s.mean_percent, 50.0);
        assert_close(s.median, 1.5);
        assert_close(s.sd.unwrap(), (5.0f64 / 3.0).sqrt());
        assert_close(s.skewness.unwrap(), 0.0);
        // alpha = .75 (see statistics::alpha_is_kr20_for_right_and_wrong).
        assert_close(s.alpha.unwrap(), 0.75);
        assert_close(s.cic.unwrap(), 75.0);
        assert_close(s.error_ratio.unwrap(), 50.0);
        assert_close(s.sem.unwrap(), (5.0f64 / 3.0).sqrt() * 0.5);
        // 27% of 4 is 1: a alone above, d alone below.
        let groups = report.groups.as_ref().unwrap();
        assert_eq!((groups.target, groups.upper, groups.lower), (1, 1, 1));
        let x = &report.items[0];
        assert_eq!((x.upper.correct, x.lower.correct), (1, 0));
        assert_eq!(x.d, Some(1.0));
        // x: 1,1,1,0 against rest 1,.5,0,0: perfectly ordered, so efficiency 100%.
        assert_close(x.discriminative_efficiency.unwrap(), 100.0);
        assert_close(x.facility, 75.0);
        assert_close(x.sd.unwrap(), 50.0);
    }

    #[test]
    fn a_candidate_who_missed_an_item_is_left_out_of_the_test_statistics() {
        let mut class = fixed_form();
        class
            .answers
            .retain(|a| !(a.candidate == "b" && a.item_id == "z"));
        let report = analyze(&class, &Library::default(), 1);
        let test = &report.test;
        assert!(!test.fixed_form);
        assert_eq!((test.candidates, test.complete_candidates), (4, 3));
        let s = test.statistics.as_ref().unwrap();
        assert_eq!(s.candidates, 3);
        assert_close(s.mean, 4.0 / 3.0);
        // Every candidate's percentage right: 100, 100, 33.3, 0.
        let all = test.percent_right.as_ref().unwrap();
        assert_close(all.mean, (100.0 + 100.0 + 100.0 / 3.0) / 4.0);
    }

    #[test]
    fn numeric_answers_are_counted_by_value_and_a_shared_wrong_value_is_flagged() {
        // The upper group (27% of 12 is 3, plus a tie) answers 15; the key says 0.6.
        let mut answers = Vec::new();
        for k in 0..12 {
            let who = format!("c{k:02}");
            let strong = k < 4;
            // Two more items rank the candidates: the first four get them right.
            answers.push(answer(&who, "rank", "A", strong));
            answers.push(answer(&who, "rank2", "A", strong));
            let (response, right) = match k {
                0..=2 => ("15", false),
                3 => ("15.0", false),
                4..=6 => ("0.6", true),
                7 => ("-0", false),
                _ => ("fifteen", false),
            };
            answers.push(answer(&who, "calc", response, right));
        }
        let class = ClassAnswers::from_answers(vec![], answers);
        let report = analyze(&class, &Library::default(), 5);
        let calc = report.items.iter().find(|i| i.item_id == "calc").unwrap();
        let numeric = calc.numeric.as_ref().unwrap();
        let values: Vec<(f64, usize, usize)> = numeric
            .values
            .iter()
            .map(|v| (v.value, v.answers, v.correct))
            .collect();
        assert_eq!(values, vec![(15.0, 4, 0), (0.6, 3, 3), (0.0, 1, 0)]);
        assert_eq!(numeric.not_a_number, 4);
        assert!(calc.choices.is_empty());
        assert!(
            calc.flags.contains(&Flag::PossibleMiskey {
                answer: "15".into(),
                upper: 4,
                of: 4
            }),
            "{:?}",
            calc.flags
        );
        // The ranking item is not numeric and not flagged as miskeyed.
        let rank = report.items.iter().find(|i| i.item_id == "rank").unwrap();
        assert!(rank.numeric.is_none());
        assert!(
            !rank
                .flags
                .iter()
                .any(|f| matches!(f, Flag::PossibleMiskey { .. }))
        );
    }
}
