//! Live training over a real protocol in the browser, one step per call, so a worker can report
//! progress and stop between steps. Every step runs the protocol's real cryptography (ristretto255
//! IPFE for `cryptonn`, BLS12-381 FHIPE for `fenet`/`fhipe`) — keep `hidden` and the batch small
//! for the FE protocols. The server's view of a watched sample is kept and can be attacked with
//! the attacker the CLI uses ([`crate::protocol::leak`]).

use super::js_err;
use crate::attack::{Attacker, Options};
use crate::data::mnist::Mnist;
use crate::limits::Limit;
use crate::nn::{Activation, Quantization, Sgd};
use crate::protocol::leak::{attack_sample, ViewAttack};
use crate::protocol::{ProtocolKind, ServerView, Session, Setup};
use crate::{Error, Result};
use serde::Serialize;
use std::collections::VecDeque;
use wasm_bindgen::prelude::*;

/// Digits from raw bytes (`images`: k·784 bytes, `labels`: k digits), validated by the loader
/// with checked sizes ([`Mnist::from_raw`]: `k · 784` never wraps on wasm32).
fn digits(images: &[u8], labels: &[u8]) -> Result<Mnist> {
    Mnist::from_raw(images, labels)
}

/// What one step reports to the page.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct StepReport {
    step: usize,
    epoch: usize,
    loss: f32,
    batch_accuracy: f32,
    ms: f64,
    bytes: u64,
    holds_watched: bool,
}

/// The outcome of attacking the watched sample's view.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AttackReport {
    method: String,
    guessed_w1: bool,
    status: String,
    psnr: f64,
    ssim: f64,
    ms: f64,
    /// The reconstruction, 784 values in [0, 1].
    image: Vec<f64>,
}

/// A protocol training run driven step by step from JS.
#[wasm_bindgen]
pub struct LiveTraining {
    session: Session,
    train: Mnist,
    test: Mnist,
    setup: Setup,
    epoch: usize,
    queue: VecDeque<Vec<usize>>,
    steps: usize,
    watch: Option<usize>,
    watched: Option<ServerView>,
}

impl LiveTraining {
    /// Native constructor (see the JS constructor).
    #[allow(clippy::too_many_arguments)]
    pub fn create(
        protocol: &str,
        hidden: usize,
        activation: &str,
        batch: usize,
        lr: f32,
        seed: u64,
        train: Mnist,
        test: Mnist,
    ) -> Result<Self> {
        if train.is_empty() || test.is_empty() {
            return Err(Error::invalid("need training and test digits"));
        }
        Limit::Hidden.check(hidden)?;
        Limit::Batch.check(batch)?;
        if hidden == 0 || batch == 0 {
            return Err(Error::invalid(
                "hidden units and batch size must be positive",
            ));
        }
        if !lr.is_finite() || lr <= 0.0 {
            return Err(Error::invalid(format!(
                "learning rate {lr} must be finite and positive"
            )));
        }
        let kind: ProtocolKind = protocol.parse()?;
        let activation: Activation = activation.parse()?;
        let setup = Setup {
            hidden,
            activation,
            seed,
            quant: Quantization::default(),
            ..Setup::default()
        };
        let sgd = Sgd {
            epochs: usize::MAX,
            lr,
            batch,
            seed,
        };
        Ok(Self {
            session: Session::new(kind, &setup, sgd)?,
            train,
            test,
            setup,
            epoch: 0,
            queue: VecDeque::new(),
            steps: 0,
            watch: None,
            watched: None,
        })
    }

    /// One protocol step (native twin of `step`).
    pub fn step_inner(&mut self) -> Result<(f32, f32, f64, u64, bool)> {
        if self.queue.is_empty() {
            if self.steps > 0 {
                self.epoch += 1;
            }
            self.queue = self
                .session
                .sgd
                .batches(self.train.len(), self.epoch)
                .into();
        }
        let idx = self
            .queue
            .pop_front()
            .ok_or_else(|| Error::invalid("no batch"))?;
        let batch = crate::protocol::Batch::from_mnist(&self.train, &idx)?;
        let t = web_time::Instant::now();
        let step = self.session.protocol.step(&batch, self.session.sgd.lr)?;
        let ms = t.elapsed().as_secs_f64() * 1e3;
        self.steps += 1;
        let holds = self.watch.is_some_and(|id| step.view.row_of(id).is_some());
        let acc = step.correct as f32 / batch.len() as f32;
        let bytes = step.view.traffic.total();
        if holds {
            self.watched = Some(step.view);
        }
        Ok((step.loss, acc, ms, bytes, holds))
    }

    /// Attack the watched sample's latest view (native twin of `attackWatched`).
    pub fn attack_inner(
        &self,
        method: &str,
    ) -> Result<(crate::protocol::leak::SampleAttack, Vec<f64>)> {
        let kind: ViewAttack = method.parse()?;
        let (id, view) = match (self.watch, &self.watched) {
            (Some(id), Some(v)) => (id, v),
            _ => return Err(Error::invalid("no server view of the watched sample yet")),
        };
        let truth: Vec<f64> = self
            .train
            .image_f32(id)
            .iter()
            .map(|&v| f64::from(v))
            .collect();
        // The attacker's stand-in for an unknown W1: the one the public seed gives (the
        // mitigations' client drew its own from secret randomness).
        let guess = self.setup.initial_model()?.w1().mapv(f64::from);
        let r = attack_sample(
            std::slice::from_ref(view),
            id,
            &truth,
            kind,
            &guess,
            &Attacker::mnist(),
            &Options::default(),
        )?;
        let img = r.image.clone();
        Ok((r, img))
    }
}

#[wasm_bindgen]
impl LiveTraining {
    /// Start `protocol` (`cryptonn`, `fenet`, `client-loop`, `fhipe`) with a 784-`hidden`-10
    /// network over the given digits (`*_images`: 784 bytes per digit, `*_labels`: one byte each).
    #[wasm_bindgen(constructor)]
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        protocol: &str,
        hidden: u32,
        activation: &str,
        batch: u32,
        lr: f32,
        seed: u32,
        train_images: &[u8],
        train_labels: &[u8],
        test_images: &[u8],
        test_labels: &[u8],
    ) -> std::result::Result<LiveTraining, JsError> {
        let train = digits(train_images, train_labels).map_err(js_err)?;
        let test = digits(test_images, test_labels).map_err(js_err)?;
        Self::create(
            protocol,
            hidden as usize,
            activation,
            batch as usize,
            lr,
            u64::from(seed),
            train,
            test,
        )
        .map_err(js_err)
    }

    /// Keep the server's view of training sample `id` whenever a step holds it.
    #[wasm_bindgen(js_name = watchSample)]
    pub fn watch_sample(&mut self, id: u32) -> std::result::Result<(), JsError> {
        let id = id as usize;
        if id >= self.train.len() {
            return Err(js_err(Error::invalid(format!(
                "sample {id} of {} training digits",
                self.train.len()
            ))));
        }
        self.watch = Some(id);
        self.watched = None;
        Ok(())
    }

    /// One protocol step: `{step, epoch, loss, batchAccuracy, ms, bytes, holdsWatched}`.
    pub fn step(&mut self) -> std::result::Result<JsValue, JsError> {
        let (loss, batch_accuracy, ms, bytes, holds_watched) = self.step_inner().map_err(js_err)?;
        let r = StepReport {
            step: self.steps,
            epoch: self.epoch + 1,
            loss,
            batch_accuracy,
            ms,
            bytes,
            holds_watched,
        };
        serde_wasm_bindgen::to_value(&r).map_err(|e| JsError::new(&e.to_string()))
    }

    /// Test accuracy of the model as it stands (fraction of the test digits).
    #[wasm_bindgen(js_name = testAccuracy)]
    pub fn test_accuracy(&self) -> std::result::Result<f32, JsError> {
        self.session
            .protocol
            .model()
            .accuracy(&self.test)
            .map_err(js_err)
    }

    /// The latest server view holding the watched sample, as JSON (`undefined` before one).
    #[wasm_bindgen(js_name = watchedView)]
    pub fn watched_view(&self) -> std::result::Result<Option<String>, JsError> {
        self.watched
            .as_ref()
            .map(ServerView::to_json)
            .transpose()
            .map_err(js_err)
    }

    /// Attack the watched sample's view with `tv`, `minsum` or `gradient`:
    /// `{method, guessedW1, status, psnr, ssim, ms, image}` (`image`: 784 values in [0, 1]).
    #[wasm_bindgen(js_name = attackWatched)]
    pub fn attack_watched(&self, method: &str) -> std::result::Result<JsValue, JsError> {
        let (r, image) = self.attack_inner(method).map_err(js_err)?;
        let rep = AttackReport {
            method: r.method,
            guessed_w1: r.guessed_w1,
            status: r.status,
            psnr: r.quality.psnr,
            ssim: r.quality.ssim,
            ms: r.ms,
            image,
        };
        serde_wasm_bindgen::to_value(&rep).map_err(|e| JsError::new(&e.to_string()))
    }

    /// Cost so far: `{samples, steps, setup_s, client_s, keys_s, server_s, traffic}`.
    pub fn cost(&self) -> std::result::Result<JsValue, JsError> {
        serde_wasm_bindgen::to_value(self.session.protocol.cost())
            .map_err(|e| JsError::new(&e.to_string()))
    }
}
