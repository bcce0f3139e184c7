//! `glasslayer reproduce` (to be filled in by its issue).

/// Arguments of `glasslayer reproduce`.
#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("`glasslayer reproduce` is not implemented yet")
}
