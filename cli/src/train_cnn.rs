//! `glasslayer train --model cnn` — train the small CNN (conv k filters → ReLU → s×s max pool →
//! dense → 10) over a protocol, on MNIST or the shipped CIFAR-10 colour images.
//!
//! ```text
//! glasslayer train --model cnn --dataset mnist|cifar10-color \
//!     --protocol cryptonn|client-loop|fhipe --filters K [--kernel 3] [--padding same|valid] \
//!     [--backend fe|reference] [--samples N] [--epochs E] [--batch B] [--lr LR]
//!     [--lr-schedule constant|cosine] [--pool S]
//!     [--augment none|flip,crop|cropN] [--json]
//! ```
//!
//! Each dataset has a default recipe ([`Recipe`]); every flag overrides its part. CIFAR-10's was
//! chosen on the validation split (README, "Training a small CNN over FE").
//!
//! `--backend fe` runs the real functional encryption (IPFE ristretto255 for CryptoNN, FHIPE
//! BLS12-381 for the FHIPE mitigation); `--backend reference` runs the bit-identical integer
//! path (the same integers the FE run decrypts — `crate/tests/protocol_cnn.rs` checks it) in a
//! fraction of the time: accuracy from it, time per sample from `fe`.
//!
//! Data: MNIST trains on the first N of the 60k training digits and tests on the first T of the
//! 10k test digits. CIFAR-10 has only 1000 images here (test-batch images 0–999): it trains on
//! images 0..N (N ≤ 800) and tests on images 800–999, never on a training image.
//!
//! JSON lines on stdout (`--json`): one per epoch, then a summary with `accuracy`,
//! `ms_per_sample` (wall clock of the steps, all parties), `cpu_ms_per_sample` and
//! `bytes_per_sample`. Progress on stderr.

use crate::fixed_point::FixedPoint;
use anyhow::{bail, Context};
use glasslayer::data::{Augment, Cifar10, ImageSet, ImageShape, Mnist, Split};
use glasslayer::fe::GroupChoice;
use glasslayer::nn::cnn::MAX_POOL;
use glasslayer::nn::conv::{ConvShape, Padding};
use glasslayer::nn::optim::LrSchedule;
use glasslayer::nn::Sgd;
use glasslayer::protocol::cnn::{start_cnn, CnnSetup};
use glasslayer::protocol::{Backend, ClientInit, ProtocolKind};
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;

/// CIFAR-10 images used for training at most (the rest, 800–999, are the test set).
pub const CIFAR_TRAIN: usize = 800;
/// Largest filter count accepted here.
pub const MAX_FILTERS: usize = 64;

/// A dataset's default training recipe.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Recipe {
    /// Epochs.
    pub epochs: usize,
    /// Base learning rate.
    pub lr: f32,
    /// Learning-rate schedule.
    pub schedule: LrSchedule,
    /// Pooling window side.
    pub pool: usize,
    /// Client-side augmentation (`--augment` syntax).
    pub augment: &'static str,
}

/// CIFAR-10 colour: chosen on the validation split (train 0–599, validate 600–799, seeds 1–3).
pub const CIFAR_RECIPE: Recipe = Recipe {
    epochs: 100,
    lr: 0.02,
    schedule: LrSchedule::Cosine,
    pool: 4,
    augment: "flip,crop4",
};

/// MNIST: plain SGD, as before the CIFAR-10 recipe.
pub const MNIST_RECIPE: Recipe = Recipe {
    epochs: 1,
    lr: 0.05,
    schedule: LrSchedule::Constant,
    pool: 2,
    augment: "none",
};

const RECIPES: &str = "Default recipes (each flag overrides its part):
  --dataset cifar10-color
      --epochs 100 --lr 0.02 --lr-schedule cosine --pool 4 --augment flip,crop4
      chosen on the validation split (train on images 0-599, validate on 600-799,
      seeds 1-3; README, 'Training a small CNN over FE')
  --dataset mnist
      --epochs 1 --lr 0.05 --lr-schedule constant --pool 2 --augment none";

/// Arguments of `glasslayer train --model cnn`.
#[derive(clap::Parser)]
#[command(
    about = "Train the small CNN (conv → ReLU → max pool → dense → 10) over a protocol",
    after_help = RECIPES
)]
pub struct Args {
    /// cnn (this command); `mlp` is `glasslayer train` without `--model`.
    #[arg(long)]
    model: String,
    /// mnist | cifar10-color
    #[arg(long, default_value = "mnist")]
    dataset: String,
    /// cryptonn | client-loop | fhipe
    #[arg(long, default_value = "cryptonn")]
    protocol: ProtocolKind,
    /// Filters k of the first layer (1..=64).
    #[arg(long, default_value_t = 16)]
    filters: usize,
    /// Kernel side (3 or 5).
    #[arg(long, default_value_t = 3)]
    kernel: usize,
    /// same | valid
    #[arg(long, default_value = "same")]
    padding: String,
    /// fe (real functional encryption) | reference (the bit-identical integer path).
    #[arg(long, default_value = "fe")]
    backend: String,
    /// Training images (MNIST: the first N of 60k; CIFAR-10: images 0..N, N ≤ 800).
    #[arg(long)]
    samples: Option<usize>,
    /// Test images (MNIST: the first T of 10k; CIFAR-10: always images 800–999).
    #[arg(long, default_value_t = 10_000)]
    test_samples: usize,
    /// Epochs [default: the dataset's recipe: 100 on CIFAR-10, 1 on MNIST].
    #[arg(long)]
    epochs: Option<usize>,
    /// Batch size. CryptoNN's filter-gradient vectors have m·P slots (≤ the IPFE limit of
    /// 4096: m ≤ 4 on CIFAR-10, m ≤ 5 on MNIST at 'same' padding).
    #[arg(long, default_value_t = 4)]
    batch: usize,
    /// Base learning rate [default: the dataset's recipe: 0.02 on CIFAR-10, 0.05 on MNIST].
    #[arg(long)]
    lr: Option<f32>,
    /// constant | cosine (decay from --lr at the first step towards 0 after the last)
    /// [default: cosine on CIFAR-10, constant on MNIST].
    #[arg(long)]
    lr_schedule: Option<String>,
    /// Side s of the server's s×s max-pooling window, stride s (1..=8) [default: 4 on
    /// CIFAR-10, 2 on MNIST].
    #[arg(long)]
    pool: Option<usize>,
    /// Seed of the initial model and of the batch order.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// IPFE group for cryptonn: ristretto255 | ffdhe2048 | ffdhe3072.
    #[arg(long, default_value = "ristretto255")]
    group: GroupChoice,
    #[command(flatten)]
    fixed: FixedPoint,
    /// Replay only: the mitigations' client starts from the public seed's filters (the same
    /// initial model as cryptonn, for like-for-like accuracy comparisons).
    #[arg(long)]
    replay_client_w1: bool,
    /// Choose settings without the test set: evaluate on a validation split of the training
    /// data instead (CIFAR-10: train on images 0..600, evaluate on 600–799; MNIST: train on the
    /// first 50 000, evaluate on training digits 50 000–59 999).
    #[arg(long)]
    validation: bool,
    /// Client-side data augmentation of the training images before encryption: none, or a comma
    /// list of flip (random left–right mirror), crop (random crop of the image zero-padded by 4
    /// pixels) or cropN (padded by N = 1..=8). Seeded by --seed: reproducible. [default:
    /// flip,crop4 on CIFAR-10, none on MNIST]
    #[arg(long)]
    augment: Option<String>,
    /// JSON lines on stdout.
    #[arg(long)]
    json: bool,
}

/// True for `glasslayer train … --model cnn …`.
pub fn wants(argv: &[String]) -> bool {
    argv.get(1).map(String::as_str) == Some("train")
        && (argv.iter().any(|a| a == "--model=cnn")
            || argv.windows(2).any(|w| w[0] == "--model" && w[1] == "cnn"))
}

/// Parse `argv` (`glasslayer train …`) and run.
pub fn run_from(argv: &[String]) -> anyhow::Result<()> {
    use clap::Parser;
    let args = Args::parse_from(
        std::iter::once("glasslayer train".to_string()).chain(argv.iter().skip(2).cloned()),
    );
    run(args)
}

fn load(a: &Args) -> anyhow::Result<(ImageSet, ImageSet, usize, usize)> {
    Ok(match a.dataset.as_str() {
        "mnist" => {
            let all = Mnist::load(Split::Train)?;
            if a.validation {
                let n = a.samples.unwrap_or(50_000).min(50_000);
                let train = ImageSet::from_mnist(&all, n)?;
                let val = ImageSet::from_mnist(&all, 60_000)?.range(50_000..all.len())?;
                return Ok((train, val, 1, 28));
            }
            let n = a.samples.unwrap_or(60_000);
            let train = ImageSet::from_mnist(&all, n)?;
            let test = ImageSet::from_mnist(&Mnist::load(Split::Test)?, a.test_samples)?;
            (train, test, 1, 28)
        }
        "cifar10-color" => {
            let n = a.samples.unwrap_or(CIFAR_TRAIN);
            if n > CIFAR_TRAIN {
                bail!(
                    "--samples {n}: CIFAR-10 trains on images 0..{CIFAR_TRAIN} at most (images {CIFAR_TRAIN}–999 are the test set)"
                );
            }
            let data = Cifar10::load().context("loading CIFAR-10")?;
            if data.len() < 1000 {
                bail!("CIFAR-10: expected 1000 images, found {}", data.len());
            }
            if a.validation {
                let train = ImageSet::from_cifar(&data, 0..n.min(600))?;
                let val = ImageSet::from_cifar(&data, 600..CIFAR_TRAIN)?;
                return Ok((train, val, 3, 32));
            }
            let train = ImageSet::from_cifar(&data, 0..n)?;
            let test = ImageSet::from_cifar(&data, CIFAR_TRAIN..1000)?;
            (train, test, 3, 32)
        }
        other => bail!("--dataset {other:?}: expected mnist or cifar10-color"),
    })
}

fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = stat.get(stat.rfind(')')? + 2..)?;
    let f: Vec<&str> = rest.split_whitespace().collect();
    Some((f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?) / 100.0)
}

/// Run and print.
pub fn run(a: Args) -> anyhow::Result<()> {
    if a.model != "cnn" {
        bail!(
            "--model {:?}: expected cnn (the MLP is `glasslayer train` without --model)",
            a.model
        );
    }
    if !(1..=MAX_FILTERS).contains(&a.filters) {
        bail!("--filters {} must be 1..={MAX_FILTERS}", a.filters);
    }
    let recipe = match a.dataset.as_str() {
        "cifar10-color" => CIFAR_RECIPE,
        _ => MNIST_RECIPE,
    };
    let epochs = a.epochs.unwrap_or(recipe.epochs);
    let lr = a.lr.unwrap_or(recipe.lr);
    let schedule = match &a.lr_schedule {
        Some(s) => LrSchedule::parse(s).context("--lr-schedule")?,
        None => recipe.schedule,
    };
    let pool = a.pool.unwrap_or(recipe.pool);
    if !(1..=MAX_POOL).contains(&pool) {
        bail!("--pool {pool} must be 1..={MAX_POOL}");
    }
    if epochs == 0 || a.batch == 0 || a.samples == Some(0) {
        bail!("--samples, --epochs and --batch must be positive");
    }
    if a.batch > glasslayer::limits::MAX_BATCH {
        bail!(
            "--batch {} is over the limit {}",
            a.batch,
            glasslayer::limits::MAX_BATCH
        );
    }
    let backend = match a.backend.as_str() {
        "fe" => Backend::Fe,
        "reference" => Backend::Reference,
        other => bail!("--backend {other:?}: expected fe or reference"),
    };
    if a.protocol == ProtocolKind::FeNet {
        bail!("--protocol fenet: the CNN is trained under cryptonn, client-loop or fhipe");
    }
    let padding = Padding::parse(&a.padding)?;
    let augment =
        Augment::parse(a.augment.as_deref().unwrap_or(recipe.augment)).context("--augment")?;
    let (train, test, channels, side) = load(&a)?;
    let shape = ConvShape::new(channels, side, side, a.kernel, a.filters, padding)?;
    let image = ImageShape { channels, side };
    let quant = a.fixed.quantization(255);
    let setup = CnnSetup {
        shape,
        seed: a.seed,
        client_init: if a.replay_client_w1 {
            ClientInit::ReplayPublicSeed
        } else {
            ClientInit::Secret
        },
        quant,
        group: a.group,
        pool,
    };
    let sgd = Sgd {
        epochs,
        lr,
        batch: a.batch,
        seed: a.seed,
    };
    sgd.validate()?;
    let mut proto = start_cnn(a.protocol, &setup, backend).context("starting the protocol")?;

    let steps = train.len().div_ceil(a.batch);
    let total_steps = steps * epochs;
    let bar = ProgressBar::new(total_steps as u64);
    bar.set_style(
        ProgressStyle::with_template(
            "{prefix} [{elapsed_precise}] {bar:30} {pos}/{len} steps (eta {eta}) {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_prefix(format!("cnn {} k={} {}", a.protocol, a.filters, a.backend));
    let mut accuracy = 0.0f32;
    let mut train_cpu = 0.0f64;
    for epoch in 0..epochs {
        let before = *proto.cost();
        let cpu0 = cpu_seconds();
        let (mut loss, mut correct) = (0.0f64, 0usize);
        let batches = sgd.batches(train.len(), epoch);
        for (b, idx) in batches.iter().enumerate() {
            let batch = augment.batch(&train, idx, image, a.seed, epoch, b)?;
            let step = proto.step(&batch, schedule.lr(lr, epoch * steps + b, total_steps))?;
            loss += f64::from(step.loss);
            correct += step.correct;
            bar.inc(1);
            bar.set_message(format!("loss {:.3}", step.loss));
        }
        if let (Some(x), Some(y)) = (cpu0, cpu_seconds()) {
            train_cpu += y - x;
        }
        accuracy = proto.model().accuracy(&test, &quant)?;
        let after = proto.cost();
        let samples = (after.samples - before.samples).max(1) as f64;
        let ms = 1e3 * (after.step_s() - before.step_s()) / samples;
        let line = json!({
            "model": "cnn",
            "dataset": a.dataset,
            "protocol": a.protocol.name(),
            "epoch": epoch + 1,
            "test_accuracy": accuracy,
            "train_accuracy": correct as f64 / train.len() as f64,
            "loss": loss / batches.len().max(1) as f64,
            "ms_per_sample": ms,
        });
        bar.println(format!(
            "epoch {}: test accuracy {:.2} %, loss {:.4}, {:.2} ms/sample",
            epoch + 1,
            100.0 * accuracy,
            loss / batches.len().max(1) as f64,
            ms
        ));
        if a.json {
            println!("{line}");
        }
    }
    bar.finish_and_clear();
    let cost = *proto.cost();
    let summary = json!({
        "summary": true,
        "model": "cnn",
        "dataset": a.dataset,
        "protocol": a.protocol.name(),
        "backend": a.backend,
        "filters": a.filters,
        "kernel": a.kernel,
        "padding": padding.as_str(),
        "samples": train.len(),
        "test_samples": test.len(),
        "epochs": epochs,
        "batch": a.batch,
        "lr": lr,
        "lr_schedule": schedule.name(),
        "pool": pool,
        "augment": augment.name(),
        "client_w1": if a.replay_client_w1 { "replay-public-seed" } else { "secret" },
        "group": (a.protocol == ProtocolKind::CryptoNn).then(|| a.group.name()),
        "quantization": quant,
        "accuracy": accuracy,
        "evaluated_on": if a.validation { "validation" } else { "test" },
        "ms_per_sample": cost.ms_per_sample(),
        "cpu_ms_per_sample": 1e3 * train_cpu / cost.samples.max(1) as f64,
        "bytes_per_sample": cost.bytes_per_sample(),
        "setup_s": cost.setup_s,
        "client_s": cost.client_s,
        "keys_s": cost.keys_s,
        "server_s": cost.server_s,
        "threads": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
    });
    if a.json {
        println!("{summary}");
    } else {
        println!(
            "cnn {} on {} ({}): test accuracy {:.2} % ({} test images), {:.2} ms and {:.0} bytes per sample-step",
            a.protocol,
            a.dataset,
            a.backend,
            100.0 * accuracy,
            test.len(),
            cost.ms_per_sample(),
            cost.bytes_per_sample()
        );
    }
    Ok(())
}
