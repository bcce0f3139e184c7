//! `glasslayer train` — train the MLP over a protocol, record what the server saw, and optionally
//! attack the views of the first K training samples.
//!
//! ```text
//! glasslayer train --protocol cryptonn --hidden 128 --samples 2000 --epochs 3 --batch 32 \
//!     [--attack tv|minsum|gradient|stacked --attack-samples 10] --json
//! ```
//!
//! With `--json`, one JSON object per line on stdout:
//! - per epoch: `{"epoch", "test_accuracy", "train_accuracy", "loss", "ms_per_sample",
//!   "bytes_per_sample", "seconds", ...}`;
//! - with `--attack`, per attacked sample: `{"sample", "label", "method", "psnr", "ssim", ...}`;
//! - last: `{"summary": true, "protocol", "accuracy", "ms_per_sample" (wall clock),
//!   "cpu_ms_per_sample" (CPU time of all threads: robust to other load), "bytes_per_sample",
//!   "psnr_median", "ssim_median", "baseline_psnr", ...}` (`accuracy`: fraction of the test set,
//!   `baseline_psnr`: median PSNR of the mean training digit against the attacked samples).
//!
//! Progress goes to stderr.
//!
//! `glasslayer train --model cnn …` trains the small CNN instead (MNIST or CIFAR-10 colour; see
//! `train_cnn.rs`).

use crate::attack::median;
use crate::fixed_point::FixedPoint;
use anyhow::{bail, Context};
use glasslayer::attack::{attack_sample, score, AttackKind, Candidate, Outcome, PublicKnowledge};
use glasslayer::data::{Mnist, Split};
use glasslayer::fe::GroupChoice;
use glasslayer::nn::{Activation, Quantization, Sgd};
use glasslayer::protocol::{ClientInit, ProtocolKind, ServerView, Session, Setup};
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;
use std::collections::BTreeSet;

/// Arguments of `glasslayer train`.
#[derive(clap::Args)]
pub struct Args {
    /// cryptonn | fenet | client-loop | fhipe
    #[arg(long, default_value = "cryptonn")]
    protocol: ProtocolKind,
    /// Hidden units h (16..=1024).
    #[arg(long, default_value_t = 128)]
    hidden: usize,
    /// Training samples (the first N of the 60k MNIST training set).
    #[arg(long, default_value_t = 2000)]
    samples: usize,
    /// Epochs.
    #[arg(long, default_value_t = 3)]
    epochs: usize,
    /// Batch size.
    #[arg(long, default_value_t = 32)]
    batch: usize,
    /// Learning rate (0.3: ≈ 88 % on 2000 digits in 3 epochs at h = 128; 0.1 gives ≈ 85 %).
    #[arg(long, default_value_t = 0.3)]
    lr: f32,
    /// relu | sigmoid
    #[arg(long, default_value = "relu")]
    activation: Activation,
    /// Seed of the initial weights and of the batch order.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// IPFE group for cryptonn: ristretto255 | ffdhe2048 | ffdhe3072.
    #[arg(long, default_value = "ristretto255")]
    group: GroupChoice,
    /// Pixel levels L (255 keeps every byte).
    #[arg(long, default_value_t = Quantization::default().pixel_levels)]
    pixel_levels: u32,
    #[command(flatten)]
    fixed: FixedPoint,
    /// Test digits to evaluate on each epoch (the first T of the 10k test set).
    #[arg(long, default_value_t = 10_000)]
    test_samples: usize,
    /// Attack the server views of the first K training samples.
    #[arg(long)]
    attack: Option<AttackKind>,
    /// K, the number of training samples to attack.
    #[arg(long, default_value_t = 10)]
    attack_samples: usize,
    /// Replay only: the mitigations' client starts from the `W1` of the public seed (the same
    /// initial model as `cryptonn`, for like-for-like accuracy comparisons) instead of drawing
    /// it from the OS CSPRNG. Not the real protocol: a server knowing the seed knows that `W1`.
    #[arg(long)]
    replay_client_w1: bool,
    /// JSON lines on stdout.
    #[arg(long)]
    json: bool,
}

/// CPU seconds used by this process so far (user + system, all threads), from `/proc/self/stat`;
/// `None` where that file does not exist. Unlike wall time, this does not grow when other
/// programs load the machine.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which is in parentheses and may contain spaces).
    let rest = stat.get(stat.rfind(')')? + 2..)?;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

pub fn run(a: Args) -> anyhow::Result<()> {
    if !(16..=1024).contains(&a.hidden) {
        bail!("--hidden {} must be 16..=1024", a.hidden);
    }
    if a.samples == 0 || a.epochs == 0 || a.batch == 0 {
        bail!("--samples, --epochs and --batch must be positive");
    }
    if a.batch > glasslayer::limits::MAX_BATCH {
        bail!(
            "--batch {} is over the limit {}",
            a.batch,
            glasslayer::limits::MAX_BATCH
        );
    }
    let train = Mnist::load(Split::Train)?.take(a.samples);
    let test = Mnist::load(Split::Test)?.take(a.test_samples);
    let quant = a.fixed.quantization(a.pixel_levels);
    let setup = Setup {
        input: 784,
        hidden: a.hidden,
        activation: a.activation,
        seed: a.seed,
        client_w1: if a.replay_client_w1 {
            ClientInit::ReplayPublicSeed
        } else {
            ClientInit::Secret
        },
        quant,
        group: a.group,
    };
    let sgd = Sgd {
        epochs: a.epochs,
        lr: a.lr,
        batch: a.batch,
        seed: a.seed,
    };
    let mut session = Session::new(a.protocol, &setup, sgd).context("starting the protocol")?;
    let watched: BTreeSet<usize> = if a.attack.is_some() {
        (0..a.attack_samples.min(train.len())).collect()
    } else {
        BTreeSet::new()
    };
    // `gradient` reads the first view of a sample; `tv`/`minsum` the latest; `stacked` all.
    let keep_all = !matches!(a.attack, Some(AttackKind::Gradient));
    let mut kept: Vec<ServerView> = Vec::new();
    let mut seen: BTreeSet<usize> = BTreeSet::new();

    let steps_per_epoch = train.len().div_ceil(a.batch);
    let bar = ProgressBar::new((steps_per_epoch * a.epochs) as u64);
    bar.set_style(
        ProgressStyle::with_template(
            "{prefix} [{elapsed_precise}] {bar:30} {pos}/{len} steps (eta {eta}) {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_prefix(format!("{} h={}", a.protocol, a.hidden));

    let mut reports = Vec::new();
    let mut accuracy = 0.0f32;
    let mut eval_cpu = 0.0f64;
    let cpu_start = cpu_seconds();
    for epoch in 0..a.epochs {
        let epoch_cpu = cpu_seconds();
        let report = session.run_epoch(&train, epoch, &mut |_, _, step, _| {
            let v = &step.view;
            let new: Vec<usize> = v
                .sample_ids
                .iter()
                .copied()
                .filter(|id| watched.contains(id) && (keep_all || !seen.contains(id)))
                .collect();
            if !new.is_empty() {
                seen.extend(new);
                kept.push(v.clone());
            }
            bar.inc(1);
            bar.set_message(format!("loss {:.3}", step.loss));
            Ok(())
        })?;
        let eval_start = cpu_seconds();
        let epoch_cpu_ms = epoch_cpu
            .zip(eval_start)
            .map(|(a, b)| 1e3 * (b - a) / train.len() as f64);
        accuracy = session.protocol.model().accuracy(&test)?;
        if let (Some(a), Some(b)) = (eval_start, cpu_seconds()) {
            eval_cpu += b - a;
        }
        bar.println(format!(
            "epoch {}: test accuracy {:.2} %, loss {:.4}, {:.2} ms/sample, {:.0} bytes/sample",
            report.epoch,
            100.0 * accuracy,
            report.loss,
            report.ms_per_sample,
            report.bytes_per_sample
        ));
        let line = json!({
            "protocol": a.protocol.name(),
            "epoch": report.epoch,
            "test_accuracy": accuracy,
            "train_accuracy": report.train_accuracy,
            "loss": report.loss,
            "ms_per_sample": report.ms_per_sample,
            "cpu_ms_per_sample": epoch_cpu_ms,
            "bytes_per_sample": report.bytes_per_sample,
            "seconds": report.seconds,
        });
        if a.json {
            println!("{line}");
        }
        reports.push(report);
    }
    bar.finish_and_clear();
    let cost = *session.protocol.cost();
    // CPU time of the training steps (test-set evaluation excluded).
    let train_cpu_s = cpu_start
        .zip(cpu_seconds())
        .map(|(a, b)| (b - a - eval_cpu).max(0.0));

    // The attack, on the views only.
    let mut attacks: Vec<(f64, f64)> = Vec::new();
    let mut baseline = Vec::new();
    if let Some(kind) = a.attack {
        // The mean training digit: the baseline an attacker gets without any view.
        let mut mean = vec![0.0f64; 784];
        for i in 0..train.len() {
            for (m, &p) in mean.iter_mut().zip(train.image(i)) {
                *m += f64::from(p) / 255.0;
            }
        }
        mean.iter_mut().for_each(|m| *m /= train.len() as f64);
        // Public knowledge: the public recipe's initial W1 (what the server would hold had the
        // client not drawn its own; in the mitigations it did) and the mean digit.
        let public = PublicKnowledge {
            candidates: vec![Candidate {
                source: format!("the public recipe's initial W1 (seed {})", a.seed),
                w1: setup.initial_model()?.w1().mapv(f64::from),
            }],
            mean: Some(mean),
            ..PublicKnowledge::mnist()
        };
        let abar = ProgressBar::new(watched.len() as u64);
        abar.set_prefix(format!("attack {kind}"));
        abar.set_style(
            ProgressStyle::with_template("{prefix} {bar:30} {pos}/{len} samples")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        for &id in &watched {
            let outcome = attack_sample(&kept, id, kind, &public)
                .with_context(|| format!("attacking sample {id}"))?;
            // The attacker is done; the truth is read only to score.
            let truth = train
                .image_f32(id)
                .iter()
                .map(|&v| f64::from(v))
                .collect::<Vec<_>>();
            let line = match &outcome {
                Outcome::Rebuilt(r) => {
                    let sc = score(&truth, &r.image, &public)?;
                    baseline.push(sc.baseline_psnr);
                    attacks.push((sc.psnr, sc.ssim));
                    if !a.json {
                        abar.println(format!(
                            "sample {id} (label {}): {} {} with {} → PSNR {:.2} dB, SSIM {:.3} (mean digit {:.2} dB)",
                            train.label(id),
                            r.method,
                            r.status,
                            r.w1_source,
                            sc.psnr,
                            sc.ssim,
                            sc.baseline_psnr
                        ));
                    }
                    json!({
                        "sample": id,
                        "label": train.label(id),
                        "attack": kind,
                        "method": r.method,
                        "knows_w1": r.knows_w1,
                        "w1_source": r.w1_source,
                        "observations": r.observations,
                        "status": r.status,
                        "psnr": sc.psnr,
                        "ssim": sc.ssim,
                        "mse": sc.mse,
                        "within": sc.within,
                        "baseline_psnr": sc.baseline_psnr,
                        "ms": r.ms,
                    })
                }
                Outcome::NotApplicable { reason, .. } => {
                    if !a.json {
                        abar.println(format!("sample {id}: {kind} not applicable: {reason}"));
                    }
                    json!({"sample": id, "attack": kind, "applicable": false, "reason": reason})
                }
            };
            if a.json {
                println!("{line}");
            }
            abar.inc(1);
        }
        abar.finish_and_clear();
    }

    let psnr_median = median(attacks.iter().map(|r| r.0).collect());
    let ssim_median = median(attacks.iter().map(|r| r.1).collect());
    let baseline_psnr = median(baseline);
    let summary = json!({
        "summary": true,
        "protocol": a.protocol.name(),
        "hidden": a.hidden,
        "samples": train.len(),
        "client_w1": if a.replay_client_w1 { "replay-public-seed" } else { "secret" },
        "epochs": a.epochs,
        "batch": a.batch,
        "lr": a.lr,
        "activation": a.activation,
        "group": if a.protocol == ProtocolKind::CryptoNn { Some(a.group.name()) } else { None },
        "quantization": quant,
        "accuracy": accuracy,
        "test_samples": test.len(),
        "ms_per_sample": cost.ms_per_sample(),
        "cpu_ms_per_sample": train_cpu_s.map(|c| 1e3 * c / cost.samples.max(1) as f64),
        "bytes_per_sample": cost.bytes_per_sample(),
        "setup_s": cost.setup_s,
        "client_s": cost.client_s,
        "keys_s": cost.keys_s,
        "server_s": cost.server_s,
        "threads": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        "attack": a.attack.map(AttackKind::name),
        "attack_samples": attacks.len(),
        "psnr_median": psnr_median,
        "ssim_median": ssim_median,
        "baseline_psnr": baseline_psnr,
    });
    if a.json {
        println!("{summary}");
    } else {
        println!(
            "{}: test accuracy {:.2} % ({} test digits), {:.2} ms and {:.0} bytes per sample-step",
            a.protocol,
            100.0 * accuracy,
            test.len(),
            cost.ms_per_sample(),
            cost.bytes_per_sample()
        );
        if let (Some(p), Some(b)) = (psnr_median, baseline_psnr) {
            println!("attack: median PSNR {p:.2} dB (mean-digit baseline {b:.2} dB)");
        }
    }
    Ok(())
}
