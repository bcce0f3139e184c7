//! [`ServerView`]: exactly what the server held during one training step — the attacker's only
//! input. Plain data, serialisable to JSON; nothing in it is derived from anything the server
//! did not receive or compute itself.
//!
//! Units are the network's: pixels `x ∈ [0, 1]` (`level/L`), weights as the server used them
//! (after fixed-point encoding: `round(w·S)/S`), so that for the FE protocols
//! `z1[b, i] = Σ_j w1[i, j]·x_b[j]` holds up to float rounding, and with a batch of one
//! `dw1[i, ·] = delta1[0, i]·x`.

use super::ProtocolKind;
use crate::{Error, Result};
use ndarray::Array2;
use serde::{Deserialize, Serialize};

/// Bytes that crossed each channel during a step.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Traffic {
    /// Ciphertexts client → server.
    pub ciphertext_bytes: u64,
    /// Function keys (authority or client) → server.
    pub key_bytes: u64,
    /// Plaintext client → server (labels; `Z1` in client-loop).
    pub plaintext_to_server: u64,
    /// Plaintext server → client (`δ1` in the client-loop protocols).
    pub plaintext_to_client: u64,
}

impl Traffic {
    /// All bytes of the step.
    pub fn total(&self) -> u64 {
        self.ciphertext_bytes + self.key_bytes + self.plaintext_to_server + self.plaintext_to_client
    }

    /// Add another step's traffic.
    pub fn add(&mut self, o: &Traffic) {
        self.ciphertext_bytes += o.ciphertext_bytes;
        self.key_bytes += o.key_bytes;
        self.plaintext_to_server += o.plaintext_to_server;
        self.plaintext_to_client += o.plaintext_to_client;
    }
}

/// What the server held in one step of a protocol.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServerView {
    /// The protocol that produced the view.
    pub protocol: ProtocolKind,
    /// 0-based global step number.
    pub step: usize,
    /// Training-set index of each row of the batch (the server iterates over the stored
    /// samples, so it knows which one it is processing — this links views across epochs).
    pub sample_ids: Vec<usize>,
    /// Input size `n`.
    pub input: usize,
    /// Hidden units `h`.
    pub hidden: usize,
    /// Pixel levels `L` of the public encoding (`x = level/L`).
    pub pixel_levels: u32,
    /// Weight scale `S` of the public encoding when `z1` are decrypted integers
    /// (`z1 = z/(S·L)`); `None` when `z1` arrived as real numbers (client in the loop).
    pub weight_scale: Option<f32>,
    /// `W1` (h × n) exactly as used for `z1`, when the server knows it (CryptoNN, FENet).
    pub w1: Option<Array2<f64>>,
    /// `Z1 = X·W1ᵀ` (m × h), without the bias: decrypted (FE) or received (client-loop).
    pub z1: Array2<f64>,
    /// `δ1 = ∂L/∂Z1` (m × h) as the server used it (for the FE gradient: the key vectors,
    /// after encoding).
    pub delta1: Array2<f64>,
    /// `dW1 = δ1ᵀ·X` (h × n), when the server decrypted it (CryptoNN, FENet).
    pub dw1: Option<Array2<f64>>,
    /// The labels, when the server saw them (it needs them for the loss in every protocol here).
    pub labels: Option<Vec<u8>>,
    /// Bytes per channel in this step.
    pub traffic: Traffic,
}

impl ServerView {
    /// Batch size `m`.
    pub fn batch(&self) -> usize {
        self.z1.nrows()
    }

    /// The quantum of `z1` (`1/(S·L)`) when its values are decrypted integers.
    pub fn z_step(&self) -> Option<f64> {
        self.weight_scale
            .map(|s| 1.0 / (f64::from(s) * f64::from(self.pixel_levels)))
    }

    /// Check that the shapes agree (use after deserialising a view from outside).
    pub fn validate(&self) -> Result<()> {
        let (m, h, n) = (self.sample_ids.len(), self.hidden, self.input);
        let bad = |what: &str, got: (usize, usize), want: (usize, usize)| {
            Err(Error::invalid(format!(
                "server view: {what} is {got:?}, expected {want:?}"
            )))
        };
        if self.z1.dim() != (m, h) {
            return bad("z1", self.z1.dim(), (m, h));
        }
        if self.delta1.dim() != (m, h) {
            return bad("delta1", self.delta1.dim(), (m, h));
        }
        if let Some(w) = &self.w1 {
            if w.dim() != (h, n) {
                return bad("w1", w.dim(), (h, n));
            }
        }
        if let Some(d) = &self.dw1 {
            if d.dim() != (h, n) {
                return bad("dw1", d.dim(), (h, n));
            }
        }
        if let Some(l) = &self.labels {
            if l.len() != m {
                return bad("labels", (l.len(), 1), (m, 1));
            }
        }
        if self.pixel_levels == 0 {
            return Err(Error::invalid("server view: zero pixel levels"));
        }
        if self
            .weight_scale
            .is_some_and(|s| !(s.is_finite() && s >= 1.0))
        {
            return Err(Error::invalid("server view: bad weight scale"));
        }
        let finite = |a: &Array2<f64>| a.iter().all(|v| v.is_finite());
        if !finite(&self.z1)
            || !finite(&self.delta1)
            || self.w1.as_ref().is_some_and(|w| !finite(w))
            || self.dw1.as_ref().is_some_and(|d| !finite(d))
        {
            return Err(Error::invalid(
                "server view: a value is not a finite number",
            ));
        }
        Ok(())
    }

    /// JSON text.
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string(self).map_err(|e| Error::invalid(format!("server view: {e}")))
    }

    /// Parse and validate JSON text.
    pub fn from_json(s: &str) -> Result<Self> {
        let v: Self =
            serde_json::from_str(s).map_err(|e| Error::Decode(format!("server view: {e}")))?;
        v.validate()?;
        Ok(v)
    }

    /// Row `b` of the batch: position of training sample `id`, if it is in this view.
    pub fn row_of(&self, id: usize) -> Option<usize> {
        self.sample_ids.iter().position(|&s| s == id)
    }
}

/// `f32` matrix → `f64` (views are stored in `f64`).
pub(crate) fn to_f64(a: &Array2<f32>) -> Array2<f64> {
    a.mapv(f64::from)
}
