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

pub use super::client_trains::{ClientForward, ClientTrains, HeldZ1, SendsZ1};
pub use super::keys_for_own::{KeyPolicy, KeysForOwnRows};

use super::cache::CiphertextCache;
use super::channel::{Carries, Channel};
use super::client_trains::send_labels;
use super::cost::{timed, Books, Cost};
use super::fe_layer::{decrypt_z, upload, LayerFe, Parties, Rows};
use super::layer::{Held, Split};
use super::reference::{apply_gradient, gradient_keys, head_step};
use super::scheme::Scheme;
use super::{Batch, Protocol, ProtocolKind, Setup, Step};
use crate::nn::Mlp;
use crate::{Error, Result};
use ndarray::Array2;
use std::collections::BTreeMap;

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

/// CryptoNN (`S` = [`Ipfe`](super::scheme::Ipfe)) and FENet (`S` =
/// [`Fhipe`](super::scheme::Fhipe)): the server owns and trains `W1`; it asks for keys for its
/// rows and, after back-propagation, for the columns of its encoded `δ1`, and decrypts
/// `Z1 = X·W1ᵀ` and `dW1 = δ1ᵀ·X`.
pub struct ServerTrains<S: Scheme> {
    kind: ProtocolKind,
    setup: Setup,
    /// Dimension `n`: samples (forward).
    forward: Parties<Rows<S>>,
    /// Dimension `m`, one per batch size seen: features across a batch (gradient).
    gradient: BTreeMap<usize, Parties<Rows<S>>>,
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
        setup.check_parts(&model, None)?;
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

impl<S: Scheme> Protocol for ServerTrains<S> {
    fn kind(&self) -> ProtocolKind {
        self.kind
    }

    fn step(&mut self, batch: &Batch, lr: f32) -> Result<Step> {
        let q = self.setup.quant;
        let (m, n, h) = (batch.len(), self.setup.input, self.setup.hidden);
        self.setup.check_batch(batch)?;
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
            let cts =
                upload::<Rows<S>>(&mut self.uploaded, &self.forward.client, batch, &rows, ch)?;
            let columns: Vec<Vec<i64>> = (0..n)
                .map(|j| rows.iter().map(|r| r[j]).collect())
                .collect();
            let fcts = S::encrypt(&grad.client, &columns)?;
            let bytes = fcts.iter().map(S::ct_bytes).sum();
            Ok((cts, ch.to_server(Carries::Ciphertexts, bytes, fcts)))
        })?;
        let (labels, ids) = send_labels(ch, batch);

        // 2. Server → issuer → server: keys for the rows of its own encoded W1.
        let wq = timed(&mut t_server, || q.weights(self.model.w1().view()))?;
        let keys = timed(&mut t_keys, || Rows::<S>::issue(&self.forward.issuer, &wq))?;
        let keys = ch.to_server(Carries::Keys, Rows::<S>::keys_bytes(&keys), keys);

        // 3. Server: decrypt z, the rest of the network in plaintext, back-propagation, δq.
        let (z, g, s_delta, dq) = timed(&mut t_server, || -> Result<_> {
            let z = decrypt_z::<Rows<S>>(&self.forward.server, &cts, &keys, h)?;
            let (_, g) = head_step(&self.model, &z, labels.get(), &q)?;
            let (s, dq) = gradient_keys(&g, &q)?;
            Ok((z, g, s, dq))
        })?;

        // 4. Server → issuer → server: keys for the non-zero columns of δq; decrypt
        //    dW1 = δqᵀ·X; update every layer.
        let (live, wanted) = live_columns(&dq);
        let dkeys = timed(&mut t_keys, || S::issue(&grad.issuer, &wanted))?;
        let dkeys = ch.to_server(Carries::Keys, Rows::<S>::keys_bytes(&dkeys), dkeys);
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
        let view = self.setup.view(Held {
            protocol: self.kind,
            step,
            sample_ids: ids.into_inner(),
            weight_scale: Some(q.weight_scale),
            weights: Some(q.weights_real(wq.view())),
            z: z.mapv(|v| v as f64 / zs),
            delta: dq.mapv(|v| v as f64 / ds),
            dweights: Some(dw.mapv(|v| v as f64 / (ds * f64::from(q.pixel_levels)))),
            labels: labels.into_inner(),
            traffic,
        });
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

/// The FHIPE mitigation's client, with one master key for the whole training.
pub type FhipeMitigation = ClientTrains<KeysForOwnRows<super::scheme::Fhipe>>;
