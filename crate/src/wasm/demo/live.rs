//! Stage 5: does the model still learn? A fresh model trained live in the worker under each
//! protocol, one accuracy point every few steps.

use super::models::DemoModels;
use super::to_js;
use crate::nn::{Mlp, Sgd};
use crate::protocol::{reference, Batch, Protocol, ProtocolKind, Setup};
use crate::wasm::js_err;
use crate::{Error, Result};
use js_sys::Function;
use wasm_bindgen::prelude::*;

/// Points of a live training curve.
#[derive(Debug, Clone, Copy, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CurvePoint {
    /// Steps done.
    pub step: usize,
    /// Mean batch loss since the last point.
    pub loss: f32,
    /// Accuracy on the bundled test digits.
    pub accuracy: f32,
}

#[wasm_bindgen]
impl DemoModels {
    /// Stage 5: train a fresh 784-`h`-10 model under `protocol` (`cryptonn`, `client-loop` or
    /// `fhipe`) over the bundled training digits for `epochs`, reporting
    /// `progress(point)` every few steps. Returns the curve.
    ///
    /// `client-loop` runs the real protocol (no cryptography to skip). `cryptonn` and `fhipe`
    /// run the plaintext reference path of their arithmetic ([`reference::quantized_step`],
    /// [`reference::quantized_forward_step`]): the integers are those their decryptions return
    /// (checked by the protocol tests), without the hours of pairings a browser would need.
    #[wasm_bindgen(js_name = trainLive)]
    pub fn train_live(
        &self,
        protocol: &str,
        hidden: u32,
        epochs: u32,
        progress: &Function,
    ) -> std::result::Result<JsValue, JsError> {
        self.train_live_inner(protocol, hidden as usize, epochs as usize, &mut |p| {
            to_js(p).and_then(|v| {
                progress
                    .call1(&JsValue::NULL, &v)
                    .map(|_| ())
                    .map_err(|_| Error::Cancelled)
            })
        })
        .and_then(|curve| to_js(&curve))
        .map_err(js_err)
    }
}

impl DemoModels {
    /// See [`DemoModels::train_live`].
    pub fn train_live_inner(
        &self,
        protocol: &str,
        hidden: usize,
        epochs: usize,
        on_point: &mut dyn FnMut(&CurvePoint) -> Result<()>,
    ) -> Result<Vec<CurvePoint>> {
        let train = self
            .train
            .as_ref()
            .ok_or_else(|| Error::invalid("the training digits are not loaded"))?;
        let test = self
            .test
            .as_ref()
            .ok_or_else(|| Error::invalid("the test digits are not loaded"))?;
        let kind: ProtocolKind = protocol.parse()?;
        let setup = Setup {
            hidden,
            ..Setup::default()
        };
        let sgd = Sgd {
            epochs: epochs.max(1),
            lr: 0.1,
            batch: 32,
            seed: 1,
        };
        enum Runner {
            Real(Box<dyn Protocol>),
            Reference(Box<Mlp>, ProtocolKind),
        }
        let mut runner = match kind {
            ProtocolKind::ClientLoop => Runner::Real(crate::protocol::start(kind, &setup)?),
            ProtocolKind::CryptoNn | ProtocolKind::Fhipe | ProtocolKind::FeNet => {
                Runner::Reference(Box::new(setup.initial_model()?), kind)
            }
        };
        let q = setup.quant;
        let mut curve = Vec::new();
        let accuracy = |r: &Runner| -> Result<f32> {
            match r {
                Runner::Real(p) => p.model().accuracy(test),
                Runner::Reference(m, _) => m.accuracy(test),
            }
        };
        let first = CurvePoint {
            step: 0,
            loss: f32::NAN,
            accuracy: accuracy(&runner)?,
        };
        on_point(&first)?;
        curve.push(first);
        let (mut step, mut loss_sum, mut loss_n) = (0usize, 0f32, 0usize);
        let every = 4;
        for e in 0..sgd.epochs {
            for idx in sgd.batches(train.len(), e) {
                let batch = Batch::from_mnist(train, &idx)?;
                let loss = match &mut runner {
                    Runner::Real(p) => p.step(&batch, sgd.lr)?.loss,
                    Runner::Reference(m, ProtocolKind::Fhipe) => {
                        let before = (**m).clone();
                        let z = reference::quantized_forward_step(m, &batch, &q, sgd.lr)?;
                        reference::head_step(&before, &z, &batch.labels, &q)?.1.loss
                    }
                    Runner::Reference(m, _) => {
                        reference::quantized_step(m, &batch, &q, sgd.lr)?.loss
                    }
                };
                step += 1;
                loss_sum += loss;
                loss_n += 1;
                if step % every == 0 {
                    let p = CurvePoint {
                        step,
                        loss: loss_sum / loss_n as f32,
                        accuracy: accuracy(&runner)?,
                    };
                    (loss_sum, loss_n) = (0.0, 0);
                    on_point(&p)?;
                    curve.push(p);
                }
            }
        }
        if loss_n > 0 {
            let p = CurvePoint {
                step,
                loss: loss_sum / loss_n as f32,
                accuracy: accuracy(&runner)?,
            };
            on_point(&p)?;
            curve.push(p);
        }
        Ok(curve)
    }
}
