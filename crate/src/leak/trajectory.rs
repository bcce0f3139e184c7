//! The client's training run under a mitigation, as the server can record it.
//!
//! The run is the engine's ([`crate::protocol::engine::ClientTrains`]) on the bit-identical
//! integer path ([`Backend::Reference`](crate::protocol::Backend)): the same integers the real
//! FHIPE run decrypts, without the pairings (`crate/tests/protocol_equivalence.rs`; and
//! `crate/tests/leak_fhipe_keys.rs` shows with real FHIPE that a later step's key opens an
//! earlier step's ciphertext). Every step the server keeps its [`ServerView`] — the batch's
//! ids, labels, `z`, and the `δ1` it computed — and, under one long-lived FHIPE master key, the
//! keys themselves: FHIPE keys are not bound to a ciphertext, so afterwards the server can
//! decrypt `z_{t,j} = round(S·W1_t)·x_j` for **every** stored sample `j` and every step `t`
//! ([`Trajectory::held`]). Under client in the loop and under per-step re-keying the views are
//! all there is: `z_j` once per visit.

use crate::data::mnist::{Mnist, PIXELS};
use crate::nn::{Activation, Mlp, Quantization, Sgd};
use crate::protocol::engine::{ClientTrains, KeyPolicy, KeysForOwnRows, SendsZ1};
use crate::protocol::scheme::Reference;
use crate::protocol::{Batch, ClientInit, Protocol, ProtocolKind, Setup};
use crate::roles::PrivateLayer;
use crate::{Error, Result};
use ndarray::Array2;
use serde::{Deserialize, Serialize};

/// The training run and the mitigation's switches.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LeakSettings {
    /// `fhipe` or `client-loop` (the two protocols that hide `W1`).
    pub protocol: ProtocolKind,
    /// FHIPE only: a fresh master key every step.
    pub rekey: bool,
    /// The client's noise σ: on every entry of `Z1` (client in the loop, network units) or on
    /// every weight of `W1` before its keys are issued (FHIPE, weight units), fresh every step.
    pub noise: f32,
    /// Key precision `S`: FHIPE keys are for `round(S·W1)`.
    pub weight_scale: f32,
    /// Hidden units `h`.
    pub hidden: usize,
    /// Passes over the training set.
    pub epochs: usize,
    /// Batch size `m`.
    pub batch: usize,
    /// Learning rate `η`.
    pub lr: f32,
    /// Public seed of the server's layers and of the batch order.
    pub seed: u64,
}

impl Default for LeakSettings {
    /// The setting: FHIPE with one master key, `S = 10⁴`, h = 128, 3 epochs, batch 32,
    /// lr 0.3.
    fn default() -> Self {
        Self {
            protocol: ProtocolKind::Fhipe,
            rekey: false,
            noise: 0.0,
            weight_scale: 1e4,
            hidden: 128,
            epochs: 3,
            batch: 32,
            lr: 0.3,
            seed: 1,
        }
    }
}

impl LeakSettings {
    /// Check the settings (sizes against [`crate::limits`]).
    pub fn validate(&self) -> Result<()> {
        use crate::limits::Limit;
        if !self.protocol.hides_w1() {
            return Err(Error::invalid(format!(
                "the leak experiment runs under a mitigation (fhipe or client-loop), not {}",
                self.protocol
            )));
        }
        if self.rekey && self.protocol != ProtocolKind::Fhipe {
            return Err(Error::invalid(
                "re-keying is a FHIPE switch: client in the loop has no keys",
            ));
        }
        if !(self.noise.is_finite() && self.noise >= 0.0) {
            return Err(Error::invalid(format!(
                "noise σ = {} must be ≥ 0",
                self.noise
            )));
        }
        if !(self.weight_scale.is_finite() && (1.0..=1e7).contains(&self.weight_scale)) {
            return Err(Error::invalid(format!(
                "key precision S = {} must be in 1 ..= 10⁷",
                self.weight_scale
            )));
        }
        Limit::Hidden.check(self.hidden)?;
        Limit::Batch.check(self.batch)?;
        if self.hidden == 0 || self.batch == 0 || self.epochs == 0 {
            return Err(Error::invalid("hidden units, batch and epochs must be ≥ 1"));
        }
        if self.epochs > MAX_EPOCHS {
            return Err(Error::invalid(format!(
                "{} epochs (at most {MAX_EPOCHS})",
                self.epochs
            )));
        }
        Sgd {
            epochs: self.epochs,
            lr: self.lr,
            batch: self.batch,
            seed: self.seed,
        }
        .validate()
    }

    /// The public fixed-point encoding: `L = 255` pixel levels, `S = weight_scale`, and a
    /// decryption bound that holds every `z` of a trained layer at this `S`.
    pub fn quantization(&self) -> Quantization {
        let bound = (f64::from(self.weight_scale) * 255.0 * 256.0)
            .clamp((1u64 << 24) as f64, crate::limits::MAX_DLOG_BOUND as f64)
            as u64;
        Quantization {
            weight_scale: self.weight_scale,
            bound,
            ..Quantization::default()
        }
    }

    /// The SGD schedule.
    pub fn sgd(&self) -> Sgd {
        Sgd {
            epochs: self.epochs,
            lr: self.lr,
            batch: self.batch,
            seed: self.seed,
        }
    }
}

/// Most epochs a leak run may ask for (the server keeps every step).
pub const MAX_EPOCHS: usize = 20;
/// Most training samples of a leak run (the server's normal matrix is `N × N`).
pub const MAX_SAMPLES: usize = crate::limits::MAX_LEAK_SAMPLES;

/// What the server kept of one step.
#[derive(Debug, Clone, PartialEq)]
pub struct StepRecord {
    /// Stored-sample ids of the batch.
    pub ids: Vec<usize>,
    /// The labels it saw (in the clear, in both mitigations).
    pub labels: Vec<u8>,
    /// `δ1` (m × h) exactly as the server sent it back.
    pub delta1: Array2<f64>,
    /// The batch's `z` (m × h, network units) as the server held it.
    pub z1: Array2<f64>,
}

/// A recorded run: the server's records, and the protocol (for what the server can still
/// decrypt with the keys it kept).
pub struct Trajectory {
    /// The settings of the run.
    pub settings: LeakSettings,
    /// Number of stored samples `N`.
    pub samples: usize,
    /// One record per step.
    pub steps: Vec<StepRecord>,
    /// Mean training loss of the last epoch.
    pub last_loss: f32,
    /// Milliseconds per sample-step of the run (reference path: no cryptography).
    pub ms_per_sample: f64,
    protocol: Box<dyn Protocol>,
}

impl std::fmt::Debug for Trajectory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Trajectory {{ {} steps over {} samples }}",
            self.steps.len(),
            self.samples
        )
    }
}

impl Trajectory {
    /// Train on every sample of `train` under `settings`; `progress(step, steps)` is called
    /// after each step.
    pub fn record(
        settings: &LeakSettings,
        train: &Mnist,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Self> {
        settings.validate()?;
        let n = train.len();
        if n == 0 {
            return Err(Error::invalid("no training samples"));
        }
        crate::limits::Limit::LeakSamples.check(n)?;
        crate::limits::Limit::LeakSampleSteps.check(crate::limits::mul(n, settings.epochs)?)?;
        let q = settings.quantization();
        let setup = Setup {
            input: PIXELS,
            hidden: settings.hidden,
            activation: Activation::Relu,
            seed: settings.seed,
            client_w1: ClientInit::Secret,
            quant: q,
            ..Setup::default()
        };
        let model = setup.initial_model()?;
        let layer = PrivateLayer::draw(PIXELS, settings.hidden, Activation::Relu)?;
        let kind = settings.protocol;
        let mut protocol: Box<dyn Protocol> = match kind {
            ProtocolKind::ClientLoop => Box::new(ClientTrains::start(
                kind,
                &setup,
                layer,
                SendsZ1::with_noise(settings.noise)?,
                model,
            )?),
            _ => {
                let policy = KeyPolicy {
                    rekey: settings.rekey,
                    key_noise: settings.noise,
                    retain_keys: !settings.rekey,
                };
                let first = KeysForOwnRows::<Reference>::with_policy(PIXELS, q.bound, policy)?;
                Box::new(ClientTrains::start(kind, &setup, layer, first, model)?)
            }
        };
        let sgd = settings.sgd();
        let per_epoch = n.div_ceil(settings.batch);
        let total = per_epoch * settings.epochs;
        let mut steps = Vec::with_capacity(total);
        let mut last_loss = 0.0;
        for epoch in 0..settings.epochs {
            let mut loss = 0.0f64;
            for idx in sgd.batches(n, epoch) {
                let batch = Batch::from_mnist(train, &idx)?;
                let step = protocol.step(&batch, settings.lr)?;
                loss += f64::from(step.loss);
                let v = step.view;
                steps.push(StepRecord {
                    ids: v.sample_ids,
                    labels: v.labels.unwrap_or_default(),
                    delta1: v.delta1,
                    z1: v.z1,
                });
                progress(steps.len(), total);
            }
            last_loss = (loss / per_epoch as f64) as f32;
        }
        let ms_per_sample = protocol.cost().ms_per_sample();
        Ok(Self {
            settings: *settings,
            samples: n,
            steps,
            last_loss,
            ms_per_sample,
            protocol,
        })
    }

    /// `z_{t,j}` (rows: `ids`, network units) that the server decrypts from the stored
    /// ciphertexts of `ids` with the keys it kept from step `step`; `None` when the protocol
    /// gives it nothing beyond each step's batch (client in the loop, re-keying).
    pub fn held(&self, step: usize, ids: &[usize]) -> Result<Option<Array2<f64>>> {
        let q = self.settings.quantization();
        let zs = f64::from(q.weight_scale) * f64::from(q.pixel_levels);
        Ok(self
            .protocol
            .held_decryption(step, ids)?
            .map(|z| z.mapv(|v| v as f64 / zs)))
    }

    /// True when the server can open every stored sample with every step's keys.
    pub fn holds_every_step(&self) -> bool {
        self.settings.protocol == ProtocolKind::Fhipe && !self.settings.rekey
    }

    /// The model as it stands after training (the experimenter's evaluation: no party sees it).
    pub fn model(&self) -> Mlp {
        self.protocol.model()
    }

    /// Test accuracy of the trained model on `test`.
    pub fn accuracy(&self, test: &Mnist) -> Result<f64> {
        if test.is_empty() {
            return Err(Error::invalid("no test digits"));
        }
        let model = self.model();
        let idx: Vec<usize> = (0..test.len()).collect();
        let mut correct = 0usize;
        for chunk in idx.chunks(1000) {
            let x = crate::nn::batch_pixels(test, chunk)?;
            let pred = model.predict(x.view())?;
            correct += pred
                .iter()
                .zip(chunk)
                .filter(|(p, &i)| **p == test.label(i))
                .count();
        }
        Ok(correct as f64 / test.len() as f64)
    }
}
