//! `labcert report`: where the candidate stands.

use std::io::Write;

use clap::Args;

use super::Style;
use super::practice::preparing_for;
use crate::report::progress::{Inputs, build, render};
use crate::settings::Settings;
use crate::store::history::{
    ability_map, area_days, area_totals, due_reviews, finished_exams, item_histories, next_review,
};
use crate::store::now_ms;

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The exam to measure against (default: your last exam's style, else ascp-mls)
    #[arg(long, value_enum, ignore_case = true)]
    style: Option<Style>,
}

pub fn run(settings: &Settings, args: ReportArgs) -> anyhow::Result<()> {
    let library = super::load_library(settings)?;
    let (store, profile) = super::open_store_read_only(settings)?;
    let conn = store.connection();
    let now = now_ms();
    let bp = preparing_for(&store, profile, args.style)?;
    let (areas, topics) = ability_map(conn, profile)?;
    let totals = area_totals(conn, profile)?;
    let days = area_days(conn, profile, now - 30 * 86_400_000)?;
    let exams = finished_exams(conn, profile)?;
    let history = item_histories(conn, profile)?;
    // Only reviews of items still loaded: the ones `labcert review` can ask.
    let loaded: std::collections::HashSet<(&str, &str)> = library
        .items()
        .map(|(b, i)| (b.id.as_str(), i.id.as_str()))
        .collect();
    let due: Vec<i64> = due_reviews(conn, profile, now + 8 * 86_400_000)?
        .into_iter()
        .filter(|(b, i, _)| loaded.contains(&(b.as_str(), i.as_str())))
        .map(|(_, _, d)| d)
        .collect();
    let next_due = next_review(conn, profile, now + 8 * 86_400_000)?;
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
