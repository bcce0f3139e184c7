//! One leak experiment end to end: record the client's run ([`Trajectory`]), estimate the Gram
//! matrix from the server's records ([`gram`]), rebuild the unknown training samples from the
//! rows of the `k` samples the server knows ([`known`]), and score (the truth enters only there).

use super::gram::{self, GramError, GramEstimate};
use super::known::{self, Fit};
use super::trajectory::Trajectory;
use crate::attack::metrics::Quality;
use crate::attack::{AttackKind, SolveStatus};
use crate::data::mnist::{Mnist, PIXELS};
use crate::{Error, Result};
use ndarray::Array2;
use serde::Serialize;

/// The server's Gram estimates of one run.
#[derive(Debug, Clone)]
pub struct Estimates {
    /// The best the protocol allows: whole-trajectory least squares under one FHIPE master
    /// key, the visits' minimum-norm solution otherwise.
    pub main: GramEstimate,
    /// The single-step random projection.
    pub single_step: GramEstimate,
    /// Flip decoding (one master key only): pixels of the targets from single-flip events.
    pub flips: Option<(Vec<usize>, super::flips::FlipDecode)>,
}

impl Estimates {
    /// Estimate columns `columns` of `G` from `traj` (the random projection covers what it can);
    /// with `flips = Some((known, targets))` also decode single flips (one master key only).
    pub fn with_flips(
        traj: &Trajectory,
        columns: &[usize],
        known: &[Vec<i64>],
        targets: &[usize],
    ) -> Result<Self> {
        let mut e = Self::of(traj, columns)?;
        if traj.holds_every_step() {
            e.flips = Some((
                targets.to_vec(),
                super::flips::decode(traj, known, targets)?,
            ));
        }
        Ok(e)
    }

    /// Estimate columns `columns` of `G` from `traj` (the random projection covers what it can).
    pub fn of(traj: &Trajectory, columns: &[usize]) -> Result<Self> {
        let main = if traj.holds_every_step() {
            gram::trajectory_ls(traj, columns)?
        } else {
            gram::visits_min_norm(traj, columns)?
        };
        Ok(Self {
            main,
            single_step: gram::random_projection(traj)?,
            flips: None,
        })
    }
}

/// The attack's settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Experiment {
    /// Stored samples the server knows: ids `0..known`.
    pub known: usize,
    /// Stored samples attacked.
    pub targets: Vec<usize>,
    /// `tv` or `minsum`.
    pub attack: AttackKind,
    /// L1 weight of the data fit on estimated rows.
    pub fit_weight: f64,
    /// Also attack from the single-step estimate and from the exact Gram rows.
    pub compare: bool,
}

/// One attacked sample.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Digit {
    /// Stored-sample id.
    pub id: usize,
    /// Its label (the server saw it).
    pub label: u8,
    /// Known samples with an estimate of `⟨x_a, x_j⟩` (equations of the LP).
    pub equations: usize,
    /// Solver status on the main estimate.
    pub status: SolveStatus,
    /// PSNR/SSIM of the rebuild from the main estimate (`None` unless solved).
    pub quality: Option<Quality>,
    /// PSNR from the single-step random projection (`None` when no known sample shares a
    /// step with the sample or the LP did not solve).
    pub psnr_single_step: Option<f64>,
    /// PSNR from the exact Gram row (what a perfect estimator would give).
    pub psnr_exact: Option<f64>,
    /// PSNR of flip decoding (`None` when it does not apply).
    pub psnr_flips: Option<f64>,
    /// Pixels flip decoding identified for this sample.
    pub flip_pixels: Option<usize>,
    /// Relative error of the sample's estimated Gram row against the known samples.
    pub row_error: f64,
    /// The rebuild from the main estimate, on [0, 1].
    #[serde(skip)]
    pub image: Option<Vec<f64>>,
}

/// Everything a run measured.
#[derive(Debug, Clone, Serialize)]
pub struct LeakReport {
    /// The main estimate's error (over the estimated columns).
    pub gram: GramError,
    /// Which estimator.
    pub gram_method: &'static str,
    /// The single-step estimate's error.
    pub gram_single_step: GramError,
    /// Attacked samples.
    pub digits: Vec<Digit>,
    /// Median PSNR of the main estimate's rebuilds (failures count as the baseline).
    pub psnr_median: f64,
    /// Median PSNR from the single-step estimate (`NaN` unless compared).
    pub psnr_single_step_median: f64,
    /// Median PSNR from exact Gram rows (`NaN` unless compared).
    pub psnr_exact_median: f64,
    /// Median PSNR of flip decoding (`NaN` when it does not apply).
    pub psnr_flips_median: f64,
    /// Median PSNR of the public mean digit ("guessing the average").
    pub baseline_psnr: f64,
}

/// Pixels of a digit on [0, 1].
pub fn pixels(data: &Mnist, i: usize) -> Vec<f64> {
    data.image(i)
        .iter()
        .map(|&p| f64::from(p) / 255.0)
        .collect()
}

/// Median of finite values (`NaN` if none).
pub fn median(mut v: Vec<f64>) -> f64 {
    v.retain(|x| x.is_finite());
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    let k = v.len();
    if k % 2 == 1 {
        v[k / 2]
    } else {
        0.5 * (v[k / 2 - 1] + v[k / 2])
    }
}

impl Experiment {
    /// Check the settings against a run over `n` samples.
    pub fn validate(&self, n: usize) -> Result<()> {
        if self.known == 0 || self.known > n {
            return Err(Error::invalid(format!(
                "the server knows {} of {n} samples (1 ..= {n})",
                self.known
            )));
        }
        if self.targets.is_empty() {
            return Err(Error::invalid("no sample to attack"));
        }
        if let Some(&t) = self.targets.iter().find(|&&t| t < self.known || t >= n) {
            return Err(Error::invalid(format!(
                "target {t} must be an unknown stored sample ({} ..< {n})",
                self.known
            )));
        }
        if !matches!(self.attack, AttackKind::Tv | AttackKind::Minsum) {
            return Err(Error::invalid(format!(
                "the known-sample attack runs tv or minsum, not {}",
                self.attack
            )));
        }
        if !(self.fit_weight > 0.0 && self.fit_weight.is_finite()) {
            return Err(Error::invalid("the L1 weight must be > 0"));
        }
        Ok(())
    }

    /// The Gram columns the attack needs: the known samples and the targets.
    pub fn columns(&self) -> Vec<usize> {
        let mut c: Vec<usize> = (0..self.known).collect();
        c.extend(&self.targets);
        c
    }

    /// Attack every target from `est` and score against `train` (the truth, read after the
    /// attack) and `truth` (the true Gram matrix); `mean` is the public mean digit.
    pub fn attack(
        &self,
        train: &Mnist,
        est: &Estimates,
        truth: &Array2<f64>,
        mean: &[f64],
        on_digit: &mut dyn FnMut(&Digit),
    ) -> Result<LeakReport> {
        let n = train.len();
        self.validate(n)?;
        let known_px: Vec<Vec<f64>> = (0..self.known).map(|a| pixels(train, a)).collect();
        let solve = |e: &dyn Fn(usize, usize) -> Option<f64>, j: usize, fit: Fit| -> Result<_> {
            let (rows, g): (Vec<&[f64]>, Vec<f64>) = (0..self.known)
                .filter_map(|a| e(a, j).map(|v| (known_px[a].as_slice(), v)))
                .unzip();
            if rows.is_empty() {
                return Ok(None);
            }
            Ok(Some(known::rebuild(28, 28, &rows, &g, self.attack, fit)?))
        };
        let l1 = Fit::L1(self.fit_weight);
        let mut digits = Vec::with_capacity(self.targets.len());
        let mut base = Vec::new();
        for &j in &self.targets {
            let main = solve(&|a, j| est.main.get(a, j), j, l1)?;
            let (single, exact) = if self.compare {
                (
                    solve(&|a, j| est.single_step.get(a, j), j, l1)?,
                    solve(&|a, j| Some(truth[[a, j]]), j, Fit::Exact)?,
                )
            } else {
                (None, None)
            };
            // The attacker is done; the truth scores.
            let x = pixels(train, j);
            let score = |r: &Option<known::KnownRebuild>| -> Result<Option<Quality>> {
                match r.as_ref().and_then(|r| r.image.as_ref()) {
                    Some(img) => Ok(Some(Quality::measure(&x, img, 28, 28)?)),
                    None => Ok(None),
                }
            };
            let (num, den) =
                (0..self.known).fold((0.0, 0.0), |(u, d), a| match est.main.get(a, j) {
                    Some(v) => (u + (v - truth[[a, j]]).powi(2), d + truth[[a, j]].powi(2)),
                    None => (u, d),
                });
            let baseline = Quality::measure(&x, mean, 28, 28)?.psnr;
            let flip = est.flips.as_ref().and_then(|(ts, f)| {
                ts.iter().position(|&t| t == j).map(|r| {
                    let found = f.pixels[r].iter().filter(|p| p.is_some()).count();
                    (f.image(r), found)
                })
            });
            let psnr_flips = match &flip {
                Some((Some(img), _)) => Some(Quality::measure(&x, img, 28, 28)?.psnr),
                _ => None,
            };
            base.push(baseline);
            let d = Digit {
                id: j,
                label: train.label(j),
                equations: main.as_ref().map_or(0, |r| r.equations),
                status: main.as_ref().map_or(SolveStatus::Infeasible, |r| r.status),
                quality: score(&main)?,
                psnr_single_step: score(&single)?.map(|q| q.psnr),
                psnr_exact: score(&exact)?.map(|q| q.psnr),
                psnr_flips,
                flip_pixels: flip.map(|f| f.1),
                row_error: if den > 0.0 {
                    (num / den).sqrt()
                } else {
                    f64::NAN
                },
                image: main.and_then(|r| r.image),
            };
            on_digit(&d);
            digits.push(d);
        }
        let or_base = |v: Option<f64>, b: f64| v.unwrap_or(b);
        let pick = |f: &dyn Fn(&Digit) -> Option<f64>| {
            median(
                digits
                    .iter()
                    .zip(&base)
                    .map(|(d, &b)| or_base(f(d), b))
                    .collect(),
            )
        };
        Ok(LeakReport {
            gram: est.main.error(truth)?,
            gram_method: est.main.method,
            gram_single_step: est.single_step.error(truth)?,
            psnr_median: pick(&|d| d.quality.map(|q| q.psnr)),
            psnr_single_step_median: if self.compare {
                pick(&|d| d.psnr_single_step)
            } else {
                f64::NAN
            },
            psnr_exact_median: if self.compare {
                pick(&|d| d.psnr_exact)
            } else {
                f64::NAN
            },
            psnr_flips_median: if est.flips.is_some() {
                pick(&|d| d.psnr_flips)
            } else {
                f64::NAN
            },
            baseline_psnr: median(base),
            digits,
        })
    }
}

/// The true Gram matrix of every sample of `train` (scoring only).
pub fn true_gram(train: &Mnist) -> Array2<f64> {
    let n = train.len();
    let x = Array2::from_shape_fn((n, PIXELS), |(i, p)| f64::from(train.image(i)[p]) / 255.0);
    gram::truth(&x)
}
