//! What still leaks under the mitigations (issue 13, `../shared/science.md` §4.1).
//!
//! Client in the loop and FHIPE hide `W1`, so the pixel LP of one step has no matrix. But the
//! server computed every `δ1` and knows the learning rate, and the client's update
//! `W1_{t+1} − W1_t = −η·δ1_tᵀ·X_t` ties the `z` it sees at different steps to the inner
//! products of the training samples:
//!
//! - [`trajectory`]: the client's run as the server records it — with one long-lived FHIPE
//!   master key the server keeps every key and opens **every** stored sample at every step;
//! - [`gram`]: the server's estimates of the Gram matrix `G = X·Xᵀ` (whole-trajectory least
//!   squares, visits only, the single-step random projection) and their error;
//! - [`known`]: with `k` known samples, a Gram row is the original LP attack with the known
//!   samples as the matrix;
//! - [`cost`]: what the fix (a fresh master key per step) costs with real FHIPE;
//! - [`experiment`]: one run end to end (the CLI's `glasslayer leak`);
//! - [`panel`]: the page's "What still leaks" panel (a small run around the drawn digit).

pub mod cost;
pub mod experiment;
pub mod flips;
pub mod gram;
pub mod known;
pub mod panel;
pub mod trajectory;

pub use experiment::{Digit, Experiment, LeakReport};
pub use gram::{GramError, GramEstimate};
pub use trajectory::{LeakSettings, Trajectory};
