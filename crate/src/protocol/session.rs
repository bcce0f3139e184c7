//! Running a protocol for epochs over MNIST: the same batch schedule as plaintext SGD
//! ([`Sgd::batches`]), the server's view of every step handed to a callback (views are large;
//! the caller keeps what it needs), and a per-epoch report.

use super::{start, Batch, Protocol, ProtocolKind, Setup, Step};
use crate::data::mnist::Mnist;
use crate::nn::Sgd;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// One epoch's numbers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EpochReport {
    /// 1-based epoch.
    pub epoch: usize,
    /// Mean batch loss during the epoch.
    pub loss: f32,
    /// Fraction of training samples classified correctly during the epoch (before each update).
    pub train_accuracy: f32,
    /// Wall-clock milliseconds per sample this epoch (client + keys + server).
    pub ms_per_sample: f64,
    /// Bytes client ↔ server (and keys) per sample this epoch.
    pub bytes_per_sample: f64,
    /// Wall-clock seconds of the epoch's steps.
    pub seconds: f64,
}

/// What sees every step of an epoch: `(batch_index, batches, step, protocol after the step)`;
/// returning [`Error::Cancelled`] stops the epoch.
pub type OnStep<'a> = dyn FnMut(usize, usize, &Step, &dyn Protocol) -> Result<()> + 'a;

/// A protocol and its SGD schedule.
pub struct Session {
    /// The running protocol.
    pub protocol: Box<dyn Protocol>,
    /// SGD settings (epochs, learning rate, batch size, shuffling seed).
    pub sgd: Sgd,
}

impl Session {
    /// Start `kind` with `setup`.
    pub fn new(kind: ProtocolKind, setup: &Setup, sgd: Sgd) -> Result<Self> {
        Self::of(start(kind, setup)?, sgd)
    }

    /// A running `protocol` with the schedule `sgd`.
    pub fn of(protocol: Box<dyn Protocol>, sgd: Sgd) -> Result<Self> {
        sgd.validate()?;
        Ok(Self { protocol, sgd })
    }

    /// Run epoch `epoch` (0-based) over `data`; `on_step(batch_index, batches, &step, protocol)`
    /// sees every step and the protocol after it (return [`Error::Cancelled`] to stop).
    pub fn run_epoch(
        &mut self,
        data: &Mnist,
        epoch: usize,
        on_step: &mut OnStep<'_>,
    ) -> Result<EpochReport> {
        if data.is_empty() {
            return Err(Error::invalid("no training samples"));
        }
        let before = *self.protocol.cost();
        let batches = self.sgd.batches(data.len(), epoch);
        let total = batches.len();
        let (mut loss, mut correct) = (0.0f64, 0usize);
        for (i, idx) in batches.iter().enumerate() {
            let batch = Batch::from_mnist(data, idx)?;
            let step = self.protocol.step(&batch, self.sgd.lr)?;
            loss += f64::from(step.loss);
            correct += step.correct;
            on_step(i, total, &step, &*self.protocol)?;
        }
        let after = self.protocol.cost();
        let samples = (after.samples - before.samples).max(1) as f64;
        let seconds = after.step_s() - before.step_s();
        Ok(EpochReport {
            epoch: epoch + 1,
            loss: (loss / total.max(1) as f64) as f32,
            train_accuracy: correct as f32 / data.len() as f32,
            ms_per_sample: 1e3 * seconds / samples,
            bytes_per_sample: (after.traffic.total() - before.traffic.total()) as f64 / samples,
            seconds,
        })
    }
}
