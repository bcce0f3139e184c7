//! CryptoNN (Xu, Joshi, Li — ICDCS 2019): training over inner-product FE (ABDP15).
//!
//! Parties and messages of one step on a batch `X` (m × n, pixel levels):
//!
//! 1. **Client → server**: `Enc(mpk_n, x_b)` for every sample (forward), and
//!    `Enc(mpk_m, X[·, j])` for every feature `j` across the batch (gradient).
//! 2. **Server → authority → server**: the server encodes its own `W1` (`W1q = round(W1·S)`) and
//!    receives a function key for every row; it decrypts `z = W1q·x_b` for every sample.
//! 3. **Server, in plaintext**: `Z1 = z/(S·L)`, bias, activation, second layer, loss,
//!    back-propagation to `δ1`; it encodes `δq = round(δ1·s_δ)`.
//! 4. **Server → authority → server**: a key for every column `δq[·, i]` (length m); the server
//!    decrypts `dW1[i, j] = ⟨δq[·, i], X[·, j]⟩` for all `i, j` and updates `W1` itself.
//!
//! The server therefore holds `W1`, `Z1`, `δ1` and `dW1` — with a batch of one, each row of `dW1`
//! is the sample times a known number (the paper's §2 leak).
//!
//! Cost: `m·h` decryptions of length `n` (forward) and `h·n` of length `m` (gradient) per step;
//! the discrete-log table is shared by both. The authority runs one IPFE instance of
//! dimension `n` and one per batch size `m`.

use super::cache::CiphertextCache;
use super::cost::{timed, Cost};
use super::reference::{apply_gradient, gradient_keys, head_step};
use super::view::{ServerView, Traffic};
use super::{Batch, Protocol, ProtocolKind, Setup, Step};
use crate::fe::group::PrimeGroup;
use crate::fe::ipfe::{Ciphertext, FunctionKey};
use crate::nn::Mlp;
use crate::roles::{Authority, Client, Server};
use crate::{Error, Result};
use ndarray::Array2;
use std::collections::BTreeMap;

/// One IPFE instance: its authority, a client and a server.
struct Instance<G: PrimeGroup> {
    authority: Authority<G>,
    client: Client<G>,
    server: Server<G>,
}

impl<G: PrimeGroup> Instance<G> {
    fn new(dim: usize, bound: u64) -> Result<Self> {
        let (authority, pp) = Authority::<G>::setup(dim)?;
        Ok(Self {
            authority,
            client: Client::new(pp.clone()),
            server: Server::new(pp, bound)?,
        })
    }
}

/// The CryptoNN protocol over the group `G`.
pub struct CryptoNn<G: PrimeGroup> {
    setup: Setup,
    /// Dimension `n`: samples (forward).
    forward: Instance<G>,
    /// Dimension `m`, one per batch size seen: features across a batch (gradient).
    gradient: BTreeMap<usize, Instance<G>>,
    /// The server's model, `W1` included.
    model: Mlp,
    /// The encrypted training set (each sample encrypted once, reused across epochs).
    uploaded: CiphertextCache<Ciphertext<G>>,
    cost: Cost,
    step: usize,
}

fn key_bytes<G: PrimeGroup>(keys: &[FunctionKey<G>]) -> u64 {
    keys.iter().map(|k| k.to_bytes().len() as u64).sum()
}

fn ct_bytes<G: PrimeGroup>(cts: &[Ciphertext<G>]) -> u64 {
    cts.iter().map(|c| c.byte_len() as u64).sum()
}

/// Rows of an integer matrix as vectors (key requests).
pub(crate) fn rows_of(a: &Array2<i64>) -> Vec<Vec<i64>> {
    a.rows().into_iter().map(|r| r.to_vec()).collect()
}

/// The columns of `δq` (m × h) that are not all zero: their indices and contents (the key
/// vectors the server asks for).
pub(crate) fn live_columns(dq: &Array2<i64>) -> (Vec<usize>, Vec<Vec<i64>>) {
    dq.columns()
        .into_iter()
        .enumerate()
        .filter(|(_, c)| c.iter().any(|&v| v != 0))
        .map(|(i, c)| (i, c.to_vec()))
        .unzip()
}

/// `h × n` matrix with row `live[k]` = `rows[k]` and zeros elsewhere.
pub(crate) fn scatter_rows(
    rows: Vec<Vec<i64>>,
    live: &[usize],
    h: usize,
    n: usize,
) -> Result<Array2<i64>> {
    let mut out = Array2::zeros((h, n));
    if rows.len() != live.len() {
        return Err(Error::invalid("decrypted gradient: wrong number of rows"));
    }
    for (row, &i) in rows.iter().zip(live) {
        if row.len() != n || i >= h {
            return Err(Error::invalid("decrypted gradient: bad row"));
        }
        out.row_mut(i)
            .iter_mut()
            .zip(row)
            .for_each(|(o, &v)| *o = v);
    }
    Ok(out)
}

/// Stack equal-length rows into a matrix.
pub(crate) fn stack(rows: Vec<Vec<i64>>, cols: usize) -> Result<Array2<i64>> {
    let r = rows.len();
    let flat: Vec<i64> = rows.into_iter().flatten().collect();
    Array2::from_shape_vec((r, cols), flat)
        .map_err(|e| Error::invalid(format!("decrypted matrix: {e}")))
}

impl<G: PrimeGroup> CryptoNn<G> {
    /// Key setup (authority for dimension `n`, the shared discrete-log table) and the initial
    /// model, owned by the server.
    pub fn start(setup: &Setup) -> Result<Self> {
        setup.quant.validate()?;
        let model = setup.initial_model()?;
        let mut cost = Cost::default();
        let forward = timed(&mut cost.setup_s, || {
            Instance::new(setup.input, setup.quant.bound)
        })?;
        Ok(Self {
            setup: *setup,
            forward,
            gradient: BTreeMap::new(),
            model,
            uploaded: CiphertextCache::default(),
            cost,
            step: 0,
        })
    }
}

impl<G: PrimeGroup> Protocol for CryptoNn<G> {
    fn kind(&self) -> ProtocolKind {
        ProtocolKind::CryptoNn
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
        if !self.gradient.contains_key(&m) {
            let inst = timed(&mut self.cost.setup_s, || Instance::new(m, q.bound))?;
            self.gradient.insert(m, inst);
        }
        let grad = self
            .gradient
            .get(&m)
            .ok_or_else(|| Error::invalid("gradient instance missing"))?;
        let (mut t_client, mut t_keys, mut t_server) = (0.0, 0.0, 0.0);

        // 1. Client: encode; encrypt every sample not uploaded before, and every feature column
        //    of this batch.
        let mut sent = 0u64;
        let (cts, fcts) = timed(&mut t_client, || -> Result<_> {
            let rows = batch.level_rows(&q);
            let mut cts = Vec::with_capacity(m);
            for ((x, &id), px) in rows.iter().zip(&batch.ids).zip(batch.pixels.rows()) {
                let px = px.to_vec();
                let (ct, fresh) = self
                    .uploaded
                    .get_or_encrypt(id, &px, || self.forward.client.encrypt(x))?;
                if fresh {
                    sent += ct.byte_len() as u64;
                }
                cts.push(ct);
            }
            Ok((cts, grad.client.encrypt_features(&rows)?))
        })?;

        // 2. Server: keys for the rows of its own (encoded) W1, decrypt z = W1q·x_b.
        let wq = timed(&mut t_server, || q.weights(self.model.w1().view()))?;
        let keys = timed(&mut t_keys, || {
            self.forward.authority.function_keys(&rows_of(&wq))
        })?;
        let z = timed(&mut t_server, || -> Result<_> {
            let zs = cts
                .iter()
                .map(|ct| self.forward.server.decrypt_rows(ct.as_ref(), &keys))
                .collect::<Result<Vec<_>>>()?;
            stack(zs, h)
        })?;

        // 3. Server, plaintext: the rest of the network, back-propagation, δ encoding.
        let (g, s_delta, dq) = timed(&mut t_server, || -> Result<_> {
            let (_, g) = head_step(&self.model, &z, &batch.labels, &q)?;
            let (s, dq) = gradient_keys(&g, &q)?;
            Ok((g, s, dq))
        })?;

        // 4. Keys for the non-zero columns of δq (a zero column gives a zero row of dW1: no key
        //    needed); decrypt dW1 = δqᵀ·X; update every layer.
        let (live, wanted) = live_columns(&dq);
        let dkeys = timed(&mut t_keys, || grad.authority.function_keys(&wanted))?;
        let dw = timed(&mut t_server, || -> Result<_> {
            let rows = grad.server.decrypt_gradient(&fcts, &dkeys)?;
            scatter_rows(rows, &live, h, n)
        })?;
        timed(&mut t_server, || {
            apply_gradient(&mut self.model, &dw, s_delta, &g, &q, lr)
        })?;

        let traffic = Traffic {
            ciphertext_bytes: sent + ct_bytes(&fcts),
            key_bytes: key_bytes(&keys) + key_bytes(&dkeys),
            plaintext_to_server: m as u64,
            plaintext_to_client: 0,
        };
        let zs = f64::from(q.weight_scale) * f64::from(q.pixel_levels);
        let ds = f64::from(s_delta);
        let view = ServerView {
            protocol: ProtocolKind::CryptoNn,
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
