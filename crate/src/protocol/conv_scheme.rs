//! The FE first layer of the CNN, generic over the scheme: one image in, `k·P` feature-map
//! values out, each the inner product of a filter with a patch.
//!
//! | scheme | ciphertext | keys | who issues | used by |
//! |---|---|---|---|---|
//! | [`Ipfe<G>`] | the image, once (`C·H·W` slots) | one sparse key per filter and position (zero outside the patch) | the authority, for the server's filters | CryptoNN |
//! | [`Fhipe`] | one ciphertext per patch (`C·r·r` slots) | one key per filter | the client, for its own filters | the FHIPE mitigation |
//! | [`Reference`] | the integers | the integer filters | — | the bit-identical integer path |
//!
//! Every scheme returns exactly [`ConvLayer::forward`] of the image's levels (the
//! equivalence tests check it); a value outside `±bound` is [`Error::DlogOutOfRange`] in every
//! scheme alike.

use super::scheme::{Fhipe, Ipfe, Reference};
use crate::fe::group::PrimeGroup;
use crate::fe::ipfe::sparse::SparseFunctionKey;
use crate::fe::ipfe::Ciphertext;
use crate::fe::{dlog, FhipeCiphertext, FhipeKey};
use crate::nn::cnn::Im2col;
use crate::nn::conv::{ConvLayer, ConvShape};
use crate::roles::{Authority, Client, FhipeClient, FhipeServer, Server};
use crate::{Error, Result};
use ndarray::Array2;
use std::sync::Arc;

/// A scheme for the conv layer of one geometry.
pub trait ConvScheme {
    /// What the client uploads for one image.
    type Ct: Send + Sync;
    /// The keys of one step (for every filter, at every position).
    type Keys: Send + Sync;
    /// Issues keys.
    type Issuer;
    /// Encrypts.
    type Encryptor: Sync;
    /// The server's decryption capability.
    type Decryptor: Sync;

    /// The three parties for images of `shape`, decryptions within `±bound`.
    fn setup(
        shape: &ConvShape,
        bound: u64,
    ) -> Result<(Self::Issuer, Self::Encryptor, Self::Decryptor)>;
    /// Encrypt one image of levels (`C·H·W`).
    fn encrypt(e: &Self::Encryptor, levels: &[i64]) -> Result<Self::Ct>;
    /// Keys for the integer filters of `layer`.
    fn issue(i: &Self::Issuer, layer: &ConvLayer) -> Result<Self::Keys>;
    /// The `k·P` feature-map values of one image (order `f·P + p`).
    fn decrypt(d: &Self::Decryptor, ct: &Self::Ct, keys: &Self::Keys) -> Result<Vec<i64>>;
    /// Bytes of a ciphertext on the wire.
    fn ct_bytes(ct: &Self::Ct) -> u64;
    /// Bytes of the keys on the wire.
    fn keys_bytes(keys: &Self::Keys) -> u64;
}

/// Encrypt images in parallel natively.
pub(crate) fn encrypt_images<S: ConvScheme>(
    e: &S::Encryptor,
    images: &[Vec<i64>],
) -> Result<Vec<S::Ct>> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        use rayon::prelude::*;
        images.par_iter().map(|x| S::encrypt(e, x)).collect()
    }
    #[cfg(target_arch = "wasm32")]
    {
        images.iter().map(|x| S::encrypt(e, x)).collect()
    }
}

impl<G: PrimeGroup> ConvScheme for Ipfe<G> {
    type Ct = Ciphertext<G>;
    type Keys = Vec<SparseFunctionKey<G>>;
    type Issuer = Authority<G>;
    type Encryptor = Client<G>;
    type Decryptor = Server<G>;

    fn setup(shape: &ConvShape, bound: u64) -> Result<(Authority<G>, Client<G>, Server<G>)> {
        let (authority, pp) = Authority::<G>::setup(shape.inputs())?;
        let m = dlog::table_size_for(bound)
            .max(super::conv_fe::CONV_TABLE_SIZE.min(bound.next_power_of_two()));
        let server = Server::with_table_size(pp.clone(), bound, m)?;
        Ok((authority, Client::new(pp), server))
    }
    fn encrypt(e: &Client<G>, levels: &[i64]) -> Result<Ciphertext<G>> {
        e.encrypt_once(levels)
    }
    fn issue(i: &Authority<G>, layer: &ConvLayer) -> Result<Self::Keys> {
        i.conv_keys(layer)
    }
    fn decrypt(d: &Server<G>, ct: &Ciphertext<G>, keys: &Self::Keys) -> Result<Vec<i64>> {
        d.decrypt_sparse(ct, keys)
    }
    fn ct_bytes(ct: &Ciphertext<G>) -> u64 {
        ct.byte_len() as u64
    }
    fn keys_bytes(keys: &Self::Keys) -> u64 {
        // A scalar and, per non-zero tap, a slot index and a weight.
        keys.iter()
            .map(|k| 32 + 12 * k.indices().len() as u64)
            .sum()
    }
}

/// The FHIPE conv layer's keys: one per filter (length `C·r·r`), and the geometry.
pub struct FilterKeys {
    keys: Vec<FhipeKey>,
}

impl ConvScheme for Fhipe {
    /// One ciphertext per patch.
    type Ct = Vec<FhipeCiphertext>;
    type Keys = FilterKeys;
    type Issuer = Arc<FhipeClient>;
    type Encryptor = (Arc<FhipeClient>, Im2col);
    type Decryptor = (FhipeServer, ConvShape);

    fn setup(
        shape: &ConvShape,
        bound: u64,
    ) -> Result<(Self::Issuer, Self::Encryptor, Self::Decryptor)> {
        let owner = Arc::new(FhipeClient::setup(shape.patch_len())?);
        let server = FhipeServer::with_expected_n(bound, shape.patch_len())?;
        Ok((
            owner.clone(),
            (owner, Im2col::new(*shape)?),
            (server, *shape),
        ))
    }
    fn encrypt(e: &Self::Encryptor, levels: &[i64]) -> Result<Self::Ct> {
        let cols = e.1.columns(levels)?;
        let rows: Vec<Vec<i64>> = cols.rows().into_iter().map(|r| r.to_vec()).collect();
        #[cfg(not(target_arch = "wasm32"))]
        {
            use rayon::prelude::*;
            rows.par_iter().map(|r| e.0.encrypt(r)).collect()
        }
        #[cfg(target_arch = "wasm32")]
        {
            rows.iter().map(|r| e.0.encrypt(r)).collect()
        }
    }
    fn issue(i: &Arc<FhipeClient>, layer: &ConvLayer) -> Result<FilterKeys> {
        let rows: Vec<Vec<i64>> = (0..layer.shape().filters)
            .map(|f| layer.filter(f).to_vec())
            .collect();
        Ok(FilterKeys {
            keys: i.keygen_rows(&rows)?,
        })
    }
    fn decrypt(d: &Self::Decryptor, ct: &Self::Ct, keys: &FilterKeys) -> Result<Vec<i64>> {
        let (server, shape) = d;
        let p_n = shape.positions();
        if ct.len() != p_n || keys.keys.len() != shape.filters {
            return Err(Error::invalid(format!(
                "{} patch ciphertexts and {} filter keys, expected {p_n} and {}",
                ct.len(),
                keys.keys.len(),
                shape.filters
            )));
        }
        let per_patch = |c: &FhipeCiphertext| -> Result<Vec<i64>> {
            let prepared = server.prepare(c)?;
            keys.keys
                .iter()
                .map(|k| server.decrypt_prepared(&prepared, k))
                .collect()
        };
        #[cfg(not(target_arch = "wasm32"))]
        let by_patch: Vec<Vec<i64>> = {
            use rayon::prelude::*;
            ct.par_iter().map(per_patch).collect::<Result<_>>()?
        };
        #[cfg(target_arch = "wasm32")]
        let by_patch: Vec<Vec<i64>> = ct.iter().map(per_patch).collect::<Result<_>>()?;
        let mut z = vec![0; shape.outputs()];
        for (p, vals) in by_patch.iter().enumerate() {
            for (f, &v) in vals.iter().enumerate() {
                z[f * p_n + p] = v;
            }
        }
        Ok(z)
    }
    fn ct_bytes(ct: &Self::Ct) -> u64 {
        ct.iter().map(|c| c.byte_len() as u64).sum()
    }
    fn keys_bytes(keys: &FilterKeys) -> u64 {
        keys.keys.iter().map(|k| k.byte_len() as u64).sum()
    }
}

/// [`Reference`]'s image: the levels, readable only inside the crate.
pub struct PlainImage(Vec<i64>);

impl ConvScheme for Reference {
    type Ct = PlainImage;
    type Keys = Array2<i64>;
    type Issuer = ();
    type Encryptor = ();
    type Decryptor = (Im2col, u64);

    fn setup(shape: &ConvShape, bound: u64) -> Result<((), (), (Im2col, u64))> {
        Ok(((), (), (Im2col::new(*shape)?, bound)))
    }
    fn encrypt(_: &(), levels: &[i64]) -> Result<PlainImage> {
        Ok(PlainImage(levels.to_vec()))
    }
    fn issue(_: &(), layer: &ConvLayer) -> Result<Array2<i64>> {
        let s = layer.shape();
        Array2::from_shape_vec((s.filters, s.patch_len()), layer.weights().to_vec())
            .map_err(|e| Error::invalid(format!("filters: {e}")))
    }
    fn decrypt(d: &(Im2col, u64), ct: &PlainImage, keys: &Array2<i64>) -> Result<Vec<i64>> {
        let x = ndarray::ArrayView2::from_shape((1, ct.0.len()), &ct.0)
            .map_err(|e| Error::invalid(format!("image: {e}")))?;
        let z = d.0.conv_int(x, keys.view())?;
        if z.iter().any(|v| v.unsigned_abs() > d.1) {
            return Err(Error::DlogOutOfRange { bound: d.1 });
        }
        Ok(z.into_raw_vec_and_offset().0)
    }
    fn ct_bytes(_: &PlainImage) -> u64 {
        0
    }
    fn keys_bytes(_: &Array2<i64>) -> u64 {
        0
    }
}
