//! `glasslayer bench` (to be filled in by its issue).

/// Arguments of `glasslayer bench`.
#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("`glasslayer bench` is not implemented yet")
}
