//! From server views to the attacker's input: what an honest-but-curious server can assemble
//! about one training sample, and the attacker's best attempt at it.
//!
//! The attacker gets [`ServerView`]s and nothing else. For each sample id it collects:
//!
//! - the observations `z = W1·x` of every view holding the sample (`tv`, `minsum`: the latest,
//!   whose `W1` is the most trained — trained rows look like strokes, so the data the LP cannot
//!   see lies mostly in directions a smoothness prior rejects; `stacked`: all of them — `W1`
//!   changes every step, so the equations pile up);
//! - the decrypted gradient `dW1`, `δ1` of the first such view (`gradient`).
//!
//! A mitigated view has no `W1` and no `dW1`. The attacker still runs: it substitutes its best
//! guess of `W1` — the `W1` the public seed gives, i.e. what the server would hold had the client
//! not drawn its own from secret randomness — and, lacking `dW1`, falls back from `gradient` to `tv` with that guess. The mitigation
//! is thus *shown* failing the attack, not skipped. If the LP has no solution the attacker's
//! output is an empty image, and that is what gets measured.

use super::view::ServerView;
use crate::attack::{metrics::Quality, Attacker, GradientLeak, Leak, Method, Observation, Options};
use crate::{Error, Result};
use ndarray::Array2;
use serde::{Deserialize, Serialize};

/// The attacks the CLI offers on views.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ViewAttack {
    /// Total-variation LP on the latest view of the sample.
    Tv,
    /// Minimum-sum LP on the latest view of the sample.
    Minsum,
    /// Read `x` from the decrypted gradient of the first view of the sample.
    Gradient,
    /// TV LP over the observations of every view of the sample (all epochs).
    Stacked,
}

impl std::str::FromStr for ViewAttack {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "tv" => Ok(ViewAttack::Tv),
            "minsum" => Ok(ViewAttack::Minsum),
            "gradient" => Ok(ViewAttack::Gradient),
            "stacked" => Ok(ViewAttack::Stacked),
            _ => Err(Error::invalid(format!(
                "unknown attack {s:?} (tv, minsum, gradient, stacked)"
            ))),
        }
    }
}

impl ViewAttack {
    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            ViewAttack::Tv => "tv",
            ViewAttack::Minsum => "minsum",
            ViewAttack::Gradient => "gradient",
            ViewAttack::Stacked => "stacked",
        }
    }
}

/// The outcome of attacking one sample.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SampleAttack {
    /// Training-set index of the sample.
    pub sample: usize,
    /// The method actually run (`gradient`, `tv`, `minsum`).
    pub method: String,
    /// True when `W1` was not in the views and the attacker used its guess.
    pub guessed_w1: bool,
    /// Views (observations) used.
    pub observations: usize,
    /// Solver status (`solved`, `infeasible`, …).
    pub status: String,
    /// Quality of the attacker's output against the true sample (an empty image if unsolved).
    pub quality: Quality,
    /// Attack time, ms.
    pub ms: f64,
    /// The attacker's output on [0, 1] (28×28 row-major for MNIST).
    #[serde(skip)]
    pub image: Vec<f64>,
}

/// Attack sample `id` given every view the server kept. `truth` is the real sample on [0, 1]
/// (used only to measure), `guess_w1` the attacker's stand-in for an unknown `W1`.
pub fn attack_sample(
    views: &[ServerView],
    id: usize,
    truth: &[f64],
    kind: ViewAttack,
    guess_w1: &Array2<f64>,
    attacker: &Attacker,
    options: &Options,
) -> Result<SampleAttack> {
    let holding: Vec<(&ServerView, usize)> = views
        .iter()
        .filter_map(|v| v.row_of(id).map(|r| (v, r)))
        .collect();
    let (first, row) = *holding
        .first()
        .ok_or_else(|| Error::invalid(format!("no view holds sample {id}")))?;
    let guessed_w1 = first.w1.is_none();
    let (last, last_row) = *holding.last().unwrap_or(&(first, row));
    let observe = |v: &ServerView, r: usize| -> Result<Observation> {
        let w1 = v.w1.clone().unwrap_or_else(|| guess_w1.clone());
        Observation::new(w1, v.z1.row(r).to_vec())
    };
    let (leak, method) = match (kind, &first.dw1) {
        (ViewAttack::Gradient, Some(dw1)) => (
            Leak {
                observations: Vec::new(),
                gradient: Some(GradientLeak {
                    dw1: dw1.clone(),
                    delta1: first.delta1.clone(),
                    scale: 1.0,
                }),
            },
            Method::Gradient,
        ),
        (ViewAttack::Minsum, _) => (Leak::single(observe(last, last_row)?), Method::MinSum),
        (ViewAttack::Stacked, _) => (
            Leak {
                observations: holding
                    .iter()
                    .map(|&(v, r)| observe(v, r))
                    .collect::<Result<_>>()?,
                gradient: None,
            },
            Method::tv(),
        ),
        // tv, and gradient without a decrypted gradient
        _ => (Leak::single(observe(last, last_row)?), Method::tv()),
    };
    let rec = attacker.reconstruct(&leak, &method, options)?;
    let pos = if matches!(method, Method::Gradient) {
        row
    } else {
        0
    };
    let image = match (rec.status, rec.images.get(pos)) {
        (crate::attack::SolveStatus::Solved, Some(img)) => img.clone(),
        _ => vec![0.0; truth.len()],
    };
    let quality = Quality::measure(truth, &image, attacker.rows, attacker.cols)?;
    Ok(SampleAttack {
        sample: id,
        method: method.name().to_string(),
        guessed_w1,
        observations: leak.observations.len().max(1),
        status: rec.status.to_string(),
        quality,
        ms: rec.ms,
        image,
    })
}
