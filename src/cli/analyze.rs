//! `labcert analyze` (being written).

use clap::Args;

use crate::exit::Exit;
use crate::settings::Settings;

#[derive(Debug, Args)]
pub struct AnalyzeArgs {}

pub fn run(_settings: &Settings, _args: AnalyzeArgs) -> anyhow::Result<Exit> {
    anyhow::bail!("`labcert analyze` is not available yet")
}
