//! The attacker: reconstruction of a private sample from a server view, and metrics.
//!
//! A server in CryptoNN/FENet decrypts `z = W1·x` for its own, known `W1` (`h×n`): `h` linear
//! equations in the `n` private pixels. With pixel bounds and an image prior this is a linear
//! program ([`formulation::Method`], `../shared/science.md` §3):
//!
//! | method | LP |
//! |---|---|
//! | `Paper { period, t }` | feasibility: `W x = z`, `0 ≤ x ≤ max`, `\|x_p − mean(nbrs)\| ≤ t` where `(i+j) mod period = 0` |
//! | `MinSum` | `min Σx` s.t. `W x = z`, bounds |
//! | `Tv { λ }` | `min Σ\|x_p − x_right\| + Σ\|x_p − x_down\| + λΣx` s.t. `W x = z`, bounds |
//! | several [`Observation`]s | any of the above over all stacked equations (a sample seen in several epochs) |
//! | `Gradient` | not an LP: `x = dW1[i,:]/δ1_i` (batch 1), least squares for a batch `B ≤ h` |
//!
//! Rounded observations use a band `|W x − z| ≤ ε` ([`Options::epsilon`]).
//!
//! ## Using it
//!
//! ```
//! use glasslayer::attack::{Attacker, Leak, Method, Observation, Options, metrics};
//! use ndarray::Array2;
//! // a 12×12 "image" seen through h = 144 random rows: recovered exactly
//! let x: Vec<f64> = (0..144).map(|i| ((i * 7) % 11) as f64 / 10.0).collect();
//! let w1 = Array2::from_shape_fn((144, 144), |(i, j)| ((i * 31 + j * 17) % 13) as f64 - 6.0 + if i == j { 20.0 } else { 0.0 });
//! let leak = Leak::single(Observation::observe(w1, &x).unwrap());
//! let attacker = Attacker::new(12, 12, 1.0).unwrap();
//! let rec = attacker.reconstruct(&leak, &Method::MinSum, &Options::default()).unwrap();
//! let q = metrics::Quality::measure(&x, rec.image().unwrap(), 12, 12).unwrap();
//! assert!(q.psnr > 60.0);
//! ```
//!
//! - [`Attacker::reconstruct`]`(leak, method, options) -> Result<Reconstruction>`: `Err` only for
//!   unusable input; every solver outcome (solved, infeasible, iteration limit, numerical failure)
//!   is reported in [`Reconstruction::status`]. `W1` and `z` are on the pixel scale the server
//!   used (`pixel_max` = 1 or 255); images come back on that scale.
//! - [`metrics`]: `mse`, `psnr`, `ssim`, `within` and [`metrics::Quality`] on [0, 1] pixels.
//!
//! ## Solvers
//! - [`ipm`] (default, also in wasm): a Mehrotra interior-point method that exploits the
//!   structure (dense `W`, banded image operator) — milliseconds per iteration.
//! - [`simplex`]: `microlp` (maintained fork of `minilp`), a vertex solution, as reference.
//! - [`conic`]: Clarabel, general-purpose interior point, as independent reference.

pub mod attacker;
pub mod conic;
pub mod conv;
pub mod formulation;
pub mod gradient;
pub mod ipm;
pub mod kind;
pub mod linalg;
pub mod lp;
pub mod metrics;
pub mod simplex;
pub mod smoothness;
pub mod sparse;
pub mod view;
pub mod weights;

pub use attacker::{Attacker, Leak, Observation, Options, Reconstruction, Solver};
pub use formulation::{Method, DEFAULT_TV_LAMBDA};
pub use gradient::GradientLeak;
pub use kind::AttackKind;
pub use lp::SolveStatus;
pub use metrics::Quality;
pub use view::{attack_sample, score, Candidate, Outcome, PublicKnowledge, Rebuild, Score};
