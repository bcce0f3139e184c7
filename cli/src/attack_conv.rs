//! `glasslayer attack --model conv` — rebuild CIFAR-10 colour photos from the feature maps of a
//! first convolution layer computed under functional encryption.
//!
//! ```text
//! glasslayer attack --dataset cifar10-color --model conv --filters K --kernel 3 \
//!     --padding same|valid --method lstsq|tv|paper-channel [--equations summed|per-channel] \
//!     [--fe] [--start I] [--samples M] [--seed S] [--json]
//! ```
//!
//! Per image: filters drawn N(0, 1) (ChaCha20 from `seed + index`), quantised at `--scale`
//! (default 16). The server's view is the channel-summed feature maps `z = ⟨filter, patch⟩` for
//! every filter and position: computed by a real FE run with `--fe` (ristretto255, OS CSPRNG;
//! timings reported), else by the plaintext quantised path, which the core's bit-identity test
//! ties to the FE path.
//!
//! - `lstsq`: CGLS on the sparse operator, rounded to the 256 levels;
//! - `tv`: vectorial TV s.t. the equations and `0 ≤ x ≤ 1` (Chambolle–Pock);
//! - `paper-channel`: the RAID authors' per-channel variant: an equation per filter, channel and
//!   position (`--equations` is ignored), `--keep` of them (default 2700; `--keep-order first`:
//!   the first in the order filter, channel, position, or `random`), border
//!   smoothness `|x_p − mean(nbrs)| ≤ --t` (0.15) on [0, 1] pixels, feasibility LP (Clarabel).
//!   Their setting is `--filters 3 --padding valid`.
//!
//! `--equations per-channel` gives `lstsq`/`tv` the per-channel equations (a stronger leak than
//! real FE gives). JSON: one object per image (`index, label, status, mse, psnr, ssim, within, ms,
//! iterations, residual`, and `encrypt_ms, keys_ms, decrypt_ms` with `--fe`), then a summary with
//! `"summary": true, psnr_median, ssim_median, mse_mean, …`. Metrics on [0, 1] pixels over all
//! three channels (SSIM: mean of the channels').

use anyhow::{bail, Context};
use glasslayer::attack::conv::{
    color_quality, solve_feasibility_lp, solve_lstsq, solve_tv, ConvEquations, ConvOptions,
    ConvRecovery,
};
use glasslayer::attack::{Quality, SolveStatus};
use glasslayer::data::cifar::SIDE;
use glasslayer::data::Cifar10;
use glasslayer::fe::group::Ristretto255;
use glasslayer::nn::conv::{ConvLayer, ConvShape, Padding};
use glasslayer::protocol::conv_fe::{encode_pixels, ConvFe, ConvView};
use serde::Serialize;
use std::time::Instant;

/// Data set of the conv attack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConvDataset {
    /// CIFAR-10 test images 0..999 in colour, 3×32×32.
    #[value(name = "cifar10-color")]
    Cifar10Color,
}

/// Model flag (only `conv` reaches this file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Model {
    /// A first convolution layer.
    Conv,
}

/// Rebuild method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConvMethod {
    /// Sparse least squares (CGLS).
    Lstsq,
    /// Vectorial total variation (Chambolle–Pock).
    Tv,
    /// The authors' per-channel feasibility LP.
    PaperChannel,
}

/// Which equations the server is assumed to see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Equations {
    /// One per filter and position (what FE gives).
    Summed,
    /// One per filter, channel and position (the authors' script).
    PerChannel,
}

/// Which per-channel equations `paper-channel` keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum KeepOrder {
    /// The first `--keep` in the order filter, channel, position.
    First,
    /// `--keep` chosen uniformly at random (ChaCha20 from seed + index).
    Random,
}

/// Arguments of `glasslayer attack --model conv`.
#[derive(clap::Parser, Debug, Clone)]
#[command(name = "glasslayer attack")]
pub struct Args {
    /// cifar10-color
    #[arg(long, value_enum, default_value = "cifar10-color")]
    pub dataset: ConvDataset,
    /// conv
    #[arg(long, value_enum)]
    pub model: Model,
    /// Filters k.
    #[arg(long, default_value_t = 16)]
    pub filters: usize,
    /// Kernel side (3 or 5).
    #[arg(long, default_value_t = 3)]
    pub kernel: usize,
    /// same | valid
    #[arg(long, default_value = "same")]
    pub padding: String,
    /// lstsq | tv | paper-channel
    #[arg(long, value_enum, default_value = "lstsq")]
    pub method: ConvMethod,
    /// summed | per-channel (lstsq and tv)
    #[arg(long, value_enum, default_value = "summed")]
    pub equations: Equations,
    /// Run the real FE protocol (ristretto255) for each image and report its timings.
    #[arg(long)]
    pub fe: bool,
    /// Weight scale S of the integer filters.
    #[arg(long, default_value_t = 16.0)]
    pub scale: f64,
    /// paper-channel: equations kept.
    #[arg(long, default_value_t = 2700)]
    pub keep: usize,
    /// paper-channel: which equations are kept: `first` (order filter, channel, position: the
    /// first 2700 are filter 0 on all channels) or `random` (uniform, seeded).
    #[arg(long, value_enum, default_value = "first")]
    pub keep_order: KeepOrder,
    /// paper-channel: border smoothness threshold on [0, 1] pixels.
    #[arg(long, default_value_t = 0.15)]
    pub t: f64,
    /// tv: Chambolle–Pock iterations.
    #[arg(long, default_value_t = 3000)]
    pub tv_iter: usize,
    /// First image index.
    #[arg(long, default_value_t = 0)]
    pub start: usize,
    /// Number of images.
    #[arg(long, default_value_t = 1)]
    pub samples: usize,
    /// Seed of the filters (image i uses seed + i).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// One JSON object per line.
    #[arg(long)]
    pub json: bool,
}

/// One image's result.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    /// Image index.
    pub index: usize,
    /// Its label.
    pub label: u8,
    /// Solver status.
    pub status: SolveStatus,
    /// Metrics (None unless solved).
    #[serde(flatten)]
    pub quality: Option<Quality>,
    /// Rebuild wall time, ms.
    pub ms: f64,
    /// Solver iterations.
    pub iterations: usize,
    /// `‖Ax − z‖/‖z‖` of the rebuild.
    pub residual: Option<f64>,
    /// FE timings (with `--fe`).
    #[serde(flatten)]
    pub fe: Option<FeTimes>,
}

/// Wall times of one FE run.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct FeTimes {
    /// Authority: setup + all k·P sparse keys, ms.
    pub keys_ms: f64,
    /// Client: encrypt the image, ms.
    pub encrypt_ms: f64,
    /// Server: decrypt every feature-map value, ms.
    pub decrypt_ms: f64,
}

/// True when the command line asks for the conv attack (`attack … --model conv`).
pub fn wants(argv: &[String]) -> bool {
    argv.get(1).map(String::as_str) == Some("attack")
        && (argv.iter().any(|a| a == "--model=conv")
            || argv.windows(2).any(|w| w[0] == "--model" && w[1] == "conv"))
}

use crate::attack::median;

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}

/// The layer of image `index` (filters N(0, 1) from `seed + index`).
pub fn layer_for(args: &Args, index: usize) -> anyhow::Result<ConvLayer> {
    let padding = Padding::parse(&args.padding)?;
    let shape = ConvShape::new(3, SIDE, SIDE, args.kernel, args.filters, padding)?;
    Ok(ConvLayer::random_normal(
        shape,
        args.scale,
        args.seed.wrapping_add(index as u64),
    )?)
}

/// Attack one image.
pub fn attack_one(args: &Args, data: &Cifar10, index: usize) -> anyhow::Result<Outcome> {
    let label = data.label(index)?;
    let pixels = data.color(index)?;
    let levels = encode_pixels(&pixels, 255)?;
    let layer = layer_for(args, index)?;
    let mut fe_times = None;
    let view: ConvView = if args.fe {
        let t = Instant::now();
        let fe = ConvFe::<Ristretto255>::setup(layer.clone(), 255)?;
        let keys = fe.keys()?;
        let keys_ms = ms(t);
        let t = Instant::now();
        let ct = fe.encrypt(&levels)?;
        let encrypt_ms = ms(t);
        let t = Instant::now();
        let view = fe.decrypt(&ct, &keys)?;
        let decrypt_ms = ms(t);
        fe_times = Some(FeTimes {
            keys_ms,
            encrypt_ms,
            decrypt_ms,
        });
        view
    } else {
        glasslayer::protocol::conv_fe::plaintext_view(&layer, &levels, 255)?
    };
    let opts = ConvOptions {
        tv_iter: args.tv_iter,
        ..ConvOptions::default()
    };
    let eq = match (args.method, args.equations) {
        (ConvMethod::PaperChannel, _) | (_, Equations::PerChannel) => {
            ConvEquations::per_channel(&layer, &levels, 255)?
        }
        (_, Equations::Summed) => ConvEquations::from_view(&view)?,
    };
    let t = Instant::now();
    let rec: ConvRecovery = match args.method {
        ConvMethod::Lstsq => solve_lstsq(&eq, &opts)?,
        ConvMethod::Tv => solve_tv(&eq, &opts)?,
        ConvMethod::PaperChannel => {
            let kept = match args.keep_order {
                _ if args.keep >= eq.len() => eq,
                KeepOrder::First => eq.keep_first(args.keep)?,
                KeepOrder::Random => {
                    eq.keep_random(args.keep, args.seed.wrapping_add(index as u64))?
                }
            };
            solve_feasibility_lp(&kept, args.t, &opts)?
        }
    };
    let elapsed = ms(t);
    // A least-squares iterate that hit the cap is still an image: score it, say so in the status.
    let scored = matches!(
        rec.status,
        SolveStatus::Solved | SolveStatus::IterationLimit
    ) && !rec.image.is_empty();
    let quality = if scored {
        let truth: Vec<f64> = pixels.iter().map(|&p| f64::from(p) / 255.0).collect();
        Some(color_quality(&truth, &rec.image, 3, SIDE, SIDE)?)
    } else {
        None
    };
    Ok(Outcome {
        index,
        label,
        status: rec.status,
        quality,
        ms: elapsed,
        iterations: rec.iterations,
        residual: rec.residual.is_finite().then_some(rec.residual),
        fe: fe_times,
    })
}

/// Validate and attack every image of the range.
pub fn run_attack(args: &Args, mut tick: impl FnMut(&Outcome)) -> anyhow::Result<Vec<Outcome>> {
    if args.samples == 0 {
        bail!("--samples must be at least 1");
    }
    // Geometry and weights first: a bad flag fails before any data is read.
    layer_for(args, args.start)?;
    let data = Cifar10::load().context("loading CIFAR-10")?;
    let end = args
        .start
        .checked_add(args.samples)
        .context("--start + --samples overflows")?;
    if end > data.len() {
        bail!(
            "images {}..{end} requested, CIFAR-10 subset has {}",
            args.start,
            data.len()
        );
    }
    let mut out = Vec::with_capacity(args.samples);
    for i in args.start..end {
        let o = attack_one(args, &data, i)?;
        tick(&o);
        out.push(o);
    }
    Ok(out)
}

/// The summary line.
pub fn summary(args: &Args, outcomes: &[Outcome]) -> serde_json::Value {
    let q: Vec<Quality> = outcomes.iter().filter_map(|o| o.quality).collect();
    let mean = |v: Vec<f64>| (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64);
    let fe: Vec<FeTimes> = outcomes.iter().filter_map(|o| o.fe).collect();
    serde_json::json!({
        "summary": true,
        "samples": outcomes.len(),
        "psnr_median": median(q.iter().map(|q| q.psnr).collect()),
        "ssim_median": median(q.iter().map(|q| q.ssim).collect()),
        "mse_mean": mean(q.iter().map(|q| q.mse).collect()),
        "within_mean": mean(q.iter().map(|q| q.within).collect()),
        "ms_median": median(outcomes.iter().map(|o| o.ms).collect()),
        "failures": outcomes.iter().filter(|o| o.status != SolveStatus::Solved).count(),
        "dataset": args.dataset,
        "model": args.model,
        "method": args.method,
        "equations": if args.method == ConvMethod::PaperChannel { Equations::PerChannel } else { args.equations },
        "filters": args.filters,
        "kernel": args.kernel,
        "padding": args.padding,
        "fe": args.fe,
        "keep": (args.method == ConvMethod::PaperChannel).then_some(args.keep),
        "keep_order": (args.method == ConvMethod::PaperChannel).then_some(args.keep_order),
        "encrypt_ms_median": median(fe.iter().map(|t| t.encrypt_ms).collect()),
        "decrypt_ms_median": median(fe.iter().map(|t| t.decrypt_ms).collect()),
        "keys_ms_median": median(fe.iter().map(|t| t.keys_ms).collect()),
    })
}

/// Entry point from the raw command line (`argv[1] == "attack"`).
pub fn run_from(argv: &[String]) -> anyhow::Result<()> {
    use clap::Parser;
    let args = Args::parse_from(
        std::iter::once("glasslayer attack".to_string()).chain(argv.iter().skip(2).cloned()),
    );
    run(args)
}

fn fmt_opt(v: Option<f64>, prec: usize) -> String {
    v.map_or("-".into(), |v| format!("{v:.prec$}"))
}

/// Run and print.
pub fn run(args: Args) -> anyhow::Result<()> {
    let json = args.json;
    let outcomes = run_attack(&args, |o| {
        if json {
            let mut v = serde_json::to_value(o).unwrap_or_default();
            if let Some(m) = v.as_object_mut() {
                for k in ["mse", "psnr", "ssim", "within"] {
                    m.entry(k).or_insert(serde_json::Value::Null);
                }
            }
            println!("{v}");
        } else {
            let q = o.quality;
            println!(
                "image {:>4} (label {}): {:<16} psnr {:>6} dB  ssim {:>6}  mse {:>10}  {:>8.1} ms{}",
                o.index,
                o.label,
                o.status.as_str(),
                fmt_opt(q.map(|q| q.psnr), 2),
                fmt_opt(q.map(|q| q.ssim), 4),
                fmt_opt(q.map(|q| q.mse), 7),
                o.ms,
                o.fe.map_or(String::new(), |t| format!(
                    "  (FE: keys {:.0} ms, encrypt {:.0} ms, decrypt {:.0} ms)",
                    t.keys_ms, t.encrypt_ms, t.decrypt_ms
                ))
            );
        }
    })?;
    let s = summary(&args, &outcomes);
    if json {
        println!("{s}");
    } else {
        println!(
            "{} images: median PSNR {} dB, median SSIM {}, mean MSE {}, {} failures",
            outcomes.len(),
            fmt_opt(s["psnr_median"].as_f64(), 2),
            fmt_opt(s["ssim_median"].as_f64(), 4),
            fmt_opt(s["mse_mean"].as_f64(), 7),
            s["failures"]
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn argv(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn routes_and_parses_the_conv_attack() {
        assert!(wants(&argv("glasslayer attack --model conv --filters 4")));
        assert!(wants(&argv("glasslayer attack --filters 4 --model=conv")));
        assert!(!wants(&argv("glasslayer attack --method tv")));
        assert!(!wants(&argv("glasslayer train --model conv")));
        let a = Args::try_parse_from(argv(
            "x --dataset cifar10-color --model conv --filters 4 --kernel 3 --padding valid --method paper-channel --keep-order random",
        ))
        .unwrap();
        assert_eq!(a.method, ConvMethod::PaperChannel);
        assert_eq!(a.keep_order, KeepOrder::Random);
        assert_eq!(layer_for(&a, 0).unwrap().shape().outputs(), 4 * 900);
        // Bad input is an error, never a panic.
        for bad in [
            "--kernel 4",
            "--kernel 0",
            "--filters 0",
            "--padding full",
            "--scale 0",
        ] {
            let a = Args::try_parse_from(argv(&format!("x --model conv {bad}"))).unwrap();
            assert!(layer_for(&a, 0).is_err(), "{bad}");
        }
        assert!(Args::try_parse_from(argv("x --model conv --method nope")).is_err());
    }
}
