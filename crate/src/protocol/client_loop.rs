//! Client in the loop (RAID 2025, first mitigation; no cryptography).
//!
//! The client keeps `W1` private. One step:
//!
//! 1. **Client → server**: `Z1 = X·W1ᵀ` (m × h) and the labels.
//! 2. **Server, plaintext**: `b1`, activation, second layer, loss, back-propagation to `δ1`;
//!    it updates `b1, W2, b2`.
//! 3. **Server → client**: `δ1 = dZ1`; the client computes `dW1 = δ1ᵀ·X` and updates `W1`.
//!
//! The server sees `Z1` and `δ1`, never `W1`: the attack's linear system has no matrix. The
//! arithmetic is exactly plaintext SGD ([`Mlp::sgd_step`]).

use super::cost::{timed, Cost};
use super::view::{to_f64, ServerView, Traffic};
use super::{Batch, ClientInit, Protocol, ProtocolKind, Setup, Step};
use crate::nn::{Mlp, Quantization};
use crate::{Error, Result};
use ndarray::Array2;
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use rand_core::OsRng;

/// The client's private first layer.
pub(crate) struct PrivateLayer {
    w1: Array2<f32>,
}

impl PrivateLayer {
    /// `X·W1ᵀ` for pixels in [0, 1].
    pub(crate) fn forward(&self, x: &Array2<f32>) -> Array2<f32> {
        x.dot(&self.w1.t())
    }
    /// `W1 ← W1 − lr·δ1ᵀ·X`.
    pub(crate) fn update(&mut self, delta1: &Array2<f32>, x: &Array2<f32>, lr: f32) -> Result<()> {
        let dw1 = Mlp::first_layer_gradient(delta1.view(), x.view());
        Mlp::sgd_w1(&mut self.w1, dw1.view(), lr)
    }
    pub(crate) fn w1(&self) -> &Array2<f32> {
        &self.w1
    }
}

/// Split the initial model: the server keeps the layers it owns (from the public seed; its copy
/// of `W1` is zeroed — [`Mlp::head`] never reads it), the client draws its private `W1` from
/// its own secret randomness ([`ClientInit::Secret`]: a ChaCha20 generator seeded by the OS
/// CSPRNG), so knowing the public seed tells the server nothing about `W1`.
pub(crate) fn split(setup: &Setup) -> Result<(PrivateLayer, Mlp)> {
    let mut model = setup.initial_model()?;
    let w1 = match setup.client_w1 {
        ClientInit::Secret => {
            let mut rng = ChaCha20Rng::from_rng(OsRng)
                .map_err(|e| Error::invalid(format!("OS random generator: {e}")))?;
            Mlp::random_w1(setup.input, setup.hidden, setup.activation, &mut rng)
        }
        ClientInit::ReplayPublicSeed => model.w1().clone(),
    };
    model.set_w1(Array2::zeros(w1.dim()))?;
    Ok((PrivateLayer { w1 }, model))
}

/// Assemble the model for evaluation.
pub(crate) fn assemble(server: &Mlp, client: &PrivateLayer) -> Mlp {
    let mut m = server.clone();
    // Shapes match by construction.
    let _ = m.set_w1(client.w1().clone());
    m
}

pub(crate) fn check_width(batch: &Batch, n: usize) -> Result<()> {
    if batch.pixels.ncols() != n {
        return Err(Error::invalid(format!(
            "samples of {} pixels, the network takes {n}",
            batch.pixels.ncols()
        )));
    }
    Ok(())
}

/// The client-in-the-loop protocol.
pub struct ClientLoop {
    setup: Setup,
    quant: Quantization,
    client: PrivateLayer,
    server: Mlp,
    cost: Cost,
    step: usize,
}

impl ClientLoop {
    /// Split the initial model between client (`W1`) and server (the rest).
    pub fn start(setup: &Setup) -> Result<Self> {
        let (client, server) = split(setup)?;
        Ok(Self {
            setup: *setup,
            quant: setup.quant,
            client,
            server,
            cost: Cost::default(),
            step: 0,
        })
    }
}

impl Protocol for ClientLoop {
    fn kind(&self) -> ProtocolKind {
        ProtocolKind::ClientLoop
    }

    fn step(&mut self, batch: &Batch, lr: f32) -> Result<Step> {
        let (m, n, h) = (batch.len(), self.setup.input, self.setup.hidden);
        check_width(batch, n)?;
        let (mut t_client, mut t_server) = (0.0, 0.0);
        let (x, z1) = timed(&mut t_client, || {
            let x = self.quant.pixels_real(batch.pixels.view());
            let z1 = self.client.forward(&x);
            (x, z1)
        });
        let g = timed(&mut t_server, || -> Result<_> {
            let fwd = self.server.head(z1.view())?;
            let g = self.server.backward(&fwd, &batch.labels)?;
            self.server.apply(None, &g, lr)?;
            Ok(g)
        })?;
        timed(&mut t_client, || self.client.update(&g.delta1, &x, lr))?;
        let traffic = Traffic {
            ciphertext_bytes: 0,
            key_bytes: 0,
            plaintext_to_server: (4 * m * h + m) as u64,
            plaintext_to_client: (4 * m * h) as u64,
        };
        let view = ServerView {
            protocol: ProtocolKind::ClientLoop,
            step: self.step,
            sample_ids: batch.ids.clone(),
            input: n,
            hidden: h,
            pixel_levels: self.quant.pixel_levels,
            w1: None,
            z1: to_f64(&z1),
            delta1: to_f64(&g.delta1),
            dw1: None,
            labels: Some(batch.labels.clone()),
            traffic,
        };
        self.cost.client_s += t_client;
        self.cost.server_s += t_server;
        self.cost.traffic.add(&traffic);
        self.cost.samples += m as u64;
        self.cost.steps += 1;
        self.step += 1;
        Ok(Step {
            view,
            loss: g.loss,
            correct: g.correct,
        })
    }

    fn model(&self) -> Mlp {
        assemble(&self.server, &self.client)
    }

    fn cost(&self) -> &Cost {
        &self.cost
    }
}
