//! `glasslayer attack` (to be filled in by its issue).

/// Arguments of `glasslayer attack`.
#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("`glasslayer attack` is not implemented yet")
}
