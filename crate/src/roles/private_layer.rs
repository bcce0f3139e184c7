//! The mitigations' private first layer: the client's own `W1` (client in the loop, FHIPE).
//!
//! It is a secret like a master key. The client draws it from the OS/browser CSPRNG when a
//! mitigation starts and trains it itself; what leaves this type is only what the protocol
//! sends: `Z1 = X·W1ᵀ` (client in the loop) or FHIPE keys for the rows of its encoding (FHIPE).
//! It has no `Clone`, no `Serialize`, a redacted `Debug`, and no public accessor for `W1`:
//! code outside the crate — the server's, the attacker's, the page's — cannot obtain it
//! (`crate/tests/compile_fail/private_layer_w1.rs`).

use crate::fe::FhipeKey;
use crate::nn::{Activation, Mlp, Quantization};
use crate::roles::FhipeClient;
use crate::{Error, Result};
use ndarray::{Array2, ArrayView2};
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use rand_core::OsRng;

/// The client's private `W1` (`hidden × input`).
pub struct PrivateLayer {
    w1: Array2<f32>,
}

impl std::fmt::Debug for PrivateLayer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (h, n) = self.w1.dim();
        write!(f, "PrivateLayer {{ {h}×{n}, W1: <redacted> }}")
    }
}

impl PrivateLayer {
    /// Draw `W1` with the public initialisation recipe (He for ReLU) from a ChaCha20 generator
    /// seeded by the OS CSPRNG (`crypto.getRandomValues` in the browser): nobody else can
    /// recompute it.
    pub fn draw(input: usize, hidden: usize, activation: Activation) -> Result<Self> {
        Mlp::check_shape(input, hidden, 10)?;
        let mut rng = ChaCha20Rng::from_rng(OsRng)
            .map_err(|e| Error::invalid(format!("OS random generator: {e}")))?;
        Ok(Self {
            w1: Mlp::random_w1(input, hidden, activation, &mut rng),
        })
    }

    /// **Replay only** (reproducible experiments and equivalence tests): a given `W1`, e.g. the
    /// public seed's — a server that knows that seed knows this `W1`. Not in the page's build.
    #[cfg(feature = "replay")]
    pub fn replay(w1: Array2<f32>) -> Self {
        Self { w1 }
    }

    /// `(hidden, input)`.
    pub fn dim(&self) -> (usize, usize) {
        self.w1.dim()
    }

    /// `Z1 = X·W1ᵀ` for pixels in `[0, 1]` — what client in the loop sends.
    pub fn forward(&self, x: ArrayView2<f32>) -> Result<Array2<f32>> {
        if x.ncols() != self.w1.ncols() {
            return Err(Error::invalid(format!(
                "samples of {} values, W1 takes {}",
                x.ncols(),
                self.w1.ncols()
            )));
        }
        Ok(x.dot(&self.w1.t()))
    }

    /// `z = W1q·xq` with the fixed-point encoding `q` (integers, as the FE protocols compute).
    pub fn forward_quantized(&self, xq: ArrayView2<i64>, q: &Quantization) -> Result<Array2<i64>> {
        let wq = q.weights(self.w1.view())?;
        if xq.ncols() != wq.ncols() {
            return Err(Error::invalid("samples and W1 do not match"));
        }
        Ok(xq.dot(&wq.t()))
    }

    /// FHIPE keys for the rows of the encoded `W1` (`rows` of them, from `start`), issued with
    /// the client's own master key: the server can use them, not read them.
    pub fn fhipe_keys(
        &self,
        keys: &FhipeClient,
        q: &Quantization,
        start: usize,
        count: usize,
    ) -> Result<Vec<FhipeKey>> {
        let h = self.w1.nrows();
        let end = start
            .checked_add(count)
            .filter(|&e| e <= h)
            .ok_or_else(|| Error::invalid(format!("keys {start}..+{count} of {h} rows")))?;
        let wq = q.weights(self.w1.slice(ndarray::s![start..end, ..]))?;
        let rows: Vec<Vec<i64>> = wq.rows().into_iter().map(|r| r.to_vec()).collect();
        keys.keygen_rows(&rows)
    }

    /// `W1 ← W1 − lr·δ1ᵀ·X` from the `δ1` the server returned.
    pub fn update(&mut self, delta1: ArrayView2<f32>, x: ArrayView2<f32>, lr: f32) -> Result<()> {
        let dw1 = Mlp::first_layer_gradient(delta1, x);
        Mlp::sgd_w1(&mut self.w1, dw1.view(), lr)
    }

    /// The secret itself: for the client's own code in this crate (and the experimenter's
    /// evaluation of the assembled model), never for a party's view.
    pub(crate) fn w1(&self) -> &Array2<f32> {
        &self.w1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_draws_differ_and_debug_redacts() {
        let a = PrivateLayer::draw(16, 4, Activation::Relu).unwrap();
        let b = PrivateLayer::draw(16, 4, Activation::Relu).unwrap();
        assert_ne!(a.w1(), b.w1());
        let dbg = format!("{a:?}");
        assert!(dbg.contains("redacted") && !dbg.contains(&a.w1()[[0, 0]].to_string()));
        assert!(PrivateLayer::draw(0, 4, Activation::Relu).is_err());
    }
}
