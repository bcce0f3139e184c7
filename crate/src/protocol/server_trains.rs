//! CryptoNN and FENet, for the MLP and the CNN alike: the server owns and trains the first layer.
//! It asks for keys for its own encoded weights and decrypts `Z`; after back-propagation it asks
//! for keys for its encoded `δ` and decrypts the first layer's gradient from ciphertexts of the
//! batch the client uploaded for it (one per input of the layer's weights: a pixel of the MLP, a
//! filter tap of the CNN, across the batch).
//!
//! The forward pass is any [`LayerFe`] (`Rows<S>` for the MLP's `W1`, `Filters<S>` for the
//! CNN's filters); the gradient runs on a [`Scheme`] `D` over vectors of the batch, laid out by
//! the network's [`GradientFe`].

use super::cache::CiphertextCache;
use super::channel::{Carries, Channel};
use super::client_trains::send_labels;
use super::cnn::CnnSetup;
use super::cost::{timed, Books, Cost};
use super::engine::Engine;
use super::fe_layer::{decrypt_z, upload, Filters, LayerFe, Parties, Rows};
use super::layer::{Backprop, Head, Held, Split};
use super::scheme::Scheme;
use super::{Batch, ProtocolKind, Setup};
use crate::nn::cnn::Cnn;
use crate::nn::Mlp;
use crate::{Error, Result};
use ndarray::Array2;
use std::collections::BTreeMap;

/// How the first layer's gradient `dW` (`rows × cols`, the weights' shape) is computed under FE.
pub trait GradientFe: Split {
    /// Length of the gradient ciphertexts for a batch of `m`.
    fn gradient_dim(&self, m: usize) -> Result<usize>;
    /// The weights' shape (`h × n`, or `k × C·r·r`).
    fn weights_dim(&self) -> (usize, usize);
    /// What the client encrypts: one vector per weight column, across the batch (`levels`).
    fn gradient_columns(&self, net: &Self::Net, levels: &[Vec<i64>]) -> Result<Vec<Vec<i64>>>;
    /// The server's key requests for its encoded `δ` (`m × outputs`): the rows of `dW` they
    /// give, and the key vectors.
    fn gradient_keys(&self, dq: &Array2<i64>) -> (Vec<usize>, Vec<Vec<i64>>);
}

impl GradientFe for Setup {
    fn gradient_dim(&self, m: usize) -> Result<usize> {
        Ok(m)
    }

    fn weights_dim(&self) -> (usize, usize) {
        (self.hidden, self.input)
    }

    /// Column `j` of the batch: pixel `j` of every sample.
    fn gradient_columns(&self, _: &Mlp, levels: &[Vec<i64>]) -> Result<Vec<Vec<i64>>> {
        Ok((0..self.input)
            .map(|j| levels.iter().map(|r| r[j]).collect())
            .collect())
    }

    /// The columns of `δq` (m × h) that are not all zero (a zero column gives a zero row of
    /// `dW1`: no key needed).
    fn gradient_keys(&self, dq: &Array2<i64>) -> (Vec<usize>, Vec<Vec<i64>>) {
        dq.columns()
            .into_iter()
            .enumerate()
            .filter(|(_, c)| c.iter().any(|&v| v != 0))
            .map(|(i, c)| (i, c.to_vec()))
            .unzip()
    }
}

impl GradientFe for CnnSetup {
    fn gradient_dim(&self, m: usize) -> Result<usize> {
        m.checked_mul(self.shape.positions())
            .ok_or_else(|| Error::invalid("batch too large"))
    }

    fn weights_dim(&self) -> (usize, usize) {
        (self.shape.filters, self.shape.patch_len())
    }

    /// The tap columns: for tap `t`, `X_b[slot(p, t)]` over `(b, p)` (order `b·P + p`).
    fn gradient_columns(&self, net: &Cnn, levels: &[Vec<i64>]) -> Result<Vec<Vec<i64>>> {
        net.im2col().tap_columns(levels)
    }

    /// One key per filter: `δ` of that filter over the batch (length `m·P`, order `b·P + p`).
    fn gradient_keys(&self, dq: &Array2<i64>) -> (Vec<usize>, Vec<Vec<i64>>) {
        let (k, p_n) = (self.shape.filters, self.shape.positions());
        let wanted = (0..k)
            .map(|f| {
                dq.rows()
                    .into_iter()
                    .flat_map(|r| r.slice(ndarray::s![f * p_n..(f + 1) * p_n]).to_vec())
                    .collect()
            })
            .collect();
        ((0..k).collect(), wanted)
    }
}

/// `h × n` matrix with row `live[k]` = `rows[k]` and zeros elsewhere.
fn scatter_rows(
    rows: Vec<Vec<i64>>,
    live: &[usize],
    (h, n): (usize, usize),
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

/// The server owns and trains the first layer: CryptoNN (`Ipfe`, or `Reference` for its
/// integer twin) and FENet (`Fhipe`), over the first layer `L` and the gradient scheme `D`.
pub struct ServerTrains<L: LayerFe, D: Scheme> {
    kind: ProtocolKind,
    setup: L::Setup,
    /// The first layer's instance (one ciphertext per sample).
    forward: Parties<L>,
    /// One per batch size seen: vectors across the batch (gradient).
    gradient: BTreeMap<usize, Parties<Rows<D>>>,
    /// The server's model, the first layer included.
    model: <L::Setup as Split>::Net,
    uploaded: CiphertextCache<L::Ct>,
    channel: Channel,
    books: Books,
}

/// CryptoNN on the CNN (`S` = [`Ipfe`](super::scheme::Ipfe) with `D` = `Ipfe`, or
/// [`Reference`](super::scheme::Reference) for both).
pub type CnnServerTrains<S, D> = ServerTrains<Filters<S>, D>;

impl<L: LayerFe, D: Scheme> ServerTrains<L, D>
where
    L::Setup: GradientFe,
{
    /// Key setup for the first layer, and the server's initial model.
    pub fn start(
        kind: ProtocolKind,
        setup: &L::Setup,
        model: <L::Setup as Split>::Net,
    ) -> Result<Self> {
        let q = setup.quant();
        q.validate()?;
        setup.check_parts(&model, None)?;
        let mut books = Books::default();
        let forward = timed(&mut books.cost.setup_s, || {
            Parties::new(L::dims(setup), q.bound)
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

impl<L: LayerFe, D: Scheme> Engine for ServerTrains<L, D>
where
    L::Setup: GradientFe,
{
    type Setup = L::Setup;

    fn kind(&self) -> ProtocolKind {
        self.kind
    }

    fn run(&mut self, batch: &Batch, lr: f32) -> Result<(<L::Setup as Split>::View, f32, usize)> {
        let q = self.setup.quant();
        self.setup.check_batch(batch)?;
        let m = batch.len();
        let dim = self.setup.gradient_dim(m)?;
        if !self.gradient.contains_key(&m) {
            let p = timed(&mut self.books.cost.setup_s, || Parties::new(dim, q.bound))?;
            self.gradient.insert(m, p);
        }
        let grad = self
            .gradient
            .get(&m)
            .ok_or_else(|| Error::invalid("gradient instance missing"))?;
        let ch = &mut self.channel;
        let mut t = (0.0, 0.0, 0.0);

        // 1. Client → server: its samples (once each), this batch's gradient vectors, labels,
        //    ids.
        let levels = batch.level_rows(&q);
        let (cts, gcts) = timed(&mut t.0, || -> Result<_> {
            let cts = upload::<L>(&mut self.uploaded, &self.forward.client, batch, &levels, ch)?;
            let columns = self.setup.gradient_columns(&self.model, &levels)?;
            let gcts = D::encrypt(&grad.client, &columns)?;
            let bytes = gcts.iter().map(D::ct_bytes).sum();
            Ok((cts, ch.to_server(Carries::Ciphertexts, bytes, gcts)))
        })?;
        let (labels, ids) = send_labels(ch, batch);

        // 2. Server → issuer → server: keys for its own encoded first layer.
        let dims = L::dims(&self.setup);
        let w = timed(&mut t.2, || L::encode(self.model.first(), dims, &q))?;
        let keys = timed(&mut t.1, || L::issue(&self.forward.issuer, &w))?;
        let keys = ch.to_server(Carries::Keys, L::keys_bytes(&keys), keys);

        // 3. Server: decrypt Z, the head, back-propagation, encode δ.
        let (z, g, s_delta, dq) = timed(&mut t.2, || -> Result<_> {
            let z = decrypt_z::<L>(&self.forward.server, &cts, &keys, L::outputs(&w))?;
            q.check(z.view())?;
            let fwd = self.model.head(q.z1_real(z.view()).view())?;
            let g = self.model.backward(&fwd, labels.get())?;
            let s = q.delta_scale(g.delta1().view());
            let dq = q.delta(g.delta1().view(), s)?;
            Ok((z, g, s, dq))
        })?;

        // 4. Server → issuer → server: keys for its encoded δ; decrypt dW; update every layer.
        let (live, wanted) = self.setup.gradient_keys(&dq);
        let dkeys = timed(&mut t.1, || D::issue(&grad.issuer, &wanted))?;
        let dbytes = dkeys.iter().map(D::key_bytes).sum();
        let dkeys = ch.to_server(Carries::Keys, dbytes, dkeys);
        let dw = timed(&mut t.2, || -> Result<_> {
            let rows = D::decrypt_gradient(&grad.server, gcts.get(), dkeys.get())?;
            let dw = scatter_rows(rows, &live, self.setup.weights_dim())?;
            q.check(dw.view())?;
            let dw_real = q.dw1_real(dw.view(), s_delta);
            self.model.apply(Some(dw_real.view()), &g, lr)?;
            Ok(dw)
        })?;

        let traffic = ch.end_step();
        let step = self.books.close(m, t, traffic);
        let zs = f64::from(q.weight_scale) * f64::from(q.pixel_levels);
        let ds = f64::from(s_delta);
        let view = self.setup.view(Held {
            protocol: self.kind,
            step,
            sample_ids: ids.into_inner(),
            weight_scale: Some(q.weight_scale),
            weights: Some(L::weights_real(&w, &q)?),
            z: z.mapv(|v| v as f64 / zs),
            delta: dq.mapv(|v| v as f64 / ds),
            dweights: Some(dw.mapv(|v| v as f64 / (ds * f64::from(q.pixel_levels)))),
            labels: labels.into_inner(),
            traffic,
        });
        Ok((view, g.loss(), g.correct()))
    }

    fn model(&self) -> <L::Setup as Split>::Net {
        self.model.clone()
    }

    fn cost(&self) -> &Cost {
        &self.books.cost
    }
}
