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

use super::cache::CiphertextCache;
use super::channel::{Carries, Channel, Delivered};
use super::conv_scheme::{encrypt_images, ConvScheme};
use super::cost::{timed, Cost};
use super::engine::HeldZ1;
use super::scheme::{Fhipe, Ipfe, Reference, Scheme};
use super::view::{to_f64, Traffic};
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
use std::sync::Arc;

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
    /// Side of the server's max-pooling window ([`crate::nn::cnn::DEFAULT_POOL`] = 2).
    pub pool: usize,
}

impl CnnSetup {
    /// The initial model every protocol starts from.
    pub fn initial_model(&self) -> Result<Cnn> {
        Cnn::with_pool(self.shape, self.pool, self.seed)
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

fn check_batch(batch: &Batch, shape: &ConvShape) -> Result<()> {
    if batch.pixels.ncols() != shape.inputs() {
        return Err(Error::invalid(format!(
            "images of {} values, the network takes C·H·W = {}",
            batch.pixels.ncols(),
            shape.inputs()
        )));
    }
    Ok(())
}

/// The client's upload of images not sent before (each encrypted once, reused in later epochs).
fn upload_images<S: ConvScheme>(
    cache: &mut CiphertextCache<S::Ct>,
    client: &S::Encryptor,
    batch: &Batch,
    levels: &[Vec<i64>],
    channel: &mut Channel,
) -> Result<Delivered<Vec<Arc<S::Ct>>>> {
    cache.upload(
        batch,
        levels,
        channel,
        |todo| encrypt_images::<S>(client, todo),
        S::ct_bytes,
    )
}

/// The server decrypts `Z` of every delivered image with the delivered keys (`m × k·P`).
fn decrypt_maps<S: ConvScheme>(
    server: &S::Decryptor,
    cts: &Delivered<Vec<Arc<S::Ct>>>,
    keys: &Delivered<S::Keys>,
    outputs: usize,
) -> Result<Array2<i64>> {
    let mut z = Vec::with_capacity(cts.get().len() * outputs);
    for ct in cts.get() {
        z.extend(S::decrypt(server, ct, keys.get())?);
    }
    Array2::from_shape_vec((cts.get().len(), outputs), z)
        .map_err(|e| Error::invalid(format!("decrypted feature maps: {e}")))
}

#[derive(Default)]
struct Books {
    cost: Cost,
    step: usize,
}

impl Books {
    fn close(&mut self, m: usize, t: (f64, f64, f64), traffic: Traffic) -> usize {
        self.cost.client_s += t.0;
        self.cost.keys_s += t.1;
        self.cost.server_s += t.2;
        self.cost.traffic.add(&traffic);
        self.cost.samples += m as u64;
        self.cost.steps += 1;
        self.step += 1;
        self.step - 1
    }
}

struct ConvParties<S: ConvScheme> {
    issuer: S::Issuer,
    client: S::Encryptor,
    server: S::Decryptor,
}

impl<S: ConvScheme> ConvParties<S> {
    fn new(shape: &ConvShape, bound: u64) -> Result<Self> {
        let (issuer, client, server) = S::setup(shape, bound)?;
        Ok(Self {
            issuer,
            client,
            server,
        })
    }
}

struct GradParties<D: Scheme> {
    issuer: D::Issuer,
    client: D::Encryptor,
    server: D::Decryptor,
}

/// CryptoNN on the CNN (`S` = [`Ipfe`] with `D` = [`Ipfe`], or [`Reference`] for both): the
/// server owns and trains the filters.
pub struct CnnServerTrains<S: ConvScheme, D: Scheme> {
    setup: CnnSetup,
    forward: ConvParties<S>,
    /// Dimension `m·P`, one per batch size seen.
    gradient: BTreeMap<usize, GradParties<D>>,
    model: Cnn,
    uploaded: CiphertextCache<S::Ct>,
    channel: Channel,
    books: Books,
}

impl<S: ConvScheme, D: Scheme> CnnServerTrains<S, D> {
    /// Key setup for the image geometry, and the server's initial model.
    pub fn start(setup: &CnnSetup, model: Cnn) -> Result<Self> {
        setup.quant.validate()?;
        if model.shape() != &setup.shape {
            return Err(Error::invalid(
                "the model does not match the setup's geometry",
            ));
        }
        let mut books = Books::default();
        let forward = timed(&mut books.cost.setup_s, || {
            ConvParties::new(&setup.shape, setup.quant.bound)
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
        check_batch(batch, &shape)?;
        let m = batch.len();
        let dim = m
            .checked_mul(shape.positions())
            .ok_or_else(|| Error::invalid("batch too large"))?;
        if !self.gradient.contains_key(&m) {
            let (issuer, client, server) =
                timed(&mut self.books.cost.setup_s, || D::setup(dim, q.bound))?;
            self.gradient.insert(
                m,
                GradParties {
                    issuer,
                    client,
                    server,
                },
            );
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
                upload_images::<S>(&mut self.uploaded, &self.forward.client, batch, &levels, ch)?;
            let columns = im2col.tap_columns(&levels)?;
            let tcts = D::encrypt(&grad.client, &columns)?;
            let bytes = tcts.iter().map(D::ct_bytes).sum();
            Ok((cts, ch.to_server(Carries::Ciphertexts, bytes, tcts)))
        })?;
        let labels = ch.to_server(Carries::Plaintext, m as u64, batch.labels.clone());
        let ids = ch.to_server(Carries::Plaintext, 0, batch.ids.clone());

        // 2. Server → authority → server: keys for its own encoded filters at every position.
        let layer = timed(&mut t.2, || {
            Cnn::conv_layer(self.model.filters(), shape, &q)
        })?;
        let keys = timed(&mut t.1, || S::issue(&self.forward.issuer, &layer))?;
        let keys = ch.to_server(Carries::Keys, S::keys_bytes(&keys), keys);

        // 3. Server: decrypt Z, the head, back-propagation, encode δ per filter.
        let zs = f64::from(q.weight_scale) * f64::from(q.pixel_levels);
        let (z, g, s_delta, dq) = timed(&mut t.2, || -> Result<_> {
            let z = decrypt_maps::<S>(&self.forward.server, &cts, &keys, shape.outputs())?;
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
            let df = super::engine::stack(rows, shape.patch_len())?;
            let df_real = q.dw1_real(df.view(), s_delta);
            self.model.apply(Some(df_real.view()), &g, lr)?;
            Ok(df)
        })?;

        let traffic = ch.end_step();
        let step = self.books.close(m, t, traffic);
        let ds = f64::from(s_delta);
        let view = CnnView {
            protocol: ProtocolKind::CryptoNn,
            step,
            sample_ids: ids.get().clone(),
            shape,
            pixel_levels: q.pixel_levels,
            weight_scale: Some(q.weight_scale),
            filters: Some(
                Array2::from_shape_vec(
                    (shape.filters, shape.patch_len()),
                    layer.weights().to_vec(),
                )
                .map_err(|e| Error::invalid(e.to_string()))?
                .mapv(|v| v as f64 / f64::from(q.weight_scale)),
            ),
            z: z.mapv(|v| v as f64 / zs),
            delta: dq.mapv(|v| v as f64 / ds),
            dfilters: Some(df.mapv(|v| v as f64 / (ds * f64::from(q.pixel_levels)))),
            labels: Some(labels.get().clone()),
            traffic,
        };
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

/// How the client of a CNN mitigation gets `Z` to the server.
pub trait ConvClientForward {
    /// Get `Z` for `batch` from the client's private filters to the server, through the channel;
    /// times go to `t` (client, keys, server).
    fn forward(
        &mut self,
        layer: &PrivateConv,
        batch: &Batch,
        q: &Quantization,
        channel: &mut Channel,
        t: &mut (f64, f64, f64),
    ) -> Result<HeldZ1>;
}

/// Client in the loop: the client computes `Z = conv(X)` with its filters and sends it.
pub struct SendsFeatureMaps;

impl ConvClientForward for SendsFeatureMaps {
    fn forward(
        &mut self,
        layer: &PrivateConv,
        batch: &Batch,
        q: &Quantization,
        channel: &mut Channel,
        t: &mut (f64, f64, f64),
    ) -> Result<HeldZ1> {
        let z = timed(&mut t.0, || {
            layer.forward(q.pixels_real(batch.pixels.view()).view())
        })?;
        let bytes = 4 * z.len() as u64;
        let real = channel.to_server(Carries::Plaintext, bytes, z).into_inner();
        Ok(HeldZ1 {
            view: to_f64(&real),
            real,
            encoded: false,
        })
    }
}

/// The FHIPE mitigation (`S` = [`Fhipe`], or [`Reference`] for its integer twin): the client
/// encrypts its images patch by patch and issues one key per filter of its own encoded filters;
/// the server decrypts `Z` and learns neither the filters nor the image.
pub struct KeysForOwnFilters<S: ConvScheme> {
    parties: ConvParties<S>,
    uploaded: CiphertextCache<S::Ct>,
}

impl<S: ConvScheme> KeysForOwnFilters<S> {
    /// The client's master key for patches of `shape`.
    pub fn new(shape: &ConvShape, bound: u64) -> Result<Self> {
        Ok(Self {
            parties: ConvParties::new(shape, bound)?,
            uploaded: CiphertextCache::default(),
        })
    }
}

impl<S: ConvScheme> ConvClientForward for KeysForOwnFilters<S> {
    fn forward(
        &mut self,
        layer: &PrivateConv,
        batch: &Batch,
        q: &Quantization,
        channel: &mut Channel,
        t: &mut (f64, f64, f64),
    ) -> Result<HeldZ1> {
        let outputs = layer.shape().outputs();
        let keys = timed(&mut t.1, || -> Result<_> {
            S::issue(&self.parties.issuer, &layer.quantized(q)?)
        })?;
        let keys = channel.to_server(Carries::Keys, S::keys_bytes(&keys), keys);
        let levels = batch.level_rows(q);
        let cts = timed(&mut t.0, || {
            upload_images::<S>(
                &mut self.uploaded,
                &self.parties.client,
                batch,
                &levels,
                channel,
            )
        })?;
        timed(&mut t.2, || -> Result<_> {
            let z = decrypt_maps::<S>(&self.parties.server, &cts, &keys, outputs)?;
            q.check(z.view())?;
            let zs = f64::from(q.weight_scale) * f64::from(q.pixel_levels);
            Ok(HeldZ1 {
                real: q.z1_real(z.view()),
                view: z.mapv(|v| v as f64 / zs),
                encoded: true,
            })
        })
    }
}

/// The CNN mitigations: the client owns the filters, the server the rest; the server returns
/// `δ` and the client updates its own filters.
pub struct CnnClientTrains<F: ConvClientForward> {
    kind: ProtocolKind,
    setup: CnnSetup,
    layer: PrivateConv,
    first: F,
    /// The server's layers (its filters are zero and never read).
    model: Cnn,
    channel: Channel,
    books: Books,
}

impl<F: ConvClientForward> CnnClientTrains<F> {
    /// The client's private filters and first-layer method, the server's initial model (its
    /// filters are zeroed: the server never has the client's).
    pub fn start(
        kind: ProtocolKind,
        setup: &CnnSetup,
        layer: PrivateConv,
        first: F,
        mut model: Cnn,
    ) -> Result<Self> {
        setup.quant.validate()?;
        if model.shape() != &setup.shape || layer.shape() != &setup.shape {
            return Err(Error::invalid(
                "the client's filters do not match the setup",
            ));
        }
        let zeros = Array2::zeros(model.filters().dim());
        model.set_filters(zeros)?;
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

impl<F: ConvClientForward> CnnProtocol for CnnClientTrains<F> {
    fn kind(&self) -> ProtocolKind {
        self.kind
    }

    fn step(&mut self, batch: &Batch, lr: f32) -> Result<CnnStep> {
        let q = self.setup.quant;
        let shape = self.setup.shape;
        check_batch(batch, &shape)?;
        let m = batch.len();
        let mut t = (0.0, 0.0, 0.0);
        let ch = &mut self.channel;

        // 1. Client → server: Z (in the clear, or through FHIPE keys it issued), labels, ids.
        let z = self.first.forward(&self.layer, batch, &q, ch, &mut t)?;
        let labels = ch.to_server(Carries::Plaintext, m as u64, batch.labels.clone());
        let ids = ch.to_server(Carries::Plaintext, 0, batch.ids.clone());

        // 2. Server: the head, back-propagation, its own update.
        let g = timed(&mut t.2, || -> Result<_> {
            let fwd = self.model.head(z.real.view())?;
            let g = self.model.backward(&fwd, labels.get())?;
            self.model.apply(None, &g, lr)?;
            Ok(g)
        })?;

        // 3. Server → client: δ; the client updates its filters.
        let delta = ch.to_client(4 * g.delta1.len() as u64, g.delta1.clone());
        timed(&mut t.0, || {
            let x = q.pixels_real(batch.pixels.view());
            self.layer.update(delta.view(), x.view(), lr)
        })?;

        let traffic = ch.end_step();
        let step = self.books.close(m, t, traffic);
        let view = CnnView {
            protocol: self.kind,
            step,
            sample_ids: ids.get().clone(),
            shape,
            pixel_levels: q.pixel_levels,
            weight_scale: z.encoded.then_some(q.weight_scale),
            filters: None,
            z: z.view,
            delta: to_f64(&g.delta1),
            dfilters: None,
            labels: Some(labels.get().clone()),
            traffic,
        };
        Ok(CnnStep {
            view,
            loss: g.loss,
            correct: g.correct,
        })
    }

    fn model(&self) -> Cnn {
        let mut m = self.model.clone();
        // Shapes match by construction. The experimenter's evaluation only: no party sees it.
        let _ = m.set_filters(self.layer.filters().clone());
        m
    }

    fn cost(&self) -> &Cost {
        &self.books.cost
    }
}

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
                SendsFeatureMaps,
                model,
            )?)
        }
        ProtocolKind::Fhipe => {
            let layer = client_filters(setup, &model)?;
            if reference {
                let first = KeysForOwnFilters::<Reference>::new(&setup.shape, bound)?;
                Box::new(CnnClientTrains::start(kind, setup, layer, first, model)?)
            } else {
                let first = KeysForOwnFilters::<Fhipe>::new(&setup.shape, bound)?;
                Box::new(CnnClientTrains::start(kind, setup, layer, first, model)?)
            }
        }
    })
}
