//! Blueprint coverage: can the loaded banks support an exam blueprint, and for how many
//! exams before a candidate sees items again?
//!
//! Per content area on the blueprint, the items the blueprint admits (level, kinds, choices) are counted
//! against what one exam needs: for a linear form the area's count on the form
//! (`form::area_counts`, the form assembler's own rounding); for an adaptive exam the
//! most the content balancing can give the area (its largest share of the length, as
//! `cat::choose_area` caps it). An area with fewer items than one exam needs is a
//! **shortfall** (the exam would come up short). Everything else is **advice**: fewer
//! items than [`EXAMS_WANTED`] exams need (candidates take several mock exams, and
//! labcert avoids items from a candidate's last three), and for adaptive exams an area
//! with no items near the passing standard or a gap in the ability range.
//!
//! This module computes; the command renders.

use serde::Serialize;

use crate::bank::{Area, BSource, Item, Library};
use crate::exam::blueprint::{Blueprint, LevelFilter};
use crate::exam::form::area_counts;

/// How many exams' worth of items per area the advice asks for.
pub const EXAMS_WANTED: usize = 3;
/// Items within this many logits of the passing standard count as "near" it.
pub const NEAR_CUT: f64 = 0.5;
/// The one-logit bands around the passing standard an adaptive exam should cover:
/// from `cut − RANGE_LOGITS` to `cut + RANGE_LOGITS`.
pub const RANGE_LOGITS: i32 = 2;

/// The spread of `b` in an area (quartiles by linear interpolation, as numpy's default).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Spread {
    pub min: f64,
    pub q1: f64,
    pub median: f64,
    pub q3: f64,
    pub max: f64,
    /// Items with b below −1 and above +1.
    pub below_minus_one: usize,
    pub above_plus_one: usize,
}

/// Items with `from <= b < to`; an open end is `None`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Band {
    pub from: Option<f64>,
    pub to: Option<f64>,
    pub items: usize,
}

/// One blueprint area against the bank.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaCoverage {
    pub area: &'static str,
    /// Items one exam needs.
    pub needed: usize,
    /// Items the blueprint admits (level, kinds, number of choices).
    pub available: usize,
    /// `available / needed`.
    pub exams: f64,
    /// Whole exams before items must repeat.
    pub exams_without_repeats: usize,
    /// Items whose `b` is written in the bank (the rest take it from their rating).
    pub b_given: usize,
    pub spread: Option<Spread>,
    /// Items within [`NEAR_CUT`] of the passing standard.
    pub near_cut: usize,
    /// Items per one-logit band around the passing standard, lowest first; the first
    /// and last bands are open.
    pub bands: Vec<Band>,
}

/// The standard error an adaptive exam aims at when its blueprint sets none: about a
/// reliability of 0.91 on a standard normal ability scale.
pub const SE_GOAL: f64 = 0.30;

/// How precisely the bank can measure at one ability.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PrecisionPoint {
    pub theta: f64,
    /// The information of the most informative items at this ability, each area giving
    /// its share of the exam's length.
    pub information: f64,
    /// 1 / sqrt(information + 1): the posterior SD with the standard normal prior.
    pub se: f64,
}

/// The bank's precision for an adaptive blueprint across the ability range.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Precision {
    /// From θ = −3 to +3 in steps of 0.25.
    pub points: Vec<PrecisionPoint>,
    /// The standard error aimed at: the blueprint's own bound, else [`SE_GOAL`].
    pub se_goal: f64,
    /// Ability ranges (from, to) where even the best items leave the SE above the goal:
    /// where the bank runs out of informative items.
    pub thin: Vec<(f64, f64)>,
}

/// The bank's best case for an adaptive exam of `length` items: at each ability, each
/// area's share of the length filled with its most informative items there (before
/// randomesque and exposure control, which cost a little of it).
pub fn precision(blueprint: &Blueprint, library: &Library) -> Precision {
    let length = blueprint.length.max();
    let targets = blueprint.targets();
    // Each area's number of items: its target share of the length, largest remainder.
    let shares: Vec<f64> = targets.target.iter().map(|t| t * length as f64).collect();
    let mut quota: Vec<usize> = shares.iter().map(|s| s.floor() as usize).collect();
    let mut order: Vec<usize> = (0..quota.len()).collect();
    order.sort_by(|&a, &b| {
        (shares[b] - shares[b].floor()).total_cmp(&(shares[a] - shares[a].floor()))
    });
    let mut left = length.saturating_sub(quota.iter().sum());
    for k in order {
        if left == 0 {
            break;
        }
        if targets.target[k] > 0.0 {
            quota[k] += 1;
            left -= 1;
        }
    }
    let per_area: Vec<Vec<crate::irt::ItemParams>> = Area::ALL
        .iter()
        .map(|&area| {
            library
                .items()
                .map(|(_, i)| i)
                .filter(|i| i.area == area && blueprint.admits(i))
                .map(|i| i.irt)
                .collect()
        })
        .collect();
    let se_goal = match blueprint.length {
        crate::exam::blueprint::Length::Variable {
            stop: crate::exam::blueprint::Stop::StandardError(se),
            ..
        } => se,
        _ => SE_GOAL,
    };
    let mut points = Vec::new();
    let mut info = Vec::new();
    for step in 0..=24 {
        let theta = -3.0 + 0.25 * f64::from(step);
        let mut total = 0.0;
        for (k, items) in per_area.iter().enumerate() {
            info.clear();
            info.extend(items.iter().map(|p| p.info(theta)));
            info.sort_by(|a, b| b.total_cmp(a));
            total += info.iter().take(quota[k]).sum::<f64>();
        }
        points.push(PrecisionPoint {
            theta,
            information: total,
            se: 1.0 / (total + 1.0).sqrt(),
        });
    }
    let mut thin = Vec::new();
    let mut start: Option<f64> = None;
    for p in &points {
        match (p.se > se_goal, start) {
            (true, None) => start = Some(p.theta),
            (false, Some(s)) => {
                thin.push((s, p.theta - 0.25));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        thin.push((s, 3.0));
    }
    Precision {
        points,
        se_goal,
        thin,
    }
}

/// The whole check.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coverage {
    pub blueprint_id: String,
    pub name: String,
    /// `MLT`, `MLS` or `any`.
    pub level: &'static str,
    /// The items the blueprint admits, in words: "MLS single-best items", "items".
    pub admitted: String,
    pub adaptive: bool,
    pub length: usize,
    /// How a pass is decided, in words: "passing standard 0.00 logits", "a pass from 70%
    /// right".
    pub pass_rule: String,
    pub passing_theta: f64,
    pub areas: Vec<AreaCoverage>,
    /// Exams a candidate can take before items repeat (the smallest over areas).
    pub exams_without_repeats: usize,
    /// The areas that set that number.
    pub limited_by: Vec<&'static str>,
    /// Problems that stop the bank supporting the blueprint, as sentences.
    pub shortfalls: Vec<String>,
    /// Things worth fixing that do not stop an exam, as sentences.
    pub advice: Vec<String>,
    pub supported: bool,
    /// Adaptive blueprints: the bank's precision across the ability range.
    pub precision: Option<Precision>,
}

/// The items a blueprint admits, in words: "MLS single-best items with 4 choices".
fn admitted_items(blueprint: &Blueprint) -> String {
    let mut words = Vec::new();
    match blueprint.level {
        LevelFilter::Mlt => words.push("MLT".to_string()),
        LevelFilter::Mls => words.push("MLS".to_string()),
        LevelFilter::Any => {}
    }
    if blueprint.kinds.len() == 1 {
        words.push(blueprint.kinds[0].name().to_string());
    }
    words.push("items".to_string());
    let mut text = words.join(" ");
    if let Some(n) = blueprint.choices {
        text.push_str(&format!(" with {n} choices"));
    }
    text
}

/// Checks the banks against the blueprint.
pub fn check(blueprint: &Blueprint, library: &Library) -> Coverage {
    let length = blueprint.length.max();
    let cut = blueprint.passing_theta;
    let needs: Vec<(Area, usize)> = if blueprint.is_adaptive() {
        let targets = blueprint.targets();
        Area::ALL
            .into_iter()
            .enumerate()
            .filter(|(k, _)| targets.target[*k] > 0.0)
            .map(|(k, area)| {
                // As `cat::choose_area` caps an area: its largest share, at least one.
                let cap = (targets.max[k] * length as f64).round().max(1.0);
                (area, cap as usize)
            })
            .collect()
    } else {
        area_counts(blueprint, length)
    };
    let items_word = admitted_items(blueprint);

    let mut areas = Vec::new();
    let mut shortfalls = Vec::new();
    let mut advice = Vec::new();
    for (area, needed) in needs.into_iter().filter(|(_, n)| *n > 0) {
        let items: Vec<&Item> = library
            .items()
            .map(|(_, i)| i)
            .filter(|i| i.area == area && blueprint.admits(i))
            .collect();
        let coverage = area_coverage(area, needed, &items, cut);
        let name = area.name();
        let available = coverage.available;
        if available < needed {
            let has = if available == 0 {
                format!("no {items_word}")
            } else {
                format!("{available} {items_word}")
            };
            shortfalls.push(format!(
                "{name} needs {needed} per exam but has {has}: add at least {}",
                needed - available
            ));
        } else if coverage.exams_without_repeats < EXAMS_WANTED {
            let exams = coverage.exams_without_repeats;
            advice.push(format!(
                "{name} has {available} {items_word}, enough for {exams} exam{} of {needed} without repeats: add {} for {EXAMS_WANTED} exams",
                if exams == 1 { "" } else { "s" },
                EXAMS_WANTED * needed - available
            ));
        }
        if blueprint.is_adaptive() && available > 0 {
            if coverage.near_cut == 0 {
                advice.push(format!(
                    "{name} has no {items_word} within {NEAR_CUT} logits of the passing standard ({cut:.2}): add items with b near {cut:.2}, where pass and fail are decided"
                ));
            }
            let gaps: Vec<String> = coverage
                .bands
                .iter()
                .filter(|b| b.items == 0)
                .filter_map(|b| Some(format!("{:.2} to {:.2}", b.from?, b.to?)))
                .collect();
            if !gaps.is_empty() {
                advice.push(format!(
                    "{name} has no {items_word} with b from {}: candidates of that ability get items pitched further away",
                    gaps.join(" or from ")
                ));
            }
        }
        areas.push(coverage);
    }
    let precision = blueprint
        .is_adaptive()
        .then(|| precision(blueprint, library));
    if let Some(p) = &precision {
        let ranges: Vec<String> = p
            .thin
            .iter()
            .map(|(a, b)| {
                if a == b {
                    format!("{a:+.2}")
                } else {
                    format!("{a:+.2} to {b:+.2}")
                }
            })
            .collect();
        if !ranges.is_empty() {
            advice.push(format!(
                "the bank measures less precisely than SE {:.2} at ability {}: add informative items there (b near those abilities, discriminating well)",
                p.se_goal,
                ranges.join(" and ")
            ));
        }
    }
    let exams_without_repeats = areas
        .iter()
        .map(|a| a.exams_without_repeats)
        .min()
        .unwrap_or(0);
    let limited_by = areas
        .iter()
        .filter(|a| a.exams_without_repeats == exams_without_repeats)
        .map(|a| a.area)
        .collect();
    Coverage {
        blueprint_id: blueprint.id.clone(),
        name: blueprint.name.clone(),
        level: match blueprint.level {
            LevelFilter::Mlt => "MLT",
            LevelFilter::Mls => "MLS",
            LevelFilter::Any => "any",
        },
        admitted: admitted_items(blueprint),
        adaptive: blueprint.is_adaptive(),
        length,
        pass_rule: match blueprint.scale {
            crate::exam::Scale::Linear { .. } => {
                format!("passing standard {cut:.2} logits")
            }
            crate::exam::Scale::Percent { cut } => format!("a pass from {cut}% right"),
            crate::exam::Scale::Raw { cut } => format!("a pass from {cut} right"),
        },
        passing_theta: cut,
        areas,
        exams_without_repeats,
        limited_by,
        supported: shortfalls.is_empty(),
        shortfalls,
        advice,
        precision,
    }
}

fn area_coverage(area: Area, needed: usize, items: &[&Item], cut: f64) -> AreaCoverage {
    let mut b: Vec<f64> = items.iter().map(|i| i.irt.b).collect();
    b.sort_by(f64::total_cmp);
    let available = b.len();
    let mut bands = Vec::new();
    let edges: Vec<f64> = (-RANGE_LOGITS..=RANGE_LOGITS)
        .map(|k| cut + f64::from(k))
        .collect();
    let count = |lo: f64, hi: f64| b.iter().filter(|&&x| x >= lo && x < hi).count();
    bands.push(Band {
        from: None,
        to: Some(edges[0]),
        items: count(f64::NEG_INFINITY, edges[0]),
    });
    for pair in edges.windows(2) {
        bands.push(Band {
            from: Some(pair[0]),
            to: Some(pair[1]),
            items: count(pair[0], pair[1]),
        });
    }
    let last = edges[edges.len() - 1];
    bands.push(Band {
        from: Some(last),
        to: None,
        items: count(last, f64::INFINITY),
    });
    AreaCoverage {
        area: area.name(),
        needed,
        available,
        exams: available as f64 / needed as f64,
        exams_without_repeats: available / needed,
        b_given: items
            .iter()
            .filter(|i| i.b_source == BSource::Given)
            .count(),
        spread: (!b.is_empty()).then(|| Spread {
            min: b[0],
            q1: quantile(&b, 0.25),
            median: quantile(&b, 0.5),
            q3: quantile(&b, 0.75),
            max: b[available - 1],
            below_minus_one: b.iter().filter(|&&x| x < -1.0).count(),
            above_plus_one: b.iter().filter(|&&x| x > 1.0).count(),
        }),
        near_cut: b.iter().filter(|&&x| (x - cut).abs() <= NEAR_CUT).count(),
        bands,
    }
}

/// The `q` quantile of sorted, non-empty values, interpolating linearly between order
/// statistics (Hyndman and Fan type 7, numpy's default).
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::load::check_text;
    use crate::exam::blueprint;

    #[test]
    fn quantiles_match_numpy() {
        // numpy.quantile([-2, -1, 0.5, 3], [0.25, 0.5, 0.75]) = [-1.25, -0.25, 1.125]
        let v = [-2.0, -1.0, 0.5, 3.0];
        assert_eq!(quantile(&v, 0.25), -1.25);
        assert_eq!(quantile(&v, 0.5), -0.25);
        assert_eq!(quantile(&v, 0.75), 1.125);
        assert_eq!(quantile(&[4.0], 0.75), 4.0);
    }

    fn bank(items: &[(&str, &str, f64)]) -> Library {
        let body: String = items
            .iter()
            .enumerate()
            .map(|(k, (area, level, b))| {
                format!(
                    "(id: \"i{k}\", area: \"{area}\", topic: \"t\", level: \"{level}\", b: {b}, stem: \"Question number {k} about {area}?\", answer: SingleBest(choices: [\"a\", \"b\"], key: \"A\"), explanation: \"e\", references: [\"r\"]),\n"
                )
            })
            .collect();
        let text = format!(
            "Bank(id: \"t\", title: \"t\", author: \"t\", version: \"1\", license: \"CC0-1.0\", items: [{body}])"
        );
        let report = check_text("t.ron", &text);
        assert_eq!(report.errors(), 0);
        Library {
            banks: report.banks,
        }
    }

    const QUIZ: &str = r#"Blueprint(id: "quiz", name: "Quiz", level: "MLS", delivery: Linear, length: Fixed(10),
        time_limit_minutes: 20, review: Marking, passing_theta: 0.0,
        scale: Linear(cut_score: 70, points_per_logit: 10, min: 0, max: 100),
        areas: [(area: "hematology", min: 60, max: 60), (area: "chemistry", min: 40, max: 40)])"#;

    #[test]
    fn a_linear_shortfall_is_a_sentence_and_counts_only_admitted_items() {
        let bp = blueprint::parse("quiz.ron", QUIZ).unwrap();
        let mut items = vec![("hematology", "MLS", 0.0); 4];
        items.extend(vec![("hematology", "MLT", 0.0); 5]);
        items.extend((0..9).map(|k| ("chemistry", "both", -2.0 + 0.5 * f64::from(k))));
        let coverage = check(&bp, &bank(&items));
        assert!(!coverage.supported);
        assert_eq!(
            coverage.shortfalls,
            vec!["hematology needs 6 per exam but has 4 MLS items: add at least 2"]
        );
        // Areas come in the order of `Area::ALL`.
        let chem = &coverage.areas[0];
        assert_eq!(
            (chem.area, chem.needed, chem.available),
            ("chemistry", 4, 9)
        );
        assert_eq!(chem.exams_without_repeats, 2);
        let spread = chem.spread.as_ref().unwrap();
        assert_eq!((spread.min, spread.median, spread.max), (-2.0, 0.0, 2.0));
        assert_eq!((spread.below_minus_one, spread.above_plus_one), (2, 2));
        assert_eq!(chem.near_cut, 3);
        let bands: Vec<usize> = chem.bands.iter().map(|b| b.items).collect();
        assert_eq!(bands, vec![0, 2, 2, 2, 2, 1]);
        assert_eq!(
            coverage.advice,
            vec![
                "chemistry has 9 MLS items, enough for 2 exams of 4 without repeats: add 3 for 3 exams"
            ]
        );
        assert_eq!(coverage.exams_without_repeats, 0);
        assert_eq!(coverage.limited_by, vec!["hematology"]);
    }

    #[test]
    fn adaptive_areas_need_their_largest_share_and_the_range_around_the_cut() {
        let text = QUIZ
            .replace("Linear, length", "Adaptive(start_theta: 0.0), length")
            .replace("Marking", "EndOfTest")
            .replace("min: 60, max: 60", "min: 50, max: 70")
            .replace("min: 40, max: 40", "min: 30, max: 50");
        let bp = blueprint::parse("quiz.ron", &text).unwrap();
        let mut items = vec![("hematology", "both", 1.5); 21];
        items.extend(vec![("chemistry", "MLS", 0.2); 15]);
        let coverage = check(&bp, &bank(&items));
        assert!(coverage.supported, "{:?}", coverage.shortfalls);
        let needed: Vec<usize> = coverage.areas.iter().map(|a| a.needed).collect();
        assert_eq!(needed, vec![5, 7]);
        assert_eq!(coverage.exams_without_repeats, 3);
        assert_eq!(coverage.limited_by, vec!["chemistry", "hematology"]);
        assert_eq!(
            coverage.advice,
            vec![
                "chemistry has no MLS items with b from -2.00 to -1.00 or from -1.00 to 0.00 or from 1.00 to 2.00: candidates of that ability get items pitched further away",
                "hematology has no MLS items within 0.5 logits of the passing standard (0.00): add items with b near 0.00, where pass and fail are decided",
                "hematology has no MLS items with b from -2.00 to -1.00 or from -1.00 to 0.00 or from 0.00 to 1.00: candidates of that ability get items pitched further away",
                "the bank measures less precisely than SE 0.30 at ability -3.00 to +3.00: add informative items there (b near those abilities, discriminating well)",
            ]
        );
    }

    /// Rasch items all at b = 0 in a 100-item exam: the information at theta is
    /// 100 p(1 - p) with p = 1 / (1 + e^-theta), so the SE is 1 / sqrt(1 + 100 p (1 - p)):
    /// 0.196 at 0, 0.295 at 2 (just inside 0.30), 0.322 at 2.25 (outside) (python math).
    #[test]
    fn precision_is_the_information_of_the_best_items_and_names_thin_ranges() {
        let text = QUIZ
            .replace(
                "Linear, length: Fixed(10)",
                "Adaptive(start_theta: 0.0), length: Fixed(100)",
            )
            .replace("Marking", "EndOfTest");
        let bp = blueprint::parse("quiz.ron", &text).unwrap();
        let mut items = vec![("hematology", "both", 0.0); 70];
        items.extend(vec![("chemistry", "both", 0.0); 50]);
        let p = precision(&bp, &bank(&items));
        let at = |theta: f64| {
            p.points
                .iter()
                .find(|q| (q.theta - theta).abs() < 1e-9)
                .unwrap()
        };
        for (theta, se) in [(0.0, 0.196_116), (2.0, 0.294_892), (2.25, 0.322_316)] {
            let expected_info = 100.0 / (2.0 + f64::exp(theta) + f64::exp(-theta));
            assert!((at(theta).information - expected_info).abs() < 1e-9);
            assert!(
                (at(theta).se - se).abs() < 1e-5,
                "{theta}: {}",
                at(theta).se
            );
        }
        assert_eq!(p.se_goal, SE_GOAL);
        assert_eq!(p.thin, vec![(-3.0, -2.25), (2.25, 3.0)]);
    }
}
