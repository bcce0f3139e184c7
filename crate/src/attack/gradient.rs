//! The gradient leak: CryptoNN decrypts the first-layer gradient for the server.
//!
//! For a batch of `B` samples `X` (`B×n`) and back-propagated errors `Δ` (`B×h`, row `b` is
//! `δ1` of sample `b`), the server obtains `dW1 = s·Δᵀ·X` (`h×n`, `s` = 1 or `1/B` for a mean).
//!
//! - Batch 1: every row is `dW1[i,:] = s·δ1_i·x`, so `x = dW1[i,:] / (s·δ1_i)` for any `i` with
//!   `δ1_i ≠ 0`. Using all rows at once — the least-squares estimate
//!   `x = Σ_i δ1_i·dW1[i,:] / (s·Σ_i δ1_i²)` — is the same in exact arithmetic and averages out
//!   the rounding of a fixed-point decryption.
//! - Batch `B ≤ h`: least squares `X = (Δ·Δᵀ)⁻¹·Δ·dW1 / s`, exact when `Δ` has rank `B`.
//!
//! The result is clipped to the pixel range (the attacker knows pixels are bounded).

use super::linalg::DenseCholesky;
use crate::{Error, Result};
use ndarray::{Array2, ArrayView2};

/// What the server saw of one gradient step.
#[derive(Debug, Clone, PartialEq)]
pub struct GradientLeak {
    /// `dW1`, `h×n`.
    pub dw1: Array2<f64>,
    /// `δ1` per sample, `B×h`.
    pub delta1: Array2<f64>,
    /// The factor `s` in `dW1 = s·Δᵀ·X` (1, or `1/B` when the gradient is a batch mean).
    pub scale: f64,
}

impl GradientLeak {
    /// From `f32` arrays as the network produces them.
    pub fn from_f32(dw1: ArrayView2<f32>, delta1: ArrayView2<f32>, scale: f64) -> Self {
        Self {
            dw1: dw1.mapv(f64::from),
            delta1: delta1.mapv(f64::from),
            scale,
        }
    }
}

/// Recover the `B` samples (`B×n`, clipped to `[0, pixel_max]`).
pub fn recover(leak: &GradientLeak, pixel_max: f64) -> Result<Vec<Vec<f64>>> {
    let (h, n) = leak.dw1.dim();
    let (b, h2) = leak.delta1.dim();
    if h != h2 {
        return Err(Error::invalid(format!(
            "gradient: dW1 has {h} rows but δ1 has {h2} units"
        )));
    }
    if b == 0 || b > h {
        return Err(Error::invalid(format!(
            "gradient: a batch of {b} samples needs 1 ≤ B ≤ h = {h}"
        )));
    }
    if !(leak.scale.is_finite() && leak.scale != 0.0) {
        return Err(Error::invalid(
            "gradient: scale must be finite and non-zero",
        ));
    }
    if leak
        .dw1
        .iter()
        .chain(leak.delta1.iter())
        .any(|v| !v.is_finite())
    {
        return Err(Error::invalid(
            "gradient: dW1 or δ1 holds a NaN or infinity",
        ));
    }
    // G = Δ·Δᵀ (B×B), R = Δ·dW1 (B×n)
    let g = leak.delta1.dot(&leak.delta1.t());
    let r = leak.delta1.dot(&leak.dw1);
    let maxd = (0..b).map(|i| g[(i, i)]).fold(0.0, f64::max);
    if maxd == 0.0 {
        return Err(Error::invalid(
            "gradient: δ1 is zero (no error signal reached the first layer)",
        ));
    }
    let chol = DenseCholesky::factor(g.iter().copied().collect(), b);
    if chol.dropped() > 0 {
        return Err(Error::invalid(format!(
            "gradient: the δ1 of the batch are linearly dependent (rank < {b})"
        )));
    }
    let mut out = vec![vec![0.0; n]; b];
    let mut col = vec![0.0; b];
    for j in 0..n {
        for (i, c) in col.iter_mut().enumerate() {
            *c = r[(i, j)];
        }
        chol.solve(&mut col);
        for (i, c) in col.iter().enumerate() {
            out[i][j] = (c / leak.scale).clamp(0.0, pixel_max);
        }
    }
    Ok(out)
}
