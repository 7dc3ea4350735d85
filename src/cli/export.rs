//! `labcert export --format csv`: every answer, for instructors (docs/export-format.md).

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, ValueEnum};

use crate::files::NewFile;
use crate::settings::Settings;
use indicatif::ProgressBar;

use crate::store::history::{ExportRow, export_count, export_rows};
use crate::ui::text::plural;
use crate::ui::{self, progress};

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Csv,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Output format
    #[arg(long, value_enum, ignore_case = true, default_value_t = Format::Csv)]
    format: Format,
    /// Write to this file instead of standard output
    #[arg(long, short = 'o', value_name = "FILE")]
    out: Option<PathBuf>,
    /// Every profile in the data directory, not just --profile
    #[arg(long)]
    all_profiles: bool,
    /// Replace the --out file if it exists
    #[arg(long)]
    force: bool,
}

pub const HEADER: &str = crate::instructor::responses::EXPORT_HEADER;

/// Quotes a CSV field when it needs it (RFC 4180).
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn utc(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

fn line(install_id: &str, r: &ExportRow) -> String {
    [
        install_id.to_string(),
        field(&r.profile),
        utc(r.answered_ms),
        r.mode.clone(),
        r.exam_id.map_or(String::new(), |e| e.to_string()),
        r.blueprint_id.as_deref().map_or(String::new(), field),
        field(&r.bank_id),
        field(&r.item_id),
        r.content_hash.clone(),
        field(&r.area),
        field(&r.topic),
        field(&r.response),
        u8::from(r.correct).to_string(),
        format!("{:.1}", r.seconds),
        r.a.to_string(),
        r.b.to_string(),
        r.c.to_string(),
    ]
    .join(",")
}

pub fn run(settings: &Settings, args: ExportArgs) -> anyhow::Result<()> {
    let Format::Csv = args.format;
    // Refuse a bad output before anything else, so nothing is opened or created for it.
    let file = match &args.out {
        Some(path) => Some(NewFile::create(
            path,
            &super::output_rules(settings, args.force, &[], ""),
        )?),
        None => None,
    };
    let (store, own) = super::open_store_read_only(settings)?;
    let profile = if args.all_profiles { None } else { Some(own) };
    // A bar only when the CSV is not going to the same terminal.
    let quiet = settings.quiet || (file.is_none() && ui::stdout_is_terminal());
    let total = export_count(store.connection(), profile)?;
    let bar = progress::bar(quiet, total, WORTH_A_BAR, "exporting answers");
    let written = match file {
        Some(mut file) => {
            let path = file.path().to_path_buf();
            write_rows(&store, profile, &mut file, &bar)
                .with_context(|| format!("{}: cannot write", path.display()))
                .and_then(|n| {
                    file.commit()?;
                    bar.finish_and_clear();
                    eprintln!("wrote {} to {}", plural(n, "answer"), path.display());
                    Ok(n)
                })
        }
        None => write_rows(
            &store,
            profile,
            &mut BufWriter::new(io::stdout().lock()),
            &bar,
        ),
    };
    bar.finish_and_clear();
    written.map(drop)
}

/// Fewer answers than this export too fast to need a progress bar.
const WORTH_A_BAR: u64 = 50_000;

/// Writes the header and every answer; returns how many answers.
fn write_rows(
    store: &crate::store::Store,
    profile: Option<i64>,
    out: &mut dyn Write,
    bar: &ProgressBar,
) -> anyhow::Result<usize> {
    writeln!(out, "{HEADER}")?;
    let install_id = store.install_id()?;
    let mut n = 0usize;
    export_rows(store.connection(), profile, &mut |r| {
        n += 1;
        bar.inc(1);
        writeln!(out, "{}", line(&install_id, &r))
    })?;
    out.flush()?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_only_when_needed() {
        assert_eq!(field("B"), "B");
        assert_eq!(field("A,C"), "\"A,C\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(utc(0), "1970-01-01T00:00:00Z");
    }
}
