//! `glasslayer train` (to be filled in by its issue).

/// Arguments of `glasslayer train`.
#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("`glasslayer train` is not implemented yet")
}
