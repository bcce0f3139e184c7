//! One engine for the four protocols. A protocol is a choice of *who owns `W1`* and *which FE
//! scheme computes the first layer*:
//!
//! | protocol | `W1` owned by | first layer | gradient of `W1` | engine |
//! |---|---|---|---|---|
//! | CryptoNN | server | [`Ipfe`](super::scheme::Ipfe): keys for the server's rows | server decrypts `dW1` (IPFE) | [`ServerTrains`] |
//! | FENet | server | [`Fhipe`](super::scheme::Fhipe): the data owner issues keys for the server's rows | server decrypts `dW1` (FHIPE) | [`ServerTrains`] |
//! | client in the loop | client ([`PrivateLayer`](crate::roles::PrivateLayer)) | the client sends `Z1` | client, from `δ1` | [`ClientTrains`] |
//! | FHIPE mitigation | client ([`PrivateLayer`](crate::roles::PrivateLayer)) | FHIPE keys the client issues for its own rows | client, from `δ1` | [`ClientTrains`] |
//!
//! The same two engines run the CNN ([`super::cnn`]): each step is written once
//! ([`super::server_trains`], [`super::client_trains`]) over the network's first layer as the
//! protocol sees it ([`super::layer`], [`super::fe_layer`]).
//!
//! What really differs between the networks: the first layer under FE (the MLP's `W1` gets one
//! key per row and the sample is one ciphertext; the CNN's filters get keys at every position,
//! or FHIPE encrypts patch by patch), the gradient vectors the client encrypts (pixel columns of
//! the batch; tap columns over batch and positions) and the keys the server asks for them (the
//! non-zero columns of `δ1`; `δ` per filter), the head after the first layer, and the view's
//! geometry. Everything else — the order of the parties, the channel, the cache of uploaded
//! samples, the dlog range checks, the books, the update — is the same code.
//!
//! Each step runs the parties in protocol order; every message to the server goes through the
//! [`Channel`](super::channel::Channel) and the server's half works only on what was
//! [`Delivered`](super::channel::Delivered) plus its own model. The server's view is assembled
//! there, at the end of the step. With
//! [`Reference`](super::scheme::Reference) as the scheme the same code runs the bit-identical
//! integer path without cryptography.

use super::cost::Cost;
use super::layer::Split;
use super::{Batch, Protocol, ProtocolKind, Step};
use crate::Result;
use ndarray::Array2;

pub use super::client_trains::{ClientForward, ClientTrains, HeldZ1, SendsZ1};
pub use super::fe_layer::Rows;
pub use super::keys_for_own::{KeyPolicy, KeysForOwnRows};
pub use super::server_trains::ServerTrains;

/// The FHIPE mitigation's client, with one master key for the whole training.
pub type FhipeMitigation = ClientTrains<KeysForOwnRows<super::scheme::Fhipe>>;

/// One engine over the network of its setup: the step in protocol order. [`Protocol`] on that
/// network follows from it.
pub trait Engine {
    /// The network's setup ([`Setup`](super::Setup) or [`CnnSetup`](super::cnn::CnnSetup)).
    type Setup: Split;
    /// Which protocol.
    fn kind(&self) -> ProtocolKind;
    /// One SGD step: every party does its part. The server's view, the batch loss and the
    /// correct predictions (before the update).
    fn run(&mut self, batch: &Batch, lr: f32)
        -> Result<(<Self::Setup as Split>::View, f32, usize)>;
    /// The model assembled from the parties: for the experimenter's evaluation only.
    fn model(&self) -> <Self::Setup as Split>::Net;
    /// Time per party and bytes so far.
    fn cost(&self) -> &Cost;
    /// See [`Protocol::held_decryption`].
    fn held_decryption(&self, _step: usize, _ids: &[usize]) -> Result<Option<Array2<i64>>> {
        Ok(None)
    }
}

impl<E: Engine> Protocol<E::Setup> for E {
    fn kind(&self) -> ProtocolKind {
        Engine::kind(self)
    }

    fn step(&mut self, batch: &Batch, lr: f32) -> Result<Step<<E::Setup as Split>::View>> {
        let (view, loss, correct) = self.run(batch, lr)?;
        Ok(Step {
            view,
            loss,
            correct,
        })
    }

    fn model(&self) -> <E::Setup as Split>::Net {
        Engine::model(self)
    }

    fn cost(&self) -> &Cost {
        Engine::cost(self)
    }

    fn held_decryption(&self, step: usize, ids: &[usize]) -> Result<Option<Array2<i64>>> {
        Engine::held_decryption(self, step, ids)
    }
}
