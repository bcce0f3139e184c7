//! The classifier's end, shared by the [`super::Mlp`] and the [`super::cnn::Cnn`]: softmax over
//! the logits, the mean cross-entropy and its gradient `dZ2 = (P − Y)/m`, and the plain SGD
//! step `θ ← θ − lr·dθ`.

use crate::{Error, Result};
use ndarray::{Array2, ArrayView2};

/// Index of the largest value (the first one on ties).
pub(crate) fn argmax(v: &[f32]) -> usize {
    let mut best = 0;
    for (i, &x) in v.iter().enumerate() {
        if x > v[best] {
            best = i;
        }
    }
    best
}

/// Softmax of every row, in place (shifted by the row's maximum).
pub(crate) fn softmax_rows(logits: &mut Array2<f32>) {
    for mut row in logits.rows_mut() {
        let max = row.fold(f32::NEG_INFINITY, |m, &v| m.max(v));
        row.mapv_inplace(|v| (v - max).exp());
        let sum = row.sum();
        row.mapv_inplace(|v| v / sum);
    }
}

/// The mean cross-entropy of a batch and its gradient with respect to the logits.
#[derive(Debug, Clone)]
pub(crate) struct CrossEntropy {
    /// `dZ2 = (P − Y)/m` (m × classes).
    pub dz2: Array2<f32>,
    /// `L = −(1/m) Σ_b log P[b, y_b]`.
    pub loss: f32,
    /// Samples whose most probable class is their label.
    pub correct: usize,
}

/// [`CrossEntropy`] of the probabilities `probs` (m × classes) for `labels` (one per row).
pub(crate) fn cross_entropy(probs: &Array2<f32>, labels: &[u8]) -> Result<CrossEntropy> {
    let (m, k) = probs.dim();
    if labels.len() != m || m == 0 {
        return Err(Error::invalid(format!(
            "{} labels for a batch of {m}",
            labels.len()
        )));
    }
    let mut dz2 = probs.clone();
    let (mut loss, mut correct) = (0.0f32, 0);
    for (b, (&y, mut row)) in labels.iter().zip(dz2.rows_mut()).enumerate() {
        let y = usize::from(y);
        if y >= k {
            return Err(Error::invalid(format!("label {y} with {k} classes")));
        }
        loss -= probs[[b, y]].max(1e-12).ln();
        if row.as_slice().map(argmax) == Some(y) {
            correct += 1;
        }
        row[y] -= 1.0;
    }
    let inv_m = 1.0 / m as f32;
    dz2.mapv_inplace(|v| v * inv_m);
    Ok(CrossEntropy {
        dz2,
        loss: loss * inv_m,
        correct,
    })
}

/// One plain SGD step `θ ← θ − lr·dθ` on a weight matrix; `what` names `θ` in the error.
pub(crate) fn sgd(theta: &mut Array2<f32>, d: ArrayView2<f32>, lr: f32, what: &str) -> Result<()> {
    if d.dim() != theta.dim() {
        return Err(Error::invalid(format!(
            "{what}: a gradient of shape {:?} for weights of shape {:?}",
            d.dim(),
            theta.dim()
        )));
    }
    theta.scaled_add(-lr, &d);
    Ok(())
}
