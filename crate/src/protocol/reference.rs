//! The plaintext paths the protocols must reproduce exactly.
//!
//! The FE protocols differ from plaintext training only in *where the integers come from*: the
//! server decrypts `z = W1q·xq` and `d = δq·Xq` instead of multiplying. The float code after
//! that is shared ([`head_step`], [`gradient_keys`], [`apply_gradient`]), so bit-identical
//! integers give bit-identical weights — which the equivalence tests check against
//! [`quantized_step`] (CryptoNN, FENet), [`quantized_forward_step`] (FHIPE) and
//! [`Mlp::sgd_step`] (client-loop).

use super::Batch;
use crate::nn::{Gradients, Mlp, Quantization};
use crate::Result;
use ndarray::Array2;

/// The integers of one quantised step.
#[derive(Debug, Clone, PartialEq)]
pub struct QuantizedStep {
    /// Encoded `W1` (h × n) used for the forward pass.
    pub wq: Array2<i64>,
    /// `z = Xq·W1qᵀ` (m × h).
    pub z: Array2<i64>,
    /// The per-step δ scale `s_δ`.
    pub s_delta: f32,
    /// Encoded `δ1` (m × h).
    pub dq: Array2<i64>,
    /// `d = δqᵀ·Xq` (h × n).
    pub dw: Array2<i64>,
    /// Batch loss.
    pub loss: f32,
    /// Correct predictions in the batch.
    pub correct: usize,
}

/// Server side after the first layer: `Z1 = z/(S·L)`, the head, back-propagation to `δ1`.
/// Errors if `z` is outside the dlog range (the FE path would fail there too).
pub fn head_step(
    model: &Mlp,
    z: &Array2<i64>,
    labels: &[u8],
    q: &Quantization,
) -> Result<(Array2<f32>, Gradients)> {
    q.check(z.view())?;
    let z1 = q.z1_real(z.view());
    let fwd = model.head(z1.view())?;
    let g = model.backward(&fwd, labels)?;
    Ok((z1, g))
}

/// The gradient key vectors: `s_δ` and `δq = round(δ1·s_δ)` (m × h; column `i` is the key for
/// row `i` of `dW1`).
pub fn gradient_keys(g: &Gradients, q: &Quantization) -> Result<(f32, Array2<i64>)> {
    let s = q.delta_scale(g.delta1.view());
    Ok((s, q.delta(g.delta1.view(), s)?))
}

/// `dW1 = d/(s_δ·L)` and the SGD update of every parameter.
pub fn apply_gradient(
    model: &mut Mlp,
    dw: &Array2<i64>,
    s_delta: f32,
    g: &Gradients,
    q: &Quantization,
    lr: f32,
) -> Result<()> {
    q.check(dw.view())?;
    let dw1 = q.dw1_real(dw.view(), s_delta);
    model.apply(Some(dw1.view()), g, lr)
}

/// One plaintext quantised step: what CryptoNN and FENet compute, without encryption.
pub fn quantized_step(
    model: &mut Mlp,
    batch: &Batch,
    q: &Quantization,
    lr: f32,
) -> Result<QuantizedStep> {
    let xq = q.pixels(batch.pixels.view());
    let wq = q.weights(model.w1().view())?;
    let z = xq.dot(&wq.t());
    let (_, g) = head_step(model, &z, &batch.labels, q)?;
    let (s_delta, dq) = gradient_keys(&g, q)?;
    let dw = dq.t().dot(&xq);
    apply_gradient(model, &dw, s_delta, &g, q, lr)?;
    Ok(QuantizedStep {
        wq,
        z,
        s_delta,
        dq,
        dw,
        loss: g.loss,
        correct: g.correct,
    })
}

/// One step with a quantised forward and a plaintext float gradient computed by the client from
/// `δ1` (what the FHIPE mitigation computes). Returns `z`.
pub fn quantized_forward_step(
    model: &mut Mlp,
    batch: &Batch,
    q: &Quantization,
    lr: f32,
) -> Result<Array2<i64>> {
    let xq = q.pixels(batch.pixels.view());
    let wq = q.weights(model.w1().view())?;
    let z = xq.dot(&wq.t());
    let (_, g) = head_step(model, &z, &batch.labels, q)?;
    client_update(model, &g, batch, q, lr)?;
    Ok(z)
}

/// The client's `W1` update from the `δ1` it received: `W1 ← W1 − lr·δ1ᵀ·X`, and the server's
/// update of its own layers. (Both parties' updates, applied to the assembled model.)
pub fn client_update(
    model: &mut Mlp,
    g: &Gradients,
    batch: &Batch,
    q: &Quantization,
    lr: f32,
) -> Result<()> {
    let x = q.pixels_real(batch.pixels.view());
    let dw1 = Mlp::first_layer_gradient(g.delta1.view(), x.view());
    model.apply(Some(dw1.view()), g, lr)
}
