//! A first layer computed under FE, whatever the network: one ciphertext per sample, keys for the
//! encoded weights, `z` decrypted per sample. [`Rows`] is the MLP's dense `W1` over a
//! [`Scheme`] (one key per row), [`Filters`] the CNN's conv filters over a [`ConvScheme`].
//! The parties of an instance, the client's upload and the server's decryption of `z` are
//! written once over [`LayerFe`].

use super::cache::CiphertextCache;
use super::channel::{Channel, Delivered};
use super::cnn::CnnSetup;
use super::conv_scheme::{encrypt_images, ConvScheme};
use super::layer::Split;
use super::scheme::Scheme;
use super::{Batch, Setup};
use crate::nn::cnn::Cnn;
use crate::nn::conv::{ConvLayer, ConvShape};
use crate::nn::Quantization;
use crate::{Error, Result};
use ndarray::Array2;
use std::marker::PhantomData;
use std::sync::Arc;

/// An FE scheme for a first layer.
pub trait LayerFe {
    /// The network's setup ([`Setup`] for the dense `W1`, [`CnnSetup`] for the filters).
    type Setup: Split;
    /// What the parties are set up for (`n`, or the conv geometry).
    type Dims: Copy;
    /// What the client uploads for one sample.
    type Ct: Send + Sync;
    /// The keys of one step (for every output of the layer).
    type Keys;
    /// Issues keys.
    type Issuer;
    /// Encrypts.
    type Encryptor;
    /// The server's decryption capability.
    type Decryptor;
    /// The encoded weights keys are issued for.
    type Encoded;

    /// The dimensions of the first layer of `setup`.
    fn dims(setup: &Self::Setup) -> Self::Dims;
    /// The three parties for samples of `dims`, decryptions within `±bound`.
    fn setup(
        dims: Self::Dims,
        bound: u64,
    ) -> Result<(Self::Issuer, Self::Encryptor, Self::Decryptor)>;
    /// Encode real weights with `q`.
    fn encode(w: &Array2<f32>, dims: Self::Dims, q: &Quantization) -> Result<Self::Encoded>;
    /// Outputs of the layer per sample.
    fn outputs(w: &Self::Encoded) -> usize;
    /// The encoded weights in weight units (what a server that has them sees).
    fn weights_real(w: &Self::Encoded, q: &Quantization) -> Result<Array2<f64>>;
    /// Keys for the encoded weights.
    fn issue(i: &Self::Issuer, w: &Self::Encoded) -> Result<Self::Keys>;
    /// Bytes of the keys on the wire.
    fn keys_bytes(keys: &Self::Keys) -> u64;
    /// Encrypt samples of levels.
    fn encrypt(e: &Self::Encryptor, samples: &[Vec<i64>]) -> Result<Vec<Self::Ct>>;
    /// Bytes of a ciphertext on the wire.
    fn ct_bytes(ct: &Self::Ct) -> u64;
    /// `z` of one sample.
    fn decrypt(d: &Self::Decryptor, ct: &Self::Ct, keys: &Self::Keys) -> Result<Vec<i64>>;
    /// `z` of every ciphertext (rows).
    fn decrypt_matrix(
        d: &Self::Decryptor,
        cts: &[Arc<Self::Ct>],
        keys: &Self::Keys,
    ) -> Result<Vec<Vec<i64>>> {
        cts.iter().map(|ct| Self::decrypt(d, ct, keys)).collect()
    }
}

/// A dense layer over `S`: one key per row of the encoded `W1` (h × n).
pub struct Rows<S>(PhantomData<S>);

impl<S: Scheme> LayerFe for Rows<S> {
    type Setup = Setup;
    type Dims = usize;
    type Ct = S::Ct;
    type Keys = Vec<S::Key>;
    type Issuer = S::Issuer;
    type Encryptor = S::Encryptor;
    type Decryptor = S::Decryptor;
    type Encoded = Array2<i64>;

    fn dims(setup: &Setup) -> usize {
        setup.input
    }
    fn setup(dim: usize, bound: u64) -> Result<(S::Issuer, S::Encryptor, S::Decryptor)> {
        S::setup(dim, bound)
    }
    fn encode(w: &Array2<f32>, _: usize, q: &Quantization) -> Result<Array2<i64>> {
        q.weights(w.view())
    }
    fn outputs(w: &Array2<i64>) -> usize {
        w.nrows()
    }
    fn weights_real(w: &Array2<i64>, q: &Quantization) -> Result<Array2<f64>> {
        Ok(q.weights_real(w.view()))
    }
    fn issue(i: &S::Issuer, w: &Array2<i64>) -> Result<Vec<S::Key>> {
        S::issue(i, &rows_of(w))
    }
    fn keys_bytes(keys: &Vec<S::Key>) -> u64 {
        keys.iter().map(S::key_bytes).sum()
    }
    fn encrypt(e: &S::Encryptor, samples: &[Vec<i64>]) -> Result<Vec<S::Ct>> {
        S::encrypt(e, samples)
    }
    fn ct_bytes(ct: &S::Ct) -> u64 {
        S::ct_bytes(ct)
    }
    fn decrypt(d: &S::Decryptor, ct: &S::Ct, keys: &Vec<S::Key>) -> Result<Vec<i64>> {
        S::decrypt_rows(d, ct, keys)
    }
    fn decrypt_matrix(
        d: &S::Decryptor,
        cts: &[Arc<S::Ct>],
        keys: &Vec<S::Key>,
    ) -> Result<Vec<Vec<i64>>> {
        S::decrypt_matrix(d, cts, keys)
    }
}

/// A conv layer over `S`: keys for the encoded filters at every position.
pub struct Filters<S>(PhantomData<S>);

impl<S: ConvScheme> LayerFe for Filters<S> {
    type Setup = CnnSetup;
    type Dims = ConvShape;
    type Ct = S::Ct;
    type Keys = S::Keys;
    type Issuer = S::Issuer;
    type Encryptor = S::Encryptor;
    type Decryptor = S::Decryptor;
    type Encoded = ConvLayer;

    fn dims(setup: &CnnSetup) -> ConvShape {
        setup.shape
    }
    fn setup(shape: ConvShape, bound: u64) -> Result<(S::Issuer, S::Encryptor, S::Decryptor)> {
        S::setup(&shape, bound)
    }
    fn encode(w: &Array2<f32>, shape: ConvShape, q: &Quantization) -> Result<ConvLayer> {
        Cnn::conv_layer(w, shape, q)
    }
    fn outputs(w: &ConvLayer) -> usize {
        w.shape().outputs()
    }
    fn weights_real(w: &ConvLayer, q: &Quantization) -> Result<Array2<f64>> {
        let s = w.shape();
        Ok(
            Array2::from_shape_vec((s.filters, s.patch_len()), w.weights().to_vec())
                .map_err(|e| Error::invalid(e.to_string()))?
                .mapv(|v| v as f64 / f64::from(q.weight_scale)),
        )
    }
    fn issue(i: &S::Issuer, w: &ConvLayer) -> Result<S::Keys> {
        S::issue(i, w)
    }
    fn keys_bytes(keys: &S::Keys) -> u64 {
        S::keys_bytes(keys)
    }
    fn encrypt(e: &S::Encryptor, samples: &[Vec<i64>]) -> Result<Vec<S::Ct>> {
        encrypt_images::<S>(e, samples)
    }
    fn ct_bytes(ct: &S::Ct) -> u64 {
        S::ct_bytes(ct)
    }
    fn decrypt(d: &S::Decryptor, ct: &S::Ct, keys: &S::Keys) -> Result<Vec<i64>> {
        S::decrypt(d, ct, keys)
    }
}

/// The three parties of one FE instance.
pub(crate) struct Parties<L: LayerFe> {
    pub issuer: L::Issuer,
    pub client: L::Encryptor,
    pub server: L::Decryptor,
}

impl<L: LayerFe> Parties<L> {
    pub(crate) fn new(dims: L::Dims, bound: u64) -> Result<Self> {
        let (issuer, client, server) = L::setup(dims, bound)?;
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

/// The client's upload: samples not uploaded before are encrypted (each once; reused across
/// epochs), and the bytes that cross are those of the fresh ciphertexts.
pub(crate) fn upload<L: LayerFe>(
    cache: &mut CiphertextCache<L::Ct>,
    client: &L::Encryptor,
    batch: &Batch,
    levels: &[Vec<i64>],
    channel: &mut Channel,
) -> Result<Delivered<Vec<Arc<L::Ct>>>> {
    cache.upload(
        batch,
        levels,
        channel,
        |todo| L::encrypt(client, todo),
        L::ct_bytes,
    )
}

/// The server decrypts `z` of every delivered sample with the delivered keys (`m × outputs`).
pub(crate) fn decrypt_z<L: LayerFe>(
    server: &L::Decryptor,
    cts: &Delivered<Vec<Arc<L::Ct>>>,
    keys: &Delivered<L::Keys>,
    outputs: usize,
) -> Result<Array2<i64>> {
    let zs = cts
        .get()
        .iter()
        .map(|ct| L::decrypt(server, ct, keys.get()))
        .collect::<Result<Vec<_>>>()?;
    stack(zs, outputs)
}
