//! The page's "What still leaks" panel, computed in the core: the client trains on public
//! digits plus the drawn one under a mitigation; the server estimates the Gram matrix from what
//! it recorded and rebuilds the drawn digit from the rows of the `k` public digits it knows.
//!
//! The panel's data set is small enough for one browser worker: [`PANEL_SAMPLES`] digits (the
//! drawn digit last), [`PANEL_EPOCHS`] epochs, batch [`PANEL_BATCH`], lr 0.3 — the returned
//! [`PanelSummary::settings`] say so, so the page can state them.

use super::experiment::pixels;
use super::gram::{self, GramEstimate};
use super::known::{self, Fit, DEFAULT_L1_WEIGHT};
use super::trajectory::{LeakSettings, Trajectory};
use crate::attack::metrics::Quality;
use crate::attack::{AttackKind, SolveStatus};
use crate::data::mnist::{Mnist, PIXELS};
use crate::protocol::ProtocolKind;
use crate::{Error, Result};
use ndarray::Array2;
use serde::Serialize;

/// Training digits of the panel's client (the drawn digit included, as the last one).
pub const PANEL_SAMPLES: usize = 512;
/// Epochs of the panel's run.
pub const PANEL_EPOCHS: usize = 2;
/// Batch size of the panel's run.
pub const PANEL_BATCH: usize = 32;
/// Largest h of the panel (the page's largest).
pub const PANEL_MAX_HIDDEN: usize = 784;
/// Bytes of one FHIPE ciphertext at n = 784 (uncompressed G2 points: 785 · 192).
pub const FHIPE_CT_BYTES: u64 = 785 * 192;

/// The page's switches.
#[derive(Debug, Clone, Copy, PartialEq, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PanelOptions {
    /// `fhipe` or `client-loop`.
    pub protocol: ProtocolKind,
    /// Hidden units h.
    pub hidden: usize,
    /// Key precision S.
    pub weight_scale: f32,
    /// FHIPE: a fresh master key every step.
    #[serde(default)]
    pub rekey: bool,
    /// The client's noise σ (Z1 units under client in the loop, weight units under FHIPE).
    #[serde(default)]
    pub noise: f32,
}

/// What the page shows (no image data of the public digits beyond the Gram blocks).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PanelSummary {
    /// The run's settings, to state on the page.
    pub settings: PanelSettings,
    /// Every label the server saw, in the order of the steps (both mitigations send them).
    pub labels_seen: Vec<u8>,
    /// The drawn digit's label as the server saw it.
    pub drawn_label: u8,
    /// The main estimator (`trajectory_ls` or `visits_min_norm`).
    pub gram_method: &'static str,
    /// The last batch's ids, and its Gram block (row-major `m × m`), estimated and true.
    pub last_batch: Block,
    /// The drawn digit's Gram row (`N` values, the drawn digit last), estimated (`null` where
    /// the server has none) and true.
    pub digit_row: Row,
    /// Relative error of the drawn digit's estimated row.
    pub digit_row_error: f64,
    /// The single-step random projection's row of the drawn digit (`null` where none).
    pub digit_row_single_step: Vec<Option<f64>>,
    /// Cost figures of the run's FHIPE keying (`null` under client in the loop).
    pub cost: Option<PanelCost>,
    /// Test accuracy on the given test digits (`null` without them).
    pub accuracy: Option<f64>,
}

/// The panel run's settings.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PanelSettings {
    /// Protocol.
    pub protocol: ProtocolKind,
    /// Training digits (public ones + the drawn one).
    pub samples: usize,
    /// Epochs.
    pub epochs: usize,
    /// Batch size.
    pub batch: usize,
    /// Learning rate.
    pub lr: f32,
    /// h.
    pub hidden: usize,
    /// S.
    pub weight_scale: f32,
    /// Re-keyed.
    pub rekey: bool,
    /// σ.
    pub noise: f32,
    /// Steps.
    pub steps: usize,
}

/// A square block of `G`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Block {
    /// Stored-sample ids (the drawn digit is `samples − 1`).
    pub ids: Vec<usize>,
    /// Estimated, row-major (`null` where none).
    pub estimate: Vec<Option<f64>>,
    /// True, row-major (display and scoring only).
    pub truth: Vec<f64>,
}

/// One row of `G`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Row {
    /// Estimated (`null` where none).
    pub estimate: Vec<Option<f64>>,
    /// True.
    pub truth: Vec<f64>,
}

/// What FHIPE keying costs the client per sample-step in this run.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PanelCost {
    /// Encryptions per sample-step (`1/epochs` with one key, 1 re-keyed).
    pub encryptions_per_sample_step: f64,
    /// Master-key setups per sample-step (0 with one key, `1/batch` re-keyed).
    pub setups_per_sample_step: f64,
    /// Ciphertext bytes per sample-step.
    pub ciphertext_bytes_per_sample_step: f64,
    /// The same three with one master key, for comparison.
    pub one_key_encryptions_per_sample_step: f64,
    /// Ciphertext bytes per sample-step with one master key.
    pub one_key_ciphertext_bytes_per_sample_step: f64,
}

/// The rebuild of the drawn digit at one `k`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PanelRebuild {
    /// Known public digits used.
    pub k: usize,
    /// `tv` or `minsum`.
    pub attack: AttackKind,
    /// Equations (known digits with an estimated entry).
    pub equations: usize,
    /// Solver status.
    pub status: SolveStatus,
    /// The rebuild on [0, 1] (784 values; `null` unless solved).
    pub image: Option<Vec<f64>>,
    /// PSNR vs the drawn digit (`null` unless solved).
    pub psnr: Option<f64>,
    /// SSIM vs the drawn digit (`null` unless solved).
    pub ssim: Option<f64>,
    /// PSNR of the mean public digit (the baseline).
    pub baseline_psnr: f64,
}

/// A computed panel: the run and the server's estimates, ready to rebuild at any `k`.
pub struct Panel {
    data: Mnist,
    est: GramEstimate,
    single: GramEstimate,
    summary: PanelSummary,
    mean: Vec<f64>,
}

impl Panel {
    /// Run the panel: `public` digits (at least `PANEL_SAMPLES − 1`), the drawn `digit` (784
    /// pixels on [0, 1]) with `label`, the page's `options`; `test` digits for the accuracy.
    pub fn run(
        public: &Mnist,
        digit: &[f32],
        label: u8,
        options: &PanelOptions,
        test: Option<&Mnist>,
    ) -> Result<Self> {
        if digit.len() != PIXELS || digit.iter().any(|v| !v.is_finite()) {
            return Err(Error::invalid(format!(
                "the drawn digit must be {PIXELS} finite values on [0, 1]"
            )));
        }
        if options.hidden > PANEL_MAX_HIDDEN {
            return Err(Error::invalid(format!(
                "the panel runs at h ≤ {PANEL_MAX_HIDDEN}, not {}",
                options.hidden
            )));
        }
        if public.len() < PANEL_SAMPLES - 1 {
            return Err(Error::invalid(format!(
                "the panel needs {} public digits, got {}",
                PANEL_SAMPLES - 1,
                public.len()
            )));
        }
        let bytes: Vec<u8> = digit
            .iter()
            .map(|v| (v.clamp(0.0, 1.0) * 255.0).round() as u8)
            .collect();
        let n = PANEL_SAMPLES;
        let drawn = n - 1;
        let mut px = public.pixels()[..(n - 1) * PIXELS].to_vec();
        px.extend_from_slice(&bytes);
        let mut labels = public.labels()[..n - 1].to_vec();
        labels.push(label);
        let data = Mnist::from_raw(&px, &labels)?;
        let settings = LeakSettings {
            protocol: options.protocol,
            rekey: options.rekey,
            noise: options.noise,
            weight_scale: options.weight_scale,
            hidden: options.hidden,
            epochs: PANEL_EPOCHS,
            batch: PANEL_BATCH,
            lr: 0.3,
            seed: 1,
        };
        let traj = Trajectory::record(&settings, &data, &mut |_, _| {})?;
        let last_ids = traj.steps.last().map(|s| s.ids.clone()).unwrap_or_default();
        let mut columns = last_ids.clone();
        if !columns.contains(&drawn) {
            columns.push(drawn);
        }
        let est = if traj.holds_every_step() {
            gram::trajectory_ls(&traj, &columns)?
        } else {
            gram::visits_min_norm(&traj, &columns)?
        };
        let single = gram::random_projection(&traj)?;
        let truth = super::experiment::true_gram(&data);
        // The display: the last batch's block and the drawn digit's row.
        let block = |a: &Array2<f64>| -> Vec<f64> {
            last_ids
                .iter()
                .flat_map(|&i| last_ids.iter().map(move |&j| a[[i, j]]))
                .collect()
        };
        let opt = |v: f64| v.is_finite().then_some(v);
        let row_est: Vec<Option<f64>> = (0..n).map(|b| est.get(b, drawn)).collect();
        let row_true: Vec<f64> = (0..n).map(|b| truth[[b, drawn]]).collect();
        let (num, den) = row_est
            .iter()
            .zip(&row_true)
            .fold((0.0, 0.0), |(u, d), (e, t)| match e {
                Some(e) => (u + (e - t).powi(2), d + t * t),
                None => (u, d),
            });
        let fhipe = options.protocol == ProtocolKind::Fhipe;
        let (e, m) = (PANEL_EPOCHS as f64, PANEL_BATCH as f64);
        let enc = if options.rekey { 1.0 } else { 1.0 / e };
        let summary = PanelSummary {
            settings: PanelSettings {
                protocol: options.protocol,
                samples: n,
                epochs: PANEL_EPOCHS,
                batch: PANEL_BATCH,
                lr: 0.3,
                hidden: options.hidden,
                weight_scale: options.weight_scale,
                rekey: options.rekey,
                noise: options.noise,
                steps: traj.steps.len(),
            },
            labels_seen: traj.steps.iter().flat_map(|s| s.labels.clone()).collect(),
            drawn_label: label,
            gram_method: est.method,
            last_batch: Block {
                ids: last_ids.clone(),
                estimate: block(&est.values).into_iter().map(opt).collect(),
                truth: block(&truth),
            },
            digit_row_error: if den > 0.0 {
                (num / den).sqrt()
            } else {
                f64::NAN
            },
            digit_row: Row {
                estimate: row_est,
                truth: row_true,
            },
            digit_row_single_step: (0..n).map(|b| single.get(b, drawn)).collect(),
            cost: fhipe.then(|| PanelCost {
                encryptions_per_sample_step: enc,
                setups_per_sample_step: if options.rekey { 1.0 / m } else { 0.0 },
                ciphertext_bytes_per_sample_step: enc * FHIPE_CT_BYTES as f64,
                one_key_encryptions_per_sample_step: 1.0 / e,
                one_key_ciphertext_bytes_per_sample_step: FHIPE_CT_BYTES as f64 / e,
            }),
            accuracy: test.map(|t| traj.accuracy(t)).transpose()?,
        };
        // The public mean digit (the public digits only).
        let mut mean = vec![0.0; PIXELS];
        for i in 0..n - 1 {
            for (m, v) in mean.iter_mut().zip(pixels(&data, i)) {
                *m += v / (n - 1) as f64;
            }
        }
        Ok(Self {
            data,
            est,
            single,
            summary,
            mean,
        })
    }

    /// What the page shows about the run.
    pub fn summary(&self) -> &PanelSummary {
        &self.summary
    }

    /// Rebuild the drawn digit from the rows of the first `k` public digits (`single_step`:
    /// from the random-projection estimate instead of the main one).
    pub fn rebuild(&self, k: usize, attack: AttackKind, single_step: bool) -> Result<PanelRebuild> {
        let n = self.data.len();
        let drawn = n - 1;
        if k == 0 || k >= n {
            return Err(Error::invalid(format!("k = {k} known digits (1 ..< {n})")));
        }
        let est = if single_step { &self.single } else { &self.est };
        let known_px: Vec<Vec<f64>> = (0..k).map(|a| pixels(&self.data, a)).collect();
        let (rows, g): (Vec<&[f64]>, Vec<f64>) = (0..k)
            .filter_map(|a| est.get(a, drawn).map(|v| (known_px[a].as_slice(), v)))
            .unzip();
        let x = pixels(&self.data, drawn);
        let baseline_psnr = Quality::measure(&x, &self.mean, 28, 28)?.psnr;
        if rows.is_empty() {
            return Ok(PanelRebuild {
                k,
                attack,
                equations: 0,
                status: SolveStatus::Infeasible,
                image: None,
                psnr: None,
                ssim: None,
                baseline_psnr,
            });
        }
        let r = known::rebuild(28, 28, &rows, &g, attack, Fit::L1(DEFAULT_L1_WEIGHT))?;
        // The attacker is done; the drawn digit scores.
        let q = r
            .image
            .as_ref()
            .map(|img| Quality::measure(&x, img, 28, 28))
            .transpose()?;
        Ok(PanelRebuild {
            k,
            attack,
            equations: r.equations,
            status: r.status,
            psnr: q.map(|q| q.psnr),
            ssim: q.map(|q| q.ssim),
            image: r.image,
            baseline_psnr,
        })
    }
}
