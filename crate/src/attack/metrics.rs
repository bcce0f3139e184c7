//! Reconstruction quality on pixels in [0, 1].
//!
//! - `MSE = mean (x̂ − x)²`
//! - `PSNR = 10·log10(1 / MSE)` dB (peak 1). An exact reconstruction has `MSE = 0` and infinite
//!   PSNR; to keep tables and JSON finite the MSE is floored at `1e-10`, i.e. PSNR ≤ 100 dB.
//! - SSIM (Wang, Bovik, Sheikh, Simoncelli 2004) with an 11×11 Gaussian window, σ = 1.5,
//!   `C1 = 0.01²`, `C2 = 0.03²` (dynamic range 1), averaged over the "valid" window positions
//!   (the window never leaves the image, as in the authors' reference code):
//!   `SSIM = (2μxμy + C1)(2σxy + C2) / ((μx² + μy² + C1)(σx² + σy² + C2))`.
//! - `within`: the share of pixels with `|x̂ − x| ≤ 1/255` — recovered to the last grey level.
//!
//! Length mismatches give `NaN` rather than a panic; [`Quality::measure`] reports them as errors.

use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// Floor of the MSE used by [`psnr`] (caps PSNR at 100 dB).
pub const MSE_FLOOR: f64 = 1e-10;
/// SSIM window side.
pub const SSIM_WINDOW: usize = 11;
/// SSIM Gaussian σ.
pub const SSIM_SIGMA: f64 = 1.5;
/// SSIM constant `C1 = (0.01·L)²`, `L = 1`.
pub const SSIM_C1: f64 = 0.01 * 0.01;
/// SSIM constant `C2 = (0.03·L)²`.
pub const SSIM_C2: f64 = 0.03 * 0.03;

/// Mean squared error (`NaN` if the lengths differ or are zero).
pub fn mse(truth: &[f64], x: &[f64]) -> f64 {
    if truth.len() != x.len() || x.is_empty() {
        return f64::NAN;
    }
    truth
        .iter()
        .zip(x)
        .map(|(a, b)| (a - b) * (a - b))
        .sum::<f64>()
        / x.len() as f64
}

/// PSNR in dB of an MSE on [0, 1] pixels (peak 1), capped at 100 dB.
pub fn psnr(mse: f64) -> f64 {
    if mse.is_nan() {
        return f64::NAN;
    }
    -10.0 * mse.max(MSE_FLOOR).log10()
}

/// Share of pixels within 1/255 of the truth.
pub fn within(truth: &[f64], x: &[f64]) -> f64 {
    if truth.len() != x.len() || x.is_empty() {
        return f64::NAN;
    }
    let tol = 1.0 / 255.0 + 1e-9;
    truth
        .iter()
        .zip(x)
        .filter(|(a, b)| (*a - *b).abs() <= tol)
        .count() as f64
        / x.len() as f64
}

/// The normalised 1-D Gaussian of the SSIM window.
pub fn ssim_kernel() -> [f64; SSIM_WINDOW] {
    let mut g = [0.0; SSIM_WINDOW];
    let c = (SSIM_WINDOW / 2) as f64;
    for (k, v) in g.iter_mut().enumerate() {
        let d = k as f64 - c;
        *v = (-d * d / (2.0 * SSIM_SIGMA * SSIM_SIGMA)).exp();
    }
    let s: f64 = g.iter().sum();
    g.iter_mut().for_each(|v| *v /= s);
    g
}

/// Separable "valid" filtering of a `rows×cols` image with the SSIM window.
fn filter(img: &[f64], rows: usize, cols: usize, g: &[f64; SSIM_WINDOW]) -> Vec<f64> {
    let w = SSIM_WINDOW;
    let (or, oc) = (rows + 1 - w, cols + 1 - w);
    let mut tmp = vec![0.0; rows * oc];
    for i in 0..rows {
        for j in 0..oc {
            tmp[i * oc + j] = (0..w).map(|k| g[k] * img[i * cols + j + k]).sum();
        }
    }
    let mut out = vec![0.0; or * oc];
    for i in 0..or {
        for j in 0..oc {
            out[i * oc + j] = (0..w).map(|k| g[k] * tmp[(i + k) * oc + j]).sum();
        }
    }
    out
}

/// Mean SSIM of two `rows×cols` images on [0, 1] (`NaN` if sizes do not match or the image is
/// smaller than the 11×11 window).
pub fn ssim(truth: &[f64], x: &[f64], rows: usize, cols: usize) -> f64 {
    let n = rows * cols;
    if truth.len() != n || x.len() != n || rows < SSIM_WINDOW || cols < SSIM_WINDOW {
        return f64::NAN;
    }
    let g = ssim_kernel();
    let xx: Vec<f64> = truth.iter().map(|v| v * v).collect();
    let yy: Vec<f64> = x.iter().map(|v| v * v).collect();
    let xy: Vec<f64> = truth.iter().zip(x).map(|(a, b)| a * b).collect();
    let mx = filter(truth, rows, cols, &g);
    let my = filter(x, rows, cols, &g);
    let sxx = filter(&xx, rows, cols, &g);
    let syy = filter(&yy, rows, cols, &g);
    let sxy = filter(&xy, rows, cols, &g);
    let mut total = 0.0;
    for k in 0..mx.len() {
        let (a, b) = (mx[k], my[k]);
        let vx = sxx[k] - a * a;
        let vy = syy[k] - b * b;
        let cxy = sxy[k] - a * b;
        total += ((2.0 * a * b + SSIM_C1) * (2.0 * cxy + SSIM_C2))
            / ((a * a + b * b + SSIM_C1) * (vx + vy + SSIM_C2));
    }
    total / mx.len() as f64
}

/// All four metrics of one reconstruction.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Quality {
    /// Mean squared error on [0, 1].
    pub mse: f64,
    /// PSNR, dB (≤ 100).
    pub psnr: f64,
    /// Mean SSIM.
    pub ssim: f64,
    /// Share of pixels within 1/255.
    pub within: f64,
}

impl Quality {
    /// Measure `x` against `truth` (both `rows×cols` on [0, 1]).
    /// `rows · cols` is computed with checked arithmetic (`rows = 16, cols = 268 435 505` wraps to
    /// 784 on wasm32) and capped at [`crate::limits::MAX_IMAGE_PIXELS`]; NaN or infinite pixels
    /// are refused.
    pub fn measure(truth: &[f64], x: &[f64], rows: usize, cols: usize) -> Result<Self> {
        let n = crate::limits::mul(rows, cols)?;
        crate::limits::Limit::ImagePixels.check(n)?;
        if rows == 0 || cols == 0 || truth.len() != n || x.len() != n {
            return Err(Error::invalid(format!(
                "metrics: images of {} and {} pixels, expected {rows}×{cols}",
                truth.len(),
                x.len()
            )));
        }
        if !truth.iter().chain(x).all(|v| v.is_finite()) {
            return Err(Error::invalid("metrics: pixels must be finite"));
        }
        let m = mse(truth, x);
        Ok(Self {
            mse: m,
            psnr: psnr(m),
            ssim: ssim(truth, x, rows, cols),
            within: within(truth, x),
        })
    }
}
