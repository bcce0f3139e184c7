//! FHIPE with the client in control (RAID 2025, second mitigation), over KLMMRW18.
//!
//! The client holds the FHIPE master key *and* `W1`. One step:
//!
//! 1. **Client → server**: `Enc(msk, x_b)` per sample and a key for every row of its encoded
//!    `W1q` (re-issued after every update: the keys are fresh each step).
//! 2. **Server**: decrypts `z = W1q·x_b` — it learns `Z1`, but neither `W1` nor `x` — then the
//!    head, loss and back-propagation in plaintext; updates `b1, W2, b2`.
//! 3. **Server → client**: `δ1`; the client computes `dW1 = δ1ᵀ·X` and updates `W1`.
//!
//! Cost: `m·h` FHIPE decryptions of length `n` per step (`n + 1` pairings each), `h` key
//! generations and `m` encryptions on the client.

use super::cache::CiphertextCache;
use super::client_loop::{assemble, check_width, split, PrivateLayer};
use super::cost::{timed, Cost};
use super::cryptonn::{rows_of, stack};
use super::fenet::{fhipe_key_bytes, upload};
use super::reference::head_step;
use super::view::{to_f64, ServerView, Traffic};
use super::{Batch, Protocol, ProtocolKind, Setup, Step};
use crate::fe::FhipeCiphertext;
use crate::nn::{Mlp, Quantization};
use crate::roles::{FhipeClient, FhipeServer};
use crate::Result;

/// The FHIPE mitigation.
pub struct Fhipe {
    setup: Setup,
    quant: Quantization,
    /// The client's master key.
    keys: FhipeClient,
    /// The client's private `W1`.
    client: PrivateLayer,
    server: FhipeServer,
    /// The server's layers (`b1`, `W2`, `b2`).
    model: Mlp,
    /// The encrypted training set (each sample encrypted once, reused across epochs).
    uploaded: CiphertextCache<FhipeCiphertext>,
    cost: Cost,
    step: usize,
}

impl Fhipe {
    /// Client master key, split model.
    pub fn start(setup: &Setup) -> Result<Self> {
        setup.quant.validate()?;
        let (client, model) = split(setup)?;
        let mut cost = Cost::default();
        let keys = timed(&mut cost.setup_s, || FhipeClient::setup(setup.input))?;
        Ok(Self {
            setup: *setup,
            quant: setup.quant,
            keys,
            client,
            server: FhipeServer::new(setup.quant.bound)?,
            model,
            uploaded: CiphertextCache::default(),
            cost,
            step: 0,
        })
    }
}

impl Protocol for Fhipe {
    fn kind(&self) -> ProtocolKind {
        ProtocolKind::Fhipe
    }

    fn step(&mut self, batch: &Batch, lr: f32) -> Result<Step> {
        let q = self.quant;
        let (m, n, h) = (batch.len(), self.setup.input, self.setup.hidden);
        check_width(batch, n)?;
        let (mut t_client, mut t_keys, mut t_server) = (0.0, 0.0, 0.0);

        // 1. Client: keys for its own W1 (fresh every step), encrypted samples.
        let wq = timed(&mut t_keys, || q.weights(self.client.w1().view()))?;
        let keys = timed(&mut t_keys, || self.keys.keygen_rows(&rows_of(&wq)))?;
        let (cts, fresh) = timed(&mut t_client, || {
            upload(&mut self.uploaded, &self.keys, batch, &batch.level_rows(&q))
        })?;
        let sent: u64 = cts
            .iter()
            .zip(&fresh)
            .filter(|(_, &f)| f)
            .map(|(c, _)| c.byte_len() as u64)
            .sum();

        // 2. Server: decrypt Z1, run the rest, update its layers.
        let (z, g) = timed(&mut t_server, || -> Result<_> {
            let zs = cts
                .iter()
                .map(|ct| self.server.decrypt_rows(ct.as_ref(), &keys))
                .collect::<Result<Vec<_>>>()?;
            let z = stack(zs, h)?;
            let (_, g) = head_step(&self.model, &z, &batch.labels, &q)?;
            self.model.apply(None, &g, lr)?;
            Ok((z, g))
        })?;

        // 3. Client: dW1 from δ1, update W1.
        timed(&mut t_client, || {
            let x = q.pixels_real(batch.pixels.view());
            self.client.update(&g.delta1, &x, lr)
        })?;

        let traffic = Traffic {
            ciphertext_bytes: sent,
            key_bytes: fhipe_key_bytes(&keys),
            plaintext_to_server: m as u64,
            plaintext_to_client: (4 * m * h) as u64,
        };
        let zs = f64::from(q.weight_scale) * f64::from(q.pixel_levels);
        let view = ServerView {
            protocol: ProtocolKind::Fhipe,
            step: self.step,
            sample_ids: batch.ids.clone(),
            input: n,
            hidden: h,
            pixel_levels: q.pixel_levels,
            w1: None,
            z1: z.mapv(|v| v as f64 / zs),
            delta1: to_f64(&g.delta1),
            dw1: None,
            labels: Some(batch.labels.clone()),
            traffic,
        };
        self.cost.client_s += t_client;
        self.cost.keys_s += t_keys;
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
        assemble(&self.model, &self.client)
    }

    fn cost(&self) -> &Cost {
        &self.cost
    }
}
