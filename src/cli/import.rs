//! `labcert import gift|aiken|csv FILE -o OUT.ron`.

use clap::Args;

use crate::exit::Exit;
use crate::settings::Settings;

#[derive(Debug, Args)]
pub struct ImportArgs {}

pub fn run(_settings: &Settings, _args: ImportArgs) -> anyhow::Result<Exit> {
    anyhow::bail!("import is not available yet")
}
