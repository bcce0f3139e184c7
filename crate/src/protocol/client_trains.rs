//! The mitigations' engine, for the MLP and the CNN alike: the client owns the first layer (its
//! private `W1` or filters), the server the rest; the server returns `δ = dZ` and the client
//! updates its own layer. How `Z` reaches the server is a [`ClientForward`]: in the clear
//! ([`SendsZ1`], client in the loop) or through FHIPE keys the client issues for its own layer
//! ([`super::keys_for_own::KeysForOwnLayer`]).

use super::channel::{Carries, Channel, Delivered};
use super::cost::{timed, Books, Cost};
use super::engine::Engine;
use super::layer::{Backprop, ClientLayer, Head, Held, Split};
use super::view::to_f64;
use super::{Batch, ProtocolKind, Setup};
use crate::nn::{mlp::normal, Quantization};
use crate::roles::PrivateLayer;
use crate::{Error, Result};
use ndarray::Array2;
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;

/// `Z1` as the server holds it after the client's forward message.
pub struct HeldZ1 {
    /// For the server's network (f32).
    pub real: Array2<f32>,
    /// For its view: exact (decrypted integers over `S·L`, or the received floats).
    pub view: Array2<f64>,
    /// True when `view` is made of decrypted integers.
    pub encoded: bool,
}

/// How the client of a mitigation gets `Z1` to the server from its private first layer `P`
/// ([`PrivateLayer`] for the MLP, [`PrivateConv`](crate::roles::PrivateConv) for the CNN).
pub trait ClientForward<P = PrivateLayer> {
    /// Get `Z1` for `batch` from the client's private layer to the server, through the
    /// channel. Returns the `Z1` the server then holds (m × outputs, network units: received,
    /// or decrypted from delivered ciphertexts and keys) and whether it is made of decrypted
    /// integers; times go to `t` (client, keys, server).
    fn forward(
        &mut self,
        layer: &P,
        batch: &Batch,
        q: &Quantization,
        channel: &mut Channel,
        t: &mut (f64, f64, f64),
    ) -> Result<HeldZ1>;

    /// `z` of the stored samples `ids` (rows) under the keys the server held at step `step`
    /// (see [`Protocol::held_decryption`](super::Protocol::held_decryption)); `None` when this first layer gives the server
    /// nothing beyond each step's batch.
    fn held_decryption(&self, _step: usize, _ids: &[usize]) -> Result<Option<Array2<i64>>> {
        Ok(None)
    }
}

/// Client in the loop: the client computes `Z1` with its private layer and sends it in the
/// clear — optionally with Gaussian noise of standard deviation `noise` added to every entry
/// (the RAID 2025 authors' own idea; the noise is the client's secret, drawn from the OS
/// CSPRNG).
#[derive(Default)]
pub struct SendsZ1 {
    noise: Option<(f32, ChaCha20Rng)>,
}

impl SendsZ1 {
    /// `Z1` sent exactly.
    pub fn plain() -> Self {
        Self::default()
    }

    /// `Z1 + N(0, σ²)` per entry (`σ = 0` is [`SendsZ1::plain`]).
    pub fn with_noise(sigma: f32) -> Result<Self> {
        if !(sigma.is_finite() && sigma >= 0.0) {
            return Err(Error::invalid(format!("noise σ = {sigma} must be ≥ 0")));
        }
        Ok(Self {
            noise: (sigma > 0.0)
                .then(|| Ok((sigma, secret_rng()?)))
                .transpose()?,
        })
    }
}

/// A generator only the client can reproduce (ChaCha20 seeded by the OS/browser CSPRNG).
pub(crate) fn secret_rng() -> Result<ChaCha20Rng> {
    ChaCha20Rng::from_rng(rand_core::OsRng)
        .map_err(|e| Error::invalid(format!("OS random generator: {e}")))
}

impl<P: ClientLayer> ClientForward<P> for SendsZ1 {
    fn forward(
        &mut self,
        layer: &P,
        batch: &Batch,
        q: &Quantization,
        channel: &mut Channel,
        t: &mut (f64, f64, f64),
    ) -> Result<HeldZ1> {
        let z1 = timed(&mut t.0, || -> Result<_> {
            let mut z1 = layer.forward(q.pixels_real(batch.pixels.view()).view())?;
            if let Some((sigma, rng)) = &mut self.noise {
                z1.mapv_inplace(|v| v + *sigma * normal(rng));
            }
            Ok(z1)
        })?;
        let bytes = 4 * z1.len() as u64;
        let real = channel
            .to_server(Carries::Plaintext, bytes, z1)
            .into_inner();
        Ok(HeldZ1 {
            view: to_f64(&real),
            real,
            encoded: false,
        })
    }
}

/// The client's labels and the training-set indices of the batch, to the server.
pub(crate) fn send_labels(
    channel: &mut Channel,
    batch: &Batch,
) -> (Delivered<Vec<u8>>, Delivered<Vec<usize>>) {
    let m = batch.len() as u64;
    let labels = channel.to_server(Carries::Plaintext, m, batch.labels.clone());
    let ids = channel.to_server(Carries::Plaintext, 0, batch.ids.clone());
    (labels, ids)
}

/// The mitigations: the client owns the first layer ([`PrivateLayer`],
/// [`PrivateConv`](crate::roles::PrivateConv)), the server the rest; the server returns
/// `δ1 = dZ1` and the client updates its own layer. `L` is the network's setup ([`Setup`] for the MLP, [`CnnSetup`](super::cnn::CnnSetup) for the CNN).
pub struct ClientTrains<F, L: Split = Setup> {
    kind: ProtocolKind,
    setup: L,
    layer: L::Private,
    first: F,
    /// The server's layers (its copy of the first layer is zero and never read).
    model: L::Net,
    channel: Channel,
    books: Books,
}

impl<F: ClientForward<L::Private>, L: Split> ClientTrains<F, L> {
    /// The client's private layer and first-layer method, and the server's initial model (its
    /// first layer is zeroed: the server never has the client's).
    pub fn start(
        kind: ProtocolKind,
        setup: &L,
        layer: L::Private,
        first: F,
        mut model: L::Net,
    ) -> Result<Self> {
        setup.quant().validate()?;
        setup.check_parts(&model, Some(&layer))?;
        let zeros = Array2::zeros(model.first().dim());
        model.set_first(zeros)?;
        Ok(Self {
            kind,
            setup: *setup,
            layer,
            first,
            model,
            channel: Channel::default(),
            books: Books::default(),
        })
    }
}

impl<F: ClientForward<L::Private>, L: Split> Engine for ClientTrains<F, L> {
    type Setup = L;

    fn kind(&self) -> ProtocolKind {
        self.kind
    }

    fn run(&mut self, batch: &Batch, lr: f32) -> Result<(L::View, f32, usize)> {
        let q = self.setup.quant();
        self.setup.check_batch(batch)?;
        let m = batch.len();
        let mut t = (0.0, 0.0, 0.0);
        let ch = &mut self.channel;

        // 1. Client → server: Z1 (in the clear, or through FHIPE keys it issued), labels, ids.
        let z1 = self.first.forward(&self.layer, batch, &q, ch, &mut t)?;
        let (labels, ids) = send_labels(ch, batch);

        // 2. Server: the rest of the network, back-propagation, its own update.
        let g = timed(&mut t.2, || -> Result<_> {
            let fwd = self.model.head(z1.real.view())?;
            let g = self.model.backward(&fwd, labels.get())?;
            self.model.apply(None, &g, lr)?;
            Ok(g)
        })?;

        // 3. Server → client: δ1; the client updates its first layer.
        let delta1 = ch.to_client(4 * g.delta1().len() as u64, g.delta1().clone());
        timed(&mut t.0, || {
            let x = q.pixels_real(batch.pixels.view());
            self.layer.update(delta1.view(), x.view(), lr)
        })?;

        let traffic = ch.end_step();
        let step = self.books.close(m, t, traffic);
        let view = self.setup.view(Held {
            protocol: self.kind,
            step,
            sample_ids: ids.into_inner(),
            weight_scale: z1.encoded.then_some(q.weight_scale),
            weights: None,
            z: z1.view,
            delta: to_f64(g.delta1()),
            dweights: None,
            labels: labels.into_inner(),
            traffic,
        });
        Ok((view, g.loss(), g.correct()))
    }

    /// The model assembled from both parties. The experimenter's evaluation only: no party
    /// sees it.
    fn model(&self) -> L::Net {
        let mut m = self.model.clone();
        // Shapes match by construction.
        let _ = m.set_first(self.layer.weights().clone());
        m
    }

    fn cost(&self) -> &Cost {
        &self.books.cost
    }

    fn held_decryption(&self, step: usize, ids: &[usize]) -> Result<Option<Array2<i64>>> {
        self.first.held_decryption(step, ids)
    }
}
