//! `labcert blueprint` (being written).

use clap::Subcommand;

use crate::exit::Exit;
use crate::settings::Settings;

#[derive(Debug, Subcommand)]
pub enum BlueprintCommand {
    /// Does the loaded bank support this exam?
    Check,
}

pub fn run(_settings: &Settings, _cmd: BlueprintCommand) -> anyhow::Result<Exit> {
    anyhow::bail!("`labcert blueprint` is not available yet")
}
