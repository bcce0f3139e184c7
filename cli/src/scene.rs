//! `glasslayer scene` — the page's scene, natively: MNIST test digits through one round of a
//! protocol with real FE, the server's view, and the one attacker with the public knowledge of
//! the page's models file (the server's own trained model, a shadow model, the public initial
//! `W1`, the mean digit).
//!
//! ```text
//! glasslayer scene --protocol cryptonn|fenet|client-loop|fhipe --hidden H --attack tv \
//!     [--group ristretto255] [--start I] [--samples M] [--models FILE] [--export DIR] --json
//! ```
//!
//! With `--json`: one object per digit (`index, label, method, status, w1_source, knows_w1,
//! psnr, ssim, baseline_psnr, tried: [{source, residual, psnr}], ms`), then a summary with
//! `"summary": true`, `psnr_median`, `baseline_psnr` and, for a view without `W1`, the median PSNR
//! of each candidate `W1` the attacker tried (`psnr_median_by_candidate`). `--export DIR` writes
//! each scene as `DIR/scene-<index>.json` (the page's `glasslayer-scene.json` format).

use crate::attack::median;
use anyhow::{bail, Context};
use glasslayer::attack::{attack_sample, score, AttackKind, Outcome};
use glasslayer::data::mnist::{Mnist, Split};
use glasslayer::data::models_file::{parse_bundle, DemoModels};
use glasslayer::fe::GroupChoice;
use glasslayer::protocol::scene::Scene;
use glasslayer::protocol::scene_file::{SceneFile, SceneSettings};
use glasslayer::protocol::ProtocolKind;
use serde_json::json;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Arguments of `glasslayer scene`.
#[derive(clap::Args)]
pub struct Args {
    /// cryptonn | fenet | client-loop | fhipe
    #[arg(long, default_value = "cryptonn")]
    protocol: ProtocolKind,
    /// Hidden units h (a size the models file has).
    #[arg(long, default_value_t = 128)]
    hidden: usize,
    /// tv | minsum | paper | stacked | gradient
    #[arg(long, default_value = "tv")]
    attack: AttackKind,
    /// IPFE group for cryptonn.
    #[arg(long, default_value = "ristretto255")]
    group: GroupChoice,
    /// First MNIST test digit.
    #[arg(long, default_value_t = 0)]
    start: usize,
    /// Number of digits.
    #[arg(long, default_value_t = 10)]
    samples: usize,
    /// The page's models file (default: www/generated/models.bin, written by `npm run build`).
    #[arg(long)]
    models: Option<PathBuf>,
    /// The page's public training digits (default: www/generated/mnist-train.bin).
    #[arg(long)]
    digits: Option<PathBuf>,
    /// Write each scene to DIR/scene-<index>.json.
    #[arg(long, value_name = "DIR")]
    export: Option<PathBuf>,
    /// JSON lines on stdout.
    #[arg(long)]
    json: bool,
}

fn generated(name: &str) -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    root.parent()
        .unwrap_or(&root)
        .join("www")
        .join("generated")
        .join(name)
}

fn read(path: &PathBuf) -> anyhow::Result<Vec<u8>> {
    std::fs::read(path).with_context(|| {
        format!(
            "reading {} (build the page's files with `npm run build`)",
            path.display()
        )
    })
}

/// Entry point.
pub fn run(a: Args) -> anyhow::Result<()> {
    if a.samples == 0 || a.samples > 10_000 {
        bail!("--samples must be 1..=10000");
    }
    let models = DemoModels::parse(&read(
        &a.models.clone().unwrap_or_else(|| generated("models.bin")),
    )?)?;
    let others = parse_bundle(&read(
        &a.digits
            .clone()
            .unwrap_or_else(|| generated("mnist-train.bin")),
    )?)?;
    let model = models.server_model(a.hidden)?;
    let public = models.public_knowledge(a.hidden)?;
    let test = Mnist::load(Split::Test)?;
    let end = a.start.saturating_add(a.samples);
    if end > test.len() {
        bail!(
            "digits {}..{end} do not exist ({} test digits)",
            a.start,
            test.len()
        );
    }
    if let Some(dir) = &a.export {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let (mut psnrs, mut baselines) = (Vec::new(), Vec::new());
    let mut by_candidate: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for i in a.start..end {
        let x = test.image(i).to_vec();
        let label = test.label(i);
        let mut scene = Scene::start(
            a.protocol,
            model.mlp.clone(),
            model.info.scale,
            x.clone(),
            Some(label),
        )?;
        scene.play_round(a.group)?;
        let views = scene.views_for(a.attack, &others)?;
        let outcome = attack_sample(&views, 0, a.attack, &public)?;
        // The attacker is done; the truth is read only to score.
        let truth: Vec<f64> = x.iter().map(|&p| f64::from(p) / 255.0).collect();
        let line = match &outcome {
            Outcome::Rebuilt(r) => {
                let q = score(&truth, &r.image, &public)?;
                psnrs.push(q.psnr);
                baselines.push(q.baseline_psnr);
                let mut tried = Vec::new();
                for t in &r.tried {
                    let p = if t.image.is_empty() {
                        None
                    } else {
                        Some(score(&truth, &t.image, &public)?.psnr)
                    };
                    if let Some(p) = p {
                        by_candidate.entry(t.source.clone()).or_default().push(p);
                    }
                    tried.push(json!({"source": t.source, "status": t.status, "residual": t.residual, "psnr": p}));
                }
                if let Some(dir) = &a.export {
                    let settings = SceneSettings {
                        protocol: a.protocol,
                        h: a.hidden,
                        attack: a.attack,
                        group: a.group.name().to_string(),
                        digit: format!("m{i}"),
                        tv_lambda: public.tv_lambda,
                    };
                    let file = SceneFile::of_attack(
                        settings,
                        &views,
                        x.clone(),
                        &outcome,
                        Some(&q),
                        public.mean.clone(),
                    )?;
                    let path = dir.join(format!("scene-{i}.json"));
                    std::fs::write(&path, file.to_json()?)
                        .with_context(|| format!("writing {}", path.display()))?;
                }
                json!({
                    "index": i, "label": label, "protocol": a.protocol, "hidden": a.hidden,
                    "attack": a.attack, "method": r.method, "status": r.status,
                    "w1_source": r.w1_source, "knows_w1": r.knows_w1, "psnr": q.psnr,
                    "ssim": q.ssim, "baseline_psnr": q.baseline_psnr, "tried": tried, "ms": r.ms,
                })
            }
            Outcome::NotApplicable { reason, .. } => {
                json!({"index": i, "label": label, "attack": a.attack, "applicable": false, "reason": reason})
            }
        };
        if a.json {
            println!("{line}");
        } else {
            eprintln!("{line}");
        }
    }
    let by: BTreeMap<String, Option<f64>> = by_candidate
        .into_iter()
        .map(|(k, v)| (k, median(v)))
        .collect();
    let summary = json!({
        "summary": true, "protocol": a.protocol, "hidden": a.hidden, "attack": a.attack,
        "samples": a.samples, "psnr_median": median(psnrs), "baseline_psnr": median(baselines),
        "psnr_median_by_candidate": by,
    });
    println!("{summary}");
    Ok(())
}
