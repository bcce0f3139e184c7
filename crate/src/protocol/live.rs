//! Does the model still learn? A fresh model trained under a protocol, one accuracy point every
//! few steps — the page's last stage. Client in the loop runs as deployed (it has no
//! cryptography); the FE protocols run the same engine on the bit-identical integer path
//! ([`Backend::Reference`]): the integers their decryptions would return, without the hours of
//! pairings a browser would need.

use super::{start_with, Backend, ProtocolKind, Session, Setup};
use crate::data::mnist::Mnist;
use crate::nn::Sgd;
use crate::{Error, Result};
use serde::Serialize;

/// One point of a live training curve.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CurvePoint {
    /// Steps done.
    pub step: usize,
    /// Mean batch loss since the last point.
    pub loss: f32,
    /// Accuracy on the test digits.
    pub accuracy: f32,
}

/// The page's recipe: lr 0.1, batch 32, seed 1.
pub const LIVE_SGD: Sgd = Sgd {
    epochs: 1,
    lr: 0.1,
    batch: 32,
    seed: 1,
};

/// A point every this many steps.
pub const EVERY: usize = 4;

/// Train a fresh 784-`hidden`-10 model under `kind` over `train` for `epochs`, reporting
/// `on_point` every [`EVERY`] steps (return [`Error::Cancelled`] to stop). The backend is the
/// one named in the module docs.
pub fn train_curve(
    kind: ProtocolKind,
    hidden: usize,
    epochs: usize,
    train: &Mnist,
    test: &Mnist,
    on_point: &mut dyn FnMut(&CurvePoint) -> Result<()>,
) -> Result<Vec<CurvePoint>> {
    if train.is_empty() || test.is_empty() {
        return Err(Error::invalid("no training or test digits"));
    }
    let setup = Setup {
        hidden,
        ..Setup::default()
    };
    let sgd = Sgd {
        epochs: epochs.clamp(1, 16),
        ..LIVE_SGD
    };
    let backend = match kind {
        ProtocolKind::ClientLoop => Backend::Fe,
        _ => Backend::Reference,
    };
    let mut session = Session::of(
        start_with(kind, &setup, setup.initial_model()?, backend)?,
        sgd,
    )?;
    let mut curve = Vec::new();
    let first = CurvePoint {
        step: 0,
        loss: f32::NAN,
        accuracy: session.protocol.model().accuracy(test)?,
    };
    on_point(&first)?;
    curve.push(first);
    let (mut step, mut loss_sum, mut loss_n) = (0usize, 0f32, 0usize);
    for e in 0..sgd.epochs {
        session.run_epoch(train, e, &mut |_, _, s, protocol| {
            loss_sum += s.loss;
            step += 1;
            loss_n += 1;
            if step % EVERY == 0 {
                let p = CurvePoint {
                    step,
                    loss: loss_sum / loss_n as f32,
                    accuracy: protocol.model().accuracy(test)?,
                };
                (loss_sum, loss_n) = (0.0, 0);
                on_point(&p)?;
                curve.push(p);
            }
            Ok(())
        })?;
    }
    if loss_n > 0 {
        let p = CurvePoint {
            step,
            loss: loss_sum / loss_n as f32,
            accuracy: session.protocol.model().accuracy(test)?,
        };
        on_point(&p)?;
        curve.push(p);
    }
    Ok(curve)
}
