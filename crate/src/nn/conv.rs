//! A first convolution layer on integers, as functional encryption computes it
//! (`../shared/science.md` §6).
//!
//! `k` filters of `C×r×r` weights (r = 3 or 5, any odd `r ≤ 7` is accepted), stride 1, 'same'
//! (zero padding of `r/2`) or 'valid' padding, over an image of `C×H×W` integer levels stored
//! channel-major (`CHW`: slot `c·H·W + i·W + j`), the layout the client encrypts.
//!
//! Every output is one inner product `⟨filter f, patch at position p⟩`: the *sparse operator*
//! representation ([`ConvLayer::row`]) lists, for output `(f, p)`, the image slots the patch
//! covers (padding taps are dropped: they multiply a zero) and the filter weights on them. That
//! row is exactly the function-key vector of the FE layer (zero outside the patch), and the row
//! of the attacker's linear system.
//!
//! Outputs are ordered filter-major: output `f·P + p`, `p = oy·OW + ox`.
//!
//! All sizes come from the caller and are checked (`checked_mul`; `usize` is 32 bits on wasm32).

use crate::{Error, Result};
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use serde::{Deserialize, Serialize};

/// Largest accepted image side, channel count, filter count and kernel side.
pub const MAX_SIDE: usize = 1024;
/// Largest number of input channels.
pub const MAX_CHANNELS: usize = 64;
/// Largest number of filters.
pub const MAX_FILTERS: usize = 1024;
/// Largest kernel side.
pub const MAX_KERNEL: usize = 7;

/// Border handling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Padding {
    /// Zero padding of `r/2`: `H×W` outputs per filter.
    Same,
    /// No padding: `(H−r+1)×(W−r+1)` outputs per filter.
    Valid,
}

impl Padding {
    /// `same` / `valid`.
    pub fn as_str(self) -> &'static str {
        match self {
            Padding::Same => "same",
            Padding::Valid => "valid",
        }
    }

    /// Parse `same` / `valid`.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "same" => Ok(Padding::Same),
            "valid" => Ok(Padding::Valid),
            other => Err(Error::invalid(format!(
                "padding '{other}': expected 'same' or 'valid'"
            ))),
        }
    }
}

/// The geometry of a convolution layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConvShape {
    /// Input channels `C`.
    pub channels: usize,
    /// Image height `H`.
    pub height: usize,
    /// Image width `W`.
    pub width: usize,
    /// Kernel side `r` (odd).
    pub kernel: usize,
    /// Number of filters `k`.
    pub filters: usize,
    /// Padding.
    pub padding: Padding,
}

fn mul(a: usize, b: usize, what: &str) -> Result<usize> {
    a.checked_mul(b)
        .ok_or_else(|| Error::invalid(format!("{what}: {a}·{b} overflows")))
}

impl ConvShape {
    /// A checked shape.
    pub fn new(
        channels: usize,
        height: usize,
        width: usize,
        kernel: usize,
        filters: usize,
        padding: Padding,
    ) -> Result<Self> {
        if !(1..=MAX_CHANNELS).contains(&channels) {
            return Err(Error::invalid(format!(
                "conv: {channels} channels, expected 1..={MAX_CHANNELS}"
            )));
        }
        if !(1..=MAX_SIDE).contains(&height) || !(1..=MAX_SIDE).contains(&width) {
            return Err(Error::invalid(format!(
                "conv: image {height}×{width}, sides must be 1..={MAX_SIDE}"
            )));
        }
        if kernel == 0 || kernel % 2 == 0 || kernel > MAX_KERNEL {
            return Err(Error::invalid(format!(
                "conv: kernel {kernel}, expected an odd side 1..={MAX_KERNEL} (3 or 5)"
            )));
        }
        if !(1..=MAX_FILTERS).contains(&filters) {
            return Err(Error::invalid(format!(
                "conv: {filters} filters, expected 1..={MAX_FILTERS}"
            )));
        }
        if padding == Padding::Valid && (height < kernel || width < kernel) {
            return Err(Error::invalid(format!(
                "conv: 'valid' padding needs an image of at least {kernel}×{kernel}, got {height}×{width}"
            )));
        }
        let s = Self {
            channels,
            height,
            width,
            kernel,
            filters,
            padding,
        };
        // Every derived size must fit a usize (and so an index) on 32-bit targets.
        let n = mul(mul(channels, height, "conv inputs")?, width, "conv inputs")?;
        mul(s.positions(), filters, "conv outputs")?;
        mul(s.patch_len(), filters, "conv weights")?;
        if n > u32::MAX as usize {
            return Err(Error::invalid("conv: too many input slots"));
        }
        Ok(s)
    }

    /// Input slots `C·H·W`.
    pub fn inputs(&self) -> usize {
        self.channels * self.height * self.width
    }

    /// Output rows per filter.
    pub fn out_height(&self) -> usize {
        match self.padding {
            Padding::Same => self.height,
            Padding::Valid => self.height + 1 - self.kernel,
        }
    }

    /// Output columns per filter.
    pub fn out_width(&self) -> usize {
        match self.padding {
            Padding::Same => self.width,
            Padding::Valid => self.width + 1 - self.kernel,
        }
    }

    /// Output positions `P` per filter.
    pub fn positions(&self) -> usize {
        self.out_height() * self.out_width()
    }

    /// All outputs `k·P`.
    pub fn outputs(&self) -> usize {
        self.filters * self.positions()
    }

    /// Weights per filter `C·r·r`.
    pub fn patch_len(&self) -> usize {
        self.channels * self.kernel * self.kernel
    }

    /// The taps of the patch at position `p`: `(slot, tap)` pairs with `slot` the image index
    /// (CHW) and `tap = c·r·r + di·r + dj` the filter index; taps in the padding are left out.
    /// Slots come in increasing order.
    pub fn patch(&self, p: usize) -> Result<Vec<(u32, u32)>> {
        if p >= self.positions() {
            return Err(Error::invalid(format!(
                "conv: position {p} out of range (P = {})",
                self.positions()
            )));
        }
        let (oy, ox) = (p / self.out_width(), p % self.out_width());
        let r = self.kernel;
        let off = match self.padding {
            Padding::Same => r / 2,
            Padding::Valid => 0,
        };
        let mut taps = Vec::with_capacity(self.patch_len());
        for c in 0..self.channels {
            for di in 0..r {
                let Some(i) = (oy + di).checked_sub(off).filter(|&i| i < self.height) else {
                    continue;
                };
                for dj in 0..r {
                    let Some(j) = (ox + dj).checked_sub(off).filter(|&j| j < self.width) else {
                        continue;
                    };
                    let slot = (c * self.height + i) * self.width + j;
                    taps.push((slot as u32, (c * r * r + di * r + dj) as u32));
                }
            }
        }
        Ok(taps)
    }
}

/// One sparse row: image slots (increasing) and their integer weights.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SparseRow {
    /// Image slots.
    pub idx: Vec<u32>,
    /// Weights on those slots.
    pub val: Vec<i64>,
}

/// A convolution layer with integer (quantised) filters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConvLayer {
    shape: ConvShape,
    /// `k × C·r·r`, filter-major.
    weights: Vec<i64>,
}

/// Largest |weight| accepted (keeps every output far inside `i64` and a dlog bound ≤ 2⁶⁰).
pub const MAX_WEIGHT: i64 = 1 << 20;

impl ConvLayer {
    /// A layer from integer filters (`k × C·r·r`, filter-major).
    pub fn new(shape: ConvShape, weights: Vec<i64>) -> Result<Self> {
        let want = shape.filters * shape.patch_len();
        if weights.len() != want {
            return Err(Error::invalid(format!(
                "conv: {} weights, expected k·C·r·r = {want}",
                weights.len()
            )));
        }
        if let Some(w) = weights
            .iter()
            .find(|w| w.unsigned_abs() > MAX_WEIGHT as u64)
        {
            return Err(Error::invalid(format!(
                "conv: weight {w} exceeds ±{MAX_WEIGHT}"
            )));
        }
        Ok(Self { shape, weights })
    }

    /// Quantise real filters: `round(w·scale)`.
    pub fn quantize(shape: ConvShape, weights: &[f64], scale: f64) -> Result<Self> {
        if !(scale.is_finite() && scale >= 1.0) {
            return Err(Error::invalid(format!(
                "conv: weight scale {scale} must be ≥ 1"
            )));
        }
        if let Some(w) = weights.iter().find(|w| !w.is_finite()) {
            return Err(Error::invalid(format!("conv: weight {w} is not finite")));
        }
        let q = weights
            .iter()
            .map(|w| {
                let v = (w * scale).round();
                if v.abs() > MAX_WEIGHT as f64 {
                    Err(Error::invalid(format!(
                        "conv: weight {w}·{scale} exceeds ±{MAX_WEIGHT}"
                    )))
                } else {
                    Ok(v as i64)
                }
            })
            .collect::<Result<Vec<_>>>()?;
        Self::new(shape, q)
    }

    /// Filters drawn i.i.d. N(0, 1) from a ChaCha20 stream seeded by `seed` (the attack
    /// experiments' setting; reproducible), quantised at `scale`.
    pub fn random_normal(shape: ConvShape, scale: f64, seed: u64) -> Result<Self> {
        let w = normal_weights(shape.filters * shape.patch_len(), seed);
        Self::quantize(shape, &w, scale)
    }

    /// The geometry.
    pub fn shape(&self) -> &ConvShape {
        &self.shape
    }

    /// The integer filters, `k × C·r·r`.
    pub fn weights(&self) -> &[i64] {
        &self.weights
    }

    /// Filter `f`.
    pub fn filter(&self, f: usize) -> &[i64] {
        let l = self.shape.patch_len();
        &self.weights[f * l..(f + 1) * l]
    }

    /// The sparse row of output `(f, p)`: the function-key vector, zero outside the patch.
    /// Zero weights are dropped.
    pub fn row(&self, f: usize, p: usize) -> Result<SparseRow> {
        if f >= self.shape.filters {
            return Err(Error::invalid(format!(
                "conv: filter {f} out of range (k = {})",
                self.shape.filters
            )));
        }
        let w = self.filter(f);
        let (mut idx, mut val) = (Vec::new(), Vec::new());
        for (slot, tap) in self.shape.patch(p)? {
            let v = w[tap as usize];
            if v != 0 {
                idx.push(slot);
                val.push(v);
            }
        }
        Ok(SparseRow { idx, val })
    }

    /// Every row, output order (`f·P + p`).
    pub fn rows(&self) -> Result<Vec<SparseRow>> {
        let mut out = Vec::with_capacity(self.shape.outputs());
        for f in 0..self.shape.filters {
            for p in 0..self.shape.positions() {
                out.push(self.row(f, p)?);
            }
        }
        Ok(out)
    }

    /// The largest `|output|` for inputs in `[0, max_level]`: `max_f Σ|w_f|·max_level`
    /// (the dlog bound the server needs).
    pub fn output_bound(&self, max_level: u64) -> u64 {
        (0..self.shape.filters)
            .map(|f| self.filter(f).iter().map(|w| w.unsigned_abs()).sum::<u64>())
            .max()
            .unwrap_or(0)
            .saturating_mul(max_level)
    }

    /// The plaintext quantised path: every output `⟨filter, patch⟩` on integer levels, in
    /// output order. This is what the FE server decrypts, bit for bit.
    pub fn forward(&self, x: &[i64]) -> Result<Vec<i64>> {
        let s = &self.shape;
        if x.len() != s.inputs() {
            return Err(Error::invalid(format!(
                "conv: image of {} values, expected C·H·W = {}",
                x.len(),
                s.inputs()
            )));
        }
        let patches = (0..s.positions())
            .map(|p| s.patch(p))
            .collect::<Result<Vec<_>>>()?;
        let mut out = Vec::with_capacity(s.outputs());
        for f in 0..s.filters {
            let w = self.filter(f);
            for taps in &patches {
                let mut acc: i128 = 0;
                for &(slot, tap) in taps {
                    acc += i128::from(w[tap as usize]) * i128::from(x[slot as usize]);
                }
                out.push(
                    i64::try_from(acc)
                        .map_err(|_| Error::invalid("conv: an output overflows i64"))?,
                );
            }
        }
        Ok(out)
    }
}

/// `len` i.i.d. N(0, 1) values from a ChaCha20 stream seeded by `seed` (Box–Muller).
pub fn normal_weights(len: usize, seed: u64) -> Vec<f64> {
    use rand::Rng;
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    let mut out = Vec::with_capacity(len);
    while out.len() < len {
        let u1: f64 = rng.gen_range(f64::MIN_POSITIVE..1.0);
        let u2: f64 = rng.gen::<f64>();
        let r = (-2.0 * u1.ln()).sqrt();
        let t = 2.0 * std::f64::consts::PI * u2;
        out.push(r * t.cos());
        if out.len() < len {
            out.push(r * t.sin());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(shape: &ConvShape, w: &[i64], x: &[i64]) -> Vec<i64> {
        let (c, h, wd, r) = (shape.channels, shape.height, shape.width, shape.kernel);
        let off = if shape.padding == Padding::Same {
            (r / 2) as i64
        } else {
            0
        };
        let mut out = Vec::new();
        for f in 0..shape.filters {
            for oy in 0..shape.out_height() {
                for ox in 0..shape.out_width() {
                    let mut acc = 0i64;
                    for ch in 0..c {
                        for di in 0..r {
                            for dj in 0..r {
                                let i = oy as i64 + di as i64 - off;
                                let j = ox as i64 + dj as i64 - off;
                                if i < 0 || j < 0 || i >= h as i64 || j >= wd as i64 {
                                    continue;
                                }
                                let xv = x[(ch * h + i as usize) * wd + j as usize];
                                acc += w[f * c * r * r + ch * r * r + di * r + dj] * xv;
                            }
                        }
                    }
                    out.push(acc);
                }
            }
        }
        out
    }

    #[test]
    fn forward_matches_a_naive_convolution_and_rows() {
        for padding in [Padding::Same, Padding::Valid] {
            for kernel in [3, 5] {
                let shape = ConvShape::new(3, 7, 6, kernel, 2, padding).unwrap();
                let layer = ConvLayer::random_normal(shape, 10.0, 3).unwrap();
                let x: Vec<i64> = (0..shape.inputs() as i64).map(|i| (i * 37) % 256).collect();
                let out = layer.forward(&x).unwrap();
                assert_eq!(out, naive(&shape, layer.weights(), &x));
                let rows = layer.rows().unwrap();
                assert_eq!(rows.len(), shape.outputs());
                for (row, &z) in rows.iter().zip(&out) {
                    assert!(row.idx.windows(2).all(|w| w[0] < w[1]));
                    let dot: i64 = row
                        .idx
                        .iter()
                        .zip(&row.val)
                        .map(|(&i, &v)| v * x[i as usize])
                        .sum();
                    assert_eq!(dot, z);
                }
            }
        }
    }

    #[test]
    fn shapes_are_checked() {
        assert_eq!(
            ConvShape::new(3, 32, 32, 3, 16, Padding::Same)
                .unwrap()
                .outputs(),
            16384
        );
        assert_eq!(
            ConvShape::new(3, 32, 32, 3, 16, Padding::Valid)
                .unwrap()
                .outputs(),
            16 * 900
        );
        assert!(ConvShape::new(3, 32, 32, 4, 1, Padding::Same).is_err());
        assert!(ConvShape::new(3, 2, 2, 3, 1, Padding::Valid).is_err());
        assert!(ConvShape::new(0, 32, 32, 3, 1, Padding::Same).is_err());
        assert!(ConvShape::new(3, 32, 32, 3, 0, Padding::Same).is_err());
        assert!(ConvShape::new(3, 32, 32, 3, 1, Padding::Same)
            .unwrap()
            .patch(1024)
            .is_err());
        let shape = ConvShape::new(1, 4, 4, 3, 1, Padding::Same).unwrap();
        assert!(ConvLayer::new(shape, vec![1; 8]).is_err());
        assert!(ConvLayer::new(shape, vec![MAX_WEIGHT + 1; 9]).is_err());
        assert!(ConvLayer::quantize(shape, &[f64::NAN; 9], 10.0).is_err());
        let l = ConvLayer::new(shape, vec![1; 9]).unwrap();
        assert!(l.forward(&[0; 15]).is_err());
        assert!(l.row(1, 0).is_err());
        // A corner of 'same' padding sees 4 of the 9 taps.
        assert_eq!(l.row(0, 0).unwrap().idx, vec![0, 1, 4, 5]);
        assert_eq!(l.output_bound(255), 9 * 255);
    }
}
