//! Training the small CNN ([`Cnn`]: conv → ReLU → pool → dense → 10) over FE, with the same
//! split as the MLP engine ([`super::engine`]): a protocol is a choice of *who owns the filters*
//! and *which scheme computes the first layer*.
//!
//! | protocol | filters owned by | feature maps `Z` | filter gradient | engine |
//! |---|---|---|---|---|
//! | CryptoNN | server | IPFE: the authority issues a sparse key per filter and position for the server's filters; the server decrypts every `Z` value | IPFE: the client encrypts the batch's tap columns, the authority issues keys for the server's `δ` per filter; the server decrypts `dF` | [`CnnServerTrains`] |
//! | client in the loop | client ([`PrivateConv`]) | the client computes `Z` and sends it | client, from `δ` | [`CnnClientTrains`] + [`SendsZ1`] |
//! | FHIPE | client ([`PrivateConv`]) | FHIPE: the client encrypts each patch and issues one key per filter (patch-sized inner products); the server decrypts `Z` | client, from `δ` | [`CnnClientTrains`] + [`KeysForOwnFilters`] |
//!
//! The steps are the MLP's, written once for both networks ([`super::server_trains`],
//! [`super::client_trains`]). Every message to the server goes through the
//! [`Channel`](super::channel::Channel); the server's half works on what was
//! [`Delivered`](super::channel::Delivered) and its own layers, and the step's [`CnnView`] is
//! assembled from that. With [`Reference`] as the scheme the same code runs the bit-identical
//! integer path.

pub use super::keys_for_own::KeysForOwnFilters;
pub use super::server_trains::CnnServerTrains;

use super::client_trains::{ClientTrains, SendsZ1};
use super::scheme::{Fhipe, Ipfe, Reference};
use super::view::Traffic;
use super::{Backend, ClientInit, Protocol, ProtocolKind};
use crate::fe::GroupChoice;
use crate::nn::cnn::Cnn;
use crate::nn::conv::ConvShape;
use crate::nn::Quantization;
use crate::roles::PrivateConv;
use crate::{Error, Result};
use ndarray::Array2;
use serde::{Deserialize, Serialize};

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

/// What one CNN step produced: the MLP's step record over the CNN's view.
pub type CnnStep = super::Step<CnnView>;

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
) -> Result<Box<dyn Protocol<CnnSetup>>> {
    setup.quant.validate()?;
    let model = setup.initial_model()?;
    let reference = backend == Backend::Reference;
    let bound = setup.quant.bound;
    Ok(match kind {
        ProtocolKind::CryptoNn if reference => Box::new(
            CnnServerTrains::<Reference, Reference>::start(kind, setup, model)?,
        ),
        ProtocolKind::CryptoNn => crate::with_group!(setup.group, G => {
            Box::new(CnnServerTrains::<Ipfe<G>, Ipfe<G>>::start(kind, setup, model)?) as Box<dyn Protocol<CnnSetup>>
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
