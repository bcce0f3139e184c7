//! Training the small CNN ([`Cnn`]: conv → ReLU → pool → dense → 10) over FE, with the same
//! split as the MLP engine ([`super::engine`]): a protocol is a choice of *who owns the filters*
//! and *which scheme computes the first layer*.
//!
//! | protocol | filters owned by | feature maps `Z` | filter gradient | engine |
//! |---|---|---|---|---|
//! | CryptoNN | server | IPFE: the authority issues a sparse key per filter and position for the server's filters; the server decrypts every `Z` value | IPFE: the client encrypts the batch's tap columns, the authority issues keys for the server's `δ` per filter; the server decrypts `dF` | [`CnnServerTrains`] |
//! | client in the loop | client ([`PrivateConv`]) | the client computes `Z` and sends it | client, from `δ` | [`CnnClientTrains`] + [`SendsFeatureMaps`] |
//! | FHIPE | client ([`PrivateConv`]) | FHIPE: the client encrypts each patch and issues one key per filter (patch-sized inner products); the server decrypts `Z` | client, from `δ` | [`CnnClientTrains`] + [`KeysForOwnFilters`] |
//!
//! Every message to the server goes through the [`Channel`]; the server's half works on what was
//! [`Delivered`] and its own layers, and the step's [`CnnView`] is assembled from that. With
//! [`Reference`] as the scheme the same code runs the bit-identical integer path.

pub use super::keys_for_own::KeysForOwnFilters;

use super::cache::CiphertextCache;
use super::channel::{Carries, Channel};
use super::client_trains::{send_labels, ClientTrains, SendsZ1};
use super::conv_scheme::ConvScheme;
use super::cost::{timed, Books, Cost};
use super::fe_layer::{decrypt_z, stack, upload, Filters, LayerFe, Parties, Rows};
use super::layer::{Held, Split};
use super::scheme::{Fhipe, Ipfe, Reference, Scheme};
use super::view::Traffic;
use super::{Backend, Batch, ClientInit, ProtocolKind};
use crate::fe::GroupChoice;
use crate::nn::cnn::{Cnn, CnnGradients};
use crate::nn::conv::ConvShape;
use crate::nn::Quantization;
use crate::roles::PrivateConv;
use crate::{Error, Result};
use ndarray::Array2;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Everything needed to start a CNN protocol.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CnnSetup {
    /// The first layer's geometry (channels, image, kernel, filters, padding).
    pub shape: ConvShape,
    /// Public seed of the initial model (the server's layers; the filters under CryptoNN).
    pub seed: u64,
    /// Where the mitigations' client draws its private filters from.
    pub client_init: ClientInit,
    /// Fixed-point encoding and dlog bound (feature maps and filter gradients alike).
    pub quant: Quantization,
    /// IPFE group (CryptoNN).
    pub group: GroupChoice,
}

impl CnnSetup {
    /// The initial model every protocol starts from.
    pub fn initial_model(&self) -> Result<Cnn> {
        Cnn::new(self.shape, self.seed)
    }
}

/// What the server held in one step of a CNN protocol (units: pixels in [0, 1], filters as the
/// server used them after encoding).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CnnView {
    /// The protocol.
    pub protocol: ProtocolKind,
    /// 0-based step.
    pub step: usize,
    /// Training-set index of each row of the batch.
    pub sample_ids: Vec<usize>,
    /// The first layer's geometry (public).
    pub shape: ConvShape,
    /// Pixel levels `L` of the public encoding.
    pub pixel_levels: u32,
    /// Weight scale `S` when `z` are decrypted integers (`z = v/(S·L)`); `None` when received
    /// as reals (client in the loop).
    pub weight_scale: Option<f32>,
    /// The filters (`k × C·r·r`) used for `z`, when the server knows them (CryptoNN).
    pub filters: Option<Array2<f64>>,
    /// Feature maps `Z` (`m × k·P`, order `f·P + p`), without the bias.
    pub z: Array2<f64>,
    /// `δ = ∂L/∂Z` as the server used it (for the FE gradient: after encoding).
    pub delta: Array2<f64>,
    /// The filter gradient `dF` (`k × C·r·r`), when the server decrypted it (CryptoNN).
    pub dfilters: Option<Array2<f64>>,
    /// The labels.
    pub labels: Option<Vec<u8>>,
    /// Bytes per channel in this step.
    pub traffic: Traffic,
}

/// What one step produced.
#[derive(Debug, Clone)]
pub struct CnnStep {
    /// Exactly what the server held.
    pub view: CnnView,
    /// Mean batch loss (before the update).
    pub loss: f32,
    /// Correct predictions in the batch (before the update).
    pub correct: usize,
}

/// A CNN training protocol.
pub trait CnnProtocol {
    /// Which protocol.
    fn kind(&self) -> ProtocolKind;
    /// One SGD step: every party does its part; returns the server's view.
    fn step(&mut self, batch: &Batch, lr: f32) -> Result<CnnStep>;
    /// The model assembled from the parties: for the experimenter's evaluation only.
    fn model(&self) -> Cnn;
    /// Time per party and bytes so far.
    fn cost(&self) -> &Cost;
}

/// CryptoNN on the CNN (`S` = [`Ipfe`] with `D` = [`Ipfe`], or [`Reference`] for both): the
/// server owns and trains the filters.
pub struct CnnServerTrains<S: ConvScheme, D: Scheme> {
    setup: CnnSetup,
    forward: Parties<Filters<S>>,
    /// Dimension `m·P`, one per batch size seen.
    gradient: BTreeMap<usize, Parties<Rows<D>>>,
    model: Cnn,
    uploaded: CiphertextCache<S::Ct>,
    channel: Channel,
    books: Books,
}

impl<S: ConvScheme, D: Scheme> CnnServerTrains<S, D> {
    /// Key setup for the image geometry, and the server's initial model.
    pub fn start(setup: &CnnSetup, model: Cnn) -> Result<Self> {
        setup.quant.validate()?;
        setup.check_parts(&model, None)?;
        let mut books = Books::default();
        let forward = timed(&mut books.cost.setup_s, || {
            Parties::new(setup.shape, setup.quant.bound)
        })?;
        Ok(Self {
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

impl<S: ConvScheme, D: Scheme> CnnProtocol for CnnServerTrains<S, D> {
    fn kind(&self) -> ProtocolKind {
        ProtocolKind::CryptoNn
    }

    fn step(&mut self, batch: &Batch, lr: f32) -> Result<CnnStep> {
        let q = self.setup.quant;
        let shape = self.setup.shape;
        self.setup.check_batch(batch)?;
        let m = batch.len();
        let dim = m
            .checked_mul(shape.positions())
            .ok_or_else(|| Error::invalid("batch too large"))?;
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

        // 1. Client → server: its images (once each), this batch's tap columns, labels, ids.
        let levels = batch.level_rows(&q);
        let im2col = self.model.im2col().clone();
        let (cts, tcts) = timed(&mut t.0, || -> Result<_> {
            let cts =
                upload::<Filters<S>>(&mut self.uploaded, &self.forward.client, batch, &levels, ch)?;
            let columns = im2col.tap_columns(&levels)?;
            let tcts = D::encrypt(&grad.client, &columns)?;
            let bytes = tcts.iter().map(D::ct_bytes).sum();
            Ok((cts, ch.to_server(Carries::Ciphertexts, bytes, tcts)))
        })?;
        let (labels, ids) = send_labels(ch, batch);

        // 2. Server → authority → server: keys for its own encoded filters at every position.
        let layer = timed(&mut t.2, || {
            Cnn::conv_layer(self.model.filters(), shape, &q)
        })?;
        let keys = timed(&mut t.1, || S::issue(&self.forward.issuer, &layer))?;
        let keys = ch.to_server(Carries::Keys, S::keys_bytes(&keys), keys);

        // 3. Server: decrypt Z, the head, back-propagation, encode δ per filter.
        let zs = f64::from(q.weight_scale) * f64::from(q.pixel_levels);
        let (z, g, s_delta, dq) = timed(&mut t.2, || -> Result<_> {
            let z = decrypt_z::<Filters<S>>(&self.forward.server, &cts, &keys, shape.outputs())?;
            q.check(z.view())?;
            let fwd = self.model.head(q.z1_real(z.view()).view())?;
            let g: CnnGradients = self.model.backward(&fwd, labels.get())?;
            let s = q.delta_scale(g.delta1.view());
            let dq = q.delta(g.delta1.view(), s)?;
            Ok((z, g, s, dq))
        })?;

        // 4. Server → authority → server: keys for δ of each filter over the batch (length
        //    m·P, order b·P + p); decrypt dF = ⟨δ_f, tap column t⟩; update every layer.
        let p_n = shape.positions();
        let wanted: Vec<Vec<i64>> = (0..shape.filters)
            .map(|f| {
                dq.rows()
                    .into_iter()
                    .flat_map(|r| r.slice(ndarray::s![f * p_n..(f + 1) * p_n]).to_vec())
                    .collect()
            })
            .collect();
        let dkeys = timed(&mut t.1, || D::issue(&grad.issuer, &wanted))?;
        let dbytes = dkeys.iter().map(D::key_bytes).sum();
        let dkeys = ch.to_server(Carries::Keys, dbytes, dkeys);
        let df = timed(&mut t.2, || -> Result<_> {
            let rows = D::decrypt_gradient(&grad.server, tcts.get(), dkeys.get())?;
            let df = stack(rows, shape.patch_len())?;
            let df_real = q.dw1_real(df.view(), s_delta);
            self.model.apply(Some(df_real.view()), &g, lr)?;
            Ok(df)
        })?;

        let traffic = ch.end_step();
        let step = self.books.close(m, t, traffic);
        let ds = f64::from(s_delta);
        let view = self.setup.view(Held {
            protocol: ProtocolKind::CryptoNn,
            step,
            sample_ids: ids.into_inner(),
            weight_scale: Some(q.weight_scale),
            weights: Some(Filters::<S>::weights_real(&layer, &q)?),
            z: z.mapv(|v| v as f64 / zs),
            delta: dq.mapv(|v| v as f64 / ds),
            dweights: Some(df.mapv(|v| v as f64 / (ds * f64::from(q.pixel_levels)))),
            labels: labels.into_inner(),
            traffic,
        });
        Ok(CnnStep {
            view,
            loss: g.loss,
            correct: g.correct,
        })
    }

    fn model(&self) -> Cnn {
        self.model.clone()
    }

    fn cost(&self) -> &Cost {
        &self.books.cost
    }
}

/// The CNN mitigations: the client owns the filters ([`PrivateConv`]), the server the rest.
pub type CnnClientTrains<F> = ClientTrains<F, CnnSetup>;

/// The client's private filters, as [`CnnSetup::client_init`] says.
#[cfg_attr(not(feature = "replay"), allow(unused_variables))]
fn client_filters(setup: &CnnSetup, model: &Cnn) -> Result<PrivateConv> {
    match setup.client_init {
        ClientInit::Secret => PrivateConv::draw(setup.shape),
        #[cfg(feature = "replay")]
        ClientInit::ReplayPublicSeed => PrivateConv::replay(setup.shape, model.filters().clone()),
    }
}

/// Start CNN protocol `kind` on `backend`. FENet is not offered for the CNN (it would be
/// CryptoNN's leak with FHIPE's cost): an error says so.
pub fn start_cnn(
    kind: ProtocolKind,
    setup: &CnnSetup,
    backend: Backend,
) -> Result<Box<dyn CnnProtocol>> {
    setup.quant.validate()?;
    let model = setup.initial_model()?;
    let reference = backend == Backend::Reference;
    let bound = setup.quant.bound;
    Ok(match kind {
        ProtocolKind::CryptoNn if reference => Box::new(
            CnnServerTrains::<Reference, Reference>::start(setup, model)?,
        ),
        ProtocolKind::CryptoNn => crate::with_group!(setup.group, G => {
            Box::new(CnnServerTrains::<Ipfe<G>, Ipfe<G>>::start(setup, model)?) as Box<dyn CnnProtocol>
        }),
        ProtocolKind::FeNet => {
            return Err(Error::invalid(
                "the CNN is trained under cryptonn, client-loop or fhipe (fenet is MLP only)",
            ))
        }
        ProtocolKind::ClientLoop => {
            let layer = client_filters(setup, &model)?;
            Box::new(CnnClientTrains::start(
                kind,
                setup,
                layer,
                SendsZ1::plain(),
                model,
            )?)
        }
        ProtocolKind::Fhipe => {
            let layer = client_filters(setup, &model)?;
            if reference {
                let first = KeysForOwnFilters::<Reference>::new(setup.shape, bound)?;
                Box::new(CnnClientTrains::start(kind, setup, layer, first, model)?)
            } else {
                let first = KeysForOwnFilters::<Fhipe>::new(setup.shape, bound)?;
                Box::new(CnnClientTrains::start(kind, setup, layer, first, model)?)
            }
        }
    })
}
