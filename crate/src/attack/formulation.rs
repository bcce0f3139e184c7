//! The attack formulations and how each becomes an [`AttackLp`].
//!
//! All LPs are solved on the unit pixel scale `x' = x / pixel_max ∈ [0, 1]` with every observed
//! row normalised to `‖w_i‖ = 1` (`z'_i = z_i / (pixel_max·‖w_i‖)`, same for ε). On the 0..255
//! scale with N(0,1) weights the rows of `W x = z` have right-hand sides in the thousands while
//! the bounds are 255; rescaling makes every quantity O(1) and the interior-point tolerances mean
//! the same thing for every data set.

use super::lp::{AttackLp, Aux, AuxRow, SparseRows};
use super::smoothness;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// An attack formulation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum Method {
    /// The paper's feasibility LP: `W x = z`, `0 ≤ x ≤ max`, and `|x_p − mean(nbrs)| ≤ t` on the
    /// pixels with `(i + j) mod period = 0` (`period: None` = no smoothness rows). `t` is in
    /// pixel units (25 on the 0..255 scale).
    Paper {
        /// Smoothness period (`None`: no smoothness rows).
        period: Option<usize>,
        /// Smoothness threshold, pixel units.
        t: f64,
    },
    /// `min Σ x` subject to the observations and bounds (L1, good for sparse digits).
    MinSum,
    /// `min Σ|x_p − x_right| + Σ|x_p − x_down| + λ·Σ x` (anisotropic TV, pixel scale [0, 1]).
    Tv {
        /// Weight of the L1 term.
        lambda: f64,
    },
    /// Read the sample from the decrypted first-layer gradient (`x = dW1[i,:]/δ1_i`, or least
    /// squares for a batch). Not an LP.
    Gradient,
}

impl Method {
    /// The paper's defaults: `t = 25` on the 0..255 scale, given period.
    pub fn paper(period: Option<usize>, pixel_max: f64) -> Self {
        Method::Paper {
            period,
            t: 25.0 / 255.0 * pixel_max,
        }
    }

    /// TV with the default λ.
    pub fn tv() -> Self {
        Method::Tv {
            lambda: DEFAULT_TV_LAMBDA,
        }
    }

    /// Short name (`paper`, `minsum`, `tv`, `gradient`).
    pub fn name(&self) -> &'static str {
        match self {
            Method::Paper { .. } => "paper",
            Method::MinSum => "minsum",
            Method::Tv { .. } => "tv",
            Method::Gradient => "gradient",
        }
    }
}

/// Default λ of the TV attack (tuned on MNIST training digits 1000–1049 with trained `W1`, h = 128 and 64 — not on the
/// digits the README reports; λ ∈ [0.5, 1.5] is within 0.2 dB).
pub const DEFAULT_TV_LAMBDA: f64 = 1.0;

/// One set of observed equations `W·x ≈ z` (row-major `h×n`) after scaling, ready for an LP.
#[derive(Debug, Clone, PartialEq)]
pub struct Equations {
    /// Unit-norm rows, `m×n` row-major.
    pub w: Vec<f64>,
    /// Scaled right-hand sides.
    pub b: Vec<f64>,
    /// Scaled band half-widths (0 = equality).
    pub eps: Vec<f64>,
    /// Number of rows.
    pub m: usize,
    /// Rows dropped because they were all zero (and consistent).
    pub dropped: usize,
}

/// Scale and stack observation rows: `rows` yields `(w_i, z_i)` on the caller's pixel scale.
/// A zero row with `|z_i| > ε` makes the problem trivially infeasible: returns `Ok(None)`.
pub fn equations<'a>(
    n: usize,
    pixel_max: f64,
    epsilon: f64,
    rows: impl Iterator<Item = (&'a [f64], f64)>,
) -> Result<Option<Equations>> {
    if !(pixel_max > 0.0 && pixel_max.is_finite()) {
        return Err(Error::invalid("pixel_max must be positive"));
    }
    if !(epsilon >= 0.0 && epsilon.is_finite()) {
        return Err(Error::invalid("epsilon must be ≥ 0"));
    }
    let mut eq = Equations {
        w: Vec::new(),
        b: Vec::new(),
        eps: Vec::new(),
        m: 0,
        dropped: 0,
    };
    for (w, z) in rows {
        if w.len() != n {
            return Err(Error::invalid(format!(
                "an observation row has {} entries, the image has {n} pixels",
                w.len()
            )));
        }
        if !z.is_finite() || w.iter().any(|v| !v.is_finite()) {
            return Err(Error::invalid("W1 or z holds a NaN or infinity"));
        }
        let norm = w.iter().map(|v| v * v).sum::<f64>().sqrt();
        if norm == 0.0 {
            if z.abs() > epsilon * (1.0 + 1e-9) + 1e-12 {
                return Ok(None);
            }
            eq.dropped += 1;
            continue;
        }
        let s = 1.0 / norm;
        eq.w.extend(w.iter().map(|v| v * s));
        eq.b.push(z * s / pixel_max);
        eq.eps.push(epsilon * s / pixel_max);
        eq.m += 1;
    }
    Ok(Some(eq))
}

/// Build the LP of `method` (not [`Method::Gradient`]) on a `rows × cols` image in [0, 1].
pub fn build(
    rows: usize,
    cols: usize,
    pixel_max: f64,
    method: &Method,
    eq: Equations,
) -> Result<AttackLp> {
    let n = rows * cols;
    let mut aux = Vec::new();
    for (i, &e) in eq.eps.iter().enumerate() {
        if e > 0.0 {
            aux.push(Aux {
                row: AuxRow::Obs(i),
                coef: -1.0,
                cost: 0.0,
                lower: -e,
                upper: e,
            });
        }
    }
    let (cost, d) = match *method {
        Method::Paper { period, t } => {
            if !(t > 0.0 && t.is_finite()) {
                return Err(Error::invalid("the smoothness threshold t must be > 0"));
            }
            let d = match period {
                Some(p) if p > 0 => smoothness::paper_rows(rows, cols, p),
                Some(_) => return Err(Error::invalid("the smoothness period must be ≥ 1")),
                None => SparseRows::new(),
            };
            let t = t / pixel_max;
            for j in 0..d.len() {
                aux.push(Aux {
                    row: AuxRow::Op(j),
                    coef: -1.0,
                    cost: 0.0,
                    lower: -t,
                    upper: t,
                });
            }
            (vec![0.0; n], d)
        }
        Method::MinSum => (vec![1.0; n], SparseRows::new()),
        Method::Tv { lambda } => {
            if !(lambda >= 0.0 && lambda.is_finite()) {
                return Err(Error::invalid("λ must be ≥ 0"));
            }
            let d = smoothness::differences(rows, cols);
            for j in 0..d.len() {
                for coef in [-1.0, 1.0] {
                    aux.push(Aux {
                        row: AuxRow::Op(j),
                        coef,
                        cost: 1.0,
                        lower: 0.0,
                        upper: f64::INFINITY,
                    });
                }
            }
            (vec![lambda; n], d)
        }
        Method::Gradient => {
            return Err(Error::invalid(
                "the gradient attack is not an LP (use Attacker::reconstruct)",
            ))
        }
    };
    let lp = AttackLp {
        n,
        cost,
        lower: vec![0.0; n],
        upper: vec![1.0; n],
        w: eq.w,
        m: eq.m,
        b: eq.b,
        d,
        aux,
    };
    lp.validate()?;
    Ok(lp)
}
