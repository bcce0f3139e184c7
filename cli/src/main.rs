//! `glasslayer` — the native command line for experiments.

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "glasslayer",
    version,
    about = "FE training leaks its data: attack, train, reproduce, bench"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the version of the core.
    Version,
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Version => println!("glasslayer {}", glasslayer::VERSION),
    }
    Ok(())
}
