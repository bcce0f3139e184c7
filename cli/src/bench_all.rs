//! `glasslayer bench all [--json]` — the standard workloads of [`glasslayer::bench`], the same code
//! and inputs the browser benchmark runs (`npm run bench`), on MNIST test digit 0.

use anyhow::Context;
use glasslayer::bench::{self, WORKLOADS};
use glasslayer::data::{Mnist, Split};

/// Arguments of `glasslayer bench all`.
#[derive(clap::Args)]
pub struct AllArgs {
    /// One JSON object per workload and line.
    #[arg(long)]
    json: bool,
    /// Timed runs per workload (after one warm-up).
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Only workloads whose name contains this.
    #[arg(long, default_value = "")]
    only: String,
}

pub fn run(args: AllArgs) -> anyhow::Result<()> {
    let digits = Mnist::load(Split::Test).context("loading MNIST (run npm install)")?;
    let digit = digits.image(0).to_vec();
    if !args.json {
        println!("| workload | median ms | min ms |\n|---|---:|---:|");
    }
    for w in WORKLOADS.iter().filter(|w| w.name.contains(&args.only)) {
        let m = bench::run(w.name, &digit, args.runs)
            .with_context(|| format!("workload {}", w.name))?;
        if args.json {
            println!("{}", serde_json::to_string(&m)?);
        } else {
            println!("| {} | {:.2} | {:.2} |", w.name, m.median_ms, m.min_ms);
        }
    }
    Ok(())
}
