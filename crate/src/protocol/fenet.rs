//! The FENet pattern (Panzade, Takabi, Cai — IWSPA 2023): function-hiding IPE (KLMMRW18) in
//! place of IPFE, but the server still trains its own `W1`.
//!
//! FHIPE is a secret-key scheme: the master key sits with the data owner, who encrypts and
//! issues keys. The server asks for keys for the vectors it needs — the rows of *its* `W1`, then
//! the columns of *its* `δ1` — so function hiding hides nothing from it: it chose the functions.
//! One step:
//!
//! 1. **Client → server**: `Enc(msk_n, x_b)` per sample, `Enc(msk_m, X[·, j])` per feature.
//! 2. **Server → client → server**: keys for the rows of `W1q`; the server decrypts `z`.
//! 3. **Server, plaintext**: head, loss, back-propagation, `δq`.
//! 4. **Server → client → server**: keys for the columns of `δq`; the server decrypts `dW1`.
//!
//! The view is CryptoNN's: `W1`, `Z1`, `δ1`, `dW1`. Cost: each inner product of length `k` is
//! `k + 1` pairings (one multi-Miller loop and a final exponentiation) — far more than IPFE.

use super::cache::CiphertextCache;
use super::cost::{timed, Cost};
use super::cryptonn::{live_columns, rows_of, scatter_rows, stack};
use super::reference::{apply_gradient, gradient_keys, head_step};
use super::view::{ServerView, Traffic};
use super::{Batch, Protocol, ProtocolKind, Setup, Step};
use crate::fe::{FhipeCiphertext, FhipeKey};
use crate::nn::Mlp;
use crate::roles::{FhipeClient, FhipeServer};
use crate::{Error, Result};
use std::collections::BTreeMap;

/// The FENet-style protocol.
pub struct FeNet {
    setup: Setup,
    /// The data owner's master key for samples (dimension `n`).
    client: FhipeClient,
    /// Master keys for feature columns, one per batch size (dimension `m`).
    client_features: BTreeMap<usize, FhipeClient>,
    server: FhipeServer,
    /// The server's model, `W1` included.
    model: Mlp,
    /// The encrypted training set (each sample encrypted once, reused across epochs).
    uploaded: CiphertextCache<FhipeCiphertext>,
    cost: Cost,
    step: usize,
}

pub(crate) fn fhipe_key_bytes(keys: &[FhipeKey]) -> u64 {
    keys.iter().map(|k| k.byte_len() as u64).sum()
}

pub(crate) fn fhipe_ct_bytes(cts: &[FhipeCiphertext]) -> u64 {
    cts.iter().map(|c| c.byte_len() as u64).sum()
}

/// Encrypt many vectors (in parallel natively).
pub(crate) fn encrypt_all(client: &FhipeClient, rows: &[Vec<i64>]) -> Result<Vec<FhipeCiphertext>> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        use rayon::prelude::*;
        rows.par_iter().map(|x| client.encrypt(x)).collect()
    }
    #[cfg(target_arch = "wasm32")]
    {
        rows.iter().map(|x| client.encrypt(x)).collect()
    }
}

/// Encrypt the samples of `batch` not uploaded before (in parallel natively).
pub(crate) fn upload(
    cache: &mut CiphertextCache<FhipeCiphertext>,
    client: &FhipeClient,
    batch: &Batch,
    rows: &[Vec<i64>],
) -> Result<(Vec<std::sync::Arc<FhipeCiphertext>>, Vec<bool>)> {
    let pixels: Vec<Vec<u8>> = batch
        .pixels
        .rows()
        .into_iter()
        .map(|r| r.to_vec())
        .collect();
    cache.get_many(&batch.ids, &pixels, |missing| {
        let todo: Vec<Vec<i64>> = missing.iter().map(|&k| rows[k].clone()).collect();
        encrypt_all(client, &todo)
    })
}

impl FeNet {
    /// Master key for samples and the initial model (owned by the server).
    pub fn start(setup: &Setup) -> Result<Self> {
        setup.quant.validate()?;
        let model = setup.initial_model()?;
        let mut cost = Cost::default();
        let client = timed(&mut cost.setup_s, || FhipeClient::setup(setup.input))?;
        Ok(Self {
            setup: *setup,
            client,
            client_features: BTreeMap::new(),
            server: FhipeServer::new(setup.quant.bound)?,
            model,
            uploaded: CiphertextCache::default(),
            cost,
            step: 0,
        })
    }
}

impl Protocol for FeNet {
    fn kind(&self) -> ProtocolKind {
        ProtocolKind::FeNet
    }

    fn step(&mut self, batch: &Batch, lr: f32) -> Result<Step> {
        let q = self.setup.quant;
        let (m, n, h) = (batch.len(), self.setup.input, self.setup.hidden);
        if batch.pixels.ncols() != n {
            return Err(Error::invalid(format!(
                "samples of {} pixels, the network takes {n}",
                batch.pixels.ncols()
            )));
        }
        if !self.client_features.contains_key(&m) {
            let c = timed(&mut self.cost.setup_s, || FhipeClient::setup(m))?;
            self.client_features.insert(m, c);
        }
        let features = self
            .client_features
            .get(&m)
            .ok_or_else(|| Error::invalid("feature key missing"))?;
        let (mut t_client, mut t_keys, mut t_server) = (0.0, 0.0, 0.0);

        let mut sent = 0u64;
        let (cts, fcts) = timed(&mut t_client, || -> Result<_> {
            let rows = batch.level_rows(&q);
            let columns: Vec<Vec<i64>> = (0..n)
                .map(|j| rows.iter().map(|r| r[j]).collect())
                .collect();
            let (cts, fresh) = upload(&mut self.uploaded, &self.client, batch, &rows)?;
            sent = cts
                .iter()
                .zip(&fresh)
                .filter(|(_, &f)| f)
                .map(|(c, _)| c.byte_len() as u64)
                .sum();
            Ok((cts, encrypt_all(features, &columns)?))
        })?;

        let wq = timed(&mut t_server, || q.weights(self.model.w1().view()))?;
        let keys = timed(&mut t_keys, || self.client.keygen_rows(&rows_of(&wq)))?;
        let z = timed(&mut t_server, || -> Result<_> {
            let zs = cts
                .iter()
                .map(|ct| self.server.decrypt_rows(ct.as_ref(), &keys))
                .collect::<Result<Vec<_>>>()?;
            stack(zs, h)
        })?;
        let (g, s_delta, dq) = timed(&mut t_server, || -> Result<_> {
            let (_, g) = head_step(&self.model, &z, &batch.labels, &q)?;
            let (s, dq) = gradient_keys(&g, &q)?;
            Ok((g, s, dq))
        })?;
        // Keys for the non-zero columns of δq only (a zero column gives a zero row of dW1).
        let (live, wanted) = live_columns(&dq);
        let dkeys = timed(&mut t_keys, || features.keygen_rows(&wanted))?;
        let dw = timed(&mut t_server, || -> Result<_> {
            // Column j of dW1 from feature ciphertext j (live rows only).
            let cols = fcts
                .iter()
                .map(|ct| self.server.decrypt_rows(ct, &dkeys))
                .collect::<Result<Vec<_>>>()?;
            let live_rows = stack(cols, live.len())?.t().to_owned();
            scatter_rows(rows_of(&live_rows), &live, h, n)
        })?;
        timed(&mut t_server, || {
            apply_gradient(&mut self.model, &dw, s_delta, &g, &q, lr)
        })?;

        let traffic = Traffic {
            ciphertext_bytes: sent + fhipe_ct_bytes(&fcts),
            key_bytes: fhipe_key_bytes(&keys) + fhipe_key_bytes(&dkeys),
            plaintext_to_server: m as u64,
            plaintext_to_client: 0,
        };
        let zs = f64::from(q.weight_scale) * f64::from(q.pixel_levels);
        let ds = f64::from(s_delta);
        let view = ServerView {
            protocol: ProtocolKind::FeNet,
            step: self.step,
            sample_ids: batch.ids.clone(),
            input: n,
            hidden: h,
            pixel_levels: q.pixel_levels,
            w1: Some(q.weights_real(wq.view())),
            z1: z.mapv(|v| v as f64 / zs),
            delta1: dq.mapv(|v| v as f64 / ds),
            dw1: Some(dw.mapv(|v| v as f64 / (ds * f64::from(q.pixel_levels)))),
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
        self.model.clone()
    }

    fn cost(&self) -> &Cost {
        &self.cost
    }
}
