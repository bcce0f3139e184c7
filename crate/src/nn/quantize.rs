//! Fixed-point encoding for FE, and its bounds.
//!
//! FE works on integers, so the protocols encode (the paper's §2):
//!
//! - pixels `p ∈ {0..255}` as levels `x = round(p·L/255)`, `L = pixel_levels` (255 keeps every byte);
//!   the real value is `x/L ∈ [0, 1]`;
//! - weights `w` as `round(w·S)`, `S = weight_scale` (CryptoNN used 10⁴, the RAID 2025 authors' code 10²);
//! - the back-propagated error `δ1` of a batch as `round(δ·s_δ)` with `s_δ = D / max|δ|`,
//!   `D = delta_levels`, chosen by the server per step (it owns δ).
//!
//! Then `Z1 = z/(S·L)` and `dW1 = d/(s_δ·L)` for the decrypted integers `z`, `d`. Every decrypted
//! integer must lie in the discrete-log range `[−bound, bound]` of the FE engine; a value outside
//! is [`Error::DlogOutOfRange`] — in the FE path and in the plaintext reference alike, never a wrong
//! answer. [`Quantization::z_worst_case`] bounds `|z|` before any encryption.

use crate::{Error, Result};
use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};

/// Fixed-point parameters of the FE protocols.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Quantization {
    /// Pixel levels `L`: a byte `p` is encoded as `round(p·L/255)`.
    pub pixel_levels: u32,
    /// Weight scale `S`: `w ↦ round(w·S)`.
    pub weight_scale: f32,
    /// Largest `|δ|` level `D` of the gradient keys.
    pub delta_levels: i64,
    /// The discrete-log bound: every decrypted value must satisfy `|v| ≤ bound`.
    pub bound: u64,
}

impl Default for Quantization {
    /// `L = 255`, `S = 100`, `D = 15`, bound `2²⁴`: a batch-32 gradient entry is at most
    /// `32·15·255 ≈ 1.2·10⁵` and a first-layer value of a trained 784-h network at `S = 100`
    /// stays far below `2²⁴` (it would need `Σ|w| > 658` over one row). Four bits of δ cost no
    /// accuracy (h = 128, 2000 digits, 3 epochs: D = 7, 15, 31, 127 within ±0.5 %) and keep the
    /// gradient decryption cheap.
    fn default() -> Self {
        Self {
            pixel_levels: 255,
            weight_scale: 100.0,
            delta_levels: 15,
            bound: 1 << 24,
        }
    }
}

impl Quantization {
    /// Check the parameters.
    pub fn validate(&self) -> Result<()> {
        if self.pixel_levels == 0 || self.pixel_levels > 1 << 16 {
            return Err(Error::invalid(format!(
                "pixel levels {} must be 1..=65536",
                self.pixel_levels
            )));
        }
        if !(self.weight_scale.is_finite() && self.weight_scale >= 1.0) {
            return Err(Error::invalid(format!(
                "weight scale {} must be ≥ 1",
                self.weight_scale
            )));
        }
        if !(1..=1 << 20).contains(&self.delta_levels) {
            return Err(Error::invalid(format!(
                "delta levels {} must be 1..=2^20",
                self.delta_levels
            )));
        }
        if self.bound == 0 || self.bound > 1 << 40 {
            return Err(Error::invalid("dlog bound must be 1..=2^40"));
        }
        Ok(())
    }

    /// Encode one byte pixel.
    pub fn pixel(&self, p: u8) -> i64 {
        let l = i64::from(self.pixel_levels);
        (i64::from(p) * l + 127) / 255
    }

    /// Encode a batch of byte images (m × n) as pixel levels.
    pub fn pixels(&self, x: ArrayView2<u8>) -> Array2<i64> {
        x.mapv(|p| self.pixel(p))
    }

    /// The real value of the encoded pixels, `x/L` (what the plaintext network sees).
    pub fn pixels_real(&self, x: ArrayView2<u8>) -> Array2<f32> {
        let l = self.pixel_levels as f32;
        x.mapv(|p| self.pixel(p) as f32 / l)
    }

    /// Encode weights: `round(w·S)`. Errors on a non-finite weight.
    pub fn weights(&self, w: ArrayView2<f32>) -> Result<Array2<i64>> {
        if w.iter().any(|v| !v.is_finite()) {
            return Err(Error::invalid(
                "the weights are not finite (training diverged)",
            ));
        }
        Ok(w.mapv(|v| (f64::from(v) * f64::from(self.weight_scale)).round() as i64))
    }

    /// The weights a server actually uses after encoding, `round(w·S)/S` (for the view).
    pub fn weights_real(&self, wq: ArrayView2<i64>) -> Array2<f64> {
        let s = f64::from(self.weight_scale);
        wq.mapv(|v| v as f64 / s)
    }

    /// The per-step scale `s_δ = D / max|δ|` (1 when δ is all zero).
    pub fn delta_scale(&self, delta: ArrayView2<f32>) -> f32 {
        let max = delta.fold(0.0f32, |m, &v| m.max(v.abs()));
        if max > 0.0 && max.is_finite() {
            self.delta_levels as f32 / max
        } else {
            1.0
        }
    }

    /// Encode δ with scale `s`: `round(δ·s)`.
    pub fn delta(&self, delta: ArrayView2<f32>, s: f32) -> Result<Array2<i64>> {
        if delta.iter().any(|v| !v.is_finite()) {
            return Err(Error::invalid("δ1 is not finite (training diverged)"));
        }
        Ok(delta.mapv(|v| (v * s).round() as i64))
    }

    /// `Z1` in real units from the decrypted integers: `z/(S·L)`.
    pub fn z1_real(&self, z: ArrayView2<i64>) -> Array2<f32> {
        let d = f64::from(self.weight_scale) * f64::from(self.pixel_levels);
        z.mapv(|v| (v as f64 / d) as f32)
    }

    /// `dW1` in real units from the decrypted integers: `d/(s_δ·L)`.
    pub fn dw1_real(&self, d: ArrayView2<i64>, s_delta: f32) -> Array2<f32> {
        let den = f64::from(s_delta) * f64::from(self.pixel_levels);
        d.mapv(|v| (v as f64 / den) as f32)
    }

    /// Error unless every value is inside the discrete-log range.
    pub fn check(&self, values: ArrayView2<i64>) -> Result<()> {
        if values.iter().any(|v| v.unsigned_abs() > self.bound) {
            return Err(Error::DlogOutOfRange { bound: self.bound });
        }
        Ok(())
    }

    /// The largest `|⟨w_i, x⟩|` any image could give with encoded weights `wq` (h × n):
    /// `max_i Σ_j |w_ij| · L`.
    pub fn z_worst_case(&self, wq: ArrayView2<i64>) -> u64 {
        wq.rows()
            .into_iter()
            .map(|r| r.iter().map(|v| v.unsigned_abs()).sum::<u64>())
            .max()
            .unwrap_or(0)
            .saturating_mul(u64::from(self.pixel_levels))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn encodes_and_decodes() {
        let q = Quantization::default();
        q.validate().unwrap();
        assert_eq!(q.pixel(0), 0);
        assert_eq!(q.pixel(255), 255);
        let q4 = Quantization {
            pixel_levels: 4,
            ..q
        };
        assert_eq!((q4.pixel(0), q4.pixel(100), q4.pixel(255)), (0, 2, 4));
        let w = q.weights(array![[0.123f32, -0.456]].view()).unwrap();
        assert_eq!(w, array![[12i64, -46]]);
        assert!(q.weights(array![[f32::NAN]].view()).is_err());
        let z = q.z1_real(array![[25500i64]].view());
        assert!((z[[0, 0]] - 1.0).abs() < 1e-7);
        assert_eq!(q.z_worst_case(w.view()), 58 * 255);
    }

    #[test]
    fn delta_scale_maps_the_largest_to_d() {
        let q = Quantization::default();
        let d = array![[0.5f32, -2.0], [1.0, 0.0]];
        let s = q.delta_scale(d.view());
        assert_eq!(q.delta(d.view(), s).unwrap(), array![[4i64, -15], [8, 0]]);
        assert_eq!(q.delta_scale(Array2::<f32>::zeros((2, 2)).view()), 1.0);
    }

    #[test]
    fn out_of_range_is_an_error() {
        let q = Quantization {
            bound: 100,
            ..Quantization::default()
        };
        assert!(q.check(array![[100i64, -100]].view()).is_ok());
        assert_eq!(
            q.check(array![[0i64, -101]].view()),
            Err(Error::DlogOutOfRange { bound: 100 })
        );
        assert!(Quantization {
            pixel_levels: 0,
            ..q
        }
        .validate()
        .is_err());
    }
}
