//! `labcert blueprint check`: can the loaded banks support an exam blueprint?
//!
//! Resolves the blueprint (`--style` or `--blueprint FILE`), loads the banks, and renders
//! `instructor::coverage` as an 80-column table or JSON. Exit 0 when the banks support
//! the blueprint, 1 when an area falls short (or the blueprint file has errors), 2 when a
//! file cannot be read.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::Style;
use crate::exit::Failure;
use crate::instructor::coverage::{self, Coverage, EXAMS_WANTED, NEAR_CUT};
use crate::settings::Settings;
use crate::ui::text::wrap;

const WIDTH: usize = 80;

#[derive(Debug, Subcommand)]
pub enum BlueprintCommand {
    /// Does the loaded bank support this exam? Items per area against what an exam
    /// needs, exams before items repeat, and the spread of difficulty
    Check(CheckArgs),
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// A shipped exam style
    #[arg(
        long,
        value_enum,
        ignore_case = true,
        conflicts_with = "blueprint",
        required_unless_present = "blueprint"
    )]
    style: Option<Style>,
    /// Your own blueprint file (see docs/blueprint-format.md)
    #[arg(long, value_name = "FILE")]
    blueprint: Option<PathBuf>,
}

pub fn run(settings: &Settings, cmd: BlueprintCommand) -> anyhow::Result<()> {
    match cmd {
        BlueprintCommand::Check(args) => check(settings, args),
    }
}

fn check(settings: &Settings, args: CheckArgs) -> anyhow::Result<()> {
    let (bp, _) = super::chosen_blueprint(args.style, args.blueprint.as_deref())?;
    let library = super::library_for(super::load_library(settings)?, &bp)?;
    let report = coverage::check(&bp, &library);
    let mut out = std::io::stdout().lock();
    if settings.json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        render(&report, &mut out)?;
    }
    if !report.supported {
        return Err(Failure::Reported.into());
    }
    Ok(())
}

fn bullet(text: &str) -> String {
    let wrapped = wrap(text, WIDTH, "    ");
    format!("  - {}", &wrapped[4..])
}

fn render(r: &Coverage, out: &mut dyn Write) -> std::io::Result<()> {
    let items = &r.admitted;
    writeln!(out, "Blueprint {}: {}", r.blueprint_id, r.name)?;
    writeln!(
        out,
        "{}, {} items, {}; {}.",
        if r.adaptive { "Adaptive" } else { "Linear" },
        r.length,
        if r.level == "any" {
            "any level".to_string()
        } else {
            format!("level {} or both", r.level)
        },
        r.pass_rule
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "{:<15}{:>5}{:>6}{:>6}{:>6}{:>6}{:>6}{:>6}{:>6}{:>5}{:>5}{:>5}",
        "area", "need", "have", "exams", "min", "Q1", "med", "Q3", "max", "<-1", ">+1", "near"
    )?;
    for a in &r.areas {
        write!(
            out,
            "{:<15}{:>5}{:>6}{:>6.1}",
            a.area, a.needed, a.available, a.exams
        )?;
        match &a.spread {
            Some(s) => writeln!(
                out,
                "{:>6.2}{:>6.2}{:>6.2}{:>6.2}{:>6.2}{:>5}{:>5}{:>5}",
                s.min, s.q1, s.median, s.q3, s.max, s.below_minus_one, s.above_plus_one, a.near_cut
            )?,
            None => writeln!(
                out,
                "{:>6}{:>6}{:>6}{:>6}{:>6}{:>5}{:>5}{:>5}",
                "-", "-", "-", "-", "-", 0, 0, 0
            )?,
        }
    }
    let need = if r.adaptive {
        "items one exam can need (the area's largest share of the length)"
    } else {
        "items on one form"
    };
    let legend = format!(
        "need: {need}; have: {items} available; exams: have / need; min to max: the difficulty b (logits) with its quartiles; <-1, >+1: items with b below -1 or above +1; near: within {NEAR_CUT} of the passing standard."
    );
    writeln!(out, "{}", wrap(&legend, WIDTH, ""))?;

    writeln!(out)?;
    writeln!(
        out,
        "Items per one-logit band of b, measured from the passing standard ({:.2}):",
        r.passing_theta
    )?;
    let edge = |x: f64| {
        let k = (x - r.passing_theta).round();
        if k == 0.0 {
            "0".to_string()
        } else {
            format!("{k:+.0}")
        }
    };
    let labels: Vec<String> = r
        .areas
        .first()
        .map(|a| {
            a.bands
                .iter()
                .map(|b| match (b.from, b.to) {
                    (None, Some(to)) => format!("<{}", edge(to)),
                    (Some(from), None) => format!(">={}", edge(from)),
                    (Some(from), Some(to)) => format!("{}..{}", edge(from), edge(to)),
                    (None, None) => "all".into(),
                })
                .collect()
        })
        .unwrap_or_default();
    write!(out, "{:<15}", "area")?;
    for label in &labels {
        write!(out, "{label:>8}")?;
    }
    writeln!(out)?;
    for a in &r.areas {
        write!(out, "{:<15}", a.area)?;
        for b in &a.bands {
            write!(out, "{:>8}", b.items)?;
        }
        writeln!(out)?;
    }

    writeln!(out)?;
    let available: usize = r.areas.iter().map(|a| a.available).sum();
    let given: usize = r.areas.iter().map(|a| a.b_given).sum();
    let difficulty = if given == available {
        format!("Difficulty: b is written in the bank for all {available} items.")
    } else {
        format!(
            "Difficulty: b is written in the bank for {given} of these {available} items; the rest take it from their 1-5 rating (calibrate them with `labcert calibrate`)."
        )
    };
    writeln!(out, "{}", wrap(&difficulty, WIDTH, ""))?;
    let exams = if r.exams_without_repeats == 0 {
        "Exams before items repeat: none; the banks cannot fill one exam (see the shortfalls)."
            .to_string()
    } else {
        format!(
            "Exams before items repeat: {} (limited by {}). labcert avoids a candidate's items from their last {EXAMS_WANTED} exams, so {EXAMS_WANTED} or more lets a candidate practise without repeats.",
            r.exams_without_repeats,
            r.limited_by.join(", ")
        )
    };
    writeln!(out, "{}", wrap(&exams, WIDTH, ""))?;
    if let Some(p) = &r.precision {
        write_precision(p, r, out)?;
    }
    if !r.shortfalls.is_empty() {
        writeln!(out)?;
        writeln!(out, "Shortfalls:")?;
        for s in &r.shortfalls {
            writeln!(out, "{}", bullet(s))?;
        }
    }
    if !r.advice.is_empty() {
        writeln!(out)?;
        writeln!(out, "Advice:")?;
        for s in &r.advice {
            writeln!(out, "{}", bullet(s))?;
        }
    }
    writeln!(out)?;
    if r.supported {
        writeln!(out, "The loaded banks support this blueprint.")?;
    } else {
        let n = r.shortfalls.len();
        writeln!(
            out,
            "The loaded banks fall short of this blueprint in {n} area{}.",
            if n == 1 { "" } else { "s" }
        )?;
    }
    Ok(())
}

/// The precision section: SE across the ability range, the test information curve
/// (drawn as an exhibit is), and where the bank is thin.
fn write_precision(
    p: &coverage::Precision,
    r: &Coverage,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    writeln!(out)?;
    let intro = format!(
        "Precision for adaptive delivery (best case: at each ability the {} most informative items, each area giving its share; randomesque and exposure control cost a little of it):",
        r.length
    );
    writeln!(out, "{}", wrap(&intro, WIDTH, ""))?;
    let shown: Vec<&coverage::PrecisionPoint> = p
        .points
        .iter()
        .filter(|q| (q.theta * 2.0).fract() == 0.0)
        .collect();
    write!(out, "{:<8}", "theta")?;
    for q in &shown {
        write!(out, "{:>5}", format!("{:+.1}", q.theta))?;
    }
    writeln!(out)?;
    write!(out, "{:<8}", "SE")?;
    for q in &shown {
        write!(out, "{:>5}", format!("{:.2}", q.se).trim_start_matches('0'))?;
    }
    writeln!(out)?;
    let curve = crate::exhibit::Exhibit::Histogram(crate::exhibit::Histogram {
        title: "Test information by ability (theta, logits)".to_string(),
        x_label: "theta".to_string(),
        range: (-3.0, 3.0),
        data: crate::exhibit::HistogramData::Bins(p.points.iter().map(|q| q.information).collect()),
        markers: vec![crate::exhibit::Marker {
            at: r.passing_theta,
            label: "cut".to_string(),
        }],
        flags: Vec::new(),
    });
    let drawing = crate::exhibit::text::draw(&curve, 1, WIDTH, false);
    // The drawing's first line names an exhibit; here it is a figure of the report.
    for line in drawing.lines().skip(1) {
        writeln!(out, "{line}")?;
    }
    // The first point holding the most and the least information.
    let first = |better: &dyn Fn(f64, f64) -> bool| {
        p.points
            .iter()
            .fold(None::<&coverage::PrecisionPoint>, |best, q| match best {
                Some(b) if !better(q.information, b.information) => Some(b),
                _ => Some(q),
            })
    };
    if let (Some(most), Some(least)) = (first(&|a, b| a > b), first(&|a, b| a < b)) {
        writeln!(
            out,
            "{}",
            wrap(
                &format!(
                    "Information from {:.1} (theta {:+.2}, SE {:.2}) to {:.1} (theta {:+.2}, SE {:.2}); the goal is SE {:.2} or less.",
                    least.information,
                    least.theta,
                    least.se,
                    most.information,
                    most.theta,
                    most.se,
                    p.se_goal
                ),
                WIDTH,
                ""
            )
        )?;
    }
    Ok(())
}
