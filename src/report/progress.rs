//! The progress report: where a candidate stands in each area, their weakest topics, their
//! mock exam history, their chance of passing each exam, and what is due for review.
//!
//! Everything is computed from the store's running estimates (see `learner::ability`) and
//! a few grouped queries, so the report stays fast with a long history.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};

use serde::Serialize;

use crate::bank::{Area, Library};
use crate::exam::blueprint::{self, Blueprint};
use crate::irt::{Grid, normal_cdf};
use crate::learner::ability::AbilityState;
use crate::store::history::{ExamRecord, ItemHistory};
use crate::store::learning::topic_key;
use crate::ui::text::wrap;

const DAY_MS: i64 = 86_400_000;
/// The trend covers this many days, in this many buckets.
const TREND_DAYS: i64 = 30;
const TREND_BUCKETS: i64 = 5;

#[derive(Debug, Clone, Serialize)]
pub struct AreaReport {
    pub answered: u32,
    pub correct: u32,
    pub percent_correct: Option<f64>,
    pub theta: f64,
    pub se: f64,
    /// The score this ability implies on the chosen exam's scale.
    pub scaled_score: i64,
    /// Where the area stands against the pass mark, in words: "below" (75% or more
    /// likely below), "above" (25% or less), "near" in between; `None` with fewer than
    /// [`MIN_AREA_ANSWERS`] answers.
    pub standing: Option<&'static str>,
    /// Percent correct in each 6-day bucket of the last 30 days, oldest first (None: no answers).
    pub trend: Vec<Option<f64>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TopicReport {
    pub area: &'static str,
    pub topic: String,
    pub theta: f64,
    pub se: f64,
    /// Posterior probability that ability in the topic is below the passing standard.
    pub prob_below_pass: f64,
    pub answered: u64,
    pub items_available: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExamReport {
    pub id: i64,
    pub date: String,
    pub style: String,
    pub scaled_score: i64,
    pub passing_score: i64,
    pub passed: bool,
    /// That exam's own probability of passing (from its answers alone).
    pub pass_probability: Option<f64>,
    /// A practice run (changed time limit or custom blueprint).
    pub custom: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReviewsDue {
    /// Due now: what `labcert review` asks.
    pub now: usize,
    /// Due by the end of today (local time), those due now included.
    pub today: usize,
    /// Due within seven days, those due today included.
    pub this_week: usize,
    /// When the earliest scheduled review is due, RFC 3339 (UTC); it may be in the past.
    pub next_due: Option<String>,
    /// The same in words relative to now ("now", "tomorrow"); for the text report.
    #[serde(skip)]
    pub next_due_text: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProgressReport {
    pub profile: String,
    pub style: String,
    pub areas: BTreeMap<&'static str, AreaReport>,
    pub weakest_topics: Vec<TopicReport>,
    pub exams: Vec<ExamReport>,
    /// Per exam style: readiness now, the probability of passing from every answer so far
    /// (recent ones weighted more); `null` until [`MIN_ANSWERS`] questions are answered.
    pub pass_probability: BTreeMap<String, Option<f64>>,
    /// Per exam style: the probability of passing of the last mock of that style (its
    /// own answers only), when there is one.
    pub last_exam_pass_probability: BTreeMap<String, f64>,
    /// Answers so far, all areas.
    pub answered: u32,
    pub reviews_due: ReviewsDue,
    /// Answered items that have since been edited or removed from the banks.
    pub changed_items: usize,
    pub removed_items: usize,
}

/// Everything the report is built from.
pub struct Inputs<'a> {
    pub profile: &'a str,
    pub blueprint: &'a Blueprint,
    pub library: &'a Library,
    pub areas: &'a HashMap<String, AbilityState>,
    pub topics: &'a HashMap<String, AbilityState>,
    pub totals: &'a HashMap<String, (u32, u32)>,
    /// (area, day since the trend start, answered, correct)
    pub days: &'a [(String, i64, u32, u32)],
    pub exams: &'a [ExamRecord],
    pub history: &'a HashMap<(String, String), ItemHistory>,
    /// Due times of scheduled reviews within the next week, and the next after that.
    pub due: &'a [i64],
    pub next_due: Option<i64>,
    pub now_ms: i64,
}

/// A time as a candidate reads it, in local time.
pub fn date(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| {
            t.to_zoned(jiff::tz::TimeZone::system())
                .strftime("%Y-%m-%d")
                .to_string()
        })
        .unwrap_or_else(|_| "?".into())
}

/// When something is due, relative to now: "now", "today at 18:40", "tomorrow", "on 2026-12-01".
pub fn when(ms: i64, now_ms: i64) -> String {
    let tz = jiff::tz::TimeZone::system();
    let (Ok(t), Ok(n)) = (
        jiff::Timestamp::from_millisecond(ms),
        jiff::Timestamp::from_millisecond(now_ms),
    ) else {
        return "?".into();
    };
    let (t, n) = (t.to_zoned(tz.clone()), n.to_zoned(tz));
    if ms <= now_ms {
        return "now".into();
    }
    let days = (t.date() - n.date()).get_days();
    match days {
        0 => format!("today at {}", t.strftime("%H:%M")),
        1 => "tomorrow".into(),
        _ => format!("on {}", t.strftime("%Y-%m-%d")),
    }
}

/// Local midnight at the end of today and a week from now, in ms.
fn day_ends(now_ms: i64) -> (i64, i64) {
    let tz = jiff::tz::TimeZone::system();
    let end = jiff::Timestamp::from_millisecond(now_ms)
        .ok()
        .map(|t| t.to_zoned(tz))
        .and_then(|z| z.start_of_day().ok())
        .and_then(|z| z.checked_add(jiff::Span::new().days(1)).ok())
        .map_or(now_ms + DAY_MS, |z| z.timestamp().as_millisecond());
    (end, end + 6 * DAY_MS)
}

/// Below this many answers in all, the report gives no chance of passing.
pub const MIN_ANSWERS: u32 = 30;
/// Below this many answers in an area, the report gives no standing for it.
pub const MIN_AREA_ANSWERS: u32 = 5;

pub fn build(i: &Inputs) -> ProgressReport {
    let grid = Grid::standard();
    let bp = i.blueprint;
    let fresh = AbilityState::new(&grid, i.now_ms);

    let mut areas = BTreeMap::new();
    for area in Area::ALL {
        let s = i.areas.get(area.name()).unwrap_or(&fresh);
        let e = s.estimate(&grid, i.now_ms);
        let (answered, correct) = i.totals.get(area.name()).copied().unwrap_or((0, 0));
        let bucket = TREND_DAYS / TREND_BUCKETS;
        let trend = (0..TREND_BUCKETS)
            .map(|b| {
                let (n, c) = i
                    .days
                    .iter()
                    .filter(|(a, d, _, _)| a == area.name() && *d / bucket == b)
                    .fold((0u32, 0u32), |(n, c), (_, _, dn, dc)| (n + dn, c + dc));
                (n > 0).then(|| 100.0 * f64::from(c) / f64::from(n))
            })
            .collect();
        areas.insert(
            area.name(),
            AreaReport {
                answered,
                correct,
                percent_correct: (answered > 0)
                    .then(|| 100.0 * f64::from(correct) / f64::from(answered)),
                theta: e.theta,
                se: e.se,
                // The report prepares for a shipped style, whose scale is linear.
                scaled_score: bp.scale.theta_score(e.theta, bp.passing_theta).unwrap_or(0),
                standing: (answered >= MIN_AREA_ANSWERS).then(|| {
                    let below = normal_cdf((bp.passing_theta - e.theta) / e.se.max(1e-9));
                    if below >= 0.75 {
                        "below"
                    } else if below <= 0.25 {
                        "above"
                    } else {
                        "near"
                    }
                }),
                trend,
            },
        );
    }

    // Topics that have items in the loaded banks, weakest first.
    let mut available: HashMap<(Area, String), usize> = HashMap::new();
    for (_, item) in i
        .library
        .items()
        .filter(|(_, it)| bp.level.admits(it.level))
    {
        *available
            .entry((item.area, item.topic.clone()))
            .or_default() += 1;
    }
    let mut topics: Vec<TopicReport> = available
        .iter()
        .filter_map(|((area, topic), n)| {
            let s = i.topics.get(&topic_key(area.name(), topic))?;
            if s.count == 0 {
                return None;
            }
            let e = s.estimate(&grid, i.now_ms);
            Some(TopicReport {
                area: area.name(),
                topic: topic.clone(),
                theta: e.theta,
                se: e.se,
                prob_below_pass: s.prob_below(&grid, i.now_ms, bp.passing_theta),
                answered: s.count,
                items_available: *n,
            })
        })
        .collect();
    topics.sort_by(|a, b| {
        b.prob_below_pass
            .total_cmp(&a.prob_below_pass)
            .then(a.topic.cmp(&b.topic))
    });
    topics.truncate(5);

    let exams: Vec<ExamReport> = i
        .exams
        .iter()
        .map(|e| {
            let passing = blueprint::shipped(&e.blueprint_id).map_or_else(
                || {
                    serde_json::from_str::<serde_json::Value>(&e.result_json)
                        .ok()
                        .and_then(|v| v["passing_score"].as_i64())
                        .unwrap_or(0)
                },
                |b| b.passing_score(),
            );
            ExamReport {
                id: e.id,
                date: date(e.finished_ms),
                style: e.blueprint_id.clone(),
                scaled_score: e.scaled_score,
                passing_score: passing,
                passed: e.passed,
                pass_probability: serde_json::from_str::<serde_json::Value>(&e.result_json)
                    .ok()
                    .and_then(|v| v["pass_probability"].as_f64()),
                custom: e.custom,
            }
        })
        .collect();

    // The chance of passing each style: the areas' estimates combined in the proportions
    // the exam uses, as a normal approximation with mean Σ wθ and standard error Σ w·SE.
    // Adding the SEs (rather than their squares) treats the areas' errors as fully
    // correlated, which never overstates certainty: with no data it stays at the prior.
    let answered_all: u32 = areas.values().map(|a: &AreaReport| a.answered).sum();
    let mut pass_probability = BTreeMap::new();
    // The readiness checks share their exam's standard and areas: not listed twice.
    for (style, _) in blueprint::SHIPPED
        .iter()
        .filter(|(s, _)| !s.starts_with("readiness-"))
    {
        let Some(b) = blueprint::shipped(style) else {
            continue;
        };
        let t = b.targets();
        let (mut mean, mut se) = (0.0, 0.0);
        for (k, area) in Area::ALL.iter().enumerate() {
            let e = i
                .areas
                .get(area.name())
                .unwrap_or(&fresh)
                .estimate(&grid, i.now_ms);
            mean += t.target[k] * e.theta;
            se += t.target[k] * e.se;
        }
        let z = (mean - b.passing_theta) / se.max(1e-9);
        pass_probability.insert(
            style.to_string(),
            (answered_all >= MIN_ANSWERS).then(|| normal_cdf(z)),
        );
    }
    let mut last_exam_pass_probability = BTreeMap::new();
    for e in exams.iter().filter(|e| !e.custom) {
        if let Some(p) = e.pass_probability {
            last_exam_pass_probability.insert(e.style.clone(), p);
        }
    }

    let (today_end, week_end) = day_ends(i.now_ms);
    let next = i.due.iter().copied().min().or(i.next_due);
    let reviews_due = ReviewsDue {
        now: i.due.iter().filter(|&&d| d <= i.now_ms).count(),
        today: i.due.iter().filter(|&&d| d < today_end).count(),
        this_week: i.due.iter().filter(|&&d| d < week_end).count(),
        next_due: next.and_then(|t| {
            jiff::Timestamp::from_millisecond(t)
                .ok()
                .map(|t| t.to_string())
        }),
        next_due_text: next.map(|t| when(t, i.now_ms)),
    };

    let current: HashMap<(&str, &str), String> = i
        .library
        .items()
        .map(|(b, it)| {
            (
                (b.id.as_str(), it.id.as_str()),
                crate::store::content_hash(it),
            )
        })
        .collect();
    let mut changed = 0;
    let mut removed = 0;
    for ((bank, item), h) in i.history {
        match current.get(&(bank.as_str(), item.as_str())) {
            Some(hash) if *hash != h.content_hash => changed += 1,
            Some(_) => {}
            None => removed += 1,
        }
    }

    ProgressReport {
        profile: i.profile.to_string(),
        style: bp.id.clone(),
        areas,
        weakest_topics: topics,
        exams,
        pass_probability,
        last_exam_pass_probability,
        answered: answered_all,
        reviews_due,
        changed_items: changed,
        removed_items: removed,
    }
}

const SPARK: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

fn sparkline(values: &[Option<f64>], lo: f64, hi: f64) -> String {
    values
        .iter()
        .map(|v| match v {
            None => '·',
            Some(x) => {
                let f = ((x - lo) / (hi - lo)).clamp(0.0, 1.0);
                SPARK[(f * 7.0).round() as usize]
            }
        })
        .collect()
}

/// Writes the report for an 80-column terminal.
pub fn render(r: &ProgressReport, out: &mut dyn Write) -> io::Result<()> {
    let bp = blueprint::shipped(&r.style);
    let name = bp.as_ref().map_or(r.style.clone(), |b| b.name.clone());
    let title = format!(
        "Progress report for \"{}\", preparing for {}",
        r.profile, name
    );
    writeln!(out, "{}", wrap(&title, crate::ui::width(), ""))?;
    writeln!(out, "{}", "=".repeat(crate::ui::width()))?;
    // The full table needs 78 columns; narrower terminals get it without the trend, and
    // below 58 columns one area per two lines.
    let width = crate::ui::width();
    if width >= 78 {
        writeln!(
            out,
            "{:<27}{:>6}{:>7}{:>16}{:>7}  Last 30 days",
            "Area", "Done", "Right", "Ability (SE)", "Score"
        )?;
    } else if width >= 58 {
        writeln!(
            out,
            "{:<27}{:>5}{:>6}{:>14}{:>6}",
            "Area", "Done", "Right", "Ability (SE)", "Score"
        )?;
    }
    for area in Area::ALL {
        let a = &r.areas[area.name()];
        let right = a
            .percent_correct
            .map_or("-".to_string(), |p| format!("{p:.0}%"));
        // No answers, no estimate: the prior is not a standing.
        let (ability, score) = if a.answered == 0 {
            ("-".to_string(), "-".to_string())
        } else {
            (
                format!("{} ({:.2})", crate::report::exam::signed(a.theta), a.se),
                a.scaled_score.to_string(),
            )
        };
        if width >= 78 {
            writeln!(
                out,
                "{:<27}{:>6}{:>7}{:>16}{:>7}  {}",
                area.title(),
                a.answered,
                right,
                ability,
                score,
                sparkline(&a.trend, 0.0, 100.0)
            )?;
        } else if width >= 58 {
            writeln!(
                out,
                "{:<27}{:>5}{:>6}{:>14}{:>6}",
                area.title(),
                a.answered,
                right,
                ability,
                score
            )?;
        } else {
            writeln!(out, "{}", area.title())?;
            writeln!(
                out,
                "  {} done, {right} right, ability {ability}, score {score}",
                a.answered
            )?;
        }
    }
    writeln!(
        out,
        "{}",
        wrap(
            &format!(
                "Ability is in logits (0 is near the passing standard), recent answers weighted more (half-weight after 30 days); Score is the scaled score it implies{}",
                if width >= 78 {
                    "; the trend shows percent right in 6-day steps (· no answers)."
                } else {
                    "."
                }
            ),
            width,
            ""
        )
    )?;
    writeln!(
        out,
        "{}",
        wrap(&standing_sentence(r), crate::ui::width(), "")
    )?;

    writeln!(out, "\nWeakest topics")?;
    if r.weakest_topics.is_empty() {
        writeln!(
            out,
            "  None yet: answer some practice questions ({} practice).",
            crate::ui::text::invocation()
        )?;
    }
    for t in &r.weakest_topics {
        writeln!(
            out,
            "{}",
            wrap(
                &format!(
                    "{:.0}% likely below the pass mark: {} ({}), {} answered, {} items to practise: {} practice --area {} --topic \"{}\"",
                    t.prob_below_pass * 100.0,
                    t.topic,
                    Area::from_name(t.area).map_or(t.area, Area::title),
                    t.answered,
                    t.items_available,
                    crate::ui::text::invocation(),
                    t.area,
                    t.topic
                ),
                crate::ui::width(),
                "  "
            )
        )?;
    }

    writeln!(out, "\nMock exams")?;
    if r.exams.is_empty() {
        writeln!(
            out,
            "  None yet: {} exam --style {}",
            crate::ui::text::invocation(),
            r.style
        )?;
    } else {
        for e in r.exams.iter().rev().take(10).rev() {
            writeln!(
                out,
                "  {}  {:<9} {:>4}  {}  (pass mark {})",
                e.date,
                e.style,
                e.scaled_score,
                if e.passed { "PASS" } else { "FAIL" },
                e.passing_score
            )?;
        }
        if r.exams.len() > 10 {
            writeln!(out, "  ({} earlier exams not shown)", r.exams.len() - 10)?;
        }
        plot_exams(r, out)?;
    }

    write_chance(r, out)?;

    writeln!(out, "\nReviews")?;
    let d = &r.reviews_due;
    let line = match (d.now, &d.next_due_text) {
        (0, None) => "  Nothing is scheduled yet: missed questions come back here.".to_string(),
        (0, Some(next)) => format!(
            "  Nothing is due now; next {next}. {} due by the end of today, {} this week.",
            d.today, d.this_week
        ),
        (now, _) => format!(
            "  {} due now ({} review); {} by the end of today, {} this week.",
            now,
            crate::ui::text::invocation(),
            d.today,
            d.this_week
        ),
    };
    writeln!(out, "{}", wrap(&line, crate::ui::width(), "  "))?;
    if r.changed_items + r.removed_items > 0 {
        writeln!(
            out,
            "\n{}",
            wrap(
                &format!(
                    "Note: since you answered them, {} of the items you answered {} edited and {} removed from the banks; your history keeps what you saw.",
                    r.changed_items,
                    if r.changed_items == 1 { "was" } else { "were" },
                    r.removed_items
                ),
                crate::ui::width(),
                ""
            )
        )?;
    }
    Ok(())
}

/// A small text plot of each style's scores over time against its pass mark.
fn plot_exams(r: &ProgressReport, out: &mut dyn Write) -> io::Result<()> {
    let mut styles: Vec<&str> = r.exams.iter().map(|e| e.style.as_str()).collect();
    styles.sort_unstable();
    styles.dedup();
    for style in styles {
        let exams: Vec<&ExamReport> = r.exams.iter().filter(|e| e.style == style).collect();
        let exams = &exams[exams.len().saturating_sub(60)..];
        if exams.len() < 2 {
            continue;
        }
        let pass = exams[0].passing_score as f64;
        let lo = exams
            .iter()
            .map(|e| e.scaled_score as f64)
            .fold(pass, f64::min);
        let hi = exams
            .iter()
            .map(|e| e.scaled_score as f64)
            .fold(pass, f64::max);
        let (lo, hi) = if hi - lo < 1.0 {
            (lo - 1.0, hi + 1.0)
        } else {
            (lo, hi)
        };
        const ROWS: usize = 6;
        let row_of = |v: f64| ((hi - v) / (hi - lo) * (ROWS - 1) as f64).round() as usize;
        writeln!(
            out,
            "\n  {style} scores, oldest to newest (--- is the pass mark {pass:.0}):"
        )?;
        for row in 0..ROWS {
            let label = hi - (hi - lo) * row as f64 / (ROWS - 1) as f64;
            let line: String = exams
                .iter()
                .map(|e| {
                    if row_of(e.scaled_score as f64) == row {
                        '*'
                    } else if row_of(pass) == row {
                        '-'
                    } else {
                        ' '
                    }
                })
                .collect();
            writeln!(out, "  {label:>5.0} |{line}")?;
        }
    }
    Ok(())
}

/// The chance of passing: readiness now (every answer) beside the last mock's own figure,
/// named so the two are not mistaken for each other.
fn write_chance(r: &ProgressReport, out: &mut dyn Write) -> io::Result<()> {
    let width = crate::ui::width();
    let para = |out: &mut dyn Write, text: &str| writeln!(out, "{}", wrap(text, width, "  "));
    writeln!(out, "\nChance of passing")?;
    if r.answered < MIN_ANSWERS {
        para(
            out,
            &format!(
                "  Not enough data yet: answer at least {MIN_ANSWERS} questions ({} so far) for an estimate.",
                r.answered
            ),
        )?;
    } else {
        for (style, p) in &r.pass_probability {
            let now = p.map_or_else(|| "-".to_string(), crate::report::exam::percent);
            let last = r
                .last_exam_pass_probability
                .get(style)
                .map_or_else(String::new, |q| {
                    format!("; your last mock: {}", crate::report::exam::percent(*q))
                });
            writeln!(out, "  {style:<9} readiness now {now}{last}")?;
        }
        para(
            out,
            "  Readiness now combines your area estimates from every answer (recent ones count more) as each exam weighs the areas; a mock's figure uses only that exam's answers, so the two differ after a lucky or unlucky exam, or as you learn.",
        )?;
    }
    para(
        out,
        "  Item difficulties are the authors' estimates until calibrated with real answers (labcert calibrate), so these are practice estimates.",
    )
}

/// Each area's standing in plain words: "Against the pass mark: below in Hematology; ...".
fn standing_sentence(r: &ProgressReport) -> String {
    let mut groups: Vec<(&str, Vec<&str>)> = vec![
        ("below", Vec::new()),
        ("near", Vec::new()),
        ("above", Vec::new()),
        ("too few answers to say", Vec::new()),
    ];
    for area in Area::ALL {
        let at = match r.areas[area.name()].standing {
            Some("below") => 0,
            Some("near") => 1,
            Some(_) => 2,
            None => 3,
        };
        groups[at].1.push(area.title());
    }
    let parts: Vec<String> = groups
        .into_iter()
        .filter(|(_, areas)| !areas.is_empty())
        .map(|(word, areas)| {
            if word.starts_with("too") {
                format!("{word} in {}", areas.join(", "))
            } else {
                format!("{word} it in {}", areas.join(", "))
            }
        })
        .collect();
    format!("Against the pass mark: {}.", parts.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparklines_show_gaps_and_levels() {
        assert_eq!(
            sparkline(&[None, Some(0.0), Some(100.0), Some(50.0)], 0.0, 100.0),
            "·▁█▅"
        );
    }
}
