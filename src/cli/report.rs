//! `labcert report`: where the candidate stands, in the terminal, as JSON, or as an
//! HTML page with charts (`--html FILE`).

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use super::Style;
use super::practice::preparing_for;
use crate::exit::Failure;
use crate::files::NewFile;
use crate::report::html::{self, DUE_DAYS, LastExam, Page};
use crate::report::progress::{Inputs, build, date, render};
use crate::settings::Settings;
use crate::store::history::{
    ability_map, area_days, area_totals, due_reviews, finished_exams, item_histories, next_review,
};
use crate::store::now_ms;

const DAY_MS: i64 = 86_400_000;

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The exam to measure against (default: your last exam's style, else ascp-mls)
    #[arg(long, value_enum, ignore_case = true)]
    style: Option<Style>,
    /// Write the report as one self-contained HTML page with charts, to open in a
    /// browser and print (`-` for standard output)
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    /// Replace the --html file if it exists
    #[arg(long, requires = "html")]
    force: bool,
}

/// Where the HTML page goes.
enum HtmlOut {
    File(NewFile),
    Stdout,
}

pub fn run(settings: &Settings, args: ReportArgs) -> anyhow::Result<()> {
    let library = super::load_library(settings)?;
    // Refuse a bad output before reading the store: an existing file without --force,
    // the store's own files, a loaded bank file.
    let html_out = match args.html.as_deref() {
        None => None,
        Some(path) if path.as_os_str() == "-" => {
            if settings.json {
                return Err(Failure::Usage(
                    "--json and --html - would both write to standard output; give --html a file"
                        .into(),
                )
                .into());
            }
            Some(HtmlOut::Stdout)
        }
        Some(path) => {
            let rules = super::output_rules_with_banks(settings, args.force, &library);
            Some(HtmlOut::File(NewFile::create(path, &rules)?))
        }
    };
    let (store, profile) = super::open_store_read_only(settings)?;
    let conn = store.connection();
    let now = now_ms();
    let bp = preparing_for(&store, profile, args.style)?;
    let (areas, topics) = ability_map(conn, profile)?;
    let totals = area_totals(conn, profile)?;
    let days = area_days(conn, profile, now - 30 * DAY_MS)?;
    let exams = finished_exams(conn, profile)?;
    let history = item_histories(conn, profile)?;
    // Only reviews of items still loaded: the ones `labcert review` can ask. The window
    // covers the HTML page's days; the text report counts the first week of it.
    let loaded: std::collections::HashSet<(&str, &str)> = library
        .items()
        .map(|(b, i)| (b.id.as_str(), i.id.as_str()))
        .collect();
    let window_end = now + (DUE_DAYS as i64 + 1) * DAY_MS;
    let due: Vec<i64> = due_reviews(conn, profile, window_end)?
        .into_iter()
        .filter(|(b, i, _)| loaded.contains(&(b.as_str(), i.as_str())))
        .map(|(_, _, d)| d)
        .collect();
    let next_due = next_review(conn, profile, window_end)?;
    let report = build(&Inputs {
        profile: &settings.profile,
        blueprint: &bp,
        library: &library,
        areas: &areas,
        topics: &topics,
        totals: &totals,
        days: &days,
        exams: &exams,
        history: &history,
        due: &due,
        next_due,
        now_ms: now,
    });

    if let Some(out) = html_out {
        let last_exam = exams.last().map(|e| LastExam {
            id: e.id,
            date: date(e.finished_ms),
            custom: e.custom,
            result: serde_json::from_str(&e.result_json).ok(),
        });
        let due_days = html::due_by_day(&due, now, &jiff::tz::TimeZone::system(), DUE_DAYS);
        let page = html::render(&Page {
            report: &report,
            blueprint: &bp,
            made: &date(now),
            due_days: &due_days,
            last_exam: last_exam.as_ref(),
        });
        let what = format!(
            "the progress report as HTML with {} of 5 charts{}",
            page.charts,
            if page.charts < 5 {
                " (the others have no data yet)"
            } else {
                ""
            }
        );
        match out {
            HtmlOut::Stdout => {
                let mut stdout = std::io::stdout().lock();
                stdout.write_all(page.html.as_bytes())?;
                stdout.flush()?;
                eprintln!("Wrote {what} to standard output.");
            }
            HtmlOut::File(mut file) => {
                let path = file.path().to_path_buf();
                file.write_all(page.html.as_bytes())
                    .with_context(|| format!("{}: cannot write", path.display()))?;
                file.commit()?;
                eprintln!("Wrote {what} to {}.", path.display());
            }
        }
        if !settings.json {
            return Ok(());
        }
    }

    let mut out = std::io::stdout().lock();
    if settings.json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        drop(out);
        crate::ui::pager::show(settings.no_pager, |_, w| render(&report, w))?;
    }
    Ok(())
}
