//! Training protocols and what the server sees.
//!
//! Every protocol trains the same [`Mlp`] with the same SGD and differs only in *who computes the
//! first layer and its gradient, and what the server holds afterwards*:
//!
//! | protocol | first layer `Z1 = X·W1ᵀ` | gradient `dW1 = δ1ᵀ·X` | server holds |
//! |---|---|---|---|
//! | `cryptonn` | server, IPFE keys for the rows of its `W1` | server, IPFE keys for δ1 on per-feature ciphertexts | `W1, Z1, δ1, dW1`, labels |
//! | `fenet` | server, FHIPE keys for the rows of its `W1` | server, FHIPE keys for δ1 on per-feature ciphertexts | `W1, Z1, δ1, dW1`, labels |
//! | `client-loop` | client, plaintext (client owns `W1`) | client, from the `δ1` it receives | `Z1, δ1`, labels |
//! | `fhipe` | server, FHIPE keys issued by the client for *its* `W1` | client, from `δ1` | `Z1, δ1`, labels |
//!
//! One [`engine`] runs all four (a scheme from [`scheme`], who owns `W1`); every message to the
//! server passes through the [`channel`], so each step's [`ServerView`] — the attacker's only
//! input ([`crate::attack::view`]) — is assembled from what the server received and computed.
//! [`Backend::Reference`] runs the same engine on the bit-identical integer path without
//! cryptography ([`reference`] has the stand-alone functions the equivalence tests compare
//! with); [`session`] runs epochs over MNIST; [`scene`] is the page's one-sample story;
//! [`cost`] is the honest cost per party. In the FE protocols the client encrypts each sample
//! once and the server reuses the ciphertext in later epochs ([`cache`]), as in CryptoNN's
//! pre-processing.

pub mod cache;
pub mod channel;
pub mod client_trains;
pub mod cnn;
pub mod conv_fe;
pub mod conv_scheme;
pub mod cost;
pub mod engine;
pub mod fe_layer;
pub mod keys_for_own;
pub mod layer;
pub mod live;
pub mod photo;
pub mod reference;
pub mod scene;
pub mod scene_file;
pub mod scheme;
pub mod server_trains;
pub mod session;
pub mod view;

pub use cost::Cost;
pub use session::{EpochReport, Session};
pub use view::{ServerView, Traffic};

use crate::data::mnist::Mnist;
use crate::fe::GroupChoice;
use crate::nn::{Activation, Mlp, Quantization};
use crate::roles::PrivateLayer;
use crate::{Error, Result};
use ndarray::Array2;
use serde::{Deserialize, Serialize};

/// The four protocols.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ProtocolKind {
    /// CryptoNN (Xu, Joshi, Li 2019): IPFE, the server knows `W1`.
    #[serde(rename = "cryptonn")]
    CryptoNn,
    /// The FENet pattern (Panzade, Takabi, Cai 2023): FHIPE, but the server still chooses `W1`.
    #[serde(rename = "fenet")]
    FeNet,
    /// Client in the loop (RAID 2025, no cryptography): the client keeps `W1`.
    #[serde(rename = "client-loop")]
    ClientLoop,
    /// FHIPE with the client holding the master key and `W1` (RAID 2025).
    #[serde(rename = "fhipe")]
    Fhipe,
}

impl ProtocolKind {
    /// All protocols, in a stable order.
    pub const ALL: [ProtocolKind; 4] = [
        ProtocolKind::CryptoNn,
        ProtocolKind::FeNet,
        ProtocolKind::ClientLoop,
        ProtocolKind::Fhipe,
    ];

    /// The name on the command line, in JSON and on the page.
    pub fn name(self) -> &'static str {
        match self {
            ProtocolKind::CryptoNn => "cryptonn",
            ProtocolKind::FeNet => "fenet",
            ProtocolKind::ClientLoop => "client-loop",
            ProtocolKind::Fhipe => "fhipe",
        }
    }

    /// The name people read.
    pub fn label(self) -> &'static str {
        match self {
            ProtocolKind::CryptoNn => "CryptoNN",
            ProtocolKind::FeNet => "FENet",
            ProtocolKind::ClientLoop => "Client in the loop",
            ProtocolKind::Fhipe => "FHIPE",
        }
    }

    /// One sentence for a tooltip.
    pub fn tip(self) -> &'static str {
        match self {
            ProtocolKind::CryptoNn => "Inner-product FE: the server owns W1 and gets a key per row, so it decrypts z = W1·x.",
            ProtocolKind::FeNet => "Function-hiding FE, but the server still chooses W1 and asks for its keys: it learns z = W1·x and knows W1.",
            ProtocolKind::ClientLoop => "The client keeps W1, sends z = W1·x and gets δ1 back: no cryptography, no W1 on the server.",
            ProtocolKind::Fhipe => "The client keeps W1 and issues function-hiding keys for it: the server learns z, but neither W1 nor x.",
        }
    }

    /// True for the two mitigations: the server never learns `W1`.
    pub fn hides_w1(self) -> bool {
        matches!(self, ProtocolKind::ClientLoop | ProtocolKind::Fhipe)
    }
}

impl std::fmt::Display for ProtocolKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for ProtocolKind {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        ProtocolKind::ALL
            .into_iter()
            .find(|k| k.name() == s.to_ascii_lowercase())
            .ok_or_else(|| {
                Error::invalid(format!(
                    "unknown protocol {s:?} (cryptonn, fenet, client-loop or fhipe)"
                ))
            })
    }
}

/// A mini-batch as the client holds it: byte pixels (m × n) and labels, plus the index of each
/// sample in the (encrypted) training set the server iterates over.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    /// `m × n` pixels, 0..255.
    pub pixels: Array2<u8>,
    /// One label per row.
    pub labels: Vec<u8>,
    /// Training-set index of each row (the server knows which stored sample it is processing).
    pub ids: Vec<usize>,
}

impl Batch {
    /// Samples `idx` of `data`.
    pub fn from_mnist(data: &Mnist, idx: &[usize]) -> Result<Self> {
        let n = crate::data::mnist::PIXELS;
        let mut pixels = Array2::zeros((idx.len(), n));
        let mut labels = Vec::with_capacity(idx.len());
        for (mut row, &i) in pixels.rows_mut().into_iter().zip(idx) {
            if i >= data.len() {
                return Err(Error::invalid(format!(
                    "sample {i} of a set of {}",
                    data.len()
                )));
            }
            row.iter_mut().zip(data.image(i)).for_each(|(v, &p)| *v = p);
            labels.push(data.label(i));
        }
        Self::new(pixels, labels, idx.to_vec())
    }

    /// A batch from raw parts (checked: one label and id per row, at least one row).
    pub fn new(pixels: Array2<u8>, labels: Vec<u8>, ids: Vec<usize>) -> Result<Self> {
        if pixels.nrows() == 0 || labels.len() != pixels.nrows() || ids.len() != pixels.nrows() {
            return Err(Error::invalid(format!(
                "batch of {} samples with {} labels and {} ids",
                pixels.nrows(),
                labels.len(),
                ids.len()
            )));
        }
        Ok(Self {
            pixels,
            labels,
            ids,
        })
    }

    /// Number of samples `m`.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Never true for a constructed batch.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Rows as `Vec<i64>` pixel levels (what the client encrypts).
    pub(crate) fn level_rows(&self, q: &Quantization) -> Vec<Vec<i64>> {
        self.pixels
            .rows()
            .into_iter()
            .map(|r| r.iter().map(|&p| q.pixel(p)).collect())
            .collect()
    }
}

/// What one step produced, for either network (`V`: the MLP's [`ServerView`] or the CNN's
/// [`CnnView`](cnn::CnnView)).
#[derive(Debug, Clone)]
pub struct Step<V = ServerView> {
    /// Exactly what the server held during the step.
    pub view: V,
    /// Mean training loss of the batch (computed by the server, before the update).
    pub loss: f32,
    /// Correctly classified samples of the batch (before the update).
    pub correct: usize,
}

/// A training protocol: parties, their keys, the model split between them, on the network of
/// setup `S`: the MLP ([`Setup`], the default) or the CNN ([`CnnSetup`](cnn::CnnSetup)).
pub trait Protocol<S: layer::Split = Setup> {
    /// Which protocol this is.
    fn kind(&self) -> ProtocolKind;

    /// One SGD step on `batch` with learning rate `lr`: every party does its part, the model is
    /// updated, and the server's view of the step is returned.
    fn step(&mut self, batch: &Batch, lr: f32) -> Result<Step<S::View>>;

    /// The model as it stands, assembled from the parties (the server's layers and, for the
    /// mitigations, the client's `W1`). For evaluation by the experimenter — no party sees it.
    fn model(&self) -> S::Net;

    /// Time per party and bytes per channel so far.
    fn cost(&self) -> &Cost;

    /// What the server can decrypt beyond the batch: `z` (rows: samples `ids`, in decrypted
    /// integers) of stored ciphertexts under the keys it received at step `step`. FHIPE keys
    /// are not bound to a ciphertext, so under one long-lived master key every key the server
    /// kept opens every sample the client ever uploaded. `None` when the protocol gives the
    /// server nothing beyond each step's batch (its view already holds that), or when the
    /// server did not keep the keys ([`engine::KeyPolicy::retain_keys`]).
    fn held_decryption(&self, _step: usize, _ids: &[usize]) -> Result<Option<Array2<i64>>> {
        Ok(None)
    }
}

/// How the client of a mitigation (`client-loop`, `fhipe`) initialises its private `W1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum ClientInit {
    /// From a generator seeded by the OS/browser CSPRNG: nobody else can recompute it. The
    /// real protocol, and the default.
    #[default]
    Secret,
    /// Replay only (tests, reproducible experiments; cargo feature `replay`, not in the page's
    /// build): `W1` of [`Setup::initial_model`], i.e. from the public seed — a server that
    /// knows the seed knows the client's starting `W1`.
    #[cfg(feature = "replay")]
    ReplayPublicSeed,
}

/// Everything needed to start a protocol.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Setup {
    /// Input size `n` (784 for MNIST).
    pub input: usize,
    /// Hidden units `h`.
    pub hidden: usize,
    /// Hidden activation.
    pub activation: Activation,
    /// Seed of the model's initial weights — public: it fixes the server's layers, and `W1` in
    /// the protocols where the server owns `W1` (`cryptonn`, `fenet`).
    pub seed: u64,
    /// Where the mitigations' client draws its private `W1` from.
    pub client_w1: ClientInit,
    /// Fixed-point encoding and dlog bound.
    pub quant: Quantization,
    /// IPFE group (CryptoNN only).
    pub group: GroupChoice,
}

impl Default for Setup {
    fn default() -> Self {
        Self {
            input: crate::data::mnist::PIXELS,
            hidden: 128,
            activation: Activation::Relu,
            seed: 1,
            client_w1: ClientInit::Secret,
            quant: Quantization::default(),
            group: GroupChoice::Ristretto255,
        }
    }
}

impl Setup {
    /// The initial model every protocol starts from.
    pub fn initial_model(&self) -> Result<Mlp> {
        Mlp::new(self.input, self.hidden, 10, self.activation, self.seed)
    }
}

/// Which arithmetic runs the first layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    /// Real functional encryption (the protocol as deployed).
    #[default]
    Fe,
    /// The bit-identical integer path: the same integers the FE run decrypts, no cryptography.
    Reference,
}

/// Start protocol `kind`: key setup for every party, the initial model split between them.
pub fn start(kind: ProtocolKind, setup: &Setup) -> Result<Box<dyn Protocol>> {
    start_with(kind, setup, setup.initial_model()?, Backend::Fe)
}

/// The client's private `W1` for a mitigation, as [`Setup::client_w1`] says (`model` is the
/// public initial model a replay copies).
#[cfg_attr(not(feature = "replay"), allow(unused_variables))]
fn client_layer(setup: &Setup, model: &Mlp) -> Result<PrivateLayer> {
    match setup.client_w1 {
        ClientInit::Secret => PrivateLayer::draw(setup.input, setup.hidden, setup.activation),
        #[cfg(feature = "replay")]
        ClientInit::ReplayPublicSeed => Ok(PrivateLayer::replay(model.w1().clone())),
    }
}

/// Start `kind` from the server's initial `model` on `backend`. For the mitigations the
/// client draws its own `W1` ([`Setup::client_w1`]) and the server keeps the rest of `model`.
pub fn start_with(
    kind: ProtocolKind,
    setup: &Setup,
    model: Mlp,
    backend: Backend,
) -> Result<Box<dyn Protocol>> {
    use engine::{ClientTrains, KeysForOwnRows, Rows, SendsZ1, ServerTrains};
    use scheme::{Fhipe, Ipfe, Reference};
    setup.quant.validate()?;
    let reference = backend == Backend::Reference;
    Ok(match kind {
        ProtocolKind::CryptoNn | ProtocolKind::FeNet if reference => {
            Box::new(ServerTrains::<Rows<Reference>, Reference>::start(
                kind, setup, model,
            )?)
        }
        ProtocolKind::CryptoNn => crate::with_group!(setup.group, G => {
            Box::new(ServerTrains::<Rows<Ipfe<G>>, Ipfe<G>>::start(kind, setup, model)?) as Box<dyn Protocol>
        }),
        ProtocolKind::FeNet => Box::new(ServerTrains::<Rows<Fhipe>, Fhipe>::start(
            kind, setup, model,
        )?),
        ProtocolKind::ClientLoop => {
            let layer = client_layer(setup, &model)?;
            Box::new(ClientTrains::start(
                kind,
                setup,
                layer,
                SendsZ1::plain(),
                model,
            )?)
        }
        ProtocolKind::Fhipe => {
            let layer = client_layer(setup, &model)?;
            let bound = setup.quant.bound;
            if reference {
                let first = KeysForOwnRows::<Reference>::new(setup.input, bound)?;
                Box::new(ClientTrains::start(kind, setup, layer, first, model)?)
            } else {
                let first = KeysForOwnRows::<Fhipe>::new(setup.input, bound)?;
                Box::new(ClientTrains::start(kind, setup, layer, first, model)?)
            }
        }
    })
}
