//! `labcert profile reset`: start a profile again from nothing, after confirmation.

use std::io::{self, BufRead, Write};

use clap::{Args, Subcommand};

use crate::exit::Failure;
use crate::settings::Settings;

#[derive(Debug, Subcommand)]
pub enum ProfileCommand {
    /// Delete every answer, exam, estimate and review of the profile (asks first)
    Reset(ResetArgs),
}

#[derive(Debug, Args)]
pub struct ResetArgs {
    /// Do not ask (for scripts); without it, a terminal is asked to type the profile name
    #[arg(long)]
    yes: bool,
}

pub fn run(settings: &Settings, cmd: ProfileCommand) -> anyhow::Result<()> {
    match cmd {
        ProfileCommand::Reset(args) => reset(settings, args),
    }
}

fn reset(settings: &Settings, args: ResetArgs) -> anyhow::Result<()> {
    let name = &settings.profile;
    if !args.yes {
        if !crate::ui::stdin_is_terminal() {
            return Err(Failure::Usage(format!(
                "profile reset deletes everything profile \"{name}\" has done; run it at a terminal to confirm, or add --yes"
            ))
            .into());
        }
        let mut out = io::stdout();
        write!(
            out,
            "This deletes every answer, exam, estimate and review of profile \"{name}\" and cannot be undone.\nType the profile name to confirm: "
        )?;
        out.flush()?;
        let mut line = String::new();
        io::stdin().lock().read_line(&mut line)?;
        if line.trim() != name {
            writeln!(out, "Not confirmed; nothing was deleted.")?;
            return Err(Failure::Reported.into());
        }
    }
    let (store, profile) = super::open_store(settings)?;
    let answers = store.reset_profile(profile)?;
    println!(
        "Profile \"{name}\" is empty again ({} deleted).",
        crate::ui::text::plural(answers, "answer")
    );
    Ok(())
}
