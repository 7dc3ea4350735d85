//! `labcert calibrate` (being written).

use clap::Args;

use crate::exit::Exit;
use crate::settings::Settings;

#[derive(Debug, Args)]
pub struct CalibrateArgs {}

pub fn run(_settings: &Settings, _args: CalibrateArgs) -> anyhow::Result<Exit> {
    anyhow::bail!("`labcert calibrate` is not available yet")
}
