//! Blueprints: what an exam is made of, as data.
//!
//! A blueprint names the content areas with their share of the test, the length and
//! stopping rule, the time limit, adaptive or linear delivery, what review is allowed,
//! the passing standard (in logits on the bank's scale) and the score scale. The four
//! shipped blueprints (`ascp-mlt`, `ascp-mls`, `amt-mlt`, `amt-mls`) are RON files in
//! `src/exam/blueprints/`; an instructor's own is read with `--blueprint FILE` and checked
//! with the same diagnostics as a bank (see docs/blueprint-format.md).

use std::time::Duration;

use crate::bank::{Area, Item, Kind, Level};
use crate::cat::AreaTargets;
use crate::doc::decode::{Cx, StructView, suggest, valid_id};
use crate::doc::diagnostic::{Diagnostic, Sources};
use crate::doc::ron::{Node, NodeKind};

/// The shipped blueprints: (style name, RON text).
pub const SHIPPED: &[(&str, &str)] = &[
    ("ascp-mlt", include_str!("blueprints/ascp-mlt.ron")),
    ("ascp-mls", include_str!("blueprints/ascp-mls.ron")),
    ("amt-mlt", include_str!("blueprints/amt-mlt.ron")),
    ("amt-mls", include_str!("blueprints/amt-mls.ron")),
    (
        "readiness-mlt",
        include_str!("blueprints/readiness-mlt.ron"),
    ),
    (
        "readiness-mls",
        include_str!("blueprints/readiness-mls.ron"),
    ),
];

#[derive(Debug, Clone, PartialEq)]
pub enum Delivery {
    /// Computer adaptive: each item chosen by the candidate's current estimate; the first
    /// at `start_theta`.
    Adaptive { start_theta: f64 },
    /// A fixed form assembled to the blueprint before the exam starts.
    Linear,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Stop {
    /// Stop when the standard error falls to this value.
    StandardError(f64),
    /// Stop when this confidence interval around θ excludes the passing standard
    /// (e.g. 0.95: θ ± 1.96 SE entirely above or below the cut).
    Confidence(f64),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Length {
    Fixed(usize),
    Variable { min: usize, max: usize, stop: Stop },
}

impl Length {
    /// The most items the exam can have.
    pub fn max(&self) -> usize {
        match self {
            Length::Fixed(n) => *n,
            Length::Variable { max, .. } => *max,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Review {
    /// No going back.
    None,
    /// After the last item, answers may be changed (ASCP).
    EndOfTest,
    /// Items may be marked, skipped and revisited before submitting (linear forms).
    Marking,
}

/// How an exam's reported score and result are made.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scale {
    /// From the ability estimate, as the certification exams do: `cut_score +
    /// points_per_logit × (θ − passing θ)`, rounded and clamped to [min, max]; a pass is
    /// θ at or above the passing θ.
    Linear {
        cut_score: f64,
        points_per_logit: f64,
        min: f64,
        max: f64,
    },
    /// A classroom quiz: the percent of the form's items answered right (unanswered
    /// items count as wrong), shown rounded down; a pass is at least `cut` percent.
    Percent { cut: f64 },
    /// A classroom quiz: the number of items right; a pass is at least `cut`.
    Raw { cut: u32 },
}

impl Scale {
    /// The score θ implies on a [`Scale::Linear`] scale; `None` on a scale that counts
    /// right answers, where θ implies no score.
    pub fn theta_score(&self, theta: f64, passing_theta: f64) -> Option<i64> {
        match *self {
            Scale::Linear {
                cut_score,
                points_per_logit,
                min,
                max,
            } => {
                let raw = cut_score + points_per_logit * (theta - passing_theta);
                Some(raw.round().clamp(min, max) as i64)
            }
            Scale::Percent { .. } | Scale::Raw { .. } => None,
        }
    }

    /// `linear`, `percent` or `raw`.
    pub fn name(&self) -> &'static str {
        match self {
            Scale::Linear { .. } => "linear",
            Scale::Percent { .. } => "percent",
            Scale::Raw { .. } => "raw",
        }
    }
}

/// Which items a blueprint may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LevelFilter {
    Mlt,
    Mls,
    Any,
}

impl LevelFilter {
    pub fn admits(self, level: Level) -> bool {
        match self {
            LevelFilter::Mlt => level.suits_mlt(),
            LevelFilter::Mls => level.suits_mls(),
            LevelFilter::Any => true,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct AreaRange {
    pub area: Area,
    /// Percent of the test, lowest and highest.
    pub min: f64,
    pub max: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Blueprint {
    pub id: String,
    pub name: String,
    pub level: LevelFilter,
    pub delivery: Delivery,
    pub length: Length,
    pub time_limit: Duration,
    pub review: Review,
    pub passing_theta: f64,
    pub scale: Scale,
    pub areas: Vec<AreaRange>,
    /// The item kinds an exam may use (`kinds: [SingleBest]`); all when empty.
    pub kinds: Vec<Kind>,
    /// Only choice items with exactly this many choices (`choices: 4`), when given.
    pub choices: Option<usize>,
    /// The ids of the banks the exam draws on (`banks: ["mlt1010-unit3"]`); every loaded
    /// bank when empty.
    pub banks: Vec<String>,
    /// The target maximum exposure rate of an adaptive exam (`max_exposure: 0.25`): no
    /// item given to more than this share of candidates, by Sympson-Hetter control.
    pub max_exposure: Option<f64>,
}

impl Blueprint {
    /// Whether an exam of this blueprint may use `item`: its level, area, kind and
    /// number of choices. Practice looks only at the level and area, so items an exam
    /// leaves out (numeric entry, select all) are still practised.
    pub fn admits(&self, item: &Item) -> bool {
        self.level.admits(item.level)
            && self
                .areas
                .iter()
                .any(|r| r.area == item.area && r.max > 0.0)
            && (self.kinds.is_empty() || self.kinds.contains(&item.answer.kind()))
            && self
                .choices
                .is_none_or(|n| item.answer.choices().len() == n)
    }

    pub fn is_adaptive(&self) -> bool {
        matches!(self.delivery, Delivery::Adaptive { .. })
    }

    pub fn targets(&self) -> AreaTargets {
        let ranges: Vec<(Area, f64, f64)> =
            self.areas.iter().map(|r| (r.area, r.min, r.max)).collect();
        AreaTargets::from_ranges(&ranges)
    }

    /// The passing score on the reported scale.
    pub fn passing_score(&self) -> i64 {
        match self.scale {
            Scale::Linear { .. } => self
                .scale
                .theta_score(self.passing_theta, self.passing_theta)
                .unwrap_or(0),
            Scale::Percent { cut } => cut.ceil() as i64,
            Scale::Raw { cut } => i64::from(cut),
        }
    }

    /// The reported score and whether it passes, from the ability estimate (linear
    /// scales) or from the number right of the form's `items` (percent and raw scales).
    pub fn outcome(&self, theta: f64, correct: usize, items: usize) -> (i64, bool) {
        match self.scale {
            Scale::Linear { .. } => (
                self.scale
                    .theta_score(theta, self.passing_theta)
                    .unwrap_or(0),
                theta >= self.passing_theta,
            ),
            Scale::Percent { cut } => {
                let percent = 100.0 * correct as f64 / items.max(1) as f64;
                // Rounded down, so a score shown at the cut is a pass and one below is not.
                (((percent + 1e-9).floor()) as i64, percent + 1e-9 >= cut)
            }
            Scale::Raw { cut } => (correct as i64, correct >= cut as usize),
        }
    }
}

/// A blueprint file that could not be used: the rendered diagnostics.
#[derive(Debug)]
pub struct BlueprintError {
    pub rendered: String,
    pub diagnostics: usize,
}

/// The shipped blueprint for a style name.
pub fn shipped(style: &str) -> Option<Blueprint> {
    let (name, text) = SHIPPED.iter().find(|(n, _)| *n == style)?;
    // The shipped files are tested to decode without errors.
    parse(&format!("<builtin>/{name}.ron"), text).ok()
}

/// Decodes blueprint text; every problem is reported, as for banks.
pub fn parse(name: &str, text: &str) -> Result<Blueprint, BlueprintError> {
    let mut sources = Sources::new();
    let file = sources.add(name, text);
    let mut diags = Vec::new();
    let result = {
        let mut cx = Cx::new(file, &mut diags);
        match crate::doc::ron::parse(sources.text(file)) {
            Ok(root) => decode(&root, &mut cx),
            Err(e) => {
                let d = Diagnostic::error("syntax", file, e.message)
                    .at(e.span, "here")
                    .hint_opt(e.hint);
                cx.push(d);
                None
            }
        }
    };
    match result {
        Some(bp) if !diags.iter().any(|d| d.is_error()) => Ok(bp),
        _ => {
            crate::doc::diagnostic::sort(&mut diags);
            Err(BlueprintError {
                rendered: crate::doc::diagnostic::render_to_string(&sources, &diags),
                diagnostics: diags.iter().filter(|d| d.is_error()).count(),
            })
        }
    }
}

const FIELDS: &[&str] = &[
    "id",
    "name",
    "level",
    "delivery",
    "length",
    "time_limit_minutes",
    "review",
    "passing_theta",
    "scale",
    "areas",
    "kinds",
    "choices",
    "banks",
    "max_exposure",
];

fn decode(root: &Node, cx: &mut Cx) -> Option<Blueprint> {
    let mut s = cx.structure(root, "Blueprint", "the blueprint")?;
    let id = s.required(cx, "id", "\"my-exam\"").and_then(|n| {
        let id = cx.string(n, None)?;
        if valid_id(&id) {
            Some(id)
        } else {
            cx.error(
                "bad-id",
                n.span.clone(),
                format!("\"{id}\" is not a usable id"),
                "letters, digits, `-`, `_`, `.`",
            );
            None
        }
    });
    let name = s
        .required(cx, "name", "\"My mock exam\"")
        .and_then(|n| cx.text(n, "name"));
    let level = s.required(cx, "level", "\"MLS\"").and_then(|n| {
        let v = cx.string(n, None)?;
        match v.to_ascii_lowercase().as_str() {
            "mlt" => Some(LevelFilter::Mlt),
            "mls" => Some(LevelFilter::Mls),
            "any" => Some(LevelFilter::Any),
            _ => {
                let d =
                    Diagnostic::error("unknown-level", cx.file, format!("unknown level \"{v}\""))
                        .at(n.span.clone(), "not MLT, MLS or any")
                        .hint("a blueprint's level is \"MLT\", \"MLS\" or \"any\"");
                cx.push(d);
                None
            }
        }
    });
    let delivery = s
        .required(cx, "delivery", "Adaptive(start_theta: -0.5)")
        .and_then(|n| decode_delivery(cx, n));
    let length = s
        .required(cx, "length", "Fixed(100)")
        .and_then(|n| decode_length(cx, n));
    let minutes = s.required(cx, "time_limit_minutes", "150").and_then(|n| {
        let v = cx.number(n)?;
        if v > 0.0 && v <= 24.0 * 60.0 {
            Some(v)
        } else {
            cx.error(
                "out-of-range",
                n.span.clone(),
                format!("a time limit of {v} minutes"),
                "must be above 0 and at most 1440",
            );
            None
        }
    });
    let review = s
        .required(cx, "review", "EndOfTest")
        .and_then(|n| match &n.kind {
            NodeKind::Unit { name: Some(i) } => match i.name {
                "NoReview" => Some(Review::None),
                "EndOfTest" => Some(Review::EndOfTest),
                "Marking" => Some(Review::Marking),
                other => {
                    let d = Diagnostic::error(
                        "unknown-review",
                        cx.file,
                        format!("unknown review mode `{other}`"),
                    )
                    .at(n.span.clone(), "not a review mode")
                    .hint_opt(
                        suggest(other, ["NoReview", "EndOfTest", "Marking"])
                            .map(|s| format!("did you mean `{s}`?")),
                    )
                    .hint("the modes are NoReview, EndOfTest and Marking");
                    cx.push(d);
                    None
                }
            },
            _ => {
                cx.error(
                    "wrong-type",
                    n.span.clone(),
                    "expected NoReview, EndOfTest or Marking",
                    "a review mode",
                );
                None
            }
        });
    // A quiz scored by counting right answers needs no passing θ (0 when absent: it is
    // still the standard practice aims at).
    let passing_node = s.optional("passing_theta");
    let passing_theta = passing_node.and_then(|n| {
        let v = cx.number(n)?;
        if v.abs() <= 6.0 {
            Some(v)
        } else {
            cx.error(
                "out-of-range",
                n.span.clone(),
                format!("passing_theta {v} is off the scale"),
                "must be between -6 and 6",
            );
            None
        }
    });
    let scale = s
        .required(
            cx,
            "scale",
            "Linear(cut_score: 400, points_per_logit: 100, min: 100, max: 999)",
        )
        .and_then(|n| decode_scale(cx, n));
    let passing_theta = match (passing_node, scale) {
        (Some(_), _) => passing_theta,
        (None, Some(Scale::Percent { .. } | Scale::Raw { .. })) => Some(0.0),
        (None, _) => s.required(cx, "passing_theta", "0.0").and(None),
    };
    let areas_node = s.required(cx, "areas", "[(area: \"chemistry\", min: 20, max: 25)]");
    let areas = areas_node.and_then(|n| decode_areas(cx, n));
    let kinds = match s.optional("kinds") {
        Some(n) => decode_kinds(cx, n),
        None => Some(Vec::new()),
    };
    let choices = match s.optional("choices") {
        Some(n) => cx.integer(n).and_then(|k| {
            if (2..=26).contains(&k) {
                Some(Some(k as usize))
            } else {
                cx.error(
                    "out-of-range",
                    n.span.clone(),
                    format!("{k} choices"),
                    "an item has 2 to 26 choices",
                );
                None
            }
        }),
        None => Some(None),
    };
    let banks = match s.optional("banks") {
        Some(n) => cx.string_list(n).map(|list| {
            let mut ids: Vec<String> = Vec::new();
            for (id, span) in list {
                if !crate::doc::decode::valid_id(&id) {
                    cx.error(
                        "bad-id",
                        span,
                        format!("\"{id}\" is not a bank id"),
                        "a bank id is 1 to 64 letters, digits, `-`, `_` or `.`, as in the bank's `id:`",
                    );
                } else if ids.contains(&id) {
                    cx.error(
                        "duplicate-bank",
                        span,
                        format!("bank \"{id}\" is listed twice"),
                        "listed again here",
                    );
                } else {
                    ids.push(id);
                }
            }
            ids
        }),
        None => Some(Vec::new()),
    };
    let max_exposure = match s.optional("max_exposure") {
        Some(n) => cx.number(n).and_then(|v| {
            if v > 0.0 && v <= 1.0 {
                Some(Some(v))
            } else {
                cx.error(
                    "out-of-range",
                    n.span.clone(),
                    format!("max_exposure {v} is not a share of candidates"),
                    "a share above 0 and at most 1, e.g. 0.25",
                );
                None
            }
        }),
        None => Some(None),
    };
    let head = s.head.clone();
    s.finish(cx, FIELDS);

    // Checks across fields.
    if let (Some(Delivery::Adaptive { .. }), Some(Review::Marking)) = (&delivery, review) {
        cx.error(
            "review-mode",
            head.clone(),
            "an adaptive exam cannot allow marking and revisiting",
            "each item depends on the answers before it",
        );
    }
    if let (Some(areas), Some(n)) = (&areas, areas_node) {
        let lo: f64 = areas.iter().map(|a| a.min).sum();
        let hi: f64 = areas.iter().map(|a| a.max).sum();
        if lo > 100.0 + 1e-9 || hi < 100.0 - 1e-9 {
            let d = Diagnostic::error(
                "area-shares",
                cx.file,
                format!("the area ranges cannot add up to 100%: minimums add to {lo}%, maximums to {hi}%"),
            )
            .at(n.span.start..n.span.start + 1, "these ranges")
            .hint("make the minimums add to at most 100 and the maximums to at least 100");
            cx.push(d);
        }
    }
    Some(Blueprint {
        id: id?,
        name: name?,
        level: level?,
        delivery: delivery?,
        length: length?,
        time_limit: Duration::from_secs_f64(minutes? * 60.0),
        review: review?,
        passing_theta: passing_theta?,
        scale: scale?,
        areas: areas?,
        kinds: kinds?,
        choices: choices?,
        banks: banks?,
        max_exposure: max_exposure?,
    })
}

/// `kinds: [SingleBest, SelectAll, Numeric]`, the variant names of the bank format.
fn decode_kinds(cx: &mut Cx, n: &Node) -> Option<Vec<Kind>> {
    const NAMES: [&str; 3] = ["SingleBest", "SelectAll", "Numeric"];
    let list = cx.list(n, Some("kinds: [SingleBest]"))?;
    let mut out = Vec::new();
    let mut ok = true;
    for v in list {
        let (kind, name) = match &v.kind {
            NodeKind::Unit { name: Some(i) } => (
                match i.name {
                    "SingleBest" => Some(Kind::SingleBest),
                    "SelectAll" => Some(Kind::SelectAll),
                    "Numeric" => Some(Kind::Numeric),
                    _ => None,
                },
                Some(i.name),
            ),
            _ => (None, None),
        };
        match kind {
            Some(k) if !out.contains(&k) => out.push(k),
            Some(_) => {}
            None => {
                ok = false;
                let d = Diagnostic::error("unknown-kind", cx.file, "not an item kind")
                    .at(v.span.clone(), "here")
                    .hint_opt(
                        name.and_then(|name| suggest(name, NAMES))
                            .map(|s| format!("did you mean `{s}`?")),
                    )
                    .hint("the kinds are SingleBest, SelectAll and Numeric");
                cx.push(d);
            }
        }
    }
    if out.is_empty() && ok {
        cx.error(
            "empty-kinds",
            n.span.clone(),
            "an empty list of kinds admits no item",
            "leave `kinds` out to admit every kind",
        );
        return None;
    }
    ok.then_some(out)
}

fn decode_delivery(cx: &mut Cx, n: &Node) -> Option<Delivery> {
    match &n.kind {
        NodeKind::Unit { name: Some(i) } if i.name == "Linear" => Some(Delivery::Linear),
        NodeKind::Struct { name: Some(i), .. } if i.name == "Adaptive" => {
            let mut s = cx.structure(n, "Adaptive", "the delivery")?;
            let start = s
                .optional("start_theta")
                .and_then(|v| cx.number(v))
                .unwrap_or(0.0);
            s.finish(cx, &["start_theta"]);
            Some(Delivery::Adaptive {
                start_theta: start.clamp(-6.0, 6.0),
            })
        }
        _ => {
            cx.error(
                "wrong-type",
                n.span.clone(),
                format!(
                    "expected `Adaptive(start_theta: ...)` or `Linear`, found {}",
                    n.kind.describe()
                ),
                "a delivery mode",
            );
            None
        }
    }
}

fn decode_length(cx: &mut Cx, n: &Node) -> Option<Length> {
    let count = |cx: &mut Cx, v: &Node| -> Option<usize> {
        let k = cx.integer(v)?;
        if (1..=1000).contains(&k) {
            Some(k as usize)
        } else {
            cx.error(
                "out-of-range",
                v.span.clone(),
                format!("{k} items"),
                "must be 1 to 1000",
            );
            None
        }
    };
    match &n.kind {
        NodeKind::Tuple {
            name: Some(i),
            items,
        } if i.name == "Fixed" && items.len() == 1 => count(cx, &items[0]).map(Length::Fixed),
        NodeKind::Struct { name: Some(i), .. } if i.name == "Variable" => {
            let mut s = cx.structure(n, "Variable", "the length")?;
            let min = s.required(cx, "min", "60").and_then(|v| count(cx, v));
            let max = s.required(cx, "max", "150").and_then(|v| count(cx, v));
            let stop = s.required(cx, "stop", "Confidence(0.95)").and_then(|v| match &v.kind {
                NodeKind::Tuple { name: Some(i), items } if items.len() == 1 && (i.name == "Confidence" || i.name == "StandardError") => {
                    let x = cx.number(&items[0])?;
                    let ok = if i.name == "Confidence" { x > 0.5 && x < 1.0 } else { x > 0.0 && x < 2.0 };
                    if !ok {
                        cx.error("out-of-range", items[0].span.clone(), format!("{} {x}", i.name), "Confidence takes 0.5 to 1 (e.g. 0.95); StandardError 0 to 2 (e.g. 0.3)");
                        return None;
                    }
                    Some(if i.name == "Confidence" { Stop::Confidence(x) } else { Stop::StandardError(x) })
                }
                _ => {
                    cx.error("wrong-type", v.span.clone(), "expected `Confidence(0.95)` or `StandardError(0.3)`", "a stopping rule");
                    None
                }
            });
            s.finish(cx, &["min", "max", "stop"]);
            let (min, max) = (min?, max?);
            if min > max {
                cx.error(
                    "out-of-range",
                    n.span.clone(),
                    format!("min {min} is above max {max}"),
                    "min must be at most max",
                );
                return None;
            }
            Some(Length::Variable {
                min,
                max,
                stop: stop?,
            })
        }
        _ => {
            cx.error(
                "wrong-type",
                n.span.clone(),
                format!(
                    "expected `Fixed(100)` or `Variable(min: .., max: .., stop: ..)`, found {}",
                    n.kind.describe()
                ),
                "a length",
            );
            None
        }
    }
}

fn decode_scale(cx: &mut Cx, n: &Node) -> Option<Scale> {
    if let NodeKind::Struct { name: Some(i), .. } = &n.kind {
        match i.name {
            "Percent" => {
                let mut s = cx.structure(n, "Percent", "the scale")?;
                let cut = s.required(cx, "cut", "70").and_then(|v| cx.number(v));
                s.finish(cx, &["cut"]);
                let cut = cut?;
                if !(0.0..=100.0).contains(&cut) {
                    cx.error(
                        "bad-scale",
                        n.span.start..n.span.start + 1,
                        format!("a percent cut of {cut} is not a percent"),
                        "the cut is the percent right needed to pass, 0 to 100",
                    );
                    return None;
                }
                return Some(Scale::Percent { cut });
            }
            "Raw" => {
                let mut s = cx.structure(n, "Raw", "the scale")?;
                let cut = s.required(cx, "cut", "21").and_then(|v| cx.integer(v));
                s.finish(cx, &["cut"]);
                let cut = cut?;
                let Ok(cut) = u32::try_from(cut) else {
                    cx.error(
                        "bad-scale",
                        n.span.start..n.span.start + 1,
                        format!("a raw cut of {cut} is not a number of items"),
                        "the cut is the number right needed to pass, 0 or more",
                    );
                    return None;
                };
                return Some(Scale::Raw { cut });
            }
            _ => {}
        }
    }
    let mut s = cx.structure(n, "Linear", "the scale")?;
    let num = |s: &mut StructView, cx: &mut Cx, f: &str, ex: &str| {
        s.required(cx, f, ex).and_then(|v| cx.number(v))
    };
    let cut = num(&mut s, cx, "cut_score", "400");
    let per = num(&mut s, cx, "points_per_logit", "100");
    let min = num(&mut s, cx, "min", "100");
    let max = num(&mut s, cx, "max", "999");
    s.finish(cx, &["cut_score", "points_per_logit", "min", "max"]);
    let (cut, per, min, max) = (cut?, per?, min?, max?);
    if !(min < max && (min..=max).contains(&cut) && per > 0.0) {
        cx.error(
            "bad-scale",
            n.span.start..n.span.start + 1,
            "the scale needs min < max, the cut score between them, and points_per_logit above 0",
            "this scale",
        );
        return None;
    }
    Some(Scale::Linear {
        cut_score: cut,
        points_per_logit: per,
        min,
        max,
    })
}

fn decode_areas(cx: &mut Cx, n: &Node) -> Option<Vec<AreaRange>> {
    let list = cx.list(
        n,
        Some("areas: [(area: \"chemistry\", min: 20, max: 25), ...]"),
    )?;
    let mut out: Vec<AreaRange> = Vec::new();
    let mut ok = true;
    for item in list {
        let Some(mut s) = cx.structure(item, "Area", "an area range") else {
            ok = false;
            continue;
        };
        let area = s.required(cx, "area", "\"chemistry\"").and_then(|v| {
            let name = cx.string(v, None)?;
            match Area::from_name(&name) {
                Some(a) => Some((a, v.span.clone())),
                None => {
                    let d = Diagnostic::error(
                        "unknown-area",
                        cx.file,
                        format!("unknown area \"{name}\""),
                    )
                    .at(v.span.clone(), "not one of the seven content areas")
                    .hint(
                        match suggest(&name, Area::ALL.iter().map(|a| a.name())) {
                            Some(s) => format!("did you mean \"{s}\"?"),
                            None => {
                                format!("the areas are: {}", Area::ALL.map(|a| a.name()).join(", "))
                            }
                        },
                    );
                    cx.push(d);
                    None
                }
            }
        });
        let pct = |cx: &mut Cx, v: &Node| {
            let x = cx.number(v)?;
            if (0.0..=100.0).contains(&x) {
                Some(x)
            } else {
                cx.error(
                    "out-of-range",
                    v.span.clone(),
                    format!("{x}%"),
                    "a percentage from 0 to 100",
                );
                None
            }
        };
        let min = s.required(cx, "min", "20").and_then(|v| pct(cx, v));
        let max = s.required(cx, "max", "25").and_then(|v| pct(cx, v));
        s.finish(cx, &["area", "min", "max"]);
        match (area, min, max) {
            (Some((area, span)), Some(min), Some(max)) => {
                if min > max {
                    cx.error(
                        "out-of-range",
                        item.span.start..item.span.start + 1,
                        format!("min {min}% is above max {max}%"),
                        "min must be at most max",
                    );
                    ok = false;
                } else if out.iter().any(|r| r.area == area) {
                    cx.error(
                        "duplicate-area",
                        span,
                        format!("area \"{}\" is listed twice", area.name()),
                        "listed again here",
                    );
                    ok = false;
                } else {
                    out.push(AreaRange { area, min, max });
                }
            }
            _ => ok = false,
        }
    }
    if out.is_empty() && ok {
        cx.error(
            "no-areas",
            n.span.clone(),
            "the blueprint lists no areas",
            "add at least one area",
        );
        return None;
    }
    ok.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_blueprints_decode() {
        for (name, text) in SHIPPED {
            let bp = parse(name, text).unwrap_or_else(|e| panic!("{name}:\n{}", e.rendered));
            assert_eq!(bp.id, *name);
            let t = bp.targets();
            assert!((t.target.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        }
        let mls = shipped("ascp-mls").unwrap();
        assert_eq!(mls.length, Length::Fixed(100));
        assert_eq!(mls.time_limit, Duration::from_secs(150 * 60));
        assert_eq!(mls.passing_score(), 400);
        assert!(mls.is_adaptive());
        let amt = shipped("amt-mlt").unwrap();
        assert_eq!(amt.delivery, Delivery::Linear);
        assert_eq!(amt.review, Review::Marking);
        assert_eq!(amt.passing_score(), 70);
    }

    #[test]
    fn the_ascp_scale_maps_the_cut_to_400_and_clamps() {
        let bp = shipped("ascp-mls").unwrap();
        let score = |theta: f64| bp.scale.theta_score(theta, bp.passing_theta).unwrap();
        assert_eq!(score(bp.passing_theta), 400);
        assert_eq!(score(bp.passing_theta + 1.0), 500);
        assert_eq!(score(-50.0), 100);
        assert_eq!(score(50.0), 999);
    }

    #[test]
    fn a_bad_blueprint_reports_every_problem_with_its_place() {
        let text = "Blueprint(\n  id: \"x\",\n  name: \"X\",\n  level: \"MLX\",\n  delivery: Adaptive(start_theta: 0.0),\n  length: Fixed(0),\n  time_limit_minutes: 90,\n  review: Marking,\n  passing_theta: 0.0,\n  scale: Linear(cut_score: 400, points_per_logit: 100, min: 100, max: 999),\n  areas: [(area: \"hematolgy\", min: 50, max: 60), (area: \"chemistry\", min: 10, max: 20)],\n  colour: 1,\n)\n";
        let err = parse("bad.ron", text).unwrap_err();
        let r = &err.rendered;
        for want in [
            "error[unknown-level]",
            "bad.ron:4:10",
            "error[out-of-range]: 0 items",
            "bad.ron:6:17",
            "error[unknown-area]",
            "did you mean \"hematology\"?",
            "error[unknown-field]: unknown field `colour`",
            "error[review-mode]",
        ] {
            assert!(r.contains(want), "missing {want:?} in\n{r}");
        }
    }

    const BASE: &str = "Blueprint(\n  id: \"k\",\n  name: \"K\",\n  level: \"any\",\n  delivery: Linear,\n  length: Fixed(10),\n  time_limit_minutes: 30,\n  review: Marking,\n  passing_theta: 0.0,\n  scale: Linear(cut_score: 70, points_per_logit: 10, min: 0, max: 100),\n  areas: [(area: \"hematology\", min: 100, max: 100)],\n";

    #[test]
    fn kinds_and_choices_choose_the_items_an_exam_may_use() {
        let bank = crate::bank::load::check_text(
            "k.ron",
            r#"Bank(id: "kb", title: "K", author: "a", version: "1", license: "CC0-1.0", items: [
  (id: "sb4", area: "hematology", topic: "t", level: "both", difficulty: 3, stem: "Which one is right here?", answer: SingleBest(choices: ["a", "b", "c", "d"], key: "A"), explanation: "Because a is right; b, c and d are not.", references: ["Rodak"]),
  (id: "sb5", area: "hematology", topic: "t", level: "both", difficulty: 3, stem: "Which other one is right?", answer: SingleBest(choices: ["a", "b", "c", "d", "e"], key: "B"), explanation: "Because b is right; the others are not.", references: ["Rodak"]),
  (id: "sa", area: "hematology", topic: "t", level: "both", difficulty: 3, stem: "Select every right one here.", answer: SelectAll(choices: ["a", "b", "c", "d"], keys: ["A", "C"]), explanation: "A and C are right; B and D are not.", references: ["Rodak"]),
  (id: "num", area: "hematology", topic: "t", level: "both", difficulty: 3, stem: "How many are there in all?", answer: Numeric(value: 4.0, tolerance: 0.1, unit: "fL"), explanation: "There are four of them.", references: ["Rodak"]),
  (id: "chem", area: "chemistry", topic: "t", level: "both", difficulty: 3, stem: "Which chemistry one is right?", answer: SingleBest(choices: ["a", "b", "c", "d"], key: "C"), explanation: "C is right; the others are not.", references: ["Tietz"]),
])"#,
        );
        assert_eq!(bank.errors(), 0);
        let items = &bank.banks[0].items;
        let admitted = |extra: &str| -> Vec<String> {
            let bp = parse("k.ron", &format!("{BASE}{extra})\n"))
                .unwrap_or_else(|e| panic!("{}", e.rendered));
            items
                .iter()
                .filter(|i| bp.admits(i))
                .map(|i| i.id.clone())
                .collect()
        };
        assert_eq!(
            admitted(""),
            ["sb4", "sb5", "sa", "num"],
            "every kind; not an area off the blueprint"
        );
        assert_eq!(admitted("  kinds: [SingleBest],\n"), ["sb4", "sb5"]);
        assert_eq!(
            admitted("  kinds: [SingleBest, Numeric],\n"),
            ["sb4", "sb5", "num"]
        );
        assert_eq!(admitted("  kinds: [SingleBest],\n  choices: 4,\n"), ["sb4"]);
        assert_eq!(
            admitted("  choices: 4,\n"),
            ["sb4", "sa"],
            "a numeric item has no choices"
        );
    }

    #[test]
    fn a_bad_kinds_list_is_diagnosed() {
        let err = parse(
            "k.ron",
            &format!("{BASE}  kinds: [SingleBset, Essay],\n  choices: 1,\n)\n"),
        )
        .unwrap_err();
        for want in [
            "error[unknown-kind]",
            "did you mean `SingleBest`?",
            "k.ron:12:11",
            "k.ron:12:23",
            "error[out-of-range]: 1 choices",
        ] {
            assert!(
                err.rendered.contains(want),
                "missing {want:?} in\n{}",
                err.rendered
            );
        }
        let err = parse("k.ron", &format!("{BASE}  kinds: [],\n)\n")).unwrap_err();
        assert!(
            err.rendered.contains("error[empty-kinds]"),
            "{}",
            err.rendered
        );
    }
}
