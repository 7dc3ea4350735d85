//! The progress report as one self-contained HTML page, to open in a browser and print
//! (`labcert report --html FILE`): five charts drawn as inline SVG (mock exam scores,
//! area estimates against the pass mark, reviews due per day, the weakest topics, the
//! last exam's areas), each with a caption and the same numbers as a table beside it.
//! No script, no external style sheet, font or image: the file works offline and prints
//! as it looks.
//!
//! It takes the [`ProgressReport`] already built and the few facts only the page shows
//! (reviews due per day, the last exam's stored result). Reading those is the CLI's job
//! (`cli/report.rs`), so nothing here does I/O. The SVG is built by hand, as
//! `exhibit::svg` builds exhibits. Every text from a bank or a profile is escaped, and
//! the page is well-formed XML as well as HTML, so the tests read it with an XML parser.
//! Each data mark is a `<g class="mark">`, one per exam, area, day or topic.

use std::fmt::Write;

use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::exam::{percent, signed};
use super::progress::{AreaReport, ExamReport, ProgressReport};
use crate::bank::Area;
use crate::exam::{Blueprint, ExamResult, Scale};

/// How many days the reviews chart shows, today first.
pub const DUE_DAYS: usize = 14;
/// The most exams of one style the score chart shows (the latest).
const MAX_EXAMS_SHOWN: usize = 60;
/// z for a two-sided 95% interval.
const Z95: f64 = 1.959_964;

/// The width of every chart, in CSS pixels; the page is at most 900 wide.
const WIDTH: f64 = 860.0;

// Colours that survive printing in grey: each also differs in lightness or shape.
const RED: &str = "#b2182b";
const ORANGE: &str = "#d6731a";
const GREEN: &str = "#1b7837";
const GREY: &str = "#767676";
const BLUE: &str = "#2166ac";
const INK: &str = "#1a1a1a";
const RULE: &str = "#d0d0d0";

/// Reviews due on one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueDay {
    pub date: Date,
    /// Due that day; today's count includes every overdue review.
    pub count: usize,
    /// Of `count`, those due at or before now (today only; 0 on later days).
    pub overdue: usize,
}

/// Counts due reviews per local day for `days` days from today, in `tz`; a review already
/// overdue counts on today, one after the last day is left out. Days end at local
/// midnight, so a day may be 23 or 25 hours long across a clock change.
pub fn due_by_day(due: &[i64], now_ms: i64, tz: &TimeZone, days: usize) -> Vec<DueDay> {
    let Ok(now) = jiff::Timestamp::from_millisecond(now_ms) else {
        return Vec::new();
    };
    let today = now.to_zoned(tz.clone()).date();
    // Each day's start, as a timestamp: days + 1 boundaries.
    let starts: Vec<(Date, i64)> = (0..=days as i64)
        .filter_map(|k| {
            let date = today.checked_add(jiff::Span::new().days(k)).ok()?;
            let start = date.to_zoned(tz.clone()).ok()?.start_of_day().ok()?;
            Some((date, start.timestamp().as_millisecond()))
        })
        .collect();
    starts
        .windows(2)
        .enumerate()
        .map(|(k, w)| {
            let ((date, start), (_, end)) = (w[0], w[1]);
            let on_day = |d: &&i64| **d < end && (k == 0 || **d >= start);
            DueDay {
                date,
                count: due.iter().filter(on_day).count(),
                overdue: if k == 0 {
                    due.iter().filter(|&&d| d <= now_ms).count()
                } else {
                    0
                },
            }
        })
        .collect()
}

/// The most recent finished exam, for the last chart.
#[derive(Debug, Clone)]
pub struct LastExam {
    pub id: i64,
    /// When it finished, as the report writes dates.
    pub date: String,
    /// A practice run (changed time limit or own blueprint).
    pub custom: bool,
    /// Its stored result; `None` when that does not read (a damaged record).
    pub result: Option<ExamResult>,
}

/// Everything the page shows.
pub struct Page<'a> {
    pub report: &'a ProgressReport,
    /// The exam the report measures against (its passing standard and scale).
    pub blueprint: &'a Blueprint,
    /// The day the page was made, as the report writes dates.
    pub made: &'a str,
    /// Reviews due on each of the next [`DUE_DAYS`] days, today first.
    pub due_days: &'a [DueDay],
    pub last_exam: Option<&'a LastExam>,
}

/// The page, and how many of its five sections have a chart (the others say why not).
pub struct Rendered {
    pub html: String,
    pub charts: usize,
}

/// One section's body: a chart with its table, or a sentence saying why there is none.
struct Body {
    html: String,
    chart: bool,
}

impl Body {
    fn empty(sentence: &str) -> Body {
        Body {
            html: format!("<p class=\"empty\">{}</p>\n", esc(sentence)),
            chart: false,
        }
    }
}

/// Builds the page.
pub fn render(p: &Page) -> Rendered {
    let r = p.report;
    let sections = [
        ("score-history", "Mock exam scores", score_history(&r.exams)),
        (
            "area-estimates",
            "Where you stand in each area",
            area_estimates(r, p.blueprint),
        ),
        ("reviews-due", "Reviews due", reviews_due(r, p.due_days)),
        (
            "weakest-topics",
            "Weakest topics",
            weakest_topics(r, p.blueprint),
        ),
        ("last-exam", "Your last exam", last_exam(p.last_exam)),
    ];
    let charts = sections.iter().filter(|(_, _, b)| b.chart).count();

    let mut html = String::with_capacity(64 * 1024);
    let title = format!("labcert progress report: {}", r.profile);
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n\
         <meta name=\"generator\" content=\"labcert {}\"/>\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n",
        env!("CARGO_PKG_VERSION"),
        esc(&title)
    );
    let _ = writeln!(
        html,
        "<header>\n<h1>Progress report for \u{201c}{}\u{201d}</h1>\n<p class=\"lead\">{}</p>\n</header>",
        esc(&r.profile),
        esc(&summary(p))
    );
    for (n, (id, heading, body)) in sections.iter().enumerate() {
        let _ = write!(
            html,
            "<section id=\"{id}\" aria-labelledby=\"{id}-heading\">\n<h2 id=\"{id}-heading\">{}. {}</h2>\n{}</section>\n",
            n + 1,
            esc(heading),
            body.html
        );
    }
    let _ = write!(
        html,
        "<footer>\n<p class=\"note\">{}</p>\n</footer>\n</main>\n</body>\n</html>\n",
        esc(&format!(
            "Made by labcert {} on {}. Ability is in logits (0 is near the passing standard of the ASCP exams); recent answers count more (half weight after 30 days). Item difficulties are the authors' estimates until calibrated with real answers (labcert calibrate), so these are practice estimates.",
            env!("CARGO_PKG_VERSION"),
            p.made
        ))
    );
    Rendered { html, charts }
}

/// The line under the title: the exam prepared for, the answers, readiness now.
fn summary(p: &Page) -> String {
    let r = p.report;
    let mut s = format!(
        "Preparing for: {}. Made {}. {} answered in all, {}.",
        p.blueprint.name,
        p.made,
        plural(r.answered as usize, "question"),
        plural(r.exams.len(), "finished exam"),
    );
    // The readiness checks share their exam's standard: the report lists the exam.
    let style = r
        .style
        .strip_prefix("readiness-")
        .map_or_else(|| r.style.clone(), |rest| format!("ascp-{rest}"));
    match r.pass_probability.get(&style) {
        Some(Some(q)) => {
            let _ = write!(
                s,
                " Readiness now for {style}: {} chance of passing.",
                percent(*q)
            );
        }
        Some(None) => {
            let _ = write!(
                s,
                " Readiness: not enough data yet (at least {} answers are needed).",
                super::progress::MIN_ANSWERS
            );
        }
        None => {}
    }
    s
}

// ---- 1. Mock exam scores ---------------------------------------------------------------

fn score_history(exams: &[ExamReport]) -> Body {
    if exams.is_empty() {
        return Body::empty(
            "No finished mock exams yet: take one (labcert exam --style ascp-mls) and its score appears here.",
        );
    }
    // A panel per style (their scales differ), all on one axis of the exams in the order
    // taken, so the panels line up in time.
    let mut styles: Vec<&str> = exams.iter().map(|e| e.style.as_str()).collect();
    styles.sort_unstable();
    styles.dedup();
    let mut shown_ids = std::collections::HashSet::new();
    for style in &styles {
        let all: Vec<i64> = exams
            .iter()
            .filter(|e| e.style == *style)
            .map(|e| e.id)
            .collect();
        shown_ids.extend(
            all[all.len().saturating_sub(MAX_EXAMS_SHOWN)..]
                .iter()
                .copied(),
        );
    }
    let shown: Vec<&ExamReport> = exams.iter().filter(|e| shown_ids.contains(&e.id)).collect();
    let left_out = exams.len() - shown.len();
    let n = shown.len();
    let (left, right) = (60.0, 30.0);
    let pw = WIDTH - left - right;
    let x_of = |i: usize| left + pw * (i as f64 + 0.5) / n as f64;
    let label_every = n.div_ceil(10);
    let (panel_head, ph, panel_foot) = (26.0, 120.0, 34.0);
    let legend_h = 28.0;
    let h = legend_h + styles.len() as f64 * (panel_head + ph + panel_foot);
    let mut svg = String::new();
    legend(&mut svg);
    for (k, style) in styles.iter().enumerate() {
        // (position on the shared axis, exam)
        let panel: Vec<(usize, &ExamReport)> = shown
            .iter()
            .enumerate()
            .filter(|(_, e)| e.style == *style)
            .map(|(i, e)| (i, *e))
            .collect();
        let y0 = legend_h + k as f64 * (panel_head + ph + panel_foot);
        let top = y0 + panel_head;
        let pass = panel.last().map_or(0, |(_, e)| e.passing_score) as f64;
        let values = panel.iter().map(|(_, e)| e.scaled_score as f64);
        let lo = values.clone().fold(pass, f64::min);
        let hi = values.fold(pass, f64::max);
        let (mut lo, hi, step) = nice_range(lo, hi, 4.0);
        // A score on the bottom rule would hide in it: a step of room, scores being >= 0.
        if lo > 0.0 && panel.iter().any(|(_, e)| e.scaled_score as f64 <= lo) {
            lo -= step;
        }
        let y_of = |v: f64| top + ph * (hi - v) / (hi - lo);
        let total = exams.iter().filter(|e| e.style == *style).count();
        text(
            &mut svg,
            left,
            y0 + 16.0,
            13.0,
            "start",
            &format!("{style}: {} (pass mark {pass:.0})", plural(total, "exam")),
            "font-weight=\"bold\"",
        );
        gridlines(&mut svg, (left, pw), &y_of, (lo, hi, step));
        line(
            &mut svg,
            (left, y_of(pass)),
            (left + pw, y_of(pass)),
            &format!("stroke=\"{INK}\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\""),
        );
        text(
            &mut svg,
            left + pw,
            y_of(pass) - 5.0,
            11.0,
            "end",
            &format!("pass mark {pass:.0}"),
            "",
        );
        if panel.len() > 1 {
            let points: Vec<(f64, f64)> = panel
                .iter()
                .map(|(i, e)| (x_of(*i), y_of(e.scaled_score as f64)))
                .collect();
            polyline(
                &mut svg,
                &points,
                &format!("stroke=\"{GREY}\" stroke-width=\"1\""),
            );
        }
        for (i, e) in &panel {
            let (x, y) = (x_of(*i), y_of(e.scaled_score as f64));
            let _ = write!(
                svg,
                "<g class=\"mark exam {}{}\"><title>{}</title>",
                if e.passed { "pass" } else { "fail" },
                if e.custom { " practice-run" } else { "" },
                esc(&format!(
                    "Exam {} on {}, {}: {}, {}{}",
                    e.id,
                    e.date,
                    e.style,
                    e.scaled_score,
                    if e.passed { "pass" } else { "fail" },
                    if e.custom { " (practice run)" } else { "" }
                ))
            );
            exam_marker(&mut svg, x, y, e.passed, e.custom);
            svg.push_str("</g>\n");
            if n <= 20 {
                text(
                    &mut svg,
                    x,
                    y - 9.0,
                    10.0,
                    "middle",
                    &e.scaled_score.to_string(),
                    "",
                );
            }
            if i % label_every == 0 || panel.len() == 1 {
                text(&mut svg, x, top + ph + 16.0, 10.0, "middle", &e.date, "");
            }
        }
        line(
            &mut svg,
            (left, top + ph),
            (left + pw, top + ph),
            &format!("stroke=\"{INK}\""),
        );
    }
    let passed = shown.iter().filter(|e| e.passed).count();
    let chart = svg_doc(
        "score-history",
        h,
        "Mock exam scores",
        &format!(
            "Scaled scores of {} finished mock {} in the order taken, against each exam's pass mark; {passed} passed.",
            n,
            if n == 1 { "exam" } else { "exams" }
        ),
        &svg,
    );
    let mut caption = "The scaled score of each finished mock exam in the order taken, a panel for each exam style, against its pass mark (dashed). Filled marks passed, open marks failed; diamonds are practice runs (a changed time limit or your own blueprint), which \u{201c}your last mock\u{201d} in the terminal report leaves out.".to_string();
    if left_out > 0 {
        let _ = write!(
            caption,
            " Only the latest {MAX_EXAMS_SHOWN} of each style are drawn ({left_out} earlier not shown)."
        );
    }
    let rows: Vec<Vec<String>> = shown
        .iter()
        .map(|e| {
            vec![
                e.date.clone(),
                e.id.to_string(),
                e.style.clone(),
                e.scaled_score.to_string(),
                e.passing_score.to_string(),
                if e.passed { "pass" } else { "fail" }.to_string(),
                if e.custom {
                    "practice run"
                } else {
                    "mock exam"
                }
                .to_string(),
            ]
        })
        .collect();
    let table = table(
        "Mock exam scores as a table",
        &[
            ("Date", false),
            ("Exam", true),
            ("Style", false),
            ("Score", true),
            ("Pass mark", true),
            ("Result", false),
            ("Kind", false),
        ],
        &rows,
    );
    Body {
        html: figure("score-history", &chart, &caption, &table),
        chart: true,
    }
}

/// The key to the exam markers, drawn with the markers themselves.
fn legend(svg: &mut String) {
    let items = [
        (true, false, "passed"),
        (false, false, "failed"),
        (true, true, "practice run, passed"),
        (false, true, "practice run, failed"),
    ];
    let mut x = 66.0;
    svg.push_str("<g class=\"legend\">");
    for (passed, custom, label) in items {
        exam_marker(svg, x, 12.0, passed, custom);
        text(svg, x + 10.0, 16.0, 11.0, "start", label, "");
        x += 22.0 + approx_width(label, 11.0);
    }
    svg.push_str("</g>\n");
}

/// A filled (passed) or open (failed) circle, or a diamond for a practice run.
fn exam_marker(svg: &mut String, x: f64, y: f64, passed: bool, custom: bool) {
    let paint = if passed {
        format!("fill=\"{GREEN}\" stroke=\"{GREEN}\" stroke-width=\"1.5\"")
    } else {
        format!("fill=\"white\" stroke=\"{RED}\" stroke-width=\"2\"")
    };
    if custom {
        let r = 6.5;
        let _ = write!(
            svg,
            "<path d=\"M{x:.1},{:.1} L{:.1},{y:.1} L{x:.1},{:.1} L{:.1},{y:.1} Z\" {paint}/>",
            y - r,
            x + r,
            y + r,
            x - r
        );
    } else {
        let _ = write!(svg, "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"5\" {paint}/>");
    }
}

// ---- 2. Area estimates -----------------------------------------------------------------

/// The colour of a standing against the pass mark.
fn standing_colour(standing: Option<&str>) -> &'static str {
    match standing {
        Some("below") => RED,
        Some("near") => ORANGE,
        Some(_) => GREEN,
        None => GREY,
    }
}

fn standing_words(a: &AreaReport) -> &'static str {
    match a.standing {
        Some("below") => "likely below the pass mark",
        Some("near") => "near the pass mark",
        Some(_) => "likely above the pass mark",
        None => "too few answers to say",
    }
}

fn area_estimates(r: &ProgressReport, bp: &Blueprint) -> Body {
    if r.areas.values().all(|a| a.answered == 0) {
        return Body::empty(
            "No answers yet: practise (labcert practice) or take a mock exam, and each area's estimate appears here.",
        );
    }
    let rows: Vec<IntervalRow> = Area::ALL
        .iter()
        .map(|area| {
            let a = &r.areas[area.name()];
            let answered = a.answered > 0;
            IntervalRow {
                label: area.title().to_string(),
                estimate: answered.then_some((a.theta, a.se)),
                colour: standing_colour(a.standing),
                right: if answered {
                    a.scaled_score.to_string()
                } else {
                    "-".to_string()
                },
                tip: if answered {
                    format!(
                        "{}: {} logits, 95% interval {} to {}, score {}, {}",
                        area.title(),
                        signed(a.theta),
                        signed(a.theta - Z95 * a.se),
                        signed(a.theta + Z95 * a.se),
                        a.scaled_score,
                        standing_words(a)
                    )
                } else {
                    format!("{}: no answers yet", area.title())
                },
            }
        })
        .collect();
    let drawn = rows.iter().filter(|row| row.estimate.is_some()).count();
    let chart = interval_chart(
        "area-estimates",
        &rows,
        bp.passing_theta,
        Some(&bp.scale),
        "Score",
        "Ability per area",
        &format!(
            "Ability estimates with 95% intervals for {drawn} of 7 areas against the passing standard of {}.",
            bp.name
        ),
    );
    let caption = format!(
        "Each area's ability estimate (dot) with its 95% interval (estimate \u{b1} 1.96 SE), in logits, against the passing standard (dashed); the top axis and the Score column give the scaled score it implies on {}. Red: 75% or more likely below the pass mark; orange: near it; green: 25% or less likely below; grey: under {} answers, too few to say.",
        bp.name,
        super::progress::MIN_AREA_ANSWERS
    );
    let table_rows: Vec<Vec<String>> = Area::ALL
        .iter()
        .map(|area| {
            let a = &r.areas[area.name()];
            if a.answered == 0 {
                return vec![
                    area.title().to_string(),
                    "0".into(),
                    "-".into(),
                    "-".into(),
                    "-".into(),
                    "-".into(),
                    "no answers yet".into(),
                ];
            }
            vec![
                area.title().to_string(),
                a.answered.to_string(),
                a.percent_correct
                    .map_or("-".to_string(), |p| format!("{p:.0}%")),
                format!("{} ({:.2})", signed(a.theta), a.se),
                format!(
                    "{} to {}",
                    signed(a.theta - Z95 * a.se),
                    signed(a.theta + Z95 * a.se)
                ),
                a.scaled_score.to_string(),
                standing_words(a).to_string(),
            ]
        })
        .collect();
    let table = table(
        "Ability per area as a table",
        &[
            ("Area", false),
            ("Answered", true),
            ("Right", true),
            ("Ability (SE)", true),
            ("95% interval", true),
            ("Score", true),
            ("Standing", false),
        ],
        &table_rows,
    );
    Body {
        html: figure("area-estimates", &chart, &caption, &table),
        chart: true,
    }
}

/// One row of an interval chart.
struct IntervalRow {
    label: String,
    /// (estimate, SE) in logits; `None` draws no interval.
    estimate: Option<(f64, f64)>,
    colour: &'static str,
    /// The text in the right-hand column.
    right: String,
    /// The row's tooltip.
    tip: String,
}

/// Logits shown on the interval charts, either side of 0.
const THETA_SPAN: f64 = 4.0;

/// A horizontal interval plot: for each row, estimate ± 1.96 SE on a logit axis with the
/// passing standard dashed; with a linear `scale`, the scaled scores along the top.
fn interval_chart(
    id: &str,
    rows: &[IntervalRow],
    passing_theta: f64,
    scale: Option<&Scale>,
    right_head: &str,
    title: &str,
    desc: &str,
) -> String {
    let (left, right, top, row_h, bottom) = (200.0, 110.0, 58.0, 30.0, 42.0);
    let pw = WIDTH - left - right;
    let h = top + rows.len() as f64 * row_h + bottom;
    let (lo, hi) = (-THETA_SPAN, THETA_SPAN);
    let x_of = |t: f64| left + pw * (t.clamp(lo, hi) - lo) / (hi - lo);
    let plot_bottom = top + rows.len() as f64 * row_h;
    let mut svg = String::new();
    // Every other row shaded, under everything else.
    for k in (1..rows.len()).step_by(2) {
        let _ = writeln!(
            svg,
            "<rect x=\"4\" y=\"{:.1}\" width=\"{:.1}\" height=\"{row_h}\" fill=\"#f4f4f4\"/>",
            top + k as f64 * row_h,
            WIDTH - 8.0
        );
    }
    // Grid, the logit axis below and the scaled scores above.
    for t in -4..=4 {
        let x = x_of(f64::from(t));
        line(
            &mut svg,
            (x, top - 4.0),
            (x, plot_bottom),
            &format!("stroke=\"{RULE}\""),
        );
        text(
            &mut svg,
            x,
            plot_bottom + 15.0,
            11.0,
            "middle",
            &signed_int(t),
            "",
        );
        if let Some(Scale::Linear {
            cut_score,
            points_per_logit,
            min,
            max,
        }) = scale
        {
            let score = cut_score + points_per_logit * (f64::from(t) - passing_theta);
            if (*min..=*max).contains(&score) {
                text(
                    &mut svg,
                    x,
                    top - 10.0,
                    11.0,
                    "middle",
                    &format!("{score:.0}"),
                    "",
                );
            }
        }
    }
    if matches!(scale, Some(Scale::Linear { .. })) {
        text(
            &mut svg,
            left - 24.0,
            top - 10.0,
            11.0,
            "end",
            "scaled score",
            "",
        );
    }
    text(
        &mut svg,
        left + pw / 2.0,
        plot_bottom + 34.0,
        11.0,
        "middle",
        "ability (logits)",
        "",
    );
    text(
        &mut svg,
        WIDTH - 10.0,
        top - 10.0,
        11.0,
        "end",
        right_head,
        "font-weight=\"bold\"",
    );
    line(
        &mut svg,
        (left, plot_bottom),
        (left + pw, plot_bottom),
        &format!("stroke=\"{INK}\""),
    );
    let xp = x_of(passing_theta);
    line(
        &mut svg,
        (xp, top - 4.0),
        (xp, plot_bottom),
        &format!("stroke=\"{INK}\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\""),
    );
    text(
        &mut svg,
        xp,
        top - 28.0,
        11.0,
        "middle",
        "passing standard",
        "",
    );
    for (k, row) in rows.iter().enumerate() {
        let y = top + (k as f64 + 0.5) * row_h;
        text(
            &mut svg,
            left - 10.0,
            y + 4.0,
            12.0,
            "end",
            &clip(&row.label, 30),
            "",
        );
        text(&mut svg, WIDTH - 10.0, y + 4.0, 12.0, "end", &row.right, "");
        let Some((theta, se)) = row.estimate else {
            text(
                &mut svg,
                left + 6.0,
                y + 4.0,
                11.0,
                "start",
                "no answers yet",
                &format!("fill=\"{GREY}\""),
            );
            continue;
        };
        let (x1, x2, xe) = (x_of(theta - Z95 * se), x_of(theta + Z95 * se), x_of(theta));
        let c = row.colour;
        let _ = writeln!(
            svg,
            "<g class=\"mark interval\"><title>{}</title>\
             <line x1=\"{x1:.1}\" y1=\"{y:.1}\" x2=\"{x2:.1}\" y2=\"{y:.1}\" stroke=\"{c}\" stroke-width=\"3\"/>\
             <line x1=\"{x1:.1}\" y1=\"{:.1}\" x2=\"{x1:.1}\" y2=\"{:.1}\" stroke=\"{c}\" stroke-width=\"2\"/>\
             <line x1=\"{x2:.1}\" y1=\"{:.1}\" x2=\"{x2:.1}\" y2=\"{:.1}\" stroke=\"{c}\" stroke-width=\"2\"/>\
             <circle cx=\"{xe:.1}\" cy=\"{y:.1}\" r=\"5\" fill=\"{c}\" stroke=\"white\" stroke-width=\"1.5\"/></g>",
            esc(&row.tip),
            y - 6.0,
            y + 6.0,
            y - 6.0,
            y + 6.0
        );
    }
    svg_doc(id, h, title, desc, &svg)
}

// ---- 3. Reviews due --------------------------------------------------------------------

fn reviews_due(r: &ProgressReport, days: &[DueDay]) -> Body {
    let total: usize = days.iter().map(|d| d.count).sum();
    if total == 0 || days.is_empty() {
        let sentence = match &r.reviews_due.next_due_text {
            Some(next) => format!(
                "No reviews are due in the next {DUE_DAYS} days; the next is due {next}."
            ),
            None => "No reviews are scheduled yet: the questions you miss come back here for spaced review.".to_string(),
        };
        return Body::empty(&sentence);
    }
    let (left, right, top, ph, bottom) = (50.0, 16.0, 40.0, 170.0, 46.0);
    let pw = WIDTH - left - right;
    let h = top + ph + bottom;
    let most = days.iter().map(|d| d.count).max().unwrap_or(0) as f64;
    let (_, hi, step) = nice_range(0.0, most, 4.0);
    let y_of = |v: f64| top + ph * (1.0 - v / hi);
    let slot = pw / days.len() as f64;
    let mut svg = String::new();
    gridlines(&mut svg, (left, pw), &y_of, (0.0, hi, step));
    let overdue = days.first().map_or(0, |d| d.overdue);
    for (k, d) in days.iter().enumerate() {
        let x = left + slot * k as f64 + slot * 0.2;
        let w = slot * 0.6;
        let when = if k == 0 {
            "today".to_string()
        } else {
            d.date.strftime("%a").to_string()
        };
        let tip = if k == 0 && d.overdue > 0 {
            format!("Today ({}): {} due, {} overdue", d.date, d.count, d.overdue)
        } else {
            format!("{} ({}): {} due", when, d.date, d.count)
        };
        let _ = write!(svg, "<g class=\"mark day\"><title>{}</title>", esc(&tip));
        let later = d.count.saturating_sub(d.overdue);
        // Overdue at the bottom of today's bar, darker.
        let y_overdue = y_of(d.overdue as f64);
        if d.overdue > 0 {
            let _ = write!(
                svg,
                "<rect x=\"{x:.1}\" y=\"{y_overdue:.1}\" width=\"{w:.1}\" height=\"{:.1}\" fill=\"{RED}\"/>",
                y_of(0.0) - y_overdue
            );
        }
        let y_top = y_of(d.count as f64);
        let _ = writeln!(
            svg,
            "<rect x=\"{x:.1}\" y=\"{y_top:.1}\" width=\"{w:.1}\" height=\"{:.1}\" fill=\"{BLUE}\"/></g>",
            if later > 0 { y_overdue - y_top } else { 0.0 }
        );
        if d.count > 0 {
            text(
                &mut svg,
                x + w / 2.0,
                y_top - 4.0,
                11.0,
                "middle",
                &d.count.to_string(),
                "",
            );
        }
        let xc = x + w / 2.0;
        text(&mut svg, xc, top + ph + 16.0, 11.0, "middle", &when, "");
        text(
            &mut svg,
            xc,
            top + ph + 30.0,
            10.0,
            "middle",
            &d.date.strftime("%m-%d").to_string(),
            &format!("fill=\"{GREY}\""),
        );
    }
    line(
        &mut svg,
        (left, top + ph),
        (left + pw, top + ph),
        &format!("stroke=\"{INK}\""),
    );
    if overdue > 0 {
        let _ = write!(
            svg,
            "<g class=\"legend\"><rect x=\"{left}\" y=\"6\" width=\"12\" height=\"12\" fill=\"{RED}\"/>"
        );
        text(
            &mut svg,
            left + 16.0,
            16.0,
            11.0,
            "start",
            "overdue (counted on today)",
            "",
        );
        let x = left + 40.0 + approx_width("overdue (counted on today)", 11.0);
        let _ = write!(
            svg,
            "<rect x=\"{x:.1}\" y=\"6\" width=\"12\" height=\"12\" fill=\"{BLUE}\"/>"
        );
        text(&mut svg, x + 16.0, 16.0, 11.0, "start", "due that day", "");
        svg.push_str("</g>\n");
    }
    let first = days.first().map(|d| d.date.to_string()).unwrap_or_default();
    let chart = svg_doc(
        "reviews-due",
        h,
        "Reviews due per day",
        &format!(
            "Reviews due on each of the next {} days from {first}: {total} in all, {overdue} of them overdue.",
            days.len()
        ),
        &svg,
    );
    let caption = format!(
        "How many reviews come due on each of the next {} days (labcert review asks them); today's bar includes the {overdue} already overdue{}. Answering a review moves its next date, so later days change as you work.",
        days.len(),
        if overdue > 0 { " (darker)" } else { "" }
    );
    let rows: Vec<Vec<String>> = days
        .iter()
        .enumerate()
        .map(|(k, d)| {
            vec![
                if k == 0 {
                    "today".to_string()
                } else {
                    d.date.strftime("%A").to_string()
                },
                d.date.to_string(),
                if k == 0 && d.overdue > 0 {
                    format!("{} ({} overdue)", d.count, d.overdue)
                } else {
                    d.count.to_string()
                },
            ]
        })
        .collect();
    let table = table(
        "Reviews due per day as a table",
        &[("Day", false), ("Date", false), ("Due", true)],
        &rows,
    );
    Body {
        html: figure("reviews-due", &chart, &caption, &table),
        chart: true,
    }
}

// ---- 4. Weakest topics -----------------------------------------------------------------

fn weakest_topics(r: &ProgressReport, bp: &Blueprint) -> Body {
    if r.weakest_topics.is_empty() {
        return Body::empty(
            "None yet: answer some practice questions (labcert practice) and the topics where you are weakest appear here.",
        );
    }
    let (left, right, top, row_h, bottom) = (300.0, 70.0, 20.0, 30.0, 40.0);
    let pw = WIDTH - left - right;
    let n = r.weakest_topics.len();
    let h = top + n as f64 * row_h + bottom;
    let x_of = |p: f64| left + pw * p.clamp(0.0, 1.0);
    let plot_bottom = top + n as f64 * row_h;
    let mut svg = String::new();
    for q in 0..=4 {
        let p = f64::from(q) / 4.0;
        let x = x_of(p);
        line(
            &mut svg,
            (x, top),
            (x, plot_bottom),
            &format!("stroke=\"{RULE}\""),
        );
        text(
            &mut svg,
            x,
            plot_bottom + 15.0,
            11.0,
            "middle",
            &format!("{}%", q * 25),
            "",
        );
    }
    text(
        &mut svg,
        left + pw / 2.0,
        plot_bottom + 32.0,
        11.0,
        "middle",
        "chance that your ability in the topic is below the passing standard",
        "",
    );
    for (k, t) in r.weakest_topics.iter().enumerate() {
        let y = top + (k as f64 + 0.5) * row_h;
        let area = Area::from_name(t.area).map_or(t.area, Area::title);
        text(
            &mut svg,
            left - 10.0,
            y + 4.0,
            12.0,
            "end",
            &clip(&format!("{} ({area})", t.topic), 44),
            "",
        );
        let colour = match t.prob_below_pass {
            p if p >= 0.75 => RED,
            p if p > 0.25 => ORANGE,
            _ => GREEN,
        };
        let x2 = x_of(t.prob_below_pass);
        let _ = writeln!(
            svg,
            "<g class=\"mark topic\"><title>{}</title><rect x=\"{left}\" y=\"{:.1}\" width=\"{:.1}\" height=\"18\" fill=\"{colour}\"/></g>",
            esc(&format!(
                "{} ({area}): {} likely below the pass mark, {} answered",
                t.topic,
                percent(t.prob_below_pass),
                t.answered
            )),
            y - 9.0,
            x2 - left
        );
        text(
            &mut svg,
            x2 + 5.0,
            y + 4.0,
            11.0,
            "start",
            &percent(t.prob_below_pass),
            "",
        );
    }
    line(
        &mut svg,
        (left, top),
        (left, plot_bottom),
        &format!("stroke=\"{INK}\""),
    );
    let chart = svg_doc(
        "weakest-topics",
        h,
        "Weakest topics",
        &format!(
            "The {n} topics most likely to be below the passing standard of {}, weakest first.",
            bp.name
        ),
        &svg,
    );
    let caption = format!(
        "The {} most likely to be below the passing standard, weakest first: the bar is the chance that your ability in the topic is below it, from your answers in the topic. Practise one with labcert practice --area AREA --topic \u{201c}TOPIC\u{201d}.",
        if n == 1 {
            "topic".to_string()
        } else {
            format!("{n} topics")
        }
    );
    let rows: Vec<Vec<String>> = r
        .weakest_topics
        .iter()
        .map(|t| {
            vec![
                t.topic.clone(),
                Area::from_name(t.area)
                    .map_or(t.area, Area::title)
                    .to_string(),
                format!("{} ({:.2})", signed(t.theta), t.se),
                percent(t.prob_below_pass),
                t.answered.to_string(),
                t.items_available.to_string(),
            ]
        })
        .collect();
    let table = table(
        "Weakest topics as a table",
        &[
            ("Topic", false),
            ("Area", false),
            ("Ability (SE)", true),
            ("P(below pass)", true),
            ("Answered", true),
            ("Items to practise", true),
        ],
        &rows,
    );
    Body {
        html: figure("weakest-topics", &chart, &caption, &table),
        chart: true,
    }
}

// ---- 5. The last exam ------------------------------------------------------------------

fn last_exam(last: Option<&LastExam>) -> Body {
    let Some(last) = last else {
        return Body::empty(
            "No finished exam yet: the areas of your most recent exam appear here once you finish one.",
        );
    };
    let Some(result) = &last.result else {
        return Body::empty(&format!(
            "The stored result of exam {} (finished {}) cannot be read, so its areas are not shown.",
            last.id, last.date
        ));
    };
    // The areas in the order every report uses, then any the result names otherwise.
    let mut names: Vec<&str> = Area::ALL
        .iter()
        .map(|a| a.name())
        .filter(|n| result.areas.contains_key(*n))
        .collect();
    names.extend(
        result
            .areas
            .keys()
            .map(String::as_str)
            .filter(|n| Area::from_name(n).is_none()),
    );
    names.retain(|n| result.areas[*n].items > 0);
    let intro = format!(
        "Exam {} ({}{}), finished {}: score {}, pass mark {}, {}; {} of {} right.",
        last.id,
        result.blueprint,
        if last.custom { ", a practice run" } else { "" },
        last.date,
        result.scaled_score,
        result.passing_score,
        if result.passed { "PASS" } else { "FAIL" },
        result.correct,
        result.items
    );
    if names.is_empty() {
        return Body::empty(&format!("{intro} It has no items in any area to show."));
    }
    let title_of = |n: &str| Area::from_name(n).map_or(n.to_string(), |a| a.title().to_string());
    let pt = result.passing_theta;
    let rows: Vec<IntervalRow> = names
        .iter()
        .map(|n| {
            let a = &result.areas[*n];
            let (lo, hi) = (a.theta - Z95 * a.se, a.theta + Z95 * a.se);
            let (colour, words) = if lo >= pt {
                (GREEN, "above the passing standard")
            } else if hi < pt {
                (RED, "below the passing standard")
            } else {
                (ORANGE, "not clearly above or below the passing standard")
            };
            IntervalRow {
                label: title_of(n),
                estimate: Some((a.theta, a.se)),
                colour,
                right: format!("{}/{}", a.correct, a.items),
                tip: format!(
                    "{}: {} of {} right, {} logits (95% interval {} to {}), {words}",
                    title_of(n),
                    a.correct,
                    a.items,
                    signed(a.theta),
                    signed(lo),
                    signed(hi)
                ),
            }
        })
        .collect();
    let chart = interval_chart(
        "last-exam",
        &rows,
        pt,
        None,
        "Right",
        "The last exam by area",
        &format!(
            "Exam {}: ability estimates with 95% intervals from its items in each of {} areas, against the passing standard.",
            last.id,
            names.len()
        ),
    );
    let caption = "The last exam's estimate for each area from that area's items alone (dot), with its 95% interval, against the passing standard (dashed); Right is items right of items asked. Green: the whole interval is above the standard; red: below it; orange: the exam had too few items there to tell. An area's few items in one exam say less than the area estimates above, which use every answer.";
    let table_rows: Vec<Vec<String>> = names
        .iter()
        .map(|n| {
            let a = &result.areas[*n];
            vec![
                title_of(n),
                a.items.to_string(),
                a.correct.to_string(),
                format!("{:.0}%", 100.0 * a.correct as f64 / a.items as f64),
                format!("{} ({:.2})", signed(a.theta), a.se),
                format!(
                    "{} to {}",
                    signed(a.theta - Z95 * a.se),
                    signed(a.theta + Z95 * a.se)
                ),
            ]
        })
        .collect();
    let table = table(
        "The last exam by area as a table",
        &[
            ("Area", false),
            ("Items", true),
            ("Right", true),
            ("Percent", true),
            ("Ability (SE)", true),
            ("95% interval", true),
        ],
        &table_rows,
    );
    Body {
        html: figure_after(&intro, "last-exam", &chart, caption, &table),
        chart: true,
    }
}

// ---- Building blocks -------------------------------------------------------------------

const STYLE: &str = "
:root { color-scheme: light; }
body { margin: 0 auto; max-width: 900px; padding: 1rem 1.25rem 2rem; background: #fff; color: #1a1a1a;
  font-family: system-ui, -apple-system, \"Segoe UI\", Roboto, \"Helvetica Neue\", Arial, \"Noto Sans\", \"Liberation Sans\", sans-serif;
  line-height: 1.45; }
h1 { font-size: 1.5rem; margin: 0.5rem 0 0.25rem; }
h2 { font-size: 1.15rem; margin: 2rem 0 0.5rem; padding-bottom: 0.2rem; border-bottom: 1px solid #ccc; }
.lead { margin-top: 0; color: #333; }
.chart { margin: 0.5rem 0 1rem; }
figure { margin: 0; }
svg { display: block; width: 100%; max-width: 860px; height: auto; font-family: inherit; }
svg text { font-family: inherit; }
figcaption { font-size: 0.9rem; color: #333; margin: 0.25rem 0 0.5rem; }
table { border-collapse: collapse; font-size: 0.85rem; margin: 0.25rem 0; }
caption { text-align: left; font-size: 0.8rem; color: #555; padding-bottom: 0.2rem; }
th, td { text-align: left; padding: 0.15rem 0.6rem 0.15rem 0; border-bottom: 1px solid #ddd; vertical-align: top; }
th { border-bottom: 1px solid #888; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.empty { font-style: italic; color: #333; }
.note { font-size: 0.8rem; color: #555; margin-top: 2rem; }
@media print {
  @page { margin: 14mm; }
  body { max-width: none; padding: 0; color: #000; background: #fff; }
  h2 { break-after: avoid; page-break-after: avoid; }
  .chart, figure, table, tr { break-inside: avoid; page-break-inside: avoid; }
  svg { max-width: 100%; print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
";

/// A chart and its table, kept together on a printed page.
fn figure(id: &str, svg: &str, caption: &str, table: &str) -> String {
    figure_after("", id, svg, caption, table)
}

/// A chart and its table after a paragraph, all kept together on a printed page.
fn figure_after(intro: &str, id: &str, svg: &str, caption: &str, table: &str) -> String {
    let intro = if intro.is_empty() {
        String::new()
    } else {
        format!("<p>{}</p>\n", esc(intro))
    };
    format!(
        "<div class=\"chart\">\n{intro}<figure id=\"{id}-figure\">\n{svg}<figcaption>{}</figcaption>\n</figure>\n{table}</div>\n",
        esc(caption)
    )
}

/// An inline SVG of the page's width, with its title and description for screen readers.
fn svg_doc(id: &str, h: f64, title: &str, desc: &str, body: &str) -> String {
    let h = h.ceil();
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"{id}-chart\" width=\"{WIDTH}\" height=\"{h}\" viewBox=\"0 0 {WIDTH} {h}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\">\n<title id=\"{id}-title\">{}</title>\n<desc id=\"{id}-desc\">{}</desc>\n<rect width=\"{WIDTH}\" height=\"{h}\" fill=\"white\"/>\n{body}</svg>\n",
        esc(title),
        esc(desc)
    )
}

/// A table of text cells (escaped here); a column marked `true` is numeric.
fn table(caption: &str, head: &[(&str, bool)], rows: &[Vec<String>]) -> String {
    let class = |num: bool| if num { " class=\"num\"" } else { "" };
    let mut out = format!("<table>\n<caption>{}</caption>\n<thead><tr>", esc(caption));
    for (name, num) in head {
        let _ = write!(out, "<th scope=\"col\"{}>{}</th>", class(*num), esc(name));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for (k, cell) in row.iter().enumerate() {
            let num = head.get(k).is_some_and(|(_, n)| *n);
            let _ = write!(out, "<td{}>{}</td>", class(num), esc(cell));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

fn esc(s: &str) -> std::borrow::Cow<'_, str> {
    html_escape::encode_text(s)
}

/// A text at (x, y), in ink unless `extra` gives its own `fill`.
fn text(out: &mut String, x: f64, y: f64, size: f64, anchor: &str, s: &str, extra: &str) {
    let fill = if extra.contains("fill=") {
        String::new()
    } else {
        format!(" fill=\"{INK}\"")
    };
    let _ = writeln!(
        out,
        "<text x=\"{x:.1}\" y=\"{y:.1}\" font-size=\"{size}\" text-anchor=\"{anchor}\"{fill} {extra}>{}</text>",
        esc(s)
    );
}

/// Horizontal grid lines with their values at the left, from `lo` to `hi` by `step`.
fn gridlines(
    svg: &mut String,
    (left, width): (f64, f64),
    y_of: &dyn Fn(f64) -> f64,
    (lo, hi, step): (f64, f64, f64),
) {
    let mut v = lo;
    while v <= hi + step * 1e-6 {
        let y = y_of(v);
        line(
            svg,
            (left, y),
            (left + width, y),
            &format!("stroke=\"{RULE}\""),
        );
        text(
            svg,
            left - 6.0,
            y + 4.0,
            11.0,
            "end",
            &format!("{v:.0}"),
            "",
        );
        v += step;
    }
}

fn line(out: &mut String, (x1, y1): (f64, f64), (x2, y2): (f64, f64), style: &str) {
    let _ = writeln!(
        out,
        "<line x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\" {style}/>"
    );
}

fn polyline(out: &mut String, points: &[(f64, f64)], style: &str) {
    let pts: Vec<String> = points
        .iter()
        .map(|(x, y)| format!("{x:.1},{y:.1}"))
        .collect();
    let _ = writeln!(
        out,
        "<polyline points=\"{}\" fill=\"none\" {style}/>",
        pts.join(" ")
    );
}

fn approx_width(s: &str, size: f64) -> f64 {
    s.chars().count() as f64 * size * 0.55
}

/// `s` cut to `max` characters with an ellipsis (the table and tooltip keep it whole).
fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut cut: String = s.chars().take(max - 1).collect();
        cut.push('\u{2026}');
        cut
    }
}

fn signed_int(t: i32) -> String {
    match t {
        0 => "0".to_string(),
        t if t > 0 => format!("+{t}"),
        t => format!("\u{2212}{}", -t),
    }
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// For whole-number values (scores, counts): a step of 1, 2 or 5 times a power of ten,
/// at least 1, giving about `ticks` intervals over `lo..hi`, and the range widened to
/// whole steps (a flat range is widened by a step either side).
fn nice_range(lo: f64, hi: f64, ticks: f64) -> (f64, f64, f64) {
    let span = (hi - lo).abs().max(ticks);
    let raw = span / ticks;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = match raw / magnitude {
        f if f <= 1.0 => 1.0,
        f if f <= 2.0 => 2.0,
        f if f <= 5.0 => 5.0,
        _ => 10.0,
    } * magnitude;
    let mut lo_axis = (lo / step).floor() * step;
    let mut hi_axis = (hi / step).ceil() * step;
    if hi_axis - lo_axis < step * 0.5 {
        lo_axis -= step;
        hi_axis += step;
    }
    (lo_axis, hi_axis, step)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::report::progress::{ReviewsDue, TopicReport};

    const DAY: i64 = 86_400_000;

    fn utc(s: &str) -> i64 {
        s.parse::<jiff::Timestamp>().unwrap().as_millisecond()
    }

    fn counts(days: &[DueDay]) -> Vec<usize> {
        days.iter().map(|d| d.count).collect()
    }

    #[test]
    fn overdue_reviews_count_on_today_and_days_end_at_local_midnight() {
        let now = utc("2026-11-14T21:00:00Z");
        let due = [
            now - 3 * DAY,               // overdue: today
            now,                         // due now: today, overdue
            utc("2026-11-14T23:59:00Z"), // later today
            utc("2026-11-15T00:00:00Z"), // tomorrow's first minute
            utc("2026-11-27T12:00:00Z"), // day 13, the last shown
            utc("2026-11-28T00:00:00Z"), // day 14: past the chart
        ];
        let days = due_by_day(&due, now, &TimeZone::UTC, DUE_DAYS);
        assert_eq!(days.len(), DUE_DAYS);
        assert_eq!(days[0].date, jiff::civil::date(2026, 11, 14));
        assert_eq!(counts(&days), [3, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
        assert_eq!(days[0].overdue, 2);
        assert!(days[1..].iter().all(|d| d.overdue == 0));

        // Three hours east of UTC it is already the 15th, and 23:59Z is 02:59 there.
        let east = TimeZone::fixed(jiff::tz::offset(3));
        let days = due_by_day(&due, now, &east, DUE_DAYS);
        assert_eq!(days[0].date, jiff::civil::date(2026, 11, 15));
        assert_eq!(counts(&days)[..2], [4, 0]);
        assert_eq!(days[13].count, 1, "the 28th 03:00 local is day 13");
    }

    fn area(answered: u32, theta: f64, standing: Option<&'static str>) -> AreaReport {
        AreaReport {
            answered,
            correct: answered / 2,
            percent_correct: (answered > 0).then_some(50.0),
            theta,
            se: 0.4,
            scaled_score: (400.0 + 100.0 * theta).round() as i64,
            standing,
            trend: vec![None; 5],
        }
    }

    fn report(answered: bool, topic: &str) -> ProgressReport {
        let mut areas = BTreeMap::new();
        for (k, a) in Area::ALL.iter().enumerate() {
            let n = if answered && k != 6 { 12 } else { 0 };
            areas.insert(a.name(), area(n, 0.3 * k as f64 - 1.0, Some("near")));
        }
        ProgressReport {
            profile: "ana".into(),
            style: "ascp-mls".into(),
            areas,
            weakest_topics: if answered {
                vec![TopicReport {
                    area: "hematology",
                    topic: topic.into(),
                    theta: -0.8,
                    se: 0.5,
                    prob_below_pass: 0.94,
                    answered: 6,
                    items_available: 20,
                }]
            } else {
                Vec::new()
            },
            exams: Vec::new(),
            pass_probability: BTreeMap::new(),
            last_exam_pass_probability: BTreeMap::new(),
            answered: if answered { 72 } else { 0 },
            reviews_due: ReviewsDue {
                now: 0,
                today: 0,
                this_week: 0,
                next_due: None,
                next_due_text: None,
            },
            changed_items: 0,
            removed_items: 0,
        }
    }

    fn page(r: &ProgressReport, due: &[DueDay]) -> Rendered {
        let bp = crate::exam::blueprint::shipped("ascp-mls").unwrap();
        render(&Page {
            report: r,
            blueprint: &bp,
            made: "2026-11-14",
            due_days: due,
            last_exam: None,
        })
    }

    #[test]
    fn a_new_profile_gets_sentences_instead_of_empty_charts() {
        let r = report(false, "");
        let due = due_by_day(&[], 0, &TimeZone::UTC, DUE_DAYS);
        let out = page(&r, &due);
        assert_eq!(out.charts, 0);
        assert!(!out.html.contains("<svg"), "no chart without data");
        for sentence in [
            "No finished mock exams yet",
            "No answers yet",
            "No reviews are scheduled yet",
            "None yet: answer some practice questions",
            "No finished exam yet",
        ] {
            assert!(out.html.contains(sentence), "{sentence}");
        }
        assert_eq!(out.html.matches("<section ").count(), 5);
    }

    #[test]
    fn bank_text_is_escaped_and_areas_without_answers_draw_no_interval() {
        let r = report(true, "<script>alert(1)</script> & \"co\"");
        let now = utc("2026-11-14T09:00:00Z");
        let due = due_by_day(&[now - DAY, now + DAY], now, &TimeZone::UTC, DUE_DAYS);
        let out = page(&r, &due);
        assert_eq!(out.charts, 3, "areas, reviews and topics");
        assert!(!out.html.contains("<script"), "no raw script tag");
        assert!(
            out.html
                .contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; \"co\"")
        );
        // Six areas answered: six intervals; the seventh says so.
        assert_eq!(out.html.matches("<g class=\"mark interval\"").count(), 6);
        assert!(out.html.contains(">no answers yet</text>"));
        assert_eq!(out.html.matches("<g class=\"mark day\"").count(), DUE_DAYS);
        assert_eq!(out.html.matches("<g class=\"mark topic\"").count(), 1);
    }

    #[track_caller]
    fn assert_range(lo: f64, hi: f64, want: (f64, f64, f64)) {
        let got = nice_range(lo, hi, 4.0);
        assert!(
            (got.0 - want.0).abs() < 1e-9
                && (got.1 - want.1).abs() < 1e-9
                && (got.2 - want.2).abs() < 1e-9,
            "nice_range({lo}, {hi}) = {got:?}, want {want:?}"
        );
    }

    #[test]
    fn axes_use_round_steps() {
        assert_range(312.0, 512.0, (300.0, 550.0, 50.0));
        assert_range(400.0, 400.0, (399.0, 401.0, 1.0));
        assert_range(0.0, 7.0, (0.0, 8.0, 2.0));
        assert_range(55.0, 70.0, (55.0, 70.0, 5.0));
    }
}
