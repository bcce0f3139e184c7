//! The small CNN trained over FE: conv (`k` filters, [`ConvShape`]) → ReLU → `s×s` max pool
//! (stride `s`; 2×2 unless chosen) → dense → 10, softmax cross-entropy, mini-batch SGD.
//!
//! The network is split where the protocols split it, as for the [`super::Mlp`]: the first layer
//! `Z = conv(X)` (no bias, output order `f·P + p`) is what FE computes (or the client, in the
//! mitigations); the bias, ReLU, pooling, dense layer and back-propagation down to `δ = ∂L/∂Z`
//! are [`Cnn::head`] and [`Cnn::backward`], which the server runs in plaintext. The filter
//! gradient `dF[f, t] = Σ_b Σ_p δ[b, f·P+p]·X_b[slot(p, t)]` is again a product with the
//! private data.
//!
//! Convolutions go through an im2col table ([`Im2col`]): row `p` lists the image slot of each
//! filter tap (or none in the padding), so `Z_b = F·colᵀ` is one matrix product, on reals
//! (plaintext) and on integers (the quantised path FE decrypts, bit for bit).

use super::conv::{normal_weights, ConvLayer, ConvShape};
use super::loss::{argmax, cross_entropy, sgd, softmax_rows};
use super::Quantization;
use crate::{Error, Result};
use ndarray::{Array1, Array2, ArrayView2, Axis};

/// Classes.
pub const CLASSES: usize = 10;

/// The default pooling window (2×2, stride 2).
pub const DEFAULT_POOL: usize = 2;

/// Largest pooling window side accepted.
pub const MAX_POOL: usize = 8;

/// The im2col table of a shape: `P × T` image slots (`T = C·r·r`), `u32::MAX` in the padding.
#[derive(Debug, Clone, PartialEq)]
pub struct Im2col {
    shape: ConvShape,
    slots: Vec<u32>,
}

const PAD: u32 = u32::MAX;

impl Im2col {
    /// The table of `shape`.
    pub fn new(shape: ConvShape) -> Result<Self> {
        let (p_n, t_n) = (shape.positions(), shape.patch_len());
        let mut slots = vec![PAD; p_n * t_n];
        for p in 0..p_n {
            for (slot, tap) in shape.patch(p)? {
                slots[p * t_n + tap as usize] = slot;
            }
        }
        Ok(Self { shape, slots })
    }

    /// The geometry.
    pub fn shape(&self) -> &ConvShape {
        &self.shape
    }

    /// The patches of one image (`C·H·W` values) as a `P × T` matrix (zeros in the padding).
    pub fn columns<T: Copy + Default>(&self, x: &[T]) -> Result<Array2<T>> {
        if x.len() != self.shape.inputs() {
            return Err(Error::invalid(format!(
                "image of {} values, the conv layer takes C·H·W = {}",
                x.len(),
                self.shape.inputs()
            )));
        }
        let t_n = self.shape.patch_len();
        let v: Vec<T> = self
            .slots
            .iter()
            .map(|&s| {
                if s == PAD {
                    T::default()
                } else {
                    x[s as usize]
                }
            })
            .collect();
        Array2::from_shape_vec((self.shape.positions(), t_n), v)
            .map_err(|e| Error::invalid(format!("im2col: {e}")))
    }

    /// `Z = X ⊛ F` for a batch (`m × C·H·W`) and filters (`k × T`): `m × k·P`, order `f·P + p`.
    pub fn conv_real(&self, x: ArrayView2<f32>, filters: ArrayView2<f32>) -> Result<Array2<f32>> {
        self.conv(x, filters)
    }

    /// The integer convolution (the quantised path): exactly [`ConvLayer::forward`] per row.
    pub fn conv_int(&self, x: ArrayView2<i64>, filters: ArrayView2<i64>) -> Result<Array2<i64>> {
        self.conv(x, filters)
    }

    fn conv<T>(&self, x: ArrayView2<T>, filters: ArrayView2<T>) -> Result<Array2<T>>
    where
        T: ndarray::LinalgScalar + Default,
    {
        let s = &self.shape;
        if filters.dim() != (s.filters, s.patch_len()) {
            return Err(Error::invalid(format!(
                "filters of shape {:?}, expected {:?}",
                filters.dim(),
                (s.filters, s.patch_len())
            )));
        }
        let mut out = Array2::from_elem((x.nrows(), s.outputs()), T::default());
        for (b, row) in x.rows().into_iter().enumerate() {
            let xs = row.to_vec();
            let cols = self.columns(&xs)?;
            let z = filters.dot(&cols.t()); // k × P
            out.row_mut(b)
                .iter_mut()
                .zip(z.iter())
                .for_each(|(o, &v)| *o = v);
        }
        Ok(out)
    }

    /// The filter gradient `dF = Σ_b δ_b·col_b` (`k × T`) for `δ` (`m × k·P`) and the batch.
    pub fn filter_gradient<T>(&self, delta: ArrayView2<T>, x: ArrayView2<T>) -> Result<Array2<T>>
    where
        T: ndarray::LinalgScalar + Default,
    {
        let s = &self.shape;
        if delta.dim() != (x.nrows(), s.outputs()) {
            return Err(Error::invalid("δ does not match the batch and the layer"));
        }
        let mut out = Array2::from_elem((s.filters, s.patch_len()), T::default());
        for (d, row) in delta.rows().into_iter().zip(x.rows()) {
            let cols = self.columns(&row.to_vec())?;
            let d = d
                .to_owned()
                .into_shape_with_order((s.filters, s.positions()))
                .map_err(|e| Error::invalid(format!("δ: {e}")))?;
            out = out + d.dot(&cols);
        }
        Ok(out)
    }

    /// The tap columns of a batch as FE vectors: for tap `t`, the values `X_b[slot(p, t)]` over
    /// `(b, p)` (length `m·P`, order `b·P + p`). `⟨δ_f, column_t⟩ = dF[f, t]`.
    pub fn tap_columns(&self, x: &[Vec<i64>]) -> Result<Vec<Vec<i64>>> {
        let t_n = self.shape.patch_len();
        let mut out = vec![Vec::with_capacity(x.len() * self.shape.positions()); t_n];
        for img in x {
            let cols = self.columns(img)?;
            for r in cols.rows() {
                for (t, &v) in r.iter().enumerate() {
                    out[t].push(v);
                }
            }
        }
        Ok(out)
    }
}

/// The CNN's parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Cnn {
    im2col: Im2col,
    /// `k × T` first-layer filters.
    filters: Array2<f32>,
    b1: Array1<f32>,
    /// Side `s` of the max-pooling window (stride `s`).
    pool: usize,
    /// `10 × F`, `F = k·⌊OH/s⌋·⌊OW/s⌋`.
    w2: Array2<f32>,
    b2: Array1<f32>,
}

/// What the head's forward pass keeps for back-propagation.
#[derive(Debug, Clone)]
pub struct CnnForward {
    /// For each pooled unit (`m × F`), the first-layer output it came from (`f·P + p`), or
    /// `u32::MAX` when the unit is zero (ReLU off everywhere in its window).
    arg: Vec<u32>,
    pooled: Array2<f32>,
    /// Softmax probabilities (`m × 10`).
    pub probs: Array2<f32>,
}

/// Gradients of one batch.
#[derive(Debug, Clone)]
pub struct CnnGradients {
    /// `δ = ∂L/∂Z` (`m × k·P`): what the server back-propagates to the first layer.
    pub delta1: Array2<f32>,
    db1: Array1<f32>,
    dw2: Array2<f32>,
    db2: Array1<f32>,
    /// Mean cross-entropy.
    pub loss: f32,
    /// Correct predictions (before the update).
    pub correct: usize,
}

impl Cnn {
    /// A network on `shape` with 2×2 pooling and the public initialisation recipe: He-normal
    /// filters and dense weights from `seed`, zero biases.
    pub fn new(shape: ConvShape, seed: u64) -> Result<Self> {
        Self::with_pool(shape, DEFAULT_POOL, seed)
    }

    /// As [`Cnn::new`] with a `pool × pool` max-pooling window (stride `pool`, 1..=8). The
    /// filters do not depend on `pool`.
    pub fn with_pool(shape: ConvShape, pool: usize, seed: u64) -> Result<Self> {
        if !(1..=MAX_POOL).contains(&pool) {
            return Err(Error::invalid(format!(
                "pooling window {pool} must be 1..={MAX_POOL}"
            )));
        }
        let im2col = Im2col::new(shape)?;
        let t_n = shape.patch_len();
        let f = Self::pooled_len(&shape, pool);
        if f == 0 {
            return Err(Error::invalid(format!(
                "conv output {}×{} too small for {pool}×{pool} pooling",
                shape.out_height(),
                shape.out_width()
            )));
        }
        let fs = (2.0 / t_n as f64).sqrt();
        let filters = normal_weights(shape.filters * t_n, seed)
            .into_iter()
            .map(|w| (w * fs) as f32)
            .collect();
        let ws = (1.0 / f as f64).sqrt();
        let w2 = normal_weights(CLASSES * f, seed ^ 0x5eed_0002)
            .into_iter()
            .map(|w| (w * ws) as f32)
            .collect();
        Ok(Self {
            im2col,
            filters: Array2::from_shape_vec((shape.filters, t_n), filters)
                .map_err(|e| Error::invalid(e.to_string()))?,
            b1: Array1::zeros(shape.filters),
            pool,
            w2: Array2::from_shape_vec((CLASSES, f), w2)
                .map_err(|e| Error::invalid(e.to_string()))?,
            b2: Array1::zeros(CLASSES),
        })
    }

    /// The pooling window side.
    pub fn pool(&self) -> usize {
        self.pool
    }

    fn pooled_len(s: &ConvShape, pool: usize) -> usize {
        s.filters * (s.out_height() / pool) * (s.out_width() / pool)
    }

    /// The geometry of the first layer.
    pub fn shape(&self) -> &ConvShape {
        self.im2col.shape()
    }

    /// The im2col table.
    pub fn im2col(&self) -> &Im2col {
        &self.im2col
    }

    /// The first-layer filters (`k × T`).
    pub fn filters(&self) -> &Array2<f32> {
        &self.filters
    }

    /// Replace the filters (the mitigations' server holds zeros; evaluation puts the client's in).
    pub fn set_filters(&mut self, filters: Array2<f32>) -> Result<()> {
        if filters.dim() != self.filters.dim() {
            return Err(Error::invalid("filters of the wrong shape"));
        }
        self.filters = filters;
        Ok(())
    }

    /// The quantised filters as a [`ConvLayer`] (`round(F·S)`): what FE keys are made of.
    pub fn conv_layer(
        filters: &Array2<f32>,
        shape: ConvShape,
        q: &Quantization,
    ) -> Result<ConvLayer> {
        let fq = q.weights(filters.view())?;
        ConvLayer::new(shape, fq.into_raw_vec_and_offset().0)
    }

    /// The head on first-layer outputs `z` (`m × k·P`, no bias): bias, ReLU, pool, dense, softmax.
    pub fn head(&self, z: ArrayView2<f32>) -> Result<CnnForward> {
        let s = *self.shape();
        if z.ncols() != s.outputs() {
            return Err(Error::invalid(format!(
                "first-layer outputs of width {}, expected k·P = {}",
                z.ncols(),
                s.outputs()
            )));
        }
        let (oh, ow, p_n) = (s.out_height(), s.out_width(), s.positions());
        let sp = self.pool;
        let (ph, pw) = (oh / sp, ow / sp);
        let f_n = Self::pooled_len(&s, sp);
        let m = z.nrows();
        let mut pooled = Array2::zeros((m, f_n));
        let mut arg = vec![u32::MAX; m * f_n];
        for (b, zr) in z.rows().into_iter().enumerate() {
            for f in 0..s.filters {
                let bias = self.b1[f];
                for i in 0..ph {
                    for j in 0..pw {
                        let u = (f * ph + i) * pw + j;
                        let (mut best, mut at) = (0.0f32, u32::MAX);
                        for (di, dj) in (0..sp).flat_map(|di| (0..sp).map(move |dj| (di, dj))) {
                            let o = f * p_n + (sp * i + di) * ow + sp * j + dj;
                            let v = zr[o] + bias;
                            if v > best {
                                best = v;
                                at = o as u32;
                            }
                        }
                        pooled[[b, u]] = best;
                        arg[b * f_n + u] = at;
                    }
                }
            }
        }
        let mut logits = pooled.dot(&self.w2.t());
        logits += &self.b2;
        softmax_rows(&mut logits);
        Ok(CnnForward {
            arg,
            pooled,
            probs: logits,
        })
    }

    /// Back-propagation down to `δ = ∂L/∂Z`.
    pub fn backward(&self, fwd: &CnnForward, labels: &[u8]) -> Result<CnnGradients> {
        let m = fwd.probs.nrows();
        let ce = cross_entropy(&fwd.probs, labels)?;
        let dz2 = ce.dz2;
        let dw2 = dz2.t().dot(&fwd.pooled);
        let db2 = dz2.sum_axis(Axis(0));
        let dpool = dz2.dot(&self.w2);
        let s = self.shape();
        let f_n = dpool.ncols();
        let mut delta1 = Array2::zeros((m, s.outputs()));
        let mut db1 = Array1::zeros(s.filters);
        for b in 0..m {
            for u in 0..f_n {
                let at = fwd.arg[b * f_n + u];
                if at != u32::MAX {
                    let g = dpool[[b, u]];
                    delta1[[b, at as usize]] = g;
                    db1[at as usize / s.positions()] += g;
                }
            }
        }
        Ok(CnnGradients {
            delta1,
            db1,
            dw2,
            db2,
            loss: ce.loss,
            correct: ce.correct,
        })
    }

    /// One SGD update of the server-side parameters and, when given, of the filters.
    pub fn apply(
        &mut self,
        dfilters: Option<ArrayView2<f32>>,
        g: &CnnGradients,
        lr: f32,
    ) -> Result<()> {
        if g.dw2.dim() != self.w2.dim() || g.db1.len() != self.b1.len() {
            return Err(Error::invalid("gradients do not match the network's shape"));
        }
        if let Some(df) = dfilters {
            sgd_filters(&mut self.filters, df, lr)?;
        }
        self.b1.scaled_add(-lr, &g.db1);
        self.w2.scaled_add(-lr, &g.dw2);
        self.b2.scaled_add(-lr, &g.db2);
        Ok(())
    }

    /// One plaintext (float) SGD step; returns `(loss, correct)`.
    pub fn sgd_step(&mut self, x: ArrayView2<f32>, labels: &[u8], lr: f32) -> Result<(f32, usize)> {
        let z = self.im2col.conv_real(x, self.filters.view())?;
        let g = self.backward(&self.head(z.view())?, labels)?;
        let df = self.im2col.filter_gradient(g.delta1.view(), x)?;
        self.apply(Some(df.view()), &g, lr)?;
        Ok((g.loss, g.correct))
    }

    /// Predicted classes for a batch (`m × C·H·W`, pixels in [0, 1]).
    pub fn predict(&self, x: ArrayView2<f32>) -> Result<Vec<u8>> {
        let z = self.im2col.conv_real(x, self.filters.view())?;
        let fwd = self.head(z.view())?;
        Ok(fwd
            .probs
            .rows()
            .into_iter()
            .map(|r| r.as_slice().map_or(0, argmax) as u8)
            .collect())
    }

    /// Fraction of `set` classified correctly (pixels encoded with `q` as the client does).
    pub fn accuracy(&self, set: &crate::data::ImageSet, q: &Quantization) -> Result<f32> {
        if set.is_empty() {
            return Err(Error::invalid("no samples to evaluate"));
        }
        let mut correct = 0;
        let all: Vec<usize> = (0..set.len()).collect();
        for idx in all.chunks(256) {
            let batch = set.batch(idx)?;
            let pred = self.predict(q.pixels_real(batch.pixels.view()).view())?;
            correct += pred
                .iter()
                .zip(&batch.labels)
                .filter(|(p, l)| p == l)
                .count();
        }
        Ok(correct as f32 / set.len() as f32)
    }
}

/// `F ← F − lr·dF` (the server's update in CryptoNN, the client's in the mitigations).
pub fn sgd_filters(filters: &mut Array2<f32>, df: ArrayView2<f32>, lr: f32) -> Result<()> {
    sgd(filters, df, lr, "filters")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::conv::Padding;

    #[test]
    fn integer_conv_is_the_conv_layer_and_gradients_are_adjoint() {
        for padding in [Padding::Same, Padding::Valid] {
            let shape = ConvShape::new(3, 6, 5, 3, 2, padding).unwrap();
            let layer = ConvLayer::random_normal(shape, 16.0, 4).unwrap();
            let im = Im2col::new(shape).unwrap();
            let x: Vec<i64> = (0..shape.inputs() as i64).map(|i| (i * 31) % 256).collect();
            let f = Array2::from_shape_vec((2, 27), layer.weights().to_vec()).unwrap();
            let xm = Array2::from_shape_vec((1, x.len()), x.clone()).unwrap();
            let z = im.conv_int(xm.view(), f.view()).unwrap();
            assert_eq!(z.row(0).to_vec(), layer.forward(&x).unwrap());
            // ⟨δ, conv(x)⟩ = ⟨dF(δ, x), F⟩ for any δ.
            let d: Vec<i64> = (0..shape.outputs() as i64).map(|i| (i % 7) - 3).collect();
            let dm = Array2::from_shape_vec((1, d.len()), d.clone()).unwrap();
            let df = im.filter_gradient(dm.view(), xm.view()).unwrap();
            let lhs: i64 = d.iter().zip(z.iter()).map(|(a, b)| a * b).sum();
            let rhs: i64 = df.iter().zip(f.iter()).map(|(a, b)| a * b).sum();
            assert_eq!(lhs, rhs);
            // The tap columns give the same gradient as inner products.
            let cols = im.tap_columns(std::slice::from_ref(&x)).unwrap();
            for fi in 0..2 {
                for (t, col) in cols.iter().enumerate() {
                    let ip: i64 = d[fi * shape.positions()..(fi + 1) * shape.positions()]
                        .iter()
                        .zip(col)
                        .map(|(a, b)| a * b)
                        .sum();
                    assert_eq!(ip, df[[fi, t]]);
                }
            }
        }
    }

    #[test]
    fn pooling_takes_the_max_of_each_s_by_s_window() {
        // One filter on 1×8×8 ('same': Z is 8×8), Z increasing row-major: each window's
        // maximum is its bottom-right value.
        let shape = ConvShape::new(1, 8, 8, 3, 1, Padding::Same).unwrap();
        let z = Array2::from_shape_fn((1, 64), |(_, i)| i as f32);
        for (pool, want) in [
            (4, vec![27u32, 31, 59, 63]),
            (2, (0..16).map(|u| 16 * (u / 4) + 2 * (u % 4) + 9).collect()),
        ] {
            let net = Cnn::with_pool(shape, pool, 1).unwrap();
            let fwd = net.head(z.view()).unwrap();
            assert_eq!(fwd.arg, want, "pool {pool}");
            let got: Vec<f32> = fwd.pooled.iter().copied().collect();
            assert_eq!(got, want.iter().map(|&o| o as f32).collect::<Vec<_>>());
        }
        assert!(Cnn::with_pool(shape, 9, 1).is_err() && Cnn::with_pool(shape, 0, 1).is_err());
    }

    #[test]
    fn plaintext_sgd_lowers_the_loss_on_a_toy_task() {
        // Class = which half of a 1×6×6 image is bright.
        let shape = ConvShape::new(1, 6, 6, 3, 4, Padding::Same).unwrap();
        let mut net = Cnn::new(shape, 3).unwrap();
        let mut x = Array2::zeros((8, 36));
        let mut y = vec![0u8; 8];
        for b in 0..8 {
            y[b] = (b % 2) as u8;
            for i in 0..36 {
                let left = (i % 6) < 3;
                x[[b, i]] = if left == (b % 2 == 0) { 0.9 } else { 0.1 };
            }
        }
        let (first, _) = net.sgd_step(x.view(), &y, 0.1).unwrap();
        let mut last = first;
        for _ in 0..40 {
            last = net.sgd_step(x.view(), &y, 0.1).unwrap().0;
        }
        assert!(last < 0.5 * first, "{first} → {last}");
        assert_eq!(net.predict(x.view()).unwrap(), y);
        assert!(Cnn::new(ConvShape::new(1, 1, 1, 1, 1, Padding::Same).unwrap(), 1).is_err());
    }
}
