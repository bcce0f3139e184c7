//! Rebuilding a (colour) image from the feature maps of a first convolution layer
//! (`../shared/science.md` §6).
//!
//! The server of [`crate::protocol::conv_fe`] holds its integer filters and `z = A x`, where `A`
//! is the conv operator: one row per filter and output position, the filter on its patch
//! ([`ConvLayer::row`]). `A` is sparse and banded (≤ `C·r²` non-zeros per row); every solver here
//! works with it in CSR form ([`SparseMatrix`]) and never forms it densely.
//!
//! | method | what | when |
//! |---|---|---|
//! | [`solve_lstsq`] | least squares by CGLS, then rounded to the pixel levels | the equations determine the image (channel-summed 'same', k ≥ C + 1; 'valid', k large) |
//! | [`solve_tv`] | vectorial total variation s.t. `A x = z`, `0 ≤ x ≤ 1`, by Chambolle–Pock | underdetermined (k = 1, 2) |
//! | [`solve_feasibility_lp`] | the RAID authors' feasibility LP: `A x = z`, `0 ≤ x ≤ 1`, border smoothness `\|x_p − mean(nbrs)\| ≤ t` (Clarabel) | their per-channel setting |
//!
//! Two models of what the server sees ([`ConvEquations`]):
//! - **channel-summed** ([`ConvEquations::from_view`]): one equation per filter and position —
//!   what a real conv layer and the FE server give;
//! - **per-channel** ([`ConvEquations::per_channel`]): one equation per filter, channel and
//!   position (the authors' script sums each channel separately): a stronger leak than real FE
//!   gives, reproduced to compare.
//!
//! ## The TV solver
//! `min_x Σ_pixels ‖(∇x_R, ∇x_G, ∇x_B)‖₂  s.t.  A x = z,  0 ≤ x ≤ 1` (vectorial, isotropic TV:
//! forward differences, one 2C-vector per pixel, so colour edges are shared across channels).
//! Written as `min G(x) + F(Kx)` with `K = [A; ∇]`, `G` the box indicator and `F` the indicator of
//! `{z}` plus the mixed `ℓ2,1` norm, it is solved by the primal–dual algorithm of Chambolle and
//! Pock (2011) with the diagonal preconditioning of Pock and Chambolle (ICCV 2011, α = 1):
//! `τ_j = 1/Σ_i|K_ij|`, `σ_i = 1/Σ_j|K_ij|` (the gradient block shares one `σ = 1/2` so its dual
//! projection stays a projection onto unit balls). The rows of `A` are first scaled to unit norm.
//! Each iteration costs one product with `A`, one with `Aᵀ` and two stencil passes: no matrix is
//! factored, so it runs in the browser as well.

use super::lp::SolveStatus;
use super::metrics::{self, Quality};
use super::sparse::{cgls, SparseMatrix};
use crate::nn::conv::{ConvLayer, ConvShape};
use crate::protocol::conv_fe::ConvView;
use crate::{Error, Result};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use serde::{Deserialize, Serialize};

/// The attack's equations: `A x = z` in the pixel levels `x ∈ [0, levels]^{C·H·W}`.
#[derive(Debug, Clone)]
pub struct ConvEquations {
    /// The image geometry (`C`, `H`, `W`; the rest describes the layer that produced them).
    pub shape: ConvShape,
    /// Pixel levels `L` (pixels are integers `0..=L`).
    pub levels: u32,
    /// The operator.
    pub a: SparseMatrix,
    /// The observations.
    pub z: Vec<f64>,
}

fn row_matrix(layer: &ConvLayer) -> Result<SparseMatrix> {
    let mut a = SparseMatrix::new(layer.shape().inputs());
    for row in layer.rows()? {
        let v: Vec<f64> = row.val.iter().map(|&v| v as f64).collect();
        a.push_row(&row.idx, &v)?;
    }
    Ok(a)
}

fn per_channel_matrix(layer: &ConvLayer) -> Result<SparseMatrix> {
    let s = layer.shape();
    let plane = s.height * s.width;
    let mut a = SparseMatrix::new(s.inputs());
    for f in 0..s.filters {
        for c in 0..s.channels {
            for p in 0..s.positions() {
                let row = layer.row(f, p)?;
                let (mut idx, mut val) = (Vec::new(), Vec::new());
                for (&i, &v) in row.idx.iter().zip(&row.val) {
                    if i as usize / plane == c {
                        idx.push(i);
                        val.push(v as f64);
                    }
                }
                a.push_row(&idx, &val)?;
            }
        }
    }
    Ok(a)
}

impl ConvEquations {
    /// The channel-summed equations of the FE server's view (what real FE leaks).
    pub fn from_view(view: &ConvView) -> Result<Self> {
        let a = row_matrix(&view.layer)?;
        if view.z.len() != a.rows() {
            return Err(Error::invalid(format!(
                "conv view: {} values for {} outputs",
                view.z.len(),
                a.rows()
            )));
        }
        Ok(Self {
            shape: *view.layer.shape(),
            levels: view.pixel_levels,
            a,
            z: view.z.iter().map(|&v| v as f64).collect(),
        })
    }

    /// The per-channel model of the authors' script: one equation per filter `f`, channel `c`
    /// and position `p` (order `f, c, p`), the channel-`c` part of the filter on the channel-`c`
    /// part of the patch, computed in the clear from the image levels.
    pub fn per_channel(layer: &ConvLayer, image_levels: &[i64], levels: u32) -> Result<Self> {
        let s = layer.shape();
        if image_levels.len() != s.inputs() {
            return Err(Error::invalid(format!(
                "image of {} values, expected {}",
                image_levels.len(),
                s.inputs()
            )));
        }
        let a = per_channel_matrix(layer)?;
        let x: Vec<f64> = image_levels.iter().map(|&v| v as f64).collect();
        let z = a.mul(&x);
        Ok(Self {
            shape: *s,
            levels: levels.max(1),
            a,
            z,
        })
    }

    /// The channel-summed equations computed in the clear (same as an FE view of the image).
    pub fn channel_summed(layer: &ConvLayer, image_levels: &[i64], levels: u32) -> Result<Self> {
        let z = layer.forward(image_levels)?;
        Self::from_view(&ConvView {
            layer: layer.clone(),
            pixel_levels: levels.max(1),
            z,
        })
    }

    /// Keep `keep` of the rows, chosen uniformly at random (ChaCha20 from `seed`), in their
    /// original order.
    pub fn keep_random(&self, keep: usize, seed: u64) -> Result<Self> {
        let m = self.a.rows();
        if keep == 0 || keep > m {
            return Err(Error::invalid(format!(
                "keep {keep} of {m} equations: expected 1..={m}"
            )));
        }
        let mut order: Vec<usize> = (0..m).collect();
        order.shuffle(&mut ChaCha20Rng::seed_from_u64(seed));
        let mut chosen = order[..keep].to_vec();
        chosen.sort_unstable();
        let mut a = SparseMatrix::new(self.a.cols());
        for &r in &chosen {
            let (i, v) = self.a.row(r);
            a.push_row(i, v)?;
        }
        Ok(Self {
            shape: self.shape,
            levels: self.levels,
            a,
            z: chosen.iter().map(|&r| self.z[r]).collect(),
        })
    }

    /// Keep the first `keep` rows (for the per-channel model, order `f, c, p`: with 'valid'
    /// padding and 3×3 filters on 32×32, the first 2700 are filter 0 on every channel and position).
    pub fn keep_first(&self, keep: usize) -> Result<Self> {
        let m = self.a.rows();
        if keep == 0 || keep > m {
            return Err(Error::invalid(format!(
                "keep {keep} of {m} equations: expected 1..={m}"
            )));
        }
        let mut a = SparseMatrix::new(self.a.cols());
        for r in 0..keep {
            let (i, v) = self.a.row(r);
            a.push_row(i, v)?;
        }
        Ok(Self {
            shape: self.shape,
            levels: self.levels,
            a,
            z: self.z[..keep].to_vec(),
        })
    }

    /// Number of equations.
    pub fn len(&self) -> usize {
        self.a.rows()
    }

    /// True without equations.
    pub fn is_empty(&self) -> bool {
        self.a.rows() == 0
    }
}

/// Solver settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ConvOptions {
    /// CGLS: relative tolerance on `‖Aᵀr‖`.
    pub tol: f64,
    /// CGLS: iteration cap.
    pub max_iter: usize,
    /// TV: Chambolle–Pock iterations.
    pub tv_iter: usize,
    /// LP: Clarabel iteration cap.
    pub lp_iter: u32,
    /// Round the result to the pixel levels (the attacker knows pixels are integers).
    pub round: bool,
}

impl Default for ConvOptions {
    fn default() -> Self {
        Self {
            tol: 1e-10,
            max_iter: 6000,
            tv_iter: 3000,
            lp_iter: 200,
            round: true,
        }
    }
}

/// A rebuilt image.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ConvRecovery {
    /// Solver outcome; the image is meaningful only when `Solved`.
    pub status: SolveStatus,
    /// The image on [0, 1], `C·H·W` channel-major (empty unless solved).
    pub image: Vec<f64>,
    /// Iterations.
    pub iterations: usize,
    /// `‖A x − z‖ / ‖z‖` of the returned image (before rounding), NaN when not solved.
    pub residual: f64,
}

fn finish(x: Vec<f64>, levels: f64, round: bool) -> Vec<f64> {
    x.into_iter()
        .map(|v| {
            let v = v.clamp(0.0, levels);
            (if round { v.round() } else { v }) / levels
        })
        .collect()
}

fn rel_residual(a: &SparseMatrix, x: &[f64], z: &[f64]) -> f64 {
    let ax = a.mul(x);
    let num: f64 = ax.iter().zip(z).map(|(a, b)| (a - b) * (a - b)).sum();
    let den: f64 = z.iter().map(|v| v * v).sum();
    (num / den.max(f64::MIN_POSITIVE)).sqrt()
}

/// Least squares by CGLS on the sparse operator (from mid-grey), clamped to `[0, L]` and, with
/// `opts.round`, rounded to the levels. `Solved` when CGLS converged; `IterationLimit` otherwise
/// (the image is still returned: a least-squares iterate).
pub fn solve_lstsq(eq: &ConvEquations, opts: &ConvOptions) -> Result<ConvRecovery> {
    check(eq)?;
    let l = f64::from(eq.levels);
    let x0 = vec![l / 2.0; eq.a.cols()];
    let res = cgls(&eq.a, &eq.z, &x0, opts.tol, opts.max_iter);
    let residual = rel_residual(&eq.a, &res.x, &eq.z);
    Ok(ConvRecovery {
        status: if res.converged {
            SolveStatus::Solved
        } else {
            SolveStatus::IterationLimit
        },
        image: finish(res.x, l, opts.round),
        iterations: res.iterations,
        residual,
    })
}

fn check(eq: &ConvEquations) -> Result<()> {
    if eq.z.len() != eq.a.rows() || eq.a.cols() != eq.shape.inputs() || eq.a.rows() == 0 {
        return Err(Error::invalid(format!(
            "conv attack: {} observations, {} equations, {} unknowns for a {}×{}×{} image",
            eq.z.len(),
            eq.a.rows(),
            eq.a.cols(),
            eq.shape.channels,
            eq.shape.height,
            eq.shape.width
        )));
    }
    if eq.z.iter().any(|v| !v.is_finite()) {
        return Err(Error::invalid("conv attack: non-finite observation"));
    }
    Ok(())
}

/// Forward differences per channel: `(dh, dv)` for every `(c, i, j)` (zero on the last column /
/// row), into `out` of length `2·C·H·W` laid out `[dh plane c…, dv plane c…]` per channel.
fn grad(x: &[f64], c: usize, h: usize, w: usize, out: &mut [f64]) {
    let plane = h * w;
    for ch in 0..c {
        let xo = ch * plane;
        let (dh, dv) = out[2 * xo..2 * xo + 2 * plane].split_at_mut(plane);
        for i in 0..h {
            for j in 0..w {
                let k = i * w + j;
                dh[k] = if j + 1 < w {
                    x[xo + k + 1] - x[xo + k]
                } else {
                    0.0
                };
                dv[k] = if i + 1 < h {
                    x[xo + k + w] - x[xo + k]
                } else {
                    0.0
                };
            }
        }
    }
}

/// `out += ∇ᵀ p` (the adjoint of [`grad`]).
fn grad_t_add(p: &[f64], c: usize, h: usize, w: usize, out: &mut [f64]) {
    let plane = h * w;
    for ch in 0..c {
        let xo = ch * plane;
        let dh = &p[2 * xo..2 * xo + plane];
        let dv = &p[2 * xo + plane..2 * xo + 2 * plane];
        for i in 0..h {
            for j in 0..w {
                let k = i * w + j;
                if j + 1 < w {
                    out[xo + k + 1] += dh[k];
                    out[xo + k] -= dh[k];
                }
                if i + 1 < h {
                    out[xo + k + w] += dv[k];
                    out[xo + k] -= dv[k];
                }
            }
        }
    }
}

/// Vectorial TV with the equations as hard constraints and the box `[0, 1]` (see the module
/// docs), `opts.tv_iter` Chambolle–Pock iterations from mid-grey. Always `Solved` (an
/// approximation; the residual of the equations is reported).
pub fn solve_tv(eq: &ConvEquations, opts: &ConvOptions) -> Result<ConvRecovery> {
    check(eq)?;
    let l = f64::from(eq.levels);
    let (c, h, w) = (eq.shape.channels, eq.shape.height, eq.shape.width);
    let n = eq.a.cols();
    let plane = h * w;
    // Unit-norm rows; the unknown on [0, 1].
    let mut a = SparseMatrix::new(n);
    let mut z = Vec::with_capacity(eq.z.len());
    for r in 0..eq.a.rows() {
        let (i, v) = eq.a.row(r);
        let norm = v.iter().map(|v| v * v).sum::<f64>().sqrt();
        if norm == 0.0 {
            continue;
        }
        let v: Vec<f64> = v.iter().map(|v| v / norm).collect();
        a.push_row(i, &v)?;
        z.push(eq.z[r] / (norm * l));
    }
    if a.rows() == 0 {
        return Err(Error::invalid("conv attack: every equation is zero"));
    }
    let sigma_a: Vec<f64> = a
        .row_abs_sums()
        .into_iter()
        .map(|s| 1.0 / s.max(1e-12))
        .collect();
    let sigma_d = 0.5;
    let col_a = a.col_abs_sums();
    let tau: Vec<f64> = (0..n)
        .map(|k| {
            let (i, j) = ((k % plane) / w, k % w);
            // A pixel takes part in up to 4 differences (its own two and its left/top neighbours').
            let d = [j + 1 < w, i + 1 < h, j > 0, i > 0]
                .iter()
                .filter(|&&b| b)
                .count() as f64;
            1.0 / (col_a[k] + d).max(1e-12)
        })
        .collect();
    let mut x = vec![0.5; n];
    let mut x_bar = x.clone();
    let mut y = vec![0.0; a.rows()];
    let mut p = vec![0.0; 2 * n];
    let mut g = vec![0.0; 2 * n];
    for _ in 0..opts.tv_iter {
        let ax = a.mul(&x_bar);
        for ((y, ax), (z, s)) in y.iter_mut().zip(&ax).zip(z.iter().zip(&sigma_a)) {
            *y += s * (ax - z);
        }
        grad(&x_bar, c, h, w, &mut g);
        for (p, g) in p.iter_mut().zip(&g) {
            *p += sigma_d * g;
        }
        // Project each pixel's 2C-vector onto the unit ball.
        for k in 0..plane {
            let mut s = 0.0;
            for ch in 0..c {
                let o = 2 * ch * plane;
                s += p[o + k] * p[o + k] + p[o + plane + k] * p[o + plane + k];
            }
            if s > 1.0 {
                let f = 1.0 / s.sqrt();
                for ch in 0..c {
                    let o = 2 * ch * plane;
                    p[o + k] *= f;
                    p[o + plane + k] *= f;
                }
            }
        }
        let mut kt = a.mul_t(&y);
        grad_t_add(&p, c, h, w, &mut kt);
        for k in 0..n {
            let old = x[k];
            // ∇ᵀ here is the adjoint of grad, so Kᵀ = [Aᵀ, ∇ᵀ].
            x[k] = (old - tau[k] * kt[k]).clamp(0.0, 1.0);
            x_bar[k] = 2.0 * x[k] - old;
        }
    }
    let xl: Vec<f64> = x.iter().map(|v| v * l).collect();
    let residual = rel_residual(&eq.a, &xl, &eq.z);
    Ok(ConvRecovery {
        status: SolveStatus::Solved,
        image: finish(xl, l, opts.round),
        iterations: opts.tv_iter,
        residual,
    })
}

/// The border pixels of an `H×W` plane (first/last row and column), row-major order.
fn border_pixels(h: usize, w: usize) -> Vec<usize> {
    (0..h * w)
        .filter(|&k| {
            let (i, j) = (k / w, k % w);
            i == 0 || j == 0 || i + 1 == h || j + 1 == w
        })
        .collect()
}

/// The authors' feasibility LP (objective 0) on [0, 1] pixels: `A x = z`, `0 ≤ x ≤ 1`, and for
/// every border pixel `p` of every channel `|x_p − mean of its in-image 4-neighbours| ≤ t`
/// (`t = 0.15` in their script). Solved by Clarabel (sparse LDLᵀ of the KKT system; an interior
/// point, so the answer is near the analytic centre of the feasible set). The smoothness rows are
/// hard constraints a real image may violate: the LP is then `Infeasible` and not scored.
pub fn solve_feasibility_lp(
    eq: &ConvEquations,
    t: f64,
    opts: &ConvOptions,
) -> Result<ConvRecovery> {
    use clarabel::algebra::CscMatrix;
    use clarabel::solver::{
        DefaultSettingsBuilder, DefaultSolver, IPSolver, NonnegativeConeT, SupportedConeT,
        ZeroConeT,
    };
    check(eq)?;
    if !(t.is_finite() && t >= 0.0) {
        return Err(Error::invalid(format!(
            "smoothness threshold {t} must be ≥ 0"
        )));
    }
    let l = f64::from(eq.levels);
    let n = eq.a.cols();
    let (c, h, w) = (eq.shape.channels, eq.shape.height, eq.shape.width);
    let (mut ii, mut jj, mut vv, mut b) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut k = 0usize;
    for r in 0..eq.a.rows() {
        let (idx, val) = eq.a.row(r);
        let norm = val.iter().map(|v| v * v).sum::<f64>().sqrt();
        if norm == 0.0 {
            continue;
        }
        for (&i, &v) in idx.iter().zip(val) {
            ii.push(k);
            jj.push(i as usize);
            vv.push(v / norm);
        }
        b.push(eq.z[r] / (l * norm));
        k += 1;
    }
    let neq = k;
    for j in 0..n {
        // −x_j + s = 0 (x ≥ 0); x_j + s = 1 (x ≤ 1)
        ii.extend([k, k + 1]);
        jj.extend([j, j]);
        vv.extend([-1.0, 1.0]);
        b.extend([0.0, 1.0]);
        k += 2;
    }
    for ch in 0..c {
        for p in border_pixels(h, w) {
            let (i, j) = (p / w, p % w);
            let mut nb = Vec::new();
            if i > 0 {
                nb.push(p - w);
            }
            if i + 1 < h {
                nb.push(p + w);
            }
            if j > 0 {
                nb.push(p - 1);
            }
            if j + 1 < w {
                nb.push(p + 1);
            }
            if nb.is_empty() {
                continue;
            }
            let inv = 1.0 / nb.len() as f64;
            let base = ch * h * w;
            for sign in [1.0, -1.0] {
                ii.push(k);
                jj.push(base + p);
                vv.push(sign);
                for &q in &nb {
                    ii.push(k);
                    jj.push(base + q);
                    vv.push(-sign * inv);
                }
                b.push(t);
                k += 1;
            }
        }
    }
    let a = CscMatrix::new_from_triplets(k, n, ii, jj, vv);
    let p = CscMatrix::zeros((n, n));
    let q = vec![0.0; n];
    let cones: Vec<SupportedConeT<f64>> = vec![ZeroConeT(neq), NonnegativeConeT(k - neq)];
    let fail = |status| ConvRecovery {
        status,
        image: Vec::new(),
        iterations: 0,
        residual: f64::NAN,
    };
    let Ok(settings) = DefaultSettingsBuilder::default()
        .verbose(false)
        .max_iter(opts.lp_iter)
        .build()
    else {
        return Ok(fail(SolveStatus::NumericalFailure));
    };
    let Ok(mut solver) = DefaultSolver::new(&p, &q, &a, &b, &cones, settings) else {
        return Ok(fail(SolveStatus::NumericalFailure));
    };
    solver.solve();
    let sol = &solver.solution;
    let status = super::conic::status_of(sol.status);
    if status != SolveStatus::Solved {
        return Ok(ConvRecovery {
            iterations: sol.iterations as usize,
            ..fail(status)
        });
    }
    let xl: Vec<f64> = sol.x.iter().map(|v| v * l).collect();
    let residual = rel_residual(&eq.a, &xl, &eq.z);
    Ok(ConvRecovery {
        status,
        image: finish(xl, l, opts.round),
        iterations: sol.iterations as usize,
        residual,
    })
}

/// Quality of a colour rebuild on [0, 1] pixels (`C·H·W`, channel-major): MSE, PSNR and
/// `within` over all channels' values; SSIM the mean of the per-channel SSIMs.
pub fn color_quality(
    truth: &[f64],
    x: &[f64],
    channels: usize,
    height: usize,
    width: usize,
) -> Result<Quality> {
    let plane = height
        .checked_mul(width)
        .ok_or_else(|| Error::invalid("metrics: image size overflows"))?;
    let n = plane
        .checked_mul(channels)
        .ok_or_else(|| Error::invalid("metrics: image size overflows"))?;
    if truth.len() != n || x.len() != n || n == 0 {
        return Err(Error::invalid(format!(
            "metrics: images of {} and {} values, expected {channels}×{height}×{width}",
            truth.len(),
            x.len()
        )));
    }
    let m = metrics::mse(truth, x);
    let ssim = (0..channels)
        .map(|c| {
            metrics::ssim(
                &truth[c * plane..(c + 1) * plane],
                &x[c * plane..(c + 1) * plane],
                height,
                width,
            )
        })
        .sum::<f64>()
        / channels as f64;
    Ok(Quality {
        mse: m,
        psnr: metrics::psnr(m),
        ssim,
        within: metrics::within(truth, x),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::conv::Padding;

    /// A smooth synthetic colour image, 16×16, levels 0..255.
    fn image(h: usize, w: usize) -> Vec<i64> {
        let mut x = Vec::new();
        for c in 0..3 {
            for i in 0..h {
                for j in 0..w {
                    let v = 128.0
                        + 60.0 * ((i as f64 * 0.3 + c as f64).sin())
                        + 50.0 * ((j as f64 * 0.25 - c as f64 * 0.7).cos());
                    x.push(v.round().clamp(0.0, 255.0) as i64);
                }
            }
        }
        x
    }

    /// A piecewise-constant colour image (4×4 blocks), the kind of picture TV favours.
    fn blocks(h: usize, w: usize) -> Vec<i64> {
        let mut x = Vec::new();
        for c in 0..3 {
            for i in 0..h {
                for j in 0..w {
                    let b = (i / 4) * 7 + (j / 4) * 3 + c * 5;
                    x.push(((b * 37) % 200 + 30) as i64);
                }
            }
        }
        x
    }

    fn q(eq: &ConvEquations, x: &[i64], rec: &ConvRecovery) -> Quality {
        let t: Vec<f64> = x.iter().map(|&v| v as f64 / 255.0).collect();
        color_quality(&t, &rec.image, 3, eq.shape.height, eq.shape.width).unwrap()
    }

    #[test]
    fn lstsq_is_exact_when_determined() {
        let shape = ConvShape::new(3, 16, 16, 3, 4, Padding::Same).unwrap();
        let layer = ConvLayer::random_normal(shape, 16.0, 2).unwrap();
        let x = image(16, 16);
        let eq = ConvEquations::channel_summed(&layer, &x, 255).unwrap();
        let rec = solve_lstsq(&eq, &ConvOptions::default()).unwrap();
        assert_eq!(rec.status, SolveStatus::Solved);
        let quality = q(&eq, &x, &rec);
        assert!(quality.within == 1.0, "{quality:?}");
        assert!(quality.psnr >= 99.0);
    }

    #[test]
    fn tv_beats_least_squares_with_one_filter() {
        let shape = ConvShape::new(3, 16, 16, 3, 1, Padding::Same).unwrap();
        let layer = ConvLayer::random_normal(shape, 16.0, 2).unwrap();
        let x = blocks(16, 16);
        let eq = ConvEquations::channel_summed(&layer, &x, 255).unwrap();
        let opts = ConvOptions {
            tv_iter: 1500,
            ..ConvOptions::default()
        };
        let tv = solve_tv(&eq, &opts).unwrap();
        let ls = solve_lstsq(&eq, &opts).unwrap();
        let (qt, ql) = (q(&eq, &x, &tv), q(&eq, &x, &ls));
        assert!(
            qt.psnr > ql.psnr + 1.0 && qt.ssim > ql.ssim,
            "tv {qt:?} lstsq {ql:?}"
        );
        assert!(tv.residual < 0.05, "{}", tv.residual);
    }

    #[test]
    fn per_channel_lp_recovers_a_smooth_image() {
        let shape = ConvShape::new(3, 12, 12, 3, 3, Padding::Valid).unwrap();
        let layer = ConvLayer::random_normal(shape, 16.0, 4).unwrap();
        let x = image(12, 12);
        let full = ConvEquations::per_channel(&layer, &x, 255).unwrap();
        assert_eq!(full.len(), 3 * 3 * 100);
        let eq = full.keep_random(400, 1).unwrap();
        assert_eq!(eq.len(), 400);
        let rec = solve_feasibility_lp(&eq, 0.15, &ConvOptions::default()).unwrap();
        assert_eq!(rec.status, SolveStatus::Solved);
        let quality = q(&eq, &x, &rec);
        assert!(quality.psnr > 20.0, "{quality:?}");
        // Unmeetable smoothness: infeasible, not a wrong answer.
        let rec = solve_feasibility_lp(&full, 0.0, &ConvOptions::default()).unwrap();
        assert_eq!(rec.status, SolveStatus::Infeasible);
        assert!(full.keep_random(0, 1).is_err());
        assert!(full.keep_random(901, 1).is_err());
    }

    #[test]
    fn gradient_adjoint_and_bad_input() {
        let (c, h, w) = (2, 3, 4);
        let x: Vec<f64> = (0..c * h * w).map(|i| (i * 7 % 5) as f64).collect();
        let p: Vec<f64> = (0..2 * c * h * w)
            .map(|i| (i * 3 % 7) as f64 - 3.0)
            .collect();
        let mut g = vec![0.0; p.len()];
        grad(&x, c, h, w, &mut g);
        let mut gt = vec![0.0; x.len()];
        grad_t_add(&p, c, h, w, &mut gt);
        let lhs: f64 = g.iter().zip(&p).map(|(a, b)| a * b).sum();
        let rhs: f64 = x.iter().zip(&gt).map(|(a, b)| a * b).sum();
        assert!((lhs - rhs).abs() < 1e-9);
        assert!(color_quality(&[0.0; 4], &[0.0; 3], 1, 2, 2).is_err());
        let shape = ConvShape::new(1, 4, 4, 3, 1, Padding::Same).unwrap();
        let layer = ConvLayer::random_normal(shape, 16.0, 1).unwrap();
        let mut eq = ConvEquations::channel_summed(&layer, &[1; 16], 255).unwrap();
        eq.z.pop();
        assert!(solve_lstsq(&eq, &ConvOptions::default()).is_err());
    }
}
