//! `glasslayer attack` — reconstruct training samples from what the server sees.
//!
//! ```text
//! glasslayer attack --dataset mnist|cifar10 --weights trained|random --hidden H \
//!     --method paper|minsum|tv|stacked|gradient [--period P] [--epochs S] [--start I] \
//!     --samples K [--solver ipm|simplex|clarabel] [--round-z STEP] --json
//! ```
//!
//! Samples are MNIST *training* digits (the attack targets training data) from index `--start`,
//! or CIFAR-10 test images converted to grayscale. With `--json`: one object per sample
//! (`index, label, mse, psnr, ssim, within, status, ms, iterations`), then a summary object with
//! `"summary": true` and `psnr_median, ssim_median, mse_mean, ms_median, failures`.
//! Metrics are on [0, 1] pixels; failures (any status but `solved`) have `null` metrics.
//!
//! Weights: `random` draws `W1 ~ N(0, 1)` per sample (seeded; the paper's setting); `trained` is
//! the first layer of a 784-h-10 ReLU MLP trained on the 60k MNIST training digits (2 epochs of
//! SGD, lr 0.1, batch 64, seed 1), cached in `target/glasslayer-cache/` (or
//! `$GLASSLAYER_CACHE_DIR`). `stacked` sees each sample once per epoch with that epoch's `W1`
//! (the snapshots after epochs 1..S) and solves one LP over all `S·h` equations (`--objective`,
//! default `minsum`). `gradient` reads the sample from the decrypted `dW1` and `δ1` of one SGD
//! step on a batch of `--batch` samples.

use anyhow::{bail, Context};
use glasslayer::attack::{
    attack_sample, metrics::Quality, score, weights, AttackKind, Attacker, Candidate, GradientLeak,
    Leak, Method, Observation, Options, PublicKnowledge, SolveStatus, Solver, DEFAULT_TV_LAMBDA,
};
use glasslayer::data::{Cifar10, Mnist, Split};
use glasslayer::nn::{batch_pixels, Activation, Mlp, Sgd};
use glasslayer::protocol::scene_file::SceneFile;
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use std::path::PathBuf;

/// Data set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Dataset {
    /// MNIST training digits, 28×28, pixels in [0, 1].
    Mnist,
    /// CIFAR-10 (first 1000 test images), grayscale 32×32, pixels 0..255.
    Cifar10,
}

/// Where `W1` comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Weights {
    /// A 784-h-10 ReLU MLP trained for 2 epochs on MNIST (cached).
    Trained,
    /// `W1 ~ N(0, 1)`, a fresh draw per sample (the paper's setting).
    Random,
}

/// LP objective used by `stacked`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Objective {
    /// The paper's feasibility LP.
    Paper,
    /// `min Σx`.
    Minsum,
    /// TV + λΣx.
    Tv,
}

/// Arguments of `glasslayer attack`.
#[derive(clap::Args, Debug, Clone)]
pub struct Args {
    /// mnist | cifar10
    #[arg(long, value_enum, default_value = "mnist")]
    pub dataset: Dataset,
    /// trained | random
    #[arg(long, value_enum, default_value = "trained")]
    pub weights: Weights,
    /// Hidden units h (rows of W1).
    #[arg(long, default_value_t = 128)]
    pub hidden: usize,
    /// tv | minsum | paper | stacked | gradient (the core's one attack vocabulary)
    #[arg(long, default_value = "tv")]
    pub method: AttackKind,
    /// Smoothness period of `paper` (pixels with (i+j) mod P = 0); omit for none.
    #[arg(long)]
    pub period: Option<usize>,
    /// Smoothness threshold t of `paper`, on the 0..255 scale.
    #[arg(long, default_value_t = 25.0)]
    pub t: f64,
    /// λ of `tv`.
    #[arg(long, default_value_t = DEFAULT_TV_LAMBDA)]
    pub lambda: f64,
    /// Visits (epochs) stacked by `stacked`.
    #[arg(long, default_value_t = 2)]
    pub epochs: usize,
    /// Objective of `stacked`.
    #[arg(long, value_enum, default_value = "minsum")]
    pub objective: Objective,
    /// Batch size of the gradient step seen by `gradient`.
    #[arg(long, default_value_t = 1)]
    pub batch: usize,
    /// First sample index.
    #[arg(long, default_value_t = 0)]
    pub start: usize,
    /// Number of samples.
    #[arg(long, default_value_t = 1)]
    pub samples: usize,
    /// ipm | simplex | clarabel
    #[arg(long, default_value = "ipm")]
    pub solver: String,
    /// Round every observed z to a multiple of STEP (as a fixed-point decryption would) and solve
    /// with the band |W1·x − z| ≤ STEP/2.
    #[arg(long)]
    pub round_z: Option<f64>,
    /// Seed of the random weights.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Attack the server's view in a scene file exported by the page (`glasslayer-scene.json`)
    /// instead of simulating one: only its `view` (and `later_views`) reach the attacker; its
    /// `truth` is read afterwards, to score.
    #[arg(long, value_name = "FILE")]
    pub view: Option<PathBuf>,
    /// One JSON object per line.
    #[arg(long)]
    pub json: bool,
}

/// The result of attacking one sample.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    /// Sample index in the data set.
    pub index: usize,
    /// Its label.
    pub label: u8,
    /// Solver status.
    pub status: SolveStatus,
    /// Metrics on [0, 1] (`None` unless solved).
    #[serde(flatten)]
    pub quality: Option<Quality>,
    /// Wall time of the reconstruction, ms.
    pub ms: f64,
    /// Solver iterations.
    pub iterations: usize,
}

/// Medians and means over outcomes.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Always true (marks the summary line).
    pub summary: bool,
    /// Samples attacked.
    pub samples: usize,
    /// Median PSNR over solved samples (dB).
    pub psnr_median: Option<f64>,
    /// Median SSIM over solved samples.
    pub ssim_median: Option<f64>,
    /// Mean MSE over solved samples.
    pub mse_mean: Option<f64>,
    /// Mean share of pixels within 1/255.
    pub within_mean: Option<f64>,
    /// Median wall time, ms.
    pub ms_median: Option<f64>,
    /// Samples whose status was not `solved`.
    pub failures: usize,
}

/// Median of a list (None when empty).
pub fn median(mut v: Vec<f64>) -> Option<f64> {
    v.retain(|x| !x.is_nan());
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let k = v.len();
    Some(if k % 2 == 1 {
        v[k / 2]
    } else {
        0.5 * (v[k / 2 - 1] + v[k / 2])
    })
}

fn mean(v: &[f64]) -> Option<f64> {
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

impl Summary {
    /// Summarise outcomes.
    pub fn of(outcomes: &[Outcome]) -> Self {
        let q: Vec<Quality> = outcomes.iter().filter_map(|o| o.quality).collect();
        Self {
            summary: true,
            samples: outcomes.len(),
            psnr_median: median(q.iter().map(|q| q.psnr).collect()),
            ssim_median: median(q.iter().map(|q| q.ssim).collect()),
            mse_mean: mean(&q.iter().map(|q| q.mse).collect::<Vec<_>>()),
            within_mean: mean(&q.iter().map(|q| q.within).collect::<Vec<_>>()),
            ms_median: median(outcomes.iter().map(|o| o.ms).collect()),
            failures: outcomes
                .iter()
                .filter(|o| o.status != SolveStatus::Solved)
                .count(),
        }
    }
}

/// The folder of cached trained networks.
pub fn cache_dir() -> PathBuf {
    if let Ok(d) = std::env::var("GLASSLAYER_CACHE_DIR") {
        return PathBuf::from(d);
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    root.parent()
        .unwrap_or(&root)
        .join("target")
        .join("glasslayer-cache")
}

/// The training recipe of `--weights trained`.
pub const TRAINED_SGD: Sgd = Sgd {
    epochs: 2,
    lr: 0.1,
    batch: 64,
    seed: 1,
};
/// Seed of the initial weights of the trained network.
pub const TRAINED_INIT_SEED: u64 = 1;

/// The trained 784-h-10 ReLU MLP after `epoch` epochs (1-based), from the cache or trained now
/// (every epoch up to `epoch` is cached on the way).
pub fn trained_mlp(mnist: &Mnist, hidden: usize, epoch: usize) -> anyhow::Result<Mlp> {
    let dir = cache_dir();
    let name = |e: usize| {
        dir.join(format!(
            "mlp-relu-h{hidden}-lr{}-b{}-s{}-init{}-e{e}.bin",
            TRAINED_SGD.lr, TRAINED_SGD.batch, TRAINED_SGD.seed, TRAINED_INIT_SEED
        ))
    };
    if let Ok(bytes) = std::fs::read(name(epoch)) {
        if let Ok(m) = Mlp::from_bytes(&bytes) {
            return Ok(m);
        }
    }
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut mlp = Mlp::mnist(hidden, Activation::Relu, TRAINED_INIT_SEED)?;
    for e in 0..epoch {
        if let Ok(m) = std::fs::read(name(e + 1))
            .map_err(anyhow::Error::from)
            .and_then(|b| Ok(Mlp::from_bytes(&b)?))
        {
            mlp = m;
            continue;
        }
        eprintln!(
            "training 784-{hidden}-10 on MNIST, epoch {} (cached afterwards)",
            e + 1
        );
        mlp.train_epoch(mnist, &TRAINED_SGD, e)?;
        std::fs::write(name(e + 1), mlp.to_bytes())
            .with_context(|| format!("writing {}", name(e + 1).display()))?;
    }
    Ok(mlp)
}

/// Samples, weights and the attacker of one experiment.
pub struct Source {
    dataset: Dataset,
    weights: Weights,
    hidden: usize,
    seed: u64,
    mnist: Option<Mnist>,
    cifar: Option<Cifar10>,
    nets: Vec<Option<Mlp>>,
}

impl Source {
    /// Load the data set (and check the combination).
    pub fn new(
        dataset: Dataset,
        weights: Weights,
        hidden: usize,
        seed: u64,
    ) -> anyhow::Result<Self> {
        if hidden == 0 {
            bail!("--hidden must be at least 1");
        }
        if hidden > glasslayer::limits::MAX_HIDDEN {
            bail!(
                "--hidden {hidden} is over the limit {}",
                glasslayer::limits::MAX_HIDDEN
            );
        }
        let (mnist, cifar) = match dataset {
            Dataset::Mnist => (Some(Mnist::load(Split::Train)?), None),
            Dataset::Cifar10 => {
                if weights == Weights::Trained {
                    bail!(
                        "trained weights exist for MNIST only: use --weights random with cifar10"
                    );
                }
                let mnist = None;
                (mnist, Some(Cifar10::load()?))
            }
        };
        Ok(Self {
            dataset,
            weights,
            hidden,
            seed,
            mnist,
            cifar,
            nets: Vec::new(),
        })
    }

    /// The attacker for this data set.
    pub fn attacker(&self) -> Attacker {
        match self.dataset {
            Dataset::Mnist => Attacker::mnist(),
            Dataset::Cifar10 => Attacker {
                rows: 32,
                cols: 32,
                pixel_max: 255.0,
            },
        }
    }

    /// Number of samples available.
    pub fn len(&self) -> usize {
        match (&self.mnist, &self.cifar) {
            (Some(m), _) => m.len(),
            (_, Some(c)) => c.len(),
            _ => 0,
        }
    }

    /// Sample `i` on the attacker's pixel scale, and its label.
    pub fn sample(&self, i: usize) -> anyhow::Result<(Vec<f64>, u8)> {
        if i >= self.len() {
            bail!("sample {i} does not exist ({} available)", self.len());
        }
        Ok(match (&self.mnist, &self.cifar) {
            (Some(m), _) => (
                m.image(i).iter().map(|&p| f64::from(p) / 255.0).collect(),
                m.label(i),
            ),
            (_, Some(c)) => (
                c.gray(i)?.iter().map(|&p| f64::from(p)).collect(),
                c.label(i)?,
            ),
            _ => bail!("no data loaded"),
        })
    }

    fn load_net(&mut self, epoch: usize) -> anyhow::Result<()> {
        if self.nets.len() <= epoch {
            self.nets.resize(epoch + 1, None);
        }
        if self.nets[epoch].is_none() {
            let mnist = self.mnist.as_ref().context("trained weights need MNIST")?;
            self.nets[epoch] = Some(match self.weights {
                Weights::Trained => trained_mlp(mnist, self.hidden, epoch)?,
                Weights::Random => Mlp::mnist(self.hidden, Activation::Relu, self.seed)?,
            });
        }
        Ok(())
    }

    fn net(&mut self, epoch: usize) -> anyhow::Result<&Mlp> {
        self.load_net(epoch)?;
        self.nets[epoch].as_ref().context("network cache")
    }

    fn random_seed(&self, index: usize, visit: usize) -> u64 {
        self.seed
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .wrapping_add((index as u64).wrapping_mul(0xBF58_476D_1CE4_E5B9))
            .wrapping_add((visit as u64).wrapping_mul(0x94D0_49BB_1331_11EB))
    }

    /// What the server saw of sample `index` (pixels `x`) over `visits` epochs; `z` optionally
    /// rounded to multiples of `round`.
    pub fn observe(
        &mut self,
        index: usize,
        x: &[f64],
        visits: usize,
        round: Option<f64>,
    ) -> anyhow::Result<Leak> {
        let n = x.len();
        let mut observations = Vec::with_capacity(visits);
        for v in 0..visits {
            let w1 = match self.weights {
                Weights::Random => weights::gaussian(self.hidden, n, self.random_seed(index, v)),
                Weights::Trained => {
                    // one visit: the trained network (after 2 epochs); several: epochs 1..S
                    let epoch = if visits == 1 {
                        TRAINED_SGD.epochs
                    } else {
                        v + 1
                    };
                    self.net(epoch)?.w1().mapv(f64::from)
                }
            };
            let mut obs = Observation::observe(w1, x)?;
            if let Some(step) = round {
                obs.z
                    .iter_mut()
                    .for_each(|z| *z = (*z / step).round() * step);
            }
            observations.push(obs);
        }
        Ok(Leak {
            observations,
            gradient: None,
        })
    }

    /// The decrypted gradient of one SGD step on the MNIST samples `indices` (the trained
    /// network, or a freshly initialised one for `random`).
    pub fn gradient(&mut self, indices: &[usize]) -> anyhow::Result<Leak> {
        let epoch = match self.weights {
            Weights::Trained => TRAINED_SGD.epochs,
            Weights::Random => 0,
        };
        self.load_net(epoch)?;
        let mnist = self
            .mnist
            .as_ref()
            .context("the gradient attack needs MNIST (the MLP is an MNIST network)")?;
        let net = self.nets[epoch].as_ref().context("network cache")?;
        let x = batch_pixels(mnist, indices)?;
        let labels: Vec<u8> = indices.iter().map(|&i| mnist.label(i)).collect();
        let fwd = net.forward(x.view())?;
        let g = net.backward(&fwd, &labels)?;
        let dw1 = Mlp::first_layer_gradient(g.delta1.view(), x.view());
        Ok(Leak {
            observations: Vec::new(),
            gradient: Some(GradientLeak::from_f32(dw1.view(), g.delta1.view(), 1.0)),
        })
    }
}

/// The core method for the CLI arguments.
pub fn method_of(args: &Args, pixel_max: f64) -> Method {
    let paper = Method::Paper {
        period: args.period,
        t: args.t / 255.0 * pixel_max,
    };
    let tv = Method::Tv {
        lambda: args.lambda,
    };
    match args.method {
        AttackKind::Paper => paper,
        AttackKind::Minsum => Method::MinSum,
        AttackKind::Tv => tv,
        AttackKind::Gradient => Method::Gradient,
        AttackKind::Stacked => match args.objective {
            Objective::Paper => paper,
            Objective::Minsum => Method::MinSum,
            Objective::Tv => tv,
        },
    }
}

/// Run the attack described by `args` over its samples, calling `tick` after each sample.
pub fn run_attack(args: &Args, mut tick: impl FnMut(&Outcome)) -> anyhow::Result<Vec<Outcome>> {
    let solver: Solver = args.solver.parse()?;
    let mut src = Source::new(args.dataset, args.weights, args.hidden, args.seed)?;
    let attacker = src.attacker();
    let method = method_of(args, attacker.pixel_max);
    if let Some(step) = args.round_z {
        if !(step > 0.0 && step.is_finite()) {
            bail!("--round-z must be positive");
        }
    }
    let options = Options {
        solver,
        epsilon: args.round_z.map_or(0.0, |s| 0.5 * s * (1.0 + 1e-9)),
        ..Options::default()
    };
    let visits = match args.method {
        AttackKind::Stacked => args.epochs.max(1),
        _ => 1,
    };
    let end = args.start.saturating_add(args.samples);
    if end > src.len() {
        bail!(
            "samples {}..{end} do not exist ({} available)",
            args.start,
            src.len()
        );
    }
    let mut outcomes = Vec::with_capacity(args.samples);
    let to01 = |v: &[f64]| -> Vec<f64> { v.iter().map(|p| p / attacker.pixel_max).collect() };
    let measure = |truth: &[f64], rec: Option<&Vec<f64>>, status: SolveStatus| {
        if status != SolveStatus::Solved {
            return Ok::<_, anyhow::Error>(None);
        }
        let Some(img) = rec else { return Ok(None) };
        Ok(Some(Quality::measure(
            &to01(truth),
            &to01(img),
            attacker.rows,
            attacker.cols,
        )?))
    };
    if args.method == AttackKind::Gradient {
        let b = args.batch.max(1);
        let all: Vec<usize> = (args.start..end).collect();
        for group in all.chunks(b) {
            let leak = src.gradient(group)?;
            let rec = attacker.reconstruct(&leak, &method, &options)?;
            for (k, &i) in group.iter().enumerate() {
                let (x, label) = src.sample(i)?;
                let o = Outcome {
                    index: i,
                    label,
                    status: rec.status,
                    quality: measure(&x, rec.images.get(k), rec.status)?,
                    ms: rec.ms,
                    iterations: rec.iterations,
                };
                tick(&o);
                outcomes.push(o);
            }
        }
        return Ok(outcomes);
    }
    for i in args.start..end {
        let (x, label) = src.sample(i)?;
        let leak = src.observe(i, &x, visits, args.round_z)?;
        let rec = attacker.reconstruct(&leak, &method, &options)?;
        let o = Outcome {
            index: i,
            label,
            status: rec.status,
            quality: measure(&x, rec.images.first(), rec.status)?,
            ms: rec.ms,
            iterations: rec.iterations,
        };
        tick(&o);
        outcomes.push(o);
    }
    Ok(outcomes)
}

/// A progress bar on stderr (hidden for a single item).
pub fn progress(len: u64, what: &str) -> ProgressBar {
    if len <= 1 {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    if let Ok(style) =
        ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} {elapsed_precise} eta {eta}")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(what.to_string());
    bar
}

fn fmt_opt(v: Option<f64>, prec: usize) -> String {
    v.map_or("-".into(), |v| format!("{v:.prec$}"))
}

/// `glasslayer attack --view FILE`: the page's exported view through the same attacker.
fn run_view(path: &std::path::Path, json: bool) -> anyhow::Result<()> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let file =
        SceneFile::from_json(&text).with_context(|| format!("reading {}", path.display()))?;
    let s = &file.settings;
    let mut public = PublicKnowledge {
        mean: file.mean.clone(),
        tv_lambda: s.tv_lambda,
        ..PublicKnowledge::mnist()
    };
    if file.view.w1.is_none() {
        // The server held no W1: what a CLI attacker knows without the page's models file is the
        // public recipe's initial W1.
        public.candidates.push(Candidate {
            source: "the public recipe's initial W1 (seed 1)".into(),
            w1: Mlp::mnist(file.view.hidden, Activation::Relu, 1)?
                .w1()
                .mapv(f64::from),
        });
    }
    let views = file.views();
    let sample = *file
        .view
        .sample_ids
        .first()
        .context("the view holds no sample")?;
    let outcome = attack_sample(&views, sample, s.attack, &public)?;
    // The attacker is done: only now is the truth read.
    let truth: Vec<f64> = file.truth.iter().map(|&p| f64::from(p) / 255.0).collect();
    let base = public
        .mean
        .as_ref()
        .map(|m| score(&truth, m, &public).map(|q| q.psnr))
        .transpose()?;
    let (line, psnr) = match &outcome {
        glasslayer::attack::Outcome::Rebuilt(r) => {
            let q = score(&truth, &r.image, &public)?;
            let line = serde_json::json!({
                "index": sample, "label": file.view.labels.as_ref().and_then(|l| l.first()),
                "protocol": s.protocol, "hidden": file.view.hidden, "attack": s.attack,
                "method": r.method, "status": r.status, "w1_source": r.w1_source,
                "knows_w1": r.knows_w1, "observations": r.observations,
                "psnr": q.psnr, "ssim": q.ssim, "mse": q.mse, "within": q.within,
                "baseline_psnr": base, "page_psnr": file.metrics.psnr, "ms": r.ms,
            });
            (line, Some(q.psnr))
        }
        glasslayer::attack::Outcome::NotApplicable { reason, .. } => (
            serde_json::json!({"index": sample, "attack": s.attack, "applicable": false, "reason": reason}),
            None,
        ),
    };
    let summary = serde_json::json!({
        "summary": true, "samples": 1, "protocol": s.protocol, "hidden": file.view.hidden,
        "attack": s.attack, "psnr_median": psnr, "baseline_psnr": base,
        "page_psnr": file.metrics.psnr,
    });
    if json {
        println!("{line}");
        println!("{summary}");
    } else {
        match psnr {
            Some(p) => println!(
                "{} h = {}, {}: PSNR {p:.2} dB (the page showed {}; mean digit {})",
                s.protocol,
                file.view.hidden,
                s.attack,
                fmt_opt(file.metrics.psnr, 2),
                fmt_opt(base, 2)
            ),
            None => println!("{}: {}", s.attack, line["reason"]),
        }
    }
    Ok(())
}

/// Entry point of `glasslayer attack`.
pub fn run(args: Args) -> anyhow::Result<()> {
    if let Some(path) = &args.view {
        return run_view(path, args.json);
    }
    let bar = progress(args.samples as u64, "attack");
    let json = args.json;
    let outcomes = run_attack(&args, |o| {
        if json {
            let mut v = serde_json::to_value(o).unwrap_or_default();
            if let Some(m) = v.as_object_mut() {
                for k in ["mse", "psnr", "ssim", "within"] {
                    m.entry(k).or_insert(serde_json::Value::Null);
                }
            }
            bar.suspend(|| println!("{v}"));
        } else {
            let q = o.quality;
            bar.suspend(|| {
                println!(
                    "sample {:>5} (digit {}): {:<17} psnr {:>6} dB  ssim {:>6}  mse {:>9}  within {:>6}  {:>8.1} ms",
                    o.index,
                    o.label,
                    o.status.as_str(),
                    fmt_opt(q.map(|q| q.psnr), 2),
                    fmt_opt(q.map(|q| q.ssim), 4),
                    fmt_opt(q.map(|q| q.mse), 6),
                    fmt_opt(q.map(|q| q.within), 3),
                    o.ms
                )
            });
        }
        bar.inc(1);
    })?;
    bar.finish_and_clear();
    let s = Summary::of(&outcomes);
    if json {
        let mut v = serde_json::to_value(&s)?;
        if let Some(m) = v.as_object_mut() {
            m.insert("method".into(), serde_json::to_value(args.method)?);
            m.insert("dataset".into(), serde_json::to_value(args.dataset)?);
            m.insert("weights".into(), serde_json::to_value(args.weights)?);
            m.insert("hidden".into(), args.hidden.into());
            m.insert("solver".into(), args.solver.clone().into());
        }
        println!("{v}");
    } else {
        println!(
            "{} samples: median PSNR {} dB, median SSIM {}, mean MSE {}, median {} ms, {} failures",
            s.samples,
            fmt_opt(s.psnr_median, 2),
            fmt_opt(s.ssim_median, 4),
            fmt_opt(s.mse_mean, 6),
            fmt_opt(s.ms_median, 1),
            s.failures
        );
    }
    Ok(())
}
