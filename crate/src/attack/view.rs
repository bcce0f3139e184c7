//! The one attacker: it reads what the server holds — its [`ServerView`]s — and public knowledge,
//! nothing else. The page, the CLI and the tests all call [`attack_sample`]; the true sample is
//! never an input. It enters only afterwards, in [`score`], to measure the result.
//!
//! What the attacker does with a view:
//!
//! | attack | needs in the views | without it |
//! |---|---|---|
//! | `tv`, `minsum`, `paper` | `z` of the sample; `W1` if the server held it | tries every `W1` the server could know ([`PublicKnowledge::candidates`]: its own model, shadow models, the public initialisation) and keeps the one whose reconstruction best explains `z` |
//! | `stacked` | `z` and `W1` of every view of the sample | not applicable: stacking needs each step's `W1` |
//! | `gradient` | a decrypted `dW1` of a step holding the sample | not applicable: the client computed the gradient |
//!
//! "Best explains `z`" is the relative residual `‖W·x̂ − z‖ / ‖z‖` — something the attacker can
//! compute. It never compares with the truth.

use super::gradient::{self, GradientLeak};
use super::kind::AttackKind;
use super::metrics::Quality;
use super::{Attacker, Leak, Observation, Options, Reconstruction, SolveStatus};
use crate::protocol::ServerView;
use crate::{Error, Result};
use ndarray::Array2;
use serde::{Deserialize, Serialize};

/// A first layer the server could know without being given it, with where it comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Where this `W1` comes from, in words ("the server's own trained model", …).
    pub source: String,
    /// `W1` (h × n), in the units of [`ServerView::w1`].
    pub w1: Array2<f64>,
}

/// What anyone — the server included — knows without the protocol: public data and the public
/// training recipe.
#[derive(Debug, Clone, PartialEq)]
pub struct PublicKnowledge {
    /// Image height.
    pub rows: usize,
    /// Image width.
    pub cols: usize,
    /// Every `W1` the server could hold when a view has none.
    pub candidates: Vec<Candidate>,
    /// The mean of public samples on [0, 1] (the "guess the average" baseline; also the
    /// attacker's answer when no LP solves).
    pub mean: Option<Vec<f64>>,
    /// λ of the TV attacks.
    pub tv_lambda: f64,
}

impl PublicKnowledge {
    /// MNIST-sized knowledge with no candidates and the core's TV weight.
    pub fn mnist() -> Self {
        Self {
            rows: 28,
            cols: 28,
            candidates: Vec::new(),
            mean: None,
            tv_lambda: super::DEFAULT_TV_LAMBDA,
        }
    }
}

/// One `W1` the attacker tried on a view without one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tried {
    /// Where the `W1` came from.
    pub source: String,
    /// Solver status.
    pub status: String,
    /// Relative residual `‖W·x̂ − z‖ / ‖z‖` of its reconstruction (`NaN` if none).
    pub residual: f64,
    /// Its reconstruction on [0, 1] (empty if none), so that an experimenter can score every
    /// candidate afterwards.
    #[serde(skip)]
    pub image: Vec<f64>,
}

/// The attacker's answer when the attack applies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rebuild {
    /// The attack asked for.
    pub attack: AttackKind,
    /// The formulation that ran (`tv`, `minsum`, `paper`, `gradient`).
    pub method: String,
    /// The reconstruction on [0, 1] (the public mean when no LP solved).
    pub image: Vec<f64>,
    /// Solver status of the chosen reconstruction.
    pub status: String,
    /// Which `W1` the attacker used.
    pub w1_source: String,
    /// True when the views held `W1` (or the attack needs none: `gradient`).
    pub knows_w1: bool,
    /// Observations (views) used.
    pub observations: usize,
    /// Every candidate `W1` tried (empty when the views held `W1`).
    pub tried: Vec<Tried>,
    /// Short remarks (relaxations, fallbacks).
    pub notes: Vec<String>,
    /// Wall time, ms.
    pub ms: f64,
}

/// The outcome of an attack on one sample.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// The attack ran.
    Rebuilt(Rebuild),
    /// The views do not hold what this attack needs; `reason` says what, in words.
    NotApplicable {
        /// The attack asked for.
        attack: AttackKind,
        /// One sentence for the page and the CLI.
        reason: String,
    },
}

impl Outcome {
    /// The rebuild, if the attack applied.
    pub fn rebuild(&self) -> Option<&Rebuild> {
        match self {
            Outcome::Rebuilt(r) => Some(r),
            Outcome::NotApplicable { .. } => None,
        }
    }
}

/// Attack training sample `sample` (its id in the views) with `kind`, from `views` and `public`.
pub fn attack_sample(
    views: &[ServerView],
    sample: usize,
    kind: AttackKind,
    public: &PublicKnowledge,
) -> Result<Outcome> {
    let t0 = web_time::Instant::now();
    let holding: Vec<(&ServerView, usize)> = views
        .iter()
        .filter_map(|v| v.row_of(sample).map(|r| (v, r)))
        .collect();
    let Some(&(latest, latest_row)) = holding.last() else {
        return Err(Error::invalid(format!("no view holds sample {sample}")));
    };
    let attacker = Attacker::new(public.rows, public.cols, 1.0)?;
    if latest.input != attacker.pixels() {
        return Err(Error::invalid(format!(
            "the views are of {} pixels, the attacker's images of {}",
            latest.input,
            attacker.pixels()
        )));
    }
    let protocol = latest.protocol.label();
    let not_applicable = |reason: String| {
        Ok(Outcome::NotApplicable {
            attack: kind,
            reason,
        })
    };
    let mut notes = Vec::new();
    let finish = |image: Vec<f64>,
                  rec: &Reconstruction,
                  method: &str,
                  w1_source: String,
                  knows_w1: bool,
                  observations: usize,
                  tried: Vec<Tried>,
                  mut notes: Vec<String>| {
        let image = if image.is_empty() {
            notes.push(format!(
                "the solver found no image ({}); the attacker falls back to the average sample",
                rec.status
            ));
            public
                .mean
                .clone()
                .unwrap_or_else(|| vec![0.0; attacker.pixels()])
        } else {
            image
        };
        Ok(Outcome::Rebuilt(Rebuild {
            attack: kind,
            method: method.to_string(),
            image,
            status: rec.status.to_string(),
            w1_source,
            knows_w1,
            observations,
            tried,
            notes,
            ms: t0.elapsed().as_secs_f64() * 1e3,
        }))
    };

    match kind {
        AttackKind::Gradient => {
            let Some(&(v, row)) = holding.iter().find(|(v, _)| v.dw1.is_some()) else {
                return not_applicable(if latest.protocol.hides_w1() {
                    format!(
                        "Under {protocol} the server never decrypts the gradient dW1: the client computes its own first-layer gradient from δ1."
                    )
                } else {
                    "The server saw no gradient step of this sample.".to_string()
                });
            };
            let leak = GradientLeak {
                dw1: v.dw1.clone().unwrap_or_default(),
                delta1: v.delta1.clone(),
                scale: 1.0,
            };
            if v.batch() > v.hidden {
                return not_applicable(format!(
                    "A batch of {} samples is more than h = {} units: dW1 mixes them beyond separation.",
                    v.batch(),
                    v.hidden
                ));
            }
            let images = gradient::recover(&leak, 1.0)?;
            let rec = Reconstruction {
                images: images.clone(),
                status: SolveStatus::Solved,
                solver: super::Solver::InteriorPoint,
                iterations: 0,
                violation: 0.0,
                ms: 0.0,
            };
            let image = images.get(row).cloned().unwrap_or_default();
            notes.push(format!(
                "from dW1 = δ1ᵀ·X of a batch of {}, decrypted by the server",
                v.batch()
            ));
            finish(
                image,
                &rec,
                "gradient",
                "no W1 needed (the decrypted gradient)".into(),
                true,
                1,
                Vec::new(),
                notes,
            )
        }
        AttackKind::Stacked => {
            let observations: Vec<Observation> = holding
                .iter()
                .filter_map(|&(v, r)| {
                    v.w1.as_ref()
                        .map(|w| Observation::new(w.clone(), v.z1.row(r).to_vec()))
                })
                .collect::<Result<_>>()?;
            if observations.is_empty() {
                return not_applicable(format!(
                    "Stacking needs the W1 of every step; under {protocol} the server never holds W1."
                ));
            }
            let count = observations.len();
            if count > 1 {
                notes.push(format!(
                    "{count} observations of the sample ({} equations)",
                    count * latest.hidden
                ));
            } else {
                notes.push("the sample was seen once: nothing to stack".into());
            }
            let leak = Leak {
                observations,
                gradient: None,
            };
            let (rec, eps_note) = solve_known(&attacker, &leak, kind, public, latest)?;
            notes.extend(eps_note);
            let image = rec.images.first().cloned().unwrap_or_default();
            finish(
                image,
                &rec,
                kind.method(public.tv_lambda).name(),
                "the server's own W1 of each step (in its views)".into(),
                true,
                count,
                Vec::new(),
                notes,
            )
        }
        AttackKind::Tv | AttackKind::Minsum | AttackKind::Paper => {
            let z = latest.z1.row(latest_row).to_vec();
            let method = kind.method(public.tv_lambda);
            if let Some(w1) = &latest.w1 {
                let leak = Leak::single(Observation::new(w1.clone(), z)?);
                let (rec, eps_note) = solve_known(&attacker, &leak, kind, public, latest)?;
                notes.extend(eps_note);
                let image = rec.images.first().cloned().unwrap_or_default();
                return finish(
                    image,
                    &rec,
                    method.name(),
                    "the server's own W1 (in its view)".into(),
                    true,
                    1,
                    Vec::new(),
                    notes,
                );
            }
            // No W1 in the view: try every W1 the server could know.
            let usable: Vec<&Candidate> = public
                .candidates
                .iter()
                .filter(|c| c.w1.dim() == (latest.hidden, latest.input))
                .collect();
            if usable.is_empty() {
                return not_applicable(format!(
                    "Under {protocol} the server never held W1, and it knows no W1 with h = {} to try.",
                    latest.hidden
                ));
            }
            let mut best: Option<(f64, Reconstruction, String, Option<String>)> = None;
            let mut tried = Vec::new();
            for c in usable {
                let obs = Observation::new(c.w1.clone(), z.clone())?;
                let (rec, eps_note) = solve_guess(&attacker, &obs, kind, public)?;
                let residual = rec
                    .images
                    .first()
                    .map(|x| relative_residual(&obs, x))
                    .unwrap_or(f64::NAN);
                tried.push(Tried {
                    source: c.source.clone(),
                    status: rec.status.to_string(),
                    residual,
                    image: rec.images.first().cloned().unwrap_or_default(),
                });
                let better = match &best {
                    None => true,
                    Some((r, ..)) => residual < *r || (r.is_nan() && !residual.is_nan()),
                };
                if better {
                    best = Some((residual, rec, c.source.clone(), eps_note));
                }
            }
            let Some((residual, rec, source, eps_note)) = best else {
                return Err(Error::invalid("no candidate W1 was tried"));
            };
            notes.push(format!(
                "the server never held W1; of {} W1 it could know, the best explains z with a relative residual of {:.2}",
                tried.len(),
                residual
            ));
            notes.extend(eps_note);
            let image = rec.images.first().cloned().unwrap_or_default();
            finish(image, &rec, method.name(), source, false, 1, tried, notes)
        }
    }
}

/// Solve with the server's own `W1`. Decrypted `z` are integers (in units of
/// `1/(S·L)`): if the equalities have no solution, the exact band `|W·x − z| ≤ ½` is used.
fn solve_known(
    attacker: &Attacker,
    leak: &Leak,
    kind: AttackKind,
    public: &PublicKnowledge,
    view: &ServerView,
) -> Result<(Reconstruction, Option<String>)> {
    let method = kind.method(public.tv_lambda);
    let mut options = Options::default();
    let rec = attacker.reconstruct(leak, &method, &options)?;
    if rec.image().is_ok() {
        return Ok((rec, None));
    }
    let Some(step) = view.z_step() else {
        return Ok((rec, None));
    };
    options.epsilon = 0.5 * step;
    let again = attacker.reconstruct(leak, &method, &options)?;
    let note = again
        .image()
        .is_ok()
        .then(|| "solved with the band |W·x − z| ≤ ½ (z are integers)".to_string());
    Ok((again, note))
}

/// Solve with a guessed `W1`: a wrong `W1` usually makes `W·x = z` infeasible, so relax to a
/// band `|W·x − z| ≤ ε`, as an attacker would, until some image fits.
fn solve_guess(
    attacker: &Attacker,
    obs: &Observation,
    kind: AttackKind,
    public: &PublicKnowledge,
) -> Result<(Reconstruction, Option<String>)> {
    let method = kind.method(public.tv_lambda);
    let leak = Leak::single(obs.clone());
    let mut options = Options::default();
    let mut rec = attacker.reconstruct(&leak, &method, &options)?;
    let zmax = obs.z.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let mut eps = 0.02 * zmax.max(1e-9);
    let mut tries = 0;
    while rec.image().is_err() && tries < 8 {
        options.epsilon = eps;
        rec = attacker.reconstruct(&leak, &method, &options)?;
        eps *= 3.0;
        tries += 1;
    }
    let note = (options.epsilon > 0.0).then(|| {
        format!(
            "no image fits exactly; relaxed to |W·x − z| ≤ {:.3}",
            options.epsilon
        )
    });
    Ok((rec, note))
}

/// `‖W·x − z‖ / ‖z‖`.
fn relative_residual(obs: &Observation, x: &[f64]) -> f64 {
    let (mut num, mut den) = (0.0f64, 0.0f64);
    for (row, &z) in obs.w1.rows().into_iter().zip(&obs.z) {
        let wx: f64 = row.iter().zip(x).map(|(a, b)| a * b).sum();
        num += (wx - z) * (wx - z);
        den += z * z;
    }
    (num / den.max(f64::MIN_POSITIVE)).sqrt()
}

/// The score of a reconstruction against the truth, and of the public mean (the baseline).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Score {
    /// PSNR, dB.
    pub psnr: f64,
    /// SSIM.
    pub ssim: f64,
    /// Share of pixels within 1/255.
    pub within: f64,
    /// MSE.
    pub mse: f64,
    /// PSNR of the public mean against the truth (`NaN` without one).
    pub baseline_psnr: f64,
}

/// Score `image` against `truth` (both on [0, 1]). The only place the truth is read.
pub fn score(truth: &[f64], image: &[f64], public: &PublicKnowledge) -> Result<Score> {
    let q = Quality::measure(truth, image, public.rows, public.cols)?;
    let baseline_psnr = match &public.mean {
        Some(m) if m.len() == truth.len() => {
            Quality::measure(truth, m, public.rows, public.cols)?.psnr
        }
        _ => f64::NAN,
    };
    Ok(Score {
        psnr: q.psnr,
        ssim: q.ssim,
        within: q.within,
        mse: q.mse,
        baseline_psnr,
    })
}
