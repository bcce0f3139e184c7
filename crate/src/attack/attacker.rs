//! The attacker: takes what the server saw and rebuilds the private sample.

use super::formulation::{self, Method};
use super::gradient::{self, GradientLeak};
use super::ipm::{self, IpmOptions};
use super::lp::SolveStatus;
use super::{conic, simplex};
use crate::{Error, Result};
use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};

/// One set of observed pre-activations of a sample: `z = W1·x` (`W1` is `h×n`, on the pixel
/// scale the server used; `z` possibly rounded, see [`Options::epsilon`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    /// `W1`, `h×n`.
    pub w1: Array2<f64>,
    /// `z`, length `h`.
    pub z: Vec<f64>,
}

impl Observation {
    /// Check the shapes and wrap.
    pub fn new(w1: Array2<f64>, z: Vec<f64>) -> Result<Self> {
        if w1.nrows() != z.len() {
            return Err(Error::invalid(format!(
                "observation: W1 has {} rows but z has {} entries",
                w1.nrows(),
                z.len()
            )));
        }
        Ok(Self { w1, z })
    }

    /// From `f32` arrays (as the network stores them).
    pub fn from_f32(w1: ArrayView2<f32>, z: &[f32]) -> Result<Self> {
        Self::new(
            w1.mapv(f64::from),
            z.iter().map(|&v| f64::from(v)).collect(),
        )
    }

    /// Simulate the server: `z = W1·x`.
    pub fn observe(w1: Array2<f64>, x: &[f64]) -> Result<Self> {
        if w1.ncols() != x.len() {
            return Err(Error::invalid("observation: W1 and x do not match"));
        }
        let z = w1
            .rows()
            .into_iter()
            .map(|r| r.iter().zip(x).map(|(a, b)| a * b).sum())
            .collect();
        Ok(Self { w1, z })
    }
}

/// Everything the attacker has about one sample.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Leak {
    /// One or more observations (several = the sample seen in several epochs; stacked).
    pub observations: Vec<Observation>,
    /// The decrypted first-layer gradient, if the protocol reveals it.
    pub gradient: Option<GradientLeak>,
}

impl Leak {
    /// A single observation.
    pub fn single(obs: Observation) -> Self {
        Self {
            observations: vec![obs],
            gradient: None,
        }
    }
}

/// Which solver runs an LP formulation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Solver {
    /// The structured interior-point method of [`super::ipm`] (default; also in the browser).
    #[default]
    InteriorPoint,
    /// `microlp` revised simplex (a vertex solution; reference).
    Simplex,
    /// Clarabel, general-purpose interior point (independent reference; slow on dense `W`).
    Clarabel,
}

impl Solver {
    /// Short name.
    pub fn as_str(self) -> &'static str {
        match self {
            Solver::InteriorPoint => "ipm",
            Solver::Simplex => "simplex",
            Solver::Clarabel => "clarabel",
        }
    }
}

impl std::str::FromStr for Solver {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "ipm" | "interior_point" | "interior-point" => Ok(Solver::InteriorPoint),
            "simplex" | "microlp" => Ok(Solver::Simplex),
            "clarabel" => Ok(Solver::Clarabel),
            _ => Err(Error::invalid(format!(
                "unknown solver `{s}` (ipm, simplex, clarabel)"
            ))),
        }
    }
}

/// Options of a reconstruction.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Options {
    /// LP solver.
    pub solver: Solver,
    /// Half-width of the band `|W1·x − z| ≤ ε` (z units) for rounded observations; 0 = equalities.
    pub epsilon: f64,
    /// Interior-point iteration limit.
    pub max_iter: usize,
    /// Interior-point relative tolerance.
    pub tol: f64,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            solver: Solver::InteriorPoint,
            epsilon: 0.0,
            max_iter: 120,
            tol: 1e-8,
        }
    }
}

/// The attacker's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reconstruction {
    /// Reconstructed samples on the caller's pixel scale (one for LP methods, `B` for a gradient
    /// batch). Empty when the status is not `Solved`.
    pub images: Vec<Vec<f64>>,
    /// Solver outcome.
    pub status: SolveStatus,
    /// The solver used (`gradient` uses none: reported as `ipm` with 0 iterations).
    pub solver: Solver,
    /// Iterations (interior point).
    pub iterations: usize,
    /// Largest violation of the scaled LP constraints at the returned point.
    pub violation: f64,
    /// Wall time, milliseconds.
    pub ms: f64,
}

impl Reconstruction {
    /// The (first) reconstructed image, or an error carrying the solver status.
    pub fn image(&self) -> Result<&[f64]> {
        match (self.status, self.images.first()) {
            (SolveStatus::Solved, Some(img)) => Ok(img),
            (status, _) => Err(Error::Solver(format!("no reconstruction: {status}"))),
        }
    }
}

/// The attacker for `rows × cols` images with pixels in `[0, pixel_max]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Attacker {
    /// Image height.
    pub rows: usize,
    /// Image width.
    pub cols: usize,
    /// Largest pixel value on the scale the server used (1 for [0, 1], 255 for bytes).
    pub pixel_max: f64,
}

impl Attacker {
    /// A new attacker.
    pub fn new(rows: usize, cols: usize, pixel_max: f64) -> Result<Self> {
        if rows == 0 || cols == 0 || !(pixel_max > 0.0 && pixel_max.is_finite()) {
            return Err(Error::invalid("attacker: empty image or bad pixel range"));
        }
        // rows · cols checked (no wrap on wasm32) and capped: the LPs are O(pixels) wide.
        crate::limits::Limit::ImagePixels.check(crate::limits::mul(rows, cols)?)?;
        Ok(Self {
            rows,
            cols,
            pixel_max,
        })
    }

    /// MNIST on [0, 1].
    pub fn mnist() -> Self {
        Self {
            rows: 28,
            cols: 28,
            pixel_max: 1.0,
        }
    }

    /// Number of pixels.
    pub fn pixels(&self) -> usize {
        self.rows * self.cols
    }

    /// Reconstruct the sample(s) behind `leak` with `method`.
    ///
    /// `Err` means the inputs were unusable (shapes, NaNs, missing gradient); every solver outcome,
    /// including infeasibility, is an `Ok` with its [`SolveStatus`].
    pub fn reconstruct(
        &self,
        leak: &Leak,
        method: &Method,
        options: &Options,
    ) -> Result<Reconstruction> {
        let start = web_time::Instant::now();
        let ms = |s: web_time::Instant| s.elapsed().as_secs_f64() * 1e3;
        if let Method::Gradient = method {
            let g = leak.gradient.as_ref().ok_or_else(|| {
                Error::invalid("the gradient attack needs the decrypted dW1 and δ1")
            })?;
            if g.dw1.ncols() != self.pixels() {
                return Err(Error::invalid(
                    "gradient: dW1 does not match the image size",
                ));
            }
            let images = gradient::recover(g, self.pixel_max)?;
            return Ok(Reconstruction {
                images,
                status: SolveStatus::Solved,
                solver: Solver::InteriorPoint,
                iterations: 0,
                violation: 0.0,
                ms: ms(start),
            });
        }
        if leak.observations.is_empty() {
            return Err(Error::invalid("no observation of the sample"));
        }
        let n = self.pixels();
        let mut rows: Vec<(&[f64], f64)> = Vec::new();
        for obs in &leak.observations {
            if obs.w1.ncols() != n || obs.w1.nrows() != obs.z.len() {
                return Err(Error::invalid(format!(
                    "observation: W1 is {}×{} and z has {} entries; expected h×{n}",
                    obs.w1.nrows(),
                    obs.w1.ncols(),
                    obs.z.len()
                )));
            }
            let w = obs
                .w1
                .as_slice()
                .ok_or_else(|| Error::invalid("observation: W1 must be in standard layout"))?;
            for (i, &z) in obs.z.iter().enumerate() {
                rows.push((&w[i * n..(i + 1) * n], z));
            }
        }
        let infeasible = |start| Reconstruction {
            images: Vec::new(),
            status: SolveStatus::Infeasible,
            solver: options.solver,
            iterations: 0,
            violation: f64::NAN,
            ms: ms(start),
        };
        let Some(eq) =
            formulation::equations(n, self.pixel_max, options.epsilon, rows.into_iter())?
        else {
            return Ok(infeasible(start));
        };
        let lp = formulation::build(self.rows, self.cols, self.pixel_max, method, eq)?;
        let (status, v, iterations) = match options.solver {
            Solver::InteriorPoint => {
                let sol = ipm::solve(
                    &lp,
                    &IpmOptions {
                        max_iter: options.max_iter,
                        tol: options.tol,
                        center_feasibility: true,
                    },
                )?;
                (sol.status, sol.v, sol.iterations)
            }
            Solver::Simplex => {
                let sol = simplex::solve(&lp);
                (sol.status, sol.v, 0)
            }
            Solver::Clarabel => {
                let sol = conic::solve(&lp, options.max_iter as u32);
                (sol.status, sol.v, sol.iterations)
            }
        };
        let violation = if v.len() == lp.vars() {
            lp.violation(&v)
        } else {
            f64::NAN
        };
        let images = if status == SolveStatus::Solved && v.len() >= n {
            vec![v[..n]
                .iter()
                .map(|p| p.clamp(0.0, 1.0) * self.pixel_max)
                .collect()]
        } else {
            Vec::new()
        };
        Ok(Reconstruction {
            images,
            status,
            solver: options.solver,
            iterations,
            violation,
            ms: ms(start),
        })
    }
}
