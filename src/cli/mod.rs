//! Argument definitions and dispatch: one module per subcommand, each with the same
//! entry shape `run(&Settings, args) -> anyhow::Result<()>`; a problem found ends the
//! command with a [`Failure`], which carries its exit code.
//!
//! clap types stop here: global options become [`GlobalOptions`] and are resolved into
//! [`Settings`] before any command runs.

mod analyze;
mod banks;
mod blueprint;
mod calibrate;
mod exam;
mod exams;
mod export;
mod import;
mod practice;
mod profile;
mod report;
mod simulate;

use std::io::{self, Write};
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::exit::{self, Exit, Failure};
use crate::settings::{self, GlobalOptions, Settings};
use crate::ui::text::plural;
use crate::ui::{self, ColorMode};

#[derive(Debug, Parser)]
#[command(
    name = "labcert",
    version,
    about = "Practice engine for the MLT/MLS certification exams (ASCP BOC, AMT)",
    long_about = None,
    propagate_version = true
)]
struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

/// Options every command accepts, before or after the subcommand.
#[derive(Debug, Args)]
struct GlobalArgs {
    /// Where progress and config.ron are kept [default: the platform's data directory]
    #[arg(long, global = true, env = "LABCERT_DATA_DIR", value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Whose progress to use
    #[arg(long, global = true, default_value = "default", value_name = "NAME")]
    profile: String,
    /// Add a bank file, or a folder of .ron banks (repeatable)
    #[arg(long = "bank", global = true, value_name = "PATH")]
    banks: Vec<PathBuf>,
    /// Leave out the banks shipped with labcert
    #[arg(long, global = true)]
    no_builtin: bool,
    /// Seed for the random generator, to reproduce a session
    #[arg(long, global = true, value_name = "N")]
    seed: Option<u64>,
    /// Print data as JSON
    #[arg(long, global = true)]
    json: bool,
    /// When to use colour
    #[arg(long, global = true, value_enum, ignore_case = true, default_value_t = ColorArg::Auto, value_name = "WHEN")]
    color: ColorArg,
    /// Draw no progress bars (they are drawn only when stderr is a terminal)
    #[arg(long, short, global = true)]
    quiet: bool,
    /// Print long results and reports without a pager
    #[arg(long, global = true)]
    no_pager: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check, list and export question banks
    #[command(subcommand)]
    Banks(banks::BanksCommand),
    /// Take a timed mock exam (ASCP-style adaptive or AMT-style linear)
    Exam(exam::ExamArgs),
    /// List your past and unfinished mock exams
    Exams(exams::ExamsArgs),
    /// Start a profile again from nothing (`profile reset`)
    #[command(subcommand)]
    Profile(profile::ProfileCommand),
    /// Practise where you are weakest, with feedback after every question
    Practice(practice::PracticeArgs),
    /// Answer the questions due for spaced review
    Review(practice::ReviewArgs),
    /// Where you stand: areas, weakest topics, exams, chance of passing, reviews due
    Report(report::ReportArgs),
    /// Export every answer as CSV, for instructors
    Export(export::ExportArgs),
    /// Run simulated candidates through an exam to see how well it measures
    Simulate(simulate::SimulateArgs),
    /// Convert GIFT (Moodle), Aiken or CSV questions into a labcert bank
    Import(import::ImportArgs),
    /// Check that the loaded banks can support an exam blueprint
    #[command(subcommand)]
    Blueprint(blueprint::BlueprintCommand),
    /// Item analysis of a class's exported answers, with Moodle's quiz statistics
    Analyze(analyze::AnalyzeArgs),
    /// Estimate Rasch difficulties from exported answers and write a calibrated bank
    Calibrate(calibrate::CalibrateArgs),
}

impl GlobalArgs {
    fn into_options(self) -> GlobalOptions {
        GlobalOptions {
            data_dir: self.data_dir,
            profile: self.profile,
            banks: self.banks,
            no_builtin: self.no_builtin,
            seed: self.seed,
            json: self.json,
            color: match self.color {
                ColorArg::Auto => ColorMode::Auto,
                ColorArg::Always => ColorMode::Always,
                ColorArg::Never => ColorMode::Never,
            },
            quiet: self.quiet,
            no_pager: self.no_pager,
        }
    }
}

/// Runs labcert with the process's arguments.
pub fn main() -> Exit {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                Exit::Usage
            } else {
                Exit::Ok
            };
        }
    };
    ui::set_color(match cli.global.color {
        ColorArg::Auto => ColorMode::Auto,
        ColorArg::Always => ColorMode::Always,
        ColorArg::Never => ColorMode::Never,
    });
    ui::image::set_interactive(cli.global.json);
    let settings = match settings::resolve(cli.global.into_options()) {
        Ok(s) => s,
        Err(e) => return fail(&anyhow::Error::new(e)),
    };
    let result = match cli.command {
        Command::Banks(cmd) => banks::run(&settings, cmd),
        Command::Exam(args) => exam::run(&settings, args),
        Command::Exams(args) => exams::list(&settings, args),
        Command::Profile(cmd) => profile::run(&settings, cmd),
        Command::Practice(args) => practice::practice(&settings, args),
        Command::Review(args) => practice::review(&settings, args),
        Command::Report(args) => report::run(&settings, args),
        Command::Export(args) => export::run(&settings, args),
        Command::Simulate(args) => simulate::run(&settings, args),
        Command::Import(args) => import::run(&settings, args),
        Command::Blueprint(cmd) => blueprint::run(&settings, cmd),
        Command::Analyze(args) => analyze::run(&settings, args),
        Command::Calibrate(args) => calibrate::run(&settings, args),
    };
    match result {
        Ok(()) => Exit::Ok,
        Err(e) if ui::is_broken_pipe(&e) => Exit::Ok,
        Err(e) => fail(&e),
    }
}

/// Reports an error that stopped a command, unless it was reported already, and
/// gives its exit code (2 for usage and I/O errors, 1 for a problem found).
fn fail(err: &anyhow::Error) -> Exit {
    let reported = err
        .downcast_ref::<Failure>()
        .is_some_and(Failure::is_reported);
    if !reported {
        let mut stderr = std::io::stderr().lock();
        let _ = writeln!(stderr, "{}: {}", ui::error_word(), error_text(err));
    }
    exit::code_of(err)
}

/// An error and its causes on one line, leaving out a cause whose text the message
/// already holds (an I/O error named in its context would otherwise print twice).
fn error_text(err: &anyhow::Error) -> String {
    let mut text = err.to_string();
    for cause in err.chain().skip(1) {
        let cause = cause.to_string();
        if !text.contains(&cause) {
            text.push_str(": ");
            text.push_str(&cause);
        }
    }
    text
}

/// An area named on the command line (`--area`), in any of the names instructors use;
/// an unknown name is a usage error with the nearest name suggested.
fn area_option(name: &str) -> anyhow::Result<crate::bank::Area> {
    use crate::bank::Area;
    // Any name an instructor uses (`Heme`, `Blood Bank`, `Micro`), as imports read them.
    Area::parse(name)
        .or_else(|| crate::bank::area_names::area_from_name(name))
        .ok_or_else(|| {
            let hint = crate::doc::decode::suggest(name, Area::ALL.iter().map(|a| a.name()))
                .map_or_else(String::new, |s| format!(" (did you mean {s}?)"));
            Failure::Usage(format!(
                "unknown area \"{name}\"{hint}; the areas are {}",
                Area::ALL.map(|a| a.name()).join(", ")
            ))
            .into()
        })
}

/// A count that must be at least one (`--questions`, `--examinees`).
fn at_least_one(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(0) => Err("must be at least 1".to_string()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("\"{text}\" is not a whole number")),
    }
}

/// A shipped exam style (`--style`).
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Style {
    AscpMlt,
    AscpMls,
    AmtMlt,
    AmtMls,
    ReadinessMlt,
    ReadinessMls,
}

impl Style {
    pub fn id(self) -> &'static str {
        match self {
            Style::AscpMlt => "ascp-mlt",
            Style::AscpMls => "ascp-mls",
            Style::AmtMlt => "amt-mlt",
            Style::AmtMls => "amt-mls",
            Style::ReadinessMlt => "readiness-mlt",
            Style::ReadinessMls => "readiness-mls",
        }
    }
}

/// Largest blueprint file read.
const MAX_BLUEPRINT_BYTES: u64 = 1 << 20;

/// The blueprint named by `--style` or `--blueprint FILE`, with its text (kept so a
/// resumed exam uses the same blueprint even if the file changes). A file with problems
/// has its diagnostics printed and gives exit code 1; one that cannot be read is an
/// I/O error (exit 2).
fn chosen_blueprint(
    style: Option<Style>,
    path: Option<&std::path::Path>,
) -> anyhow::Result<(crate::exam::Blueprint, String)> {
    use crate::exam::blueprint;
    let (name, text) = match (style, path) {
        (Some(style), _) => {
            let (_, text) = blueprint::SHIPPED
                .iter()
                .find(|(n, _)| *n == style.id())
                .ok_or_else(|| anyhow::anyhow!("no shipped blueprint {}", style.id()))?;
            (format!("<builtin>/{}.ron", style.id()), (*text).to_string())
        }
        (None, Some(path)) => {
            use crate::files::ReadError;
            let text = match crate::files::read_text(path, MAX_BLUEPRINT_BYTES, "a blueprint") {
                Ok(text) => text,
                Err(
                    e @ (ReadError::Binary { .. }
                    | ReadError::Utf16 { .. }
                    | ReadError::NotUtf8 { .. }),
                ) => return Err(Failure::Problem(e.to_string()).into()),
                Err(e) => return Err(e.into()),
            };
            (path.display().to_string(), text)
        }
        (None, None) => anyhow::bail!("give --style or --blueprint FILE"),
    };
    match blueprint::parse(&name, &text) {
        Ok(bp) => Ok((bp, text)),
        Err(e) => {
            let mut err = io::stderr().lock();
            write!(err, "{}", e.rendered)?;
            Err(Failure::Problem(format!(
                "the blueprint has {} error{}",
                e.diagnostics,
                if e.diagnostics == 1 { "" } else { "s" }
            ))
            .into())
        }
    }
}

/// What no command may write over, whatever `--force` says: the progress database,
/// its journal files and the config file.
fn protected_files(settings: &Settings) -> crate::files::Protected {
    let mut p = crate::files::Protected::new();
    if let Some(dir) = &settings.data_dir {
        let db = dir.join(crate::store::DB_FILE);
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut name = db.clone().into_os_string();
            name.push(suffix);
            p.add(std::path::Path::new(&name), "labcert's progress database");
        }
        p.add(&dir.join(settings::CONFIG_FILE), "labcert's config file");
    }
    p
}

/// The rules for writing a command's output file: `--force` replaces an existing file;
/// the store's files and the command's `inputs` are never written.
fn output_rules(
    settings: &Settings,
    force: bool,
    inputs: &[&std::path::Path],
    input_what: &str,
) -> crate::files::WriteRules {
    let mut protected = protected_files(settings);
    for input in inputs {
        protected.add(input, input_what.to_string());
    }
    crate::files::WriteRules { force, protected }
}

/// [`output_rules`] that also protect every loaded bank file (an output must never
/// overwrite a bank the command read).
fn output_rules_with_banks(
    settings: &Settings,
    force: bool,
    library: &crate::bank::Library,
) -> crate::files::WriteRules {
    let inputs: Vec<&std::path::Path> = library
        .banks
        .iter()
        .filter_map(|b| match &b.origin {
            crate::bank::BankOrigin::File(path) => Some(path.as_path()),
            crate::bank::BankOrigin::Builtin(_) => None,
        })
        .collect();
    output_rules(settings, force, &inputs, "a loaded bank file")
}

/// Opens the progress store in the data directory, and the profile's id.
fn open_store(settings: &Settings) -> anyhow::Result<(crate::store::Store, i64)> {
    let data_dir = settings.data_dir.as_ref().ok_or_else(|| {
        anyhow::anyhow!("no data directory: pass --data-dir DIR or set LABCERT_DATA_DIR")
    })?;
    let store = crate::store::Store::open_in(data_dir)?;
    let profile = store.profile(&settings.profile)?;
    Ok((store, profile))
}

/// Opens the progress store for reading only (report, export), and the profile's id
/// (`-1`, matching nothing, when the profile has never been used).
fn open_store_read_only(settings: &Settings) -> anyhow::Result<(crate::store::Store, i64)> {
    let data_dir = settings.data_dir.as_ref().ok_or_else(|| {
        anyhow::anyhow!("no data directory: pass --data-dir DIR or set LABCERT_DATA_DIR")
    })?;
    let store = crate::store::Store::open_read_only_in(data_dir)?;
    let profile = store.find_profile(&settings.profile)?.unwrap_or(-1);
    Ok((store, profile))
}

/// Where answers are read from: a person at a terminal, or piped lines (echoed to `echo`).
fn answer_source(echo: Box<dyn Write>) -> Box<dyn crate::ui::input::LineSource> {
    crate::ui::input::watch_interrupts();
    if ui::stdin_is_terminal() && ui::stdout_is_terminal() {
        Box::new(crate::ui::input::TerminalLines)
    } else {
        Box::new(crate::ui::input::PipedLines::stdin(echo))
    }
}

/// The loaded banks a blueprint draws on: all of them, or the ones its `banks:` names;
/// a named bank that is not loaded is a usage error that says how to load it.
fn library_for(
    library: crate::bank::Library,
    blueprint: &crate::exam::Blueprint,
) -> anyhow::Result<crate::bank::Library> {
    if blueprint.banks.is_empty() {
        return Ok(library);
    }
    library.only_banks(&blueprint.banks).map_err(|missing| {
        let loaded: Vec<&str> = library.banks.iter().map(|b| b.id.as_str()).collect();
        let hints: Vec<String> = missing
            .iter()
            .filter_map(|m| {
                crate::doc::decode::suggest(m, loaded.iter().copied())
                    .map(|s| format!("did you mean \"{s}\" for \"{m}\"?"))
            })
            .collect();
        let quoted: Vec<String> = missing.iter().map(|m| format!("\"{m}\"")).collect();
        let mut message = format!(
            "blueprint \"{}\" draws on the bank{} {}, which {} not loaded: load {} with --bank FILE, or list {} folder in config.ron (`{} banks list` shows the loaded banks)",
            blueprint.id,
            if missing.len() == 1 { "" } else { "s" },
            quoted.join(", "),
            if missing.len() == 1 { "is" } else { "are" },
            if missing.len() == 1 { "it" } else { "them" },
            if missing.len() == 1 { "its" } else { "their" },
            crate::ui::text::invocation(),
        );
        if !hints.is_empty() {
            message.push_str("; ");
            message.push_str(&hints.join("; "));
        }
        Failure::Usage(message).into()
    })
}

/// Shared by commands that need the banks: loads what can be used. Items (or whole
/// files) with errors are left out with one warning that says how many and how to see
/// why; only when nothing at all can be used is that an error.
fn load_library(settings: &Settings) -> anyhow::Result<crate::bank::Library> {
    let report = crate::bank::load(&settings.banks)?;
    let library = report.usable();
    if report.left_out.is_empty() {
        return Ok(library);
    }
    let mut err = ui::stderr(settings.color);
    let items: usize = report.left_out.iter().map(|l| l.items).sum();
    let files: Vec<String> = report
        .left_out
        .iter()
        .map(|l| {
            let name = report.sources.name(l.file);
            match (l.whole_file, l.items) {
                (true, 0) => format!("{name}: the whole file"),
                (true, n) => format!("{name}: the whole file, {}", plural(n, "item")),
                (false, n) => format!("{name}: {n}"),
            }
        })
        .collect();
    let what = if items > 0 {
        format!("{} cannot be used and", plural(items, "item"))
    } else {
        "some bank files cannot be used and".to_string()
    };
    writeln!(
        err,
        "{}: {what} {} left out ({}); `{} banks check` shows why",
        ui::warning_word(),
        if items == 1 { "was" } else { "were" },
        files.join("; "),
        crate::ui::text::invocation(),
    )?;
    let mut listed: Vec<String> = report
        .left_out
        .iter()
        .filter(|l| report.from_config.contains(&l.file))
        .map(|l| report.sources.name(l.file))
        .collect();
    listed.dedup();
    if let (false, Some(config)) = (listed.is_empty(), &settings.banks.config_file) {
        writeln!(
            err,
            "note: {} {} loaded because {} lists {}",
            listed.join(", "),
            if listed.len() == 1 { "is" } else { "are" },
            config.display(),
            if listed.len() == 1 { "it" } else { "them" }
        )?;
    }
    if library.items().next().is_none() {
        writeln!(
            err,
            "{}: no usable items are loaded; fix the banks (`{} banks check`) or leave them out",
            ui::error_word(),
            crate::ui::text::invocation(),
        )?;
        return Err(Failure::Reported.into());
    }
    Ok(library)
}
