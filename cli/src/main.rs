//! `glasslayer` — the native command line for experiments. One file per subcommand.

use clap::{Parser, Subcommand};

mod attack;
mod attack_conv;
mod bench;
mod bench_all;
mod fixed_point;
mod leak;
mod reproduce;
mod scene;
mod train;
mod train_cnn;

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
    /// Reconstruct training samples from what the server sees.
    Attack(attack::Args),
    /// The page's scene natively: test digits through one round, the attacker on the view.
    Scene(scene::Args),
    /// Train over a protocol and record what the server saw (`--model cnn`: the small CNN; its
    /// flags and CIFAR-10 recipe: `glasslayer train --model cnn --help`).
    Train(train::Args),
    /// What still leaks under a mitigation: Gram-matrix and known-sample attacks (issue 13).
    Leak(leak::Args),
    /// Reproduce the paper's experiments (tables, CSV, SVG plots).
    Reproduce(reproduce::Args),
    /// Benchmarks of the core (FE, attack, protocols).
    Bench(bench::Args),
    /// Print the version of the core.
    Version,
}

fn main() -> anyhow::Result<()> {
    let argv: Vec<String> = std::env::args().collect();
    if attack_conv::wants(&argv) {
        return attack_conv::run_from(&argv);
    }
    if train_cnn::wants(&argv) {
        return train_cnn::run_from(&argv);
    }
    if reproduce::cnn::wants(&argv) {
        return reproduce::cnn::run_from(&argv);
    }
    match Cli::parse().command {
        Command::Attack(a) => attack::run(a),
        Command::Scene(a) => scene::run(a),
        Command::Train(a) => train::run(a),
        Command::Leak(a) => leak::run(a),
        Command::Reproduce(a) => reproduce::run(a),
        Command::Bench(a) => bench::run(a),
        Command::Version => {
            println!("glasslayer {}", glasslayer::VERSION);
            Ok(())
        }
    }
}
