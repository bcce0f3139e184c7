//! One engine for the four protocols. A protocol is a choice of *who owns `W1`* and *which FE
//! scheme computes the first layer*:
//!
//! | protocol | `W1` owned by | first layer | gradient of `W1` | engine |
//! |---|---|---|---|---|
//! | CryptoNN | server | [`Ipfe`](super::scheme::Ipfe): keys for the server's rows | server decrypts `dW1` (IPFE) | [`ServerTrains`] |
//! | FENet | server | [`Fhipe`](super::scheme::Fhipe): the data owner issues keys for the server's rows | server decrypts `dW1` (FHIPE) | [`ServerTrains`] |
//! | client in the loop | client ([`PrivateLayer`]) | the client sends `Z1` | client, from `δ1` | [`ClientTrains`] |
//! | FHIPE mitigation | client ([`PrivateLayer`]) | FHIPE keys the client issues for its own rows | client, from `δ1` | [`ClientTrains`] |
//!
//! Each step runs the parties in protocol order; every message to the server goes through the
//! [`Channel`] and the server's half works only on what was [`Delivered`] plus its own model.
//! The server's view is assembled there, at the end of the step. With
//! [`Reference`](super::scheme::Reference) as the scheme the same code runs the bit-identical
//! integer path without cryptography.

use super::cache::CiphertextCache;
use super::channel::{Carries, Channel, Delivered};
use super::cost::{timed, Cost};
use super::reference::{apply_gradient, gradient_keys, head_step};
use super::scheme::Scheme;
use super::view::{to_f64, ServerView, Traffic};
use super::{Batch, Protocol, ProtocolKind, Setup, Step};
use crate::nn::{mlp::normal, Gradients, Mlp, Quantization};
use crate::roles::PrivateLayer;
use crate::{Error, Result};
use ndarray::Array2;
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The three parties of one FE instance.
struct Parties<S: Scheme> {
    issuer: S::Issuer,
    client: S::Encryptor,
    server: S::Decryptor,
}

impl<S: Scheme> Parties<S> {
    fn new(dim: usize, bound: u64) -> Result<Self> {
        let (issuer, client, server) = S::setup(dim, bound)?;
        Ok(Self {
            issuer,
            client,
            server,
        })
    }
}

/// Rows of an integer matrix as vectors (key requests).
pub(crate) fn rows_of(a: &Array2<i64>) -> Vec<Vec<i64>> {
    a.rows().into_iter().map(|r| r.to_vec()).collect()
}

/// Stack equal-length rows into a matrix.
pub(crate) fn stack(rows: Vec<Vec<i64>>, cols: usize) -> Result<Array2<i64>> {
    let r = rows.len();
    let flat: Vec<i64> = rows.into_iter().flatten().collect();
    Array2::from_shape_vec((r, cols), flat)
        .map_err(|e| Error::invalid(format!("decrypted matrix: {e}")))
}

/// The columns of `δq` (m × h) that are not all zero (a zero column gives a zero row of `dW1`:
/// no key needed).
fn live_columns(dq: &Array2<i64>) -> (Vec<usize>, Vec<Vec<i64>>) {
    dq.columns()
        .into_iter()
        .enumerate()
        .filter(|(_, c)| c.iter().any(|&v| v != 0))
        .map(|(i, c)| (i, c.to_vec()))
        .unzip()
}

/// `h × n` matrix with row `live[k]` = `rows[k]` and zeros elsewhere.
fn scatter_rows(rows: Vec<Vec<i64>>, live: &[usize], h: usize, n: usize) -> Result<Array2<i64>> {
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

fn check_width(batch: &Batch, n: usize) -> Result<()> {
    if batch.pixels.ncols() != n {
        return Err(Error::invalid(format!(
            "samples of {} pixels, the network takes {n}",
            batch.pixels.ncols()
        )));
    }
    Ok(())
}

/// The client's upload: samples not uploaded before are encrypted (each once; reused across
/// epochs), and the bytes that cross are those of the fresh ciphertexts.
fn upload<S: Scheme>(
    cache: &mut CiphertextCache<S::Ct>,
    client: &S::Encryptor,
    batch: &Batch,
    rows: &[Vec<i64>],
    channel: &mut Channel,
) -> Result<Delivered<Vec<Arc<S::Ct>>>> {
    cache.upload(
        batch,
        rows,
        channel,
        |todo| S::encrypt(client, todo),
        S::ct_bytes,
    )
}

/// The server decrypts `z = W1q·x_b` for every delivered sample with the delivered keys.
fn decrypt_batch<S: Scheme>(
    server: &S::Decryptor,
    cts: &Delivered<Vec<Arc<S::Ct>>>,
    keys: &Delivered<Vec<S::Key>>,
    h: usize,
) -> Result<Array2<i64>> {
    let zs = cts
        .get()
        .iter()
        .map(|ct| S::decrypt_rows(server, ct, keys.get()))
        .collect::<Result<Vec<_>>>()?;
    stack(zs, h)
}

fn key_bytes<S: Scheme>(keys: &[S::Key]) -> u64 {
    keys.iter().map(S::key_bytes).sum()
}

/// Step bookkeeping shared by both engines: time per party, traffic, step number.
#[derive(Default)]
struct Books {
    cost: Cost,
    step: usize,
}

impl Books {
    fn close(&mut self, m: usize, times: (f64, f64, f64), traffic: Traffic) -> usize {
        let (client, keys, server) = times;
        self.cost.client_s += client;
        self.cost.keys_s += keys;
        self.cost.server_s += server;
        self.cost.traffic.add(&traffic);
        self.cost.samples += m as u64;
        self.cost.steps += 1;
        self.step += 1;
        self.step - 1
    }
}

/// The server's view of a step, assembled from what it holds.
#[allow(clippy::too_many_arguments)]
fn assemble_view(
    kind: ProtocolKind,
    step: usize,
    batch_ids: &Delivered<Vec<usize>>,
    q: &Quantization,
    w1q: Option<&Array2<i64>>,
    z1: Array2<f64>,
    encoded_z: bool,
    delta1: Array2<f64>,
    dw1: Option<Array2<f64>>,
    labels: &Delivered<Vec<u8>>,
    input: usize,
    traffic: Traffic,
) -> ServerView {
    ServerView {
        protocol: kind,
        step,
        sample_ids: batch_ids.get().clone(),
        input,
        hidden: z1.ncols(),
        pixel_levels: q.pixel_levels,
        weight_scale: encoded_z.then_some(q.weight_scale),
        w1: w1q.map(|w| q.weights_real(w.view())),
        z1,
        delta1,
        dw1,
        labels: Some(labels.get().clone()),
        traffic,
    }
}

/// CryptoNN (`S` = [`Ipfe`](super::scheme::Ipfe)) and FENet (`S` =
/// [`Fhipe`](super::scheme::Fhipe)): the server owns and trains `W1`; it asks for keys for its
/// rows and, after back-propagation, for the columns of its encoded `δ1`, and decrypts
/// `Z1 = X·W1ᵀ` and `dW1 = δ1ᵀ·X`.
pub struct ServerTrains<S: Scheme> {
    kind: ProtocolKind,
    setup: Setup,
    /// Dimension `n`: samples (forward).
    forward: Parties<S>,
    /// Dimension `m`, one per batch size seen: features across a batch (gradient).
    gradient: BTreeMap<usize, Parties<S>>,
    /// The server's model, `W1` included.
    model: Mlp,
    uploaded: CiphertextCache<S::Ct>,
    channel: Channel,
    books: Books,
}

impl<S: Scheme> ServerTrains<S> {
    /// Key setup for dimension `n` and the server's initial model.
    pub fn start(kind: ProtocolKind, setup: &Setup, model: Mlp) -> Result<Self> {
        setup.quant.validate()?;
        check_model(setup, &model)?;
        let mut books = Books::default();
        let forward = timed(&mut books.cost.setup_s, || {
            Parties::new(setup.input, setup.quant.bound)
        })?;
        Ok(Self {
            kind,
            setup: *setup,
            forward,
            gradient: BTreeMap::new(),
            model,
            uploaded: CiphertextCache::default(),
            channel: Channel::default(),
            books,
        })
    }
}

fn check_model(setup: &Setup, model: &Mlp) -> Result<()> {
    if model.input() != setup.input || model.hidden() != setup.hidden {
        return Err(Error::invalid(format!(
            "a {}-{} model for a {}-{} protocol",
            model.input(),
            model.hidden(),
            setup.input,
            setup.hidden
        )));
    }
    Ok(())
}

impl<S: Scheme> Protocol for ServerTrains<S> {
    fn kind(&self) -> ProtocolKind {
        self.kind
    }

    fn step(&mut self, batch: &Batch, lr: f32) -> Result<Step> {
        let q = self.setup.quant;
        let (m, n, h) = (batch.len(), self.setup.input, self.setup.hidden);
        check_width(batch, n)?;
        if !self.gradient.contains_key(&m) {
            let p = timed(&mut self.books.cost.setup_s, || Parties::new(m, q.bound))?;
            self.gradient.insert(m, p);
        }
        let grad = self
            .gradient
            .get(&m)
            .ok_or_else(|| Error::invalid("gradient instance missing"))?;
        let ch = &mut self.channel;
        let (mut t_client, mut t_keys, mut t_server) = (0.0, 0.0, 0.0);

        // 1. Client → server: its samples (once each) and this batch's feature columns, the
        //    labels, and which stored samples the batch holds.
        let rows = batch.level_rows(&q);
        let (cts, fcts) = timed(&mut t_client, || -> Result<_> {
            let cts = upload::<S>(&mut self.uploaded, &self.forward.client, batch, &rows, ch)?;
            let columns: Vec<Vec<i64>> = (0..n)
                .map(|j| rows.iter().map(|r| r[j]).collect())
                .collect();
            let fcts = S::encrypt(&grad.client, &columns)?;
            let bytes = fcts.iter().map(S::ct_bytes).sum();
            Ok((cts, ch.to_server(Carries::Ciphertexts, bytes, fcts)))
        })?;
        let labels = ch.to_server(Carries::Plaintext, m as u64, batch.labels.clone());
        let ids = ch.to_server(Carries::Plaintext, 0, batch.ids.clone());

        // 2. Server → issuer → server: keys for the rows of its own encoded W1.
        let wq = timed(&mut t_server, || q.weights(self.model.w1().view()))?;
        let keys = timed(&mut t_keys, || {
            S::issue(&self.forward.issuer, &rows_of(&wq))
        })?;
        let keys = ch.to_server(Carries::Keys, key_bytes::<S>(&keys), keys);

        // 3. Server: decrypt z, the rest of the network in plaintext, back-propagation, δq.
        let (z, g, s_delta, dq) = timed(&mut t_server, || -> Result<_> {
            let z = decrypt_batch::<S>(&self.forward.server, &cts, &keys, h)?;
            let (_, g) = head_step(&self.model, &z, labels.get(), &q)?;
            let (s, dq) = gradient_keys(&g, &q)?;
            Ok((z, g, s, dq))
        })?;

        // 4. Server → issuer → server: keys for the non-zero columns of δq; decrypt
        //    dW1 = δqᵀ·X; update every layer.
        let (live, wanted) = live_columns(&dq);
        let dkeys = timed(&mut t_keys, || S::issue(&grad.issuer, &wanted))?;
        let dkeys = ch.to_server(Carries::Keys, key_bytes::<S>(&dkeys), dkeys);
        let dw = timed(&mut t_server, || -> Result<_> {
            let rows = S::decrypt_gradient(&grad.server, fcts.get(), dkeys.get())?;
            let dw = scatter_rows(rows, &live, h, n)?;
            apply_gradient(&mut self.model, &dw, s_delta, &g, &q, lr)?;
            Ok(dw)
        })?;

        let traffic = ch.end_step();
        let step = self.books.close(m, (t_client, t_keys, t_server), traffic);
        let zs = f64::from(q.weight_scale) * f64::from(q.pixel_levels);
        let ds = f64::from(s_delta);
        let view = assemble_view(
            self.kind,
            step,
            &ids,
            &q,
            Some(&wq),
            z.mapv(|v| v as f64 / zs),
            true,
            dq.mapv(|v| v as f64 / ds),
            Some(dw.mapv(|v| v as f64 / (ds * f64::from(q.pixel_levels)))),
            &labels,
            n,
            traffic,
        );
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
        &self.books.cost
    }
}

/// `Z1` as the server holds it after the client's forward message.
pub struct HeldZ1 {
    /// For the server's network (f32).
    pub real: Array2<f32>,
    /// For its view: exact (decrypted integers over `S·L`, or the received floats).
    pub view: Array2<f64>,
    /// True when `view` is made of decrypted integers.
    pub encoded: bool,
}

/// How the client of a mitigation gets `Z1` to the server.
pub trait ClientForward {
    /// Get `Z1` for `batch` from the client's private layer to the server, through the
    /// channel. Returns the `Z1` the server then holds (m × h, network units: received, or
    /// decrypted from delivered ciphertexts and keys) and whether it is made of decrypted
    /// integers; times go to `t` (client, keys, server).
    fn forward(
        &mut self,
        layer: &PrivateLayer,
        batch: &Batch,
        q: &Quantization,
        channel: &mut Channel,
        t: &mut (f64, f64, f64),
    ) -> Result<HeldZ1>;

    /// `z` of the stored samples `ids` (rows) under the keys the server held at step `step`
    /// (see [`Protocol::held_decryption`]); `None` when this first layer gives the server
    /// nothing beyond each step's batch.
    fn held_decryption(&self, _step: usize, _ids: &[usize]) -> Result<Option<Array2<i64>>> {
        Ok(None)
    }
}

/// Client in the loop: the client computes `Z1 = X·W1ᵀ` and sends it in the clear —
/// optionally with Gaussian noise of standard deviation `noise` added to every entry (the RAID
/// 2025 authors' own idea; the noise is the client's secret, drawn from the OS CSPRNG).
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
fn secret_rng() -> Result<ChaCha20Rng> {
    ChaCha20Rng::from_rng(rand_core::OsRng)
        .map_err(|e| Error::invalid(format!("OS random generator: {e}")))
}

impl ClientForward for SendsZ1 {
    fn forward(
        &mut self,
        layer: &PrivateLayer,
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

/// How the FHIPE mitigation's client uses its master key, and what the server keeps.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct KeyPolicy {
    /// A fresh master key every step: the batch is encrypted again at every step and earlier
    /// ciphertexts cannot be opened with the new keys.
    pub rekey: bool,
    /// Gaussian noise (standard deviation, weight units) added to `W1` before its keys are
    /// issued, fresh every step (the client's secret).
    pub key_noise: f32,
    /// The server keeps every step's keys (as a real server can: FHIPE keys are not bound to a
    /// ciphertext), so that [`Protocol::held_decryption`] can open any stored sample with any
    /// earlier key. Off by default to save memory; it changes nothing the server could do.
    pub retain_keys: bool,
}

/// The FHIPE mitigation (`S` = [`Fhipe`](super::scheme::Fhipe), or [`Reference`](super::scheme::Reference)
/// for its integer twin): the client encrypts its samples and issues keys for the rows of its
/// own encoded `W1` with its own master key; the server decrypts `z` and learns neither `W1`
/// nor `x`.
pub struct KeysForOwnRows<S: Scheme> {
    parties: Parties<S>,
    uploaded: CiphertextCache<S::Ct>,
    policy: KeyPolicy,
    dims: (usize, u64),
    noise_rng: Option<ChaCha20Rng>,
    /// Every step's keys, when the server keeps them ([`KeyPolicy::retain_keys`]).
    held: Vec<Delivered<Vec<S::Key>>>,
}

impl<S: Scheme> KeysForOwnRows<S> {
    /// The client's master key for samples of length `input` (one key for the whole training).
    pub fn new(input: usize, bound: u64) -> Result<Self> {
        Self::with_policy(input, bound, KeyPolicy::default())
    }

    /// The client's master key(s) under `policy`.
    pub fn with_policy(input: usize, bound: u64, policy: KeyPolicy) -> Result<Self> {
        if !(policy.key_noise.is_finite() && policy.key_noise >= 0.0) {
            return Err(Error::invalid(format!(
                "key noise σ = {} must be ≥ 0",
                policy.key_noise
            )));
        }
        Ok(Self {
            parties: Parties::new(input, bound)?,
            uploaded: CiphertextCache::default(),
            policy,
            dims: (input, bound),
            noise_rng: (policy.key_noise > 0.0).then(secret_rng).transpose()?,
            held: Vec::new(),
        })
    }
}

impl<S: Scheme> ClientForward for KeysForOwnRows<S> {
    fn forward(
        &mut self,
        layer: &PrivateLayer,
        batch: &Batch,
        q: &Quantization,
        channel: &mut Channel,
        t: &mut (f64, f64, f64),
    ) -> Result<HeldZ1> {
        let h = layer.dim().0;
        if self.policy.rekey {
            // A fresh master key: the old ciphertexts and keys stay with the server, but no new
            // key opens an old ciphertext.
            let (input, bound) = self.dims;
            self.parties = timed(&mut t.1, || Parties::new(input, bound))?;
            self.uploaded = CiphertextCache::default();
            self.held.clear();
        }
        let wq = timed(&mut t.1, || match &mut self.noise_rng {
            Some(rng) => {
                let sigma = self.policy.key_noise;
                let noisy = layer.w1().mapv(|w| w + sigma * normal(rng));
                q.weights(noisy.view())
            }
            None => q.weights(layer.w1().view()),
        })?;
        let keys = timed(&mut t.1, || S::issue(&self.parties.issuer, &rows_of(&wq)))?;
        let keys = channel.to_server(Carries::Keys, key_bytes::<S>(&keys), keys);
        let rows = batch.level_rows(q);
        let cts = timed(&mut t.0, || {
            upload::<S>(
                &mut self.uploaded,
                &self.parties.client,
                batch,
                &rows,
                channel,
            )
        })?;
        // Server: decrypt z and decode it (the range check of the dlog bound included).
        let held = timed(&mut t.2, || -> Result<_> {
            let z = decrypt_batch::<S>(&self.parties.server, &cts, &keys, h)?;
            q.check(z.view())?;
            let zs = f64::from(q.weight_scale) * f64::from(q.pixel_levels);
            Ok(HeldZ1 {
                real: q.z1_real(z.view()),
                view: z.mapv(|v| v as f64 / zs),
                encoded: true,
            })
        })?;
        if self.policy.retain_keys && !self.policy.rekey {
            self.held.push(keys);
        }
        Ok(held)
    }

    fn held_decryption(&self, step: usize, ids: &[usize]) -> Result<Option<Array2<i64>>> {
        if !self.policy.retain_keys || self.policy.rekey {
            return Ok(None);
        }
        let keys = self
            .held
            .get(step)
            .ok_or_else(|| Error::invalid(format!("the server holds no keys of step {step}")))?;
        let cts = ids
            .iter()
            .map(|&id| {
                self.uploaded
                    .get(id)
                    .ok_or_else(|| Error::invalid(format!("sample {id} was never uploaded")))
            })
            .collect::<Result<Vec<_>>>()?;
        let h = keys.get().len();
        let z = stack(
            S::decrypt_matrix(&self.parties.server, &cts, keys.get())?,
            h,
        )?;
        Ok(Some(z))
    }
}

/// The mitigations: the client owns `W1` ([`PrivateLayer`]), the server the rest (`b1, W2, b2`);
/// the server returns `δ1 = dZ1` and the client updates its own `W1`.
pub struct ClientTrains<F: ClientForward> {
    kind: ProtocolKind,
    setup: Setup,
    layer: PrivateLayer,
    first: F,
    /// The server's layers (its copy of `W1` is zero and never read).
    model: Mlp,
    channel: Channel,
    books: Books,
}

impl<F: ClientForward> ClientTrains<F> {
    /// The client's private layer and first-layer method, and the server's initial model (its
    /// `W1` is zeroed: the server never has the client's).
    pub fn start(
        kind: ProtocolKind,
        setup: &Setup,
        layer: PrivateLayer,
        first: F,
        mut model: Mlp,
    ) -> Result<Self> {
        setup.quant.validate()?;
        check_model(setup, &model)?;
        if layer.dim() != (setup.hidden, setup.input) {
            return Err(Error::invalid("the client's W1 does not match the setup"));
        }
        model.set_w1(Array2::zeros((setup.hidden, setup.input)))?;
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

impl<F: ClientForward> Protocol for ClientTrains<F> {
    fn kind(&self) -> ProtocolKind {
        self.kind
    }

    fn step(&mut self, batch: &Batch, lr: f32) -> Result<Step> {
        let q = self.setup.quant;
        let (m, n) = (batch.len(), self.setup.input);
        check_width(batch, n)?;
        let mut t = (0.0, 0.0, 0.0);
        let ch = &mut self.channel;

        // 1. Client → server: Z1 (in the clear, or through FHIPE keys it issued), labels, ids.
        let z1 = self.first.forward(&self.layer, batch, &q, ch, &mut t)?;
        let labels = ch.to_server(Carries::Plaintext, m as u64, batch.labels.clone());
        let ids = ch.to_server(Carries::Plaintext, 0, batch.ids.clone());

        // 2. Server: the rest of the network, back-propagation, its own update.
        let g: Gradients = timed(&mut t.2, || -> Result<_> {
            let fwd = self.model.head(z1.real.view())?;
            let g = self.model.backward(&fwd, labels.get())?;
            self.model.apply(None, &g, lr)?;
            Ok(g)
        })?;

        // 3. Server → client: δ1; the client updates its W1.
        let delta1 = ch.to_client(4 * g.delta1.len() as u64, g.delta1.clone());
        timed(&mut t.0, || {
            let x = q.pixels_real(batch.pixels.view());
            self.layer.update(delta1.view(), x.view(), lr)
        })?;

        let traffic = ch.end_step();
        let step = self.books.close(m, t, traffic);
        let view = assemble_view(
            self.kind,
            step,
            &ids,
            &q,
            None,
            z1.view,
            z1.encoded,
            to_f64(&g.delta1),
            None,
            &labels,
            n,
            traffic,
        );
        Ok(Step {
            view,
            loss: g.loss,
            correct: g.correct,
        })
    }

    fn model(&self) -> Mlp {
        let mut m = self.model.clone();
        // Shapes match by construction. The experimenter's evaluation only: no party sees it.
        let _ = m.set_w1(self.layer.w1().clone());
        m
    }

    fn cost(&self) -> &Cost {
        &self.books.cost
    }

    fn held_decryption(&self, step: usize, ids: &[usize]) -> Result<Option<Array2<i64>>> {
        self.first.held_decryption(step, ids)
    }
}

/// The FHIPE mitigation's client, with one master key for the whole training.
pub type FhipeMitigation = ClientTrains<KeysForOwnRows<super::scheme::Fhipe>>;
