//! The FE first layer, generic over the scheme: who issues keys, who encrypts, who decrypts.
//!
//! | scheme | key issuer | encrypts | decrypts | used by |
//! |---|---|---|---|---|
//! | [`Ipfe<G>`] | the authority (master secret) | the client (public params) | the server | CryptoNN |
//! | [`Fhipe`] | the data owner (FHIPE master key) | the data owner | the server | FENet, the FHIPE mitigation |
//! | [`Reference`] | — | — | — | the bit-identical integer path, no cryptography |
//!
//! [`Reference`] is not encryption: its "ciphertext" carries the integers and its decryption is
//! the inner product with the same range check as a discrete logarithm. Running a protocol with
//! it gives exactly the integers the FE run decrypts (the equivalence tests check this), in
//! milliseconds: the page's later epochs and the CLI's leak experiments use it and say so.

use crate::fe::group::PrimeGroup;
use crate::fe::ipfe::{Ciphertext, FunctionKey};
use crate::fe::{FhipeCiphertext, FhipeKey};
use crate::roles::{Authority, Client, FhipeClient, FhipeServer, Server};
use crate::{Error, Result};
use std::sync::Arc;

/// An FE scheme for one dimension: its three parties and their operations.
pub trait Scheme: Sized {
    /// A ciphertext (what the client uploads).
    type Ct: Send + Sync;
    /// A function key (what the server receives).
    type Key: Send + Sync;
    /// The party that issues keys.
    type Issuer;
    /// The party that encrypts.
    type Encryptor;
    /// The server's decryption capability.
    type Decryptor: Sync;
    /// The scheme's name in views and costs.
    const NAME: &'static str;
    /// True when the scheme really encrypts (false for [`Reference`]).
    const ENCRYPTS: bool;

    /// Set up the three parties for vectors of length `dim` and decryptions within `±bound`.
    fn setup(dim: usize, bound: u64) -> Result<(Self::Issuer, Self::Encryptor, Self::Decryptor)>;
    /// Encrypt each vector (in parallel natively where the scheme allows).
    fn encrypt(e: &Self::Encryptor, rows: &[Vec<i64>]) -> Result<Vec<Self::Ct>>;
    /// A key for each vector.
    fn issue(i: &Self::Issuer, rows: &[Vec<i64>]) -> Result<Vec<Self::Key>>;
    /// `⟨y_k, x⟩` for every key `k` on one ciphertext.
    fn decrypt_rows(d: &Self::Decryptor, ct: &Self::Ct, keys: &[Self::Key]) -> Result<Vec<i64>>;
    /// The gradient path: `feature_cts[j]` encrypts column `j` of a batch; returns one row per
    /// key, `row_k[j] = ⟨y_k, X[·, j]⟩`.
    fn decrypt_gradient(
        d: &Self::Decryptor,
        feature_cts: &[Self::Ct],
        keys: &[Self::Key],
    ) -> Result<Vec<Vec<i64>>> {
        let columns: Vec<Vec<i64>> =
            map_maybe_parallel(feature_cts, |ct| Self::decrypt_rows(d, ct, keys))?;
        Ok((0..keys.len())
            .map(|k| columns.iter().map(|c| c[k]).collect())
            .collect())
    }
    /// `⟨y_k, x_r⟩` for every ciphertext `r` and key `k` (rows: ciphertexts).
    fn decrypt_matrix(
        d: &Self::Decryptor,
        cts: &[Arc<Self::Ct>],
        keys: &[Self::Key],
    ) -> Result<Vec<Vec<i64>>> {
        map_maybe_parallel(cts, |ct| Self::decrypt_rows(d, ct, keys))
    }
    /// Bytes of a ciphertext on the wire.
    fn ct_bytes(ct: &Self::Ct) -> u64;
    /// Bytes of a key on the wire.
    fn key_bytes(key: &Self::Key) -> u64;
}

fn map_maybe_parallel<T: Sync, U: Send>(
    items: &[T],
    f: impl Fn(&T) -> Result<U> + Sync + Send,
) -> Result<Vec<U>> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        use rayon::prelude::*;
        items.par_iter().map(f).collect()
    }
    #[cfg(target_arch = "wasm32")]
    {
        items.iter().map(f).collect()
    }
}

/// Inner-product FE (ABDP15) over the group `G`.
pub struct Ipfe<G>(std::marker::PhantomData<G>);

impl<G: PrimeGroup> Scheme for Ipfe<G> {
    type Ct = Ciphertext<G>;
    type Key = FunctionKey<G>;
    type Issuer = Authority<G>;
    type Encryptor = Client<G>;
    type Decryptor = Server<G>;
    const NAME: &'static str = "ipfe";
    const ENCRYPTS: bool = true;

    fn setup(dim: usize, bound: u64) -> Result<(Authority<G>, Client<G>, Server<G>)> {
        let (authority, pp) = Authority::<G>::setup(dim)?;
        Ok((authority, Client::new(pp.clone()), Server::new(pp, bound)?))
    }
    fn encrypt(e: &Client<G>, rows: &[Vec<i64>]) -> Result<Vec<Ciphertext<G>>> {
        map_maybe_parallel(rows, |x| e.encrypt(x))
    }
    fn issue(i: &Authority<G>, rows: &[Vec<i64>]) -> Result<Vec<FunctionKey<G>>> {
        i.function_keys(rows)
    }
    fn decrypt_rows(
        d: &Server<G>,
        ct: &Ciphertext<G>,
        keys: &[FunctionKey<G>],
    ) -> Result<Vec<i64>> {
        d.decrypt_rows(ct, keys)
    }
    fn decrypt_gradient(
        d: &Server<G>,
        feature_cts: &[Ciphertext<G>],
        keys: &[FunctionKey<G>],
    ) -> Result<Vec<Vec<i64>>> {
        // The IPFE server shares small-multiple tables across the 4-bit keys of a gradient.
        d.decrypt_gradient(feature_cts, keys)
    }
    fn ct_bytes(ct: &Ciphertext<G>) -> u64 {
        ct.byte_len() as u64
    }
    fn key_bytes(key: &FunctionKey<G>) -> u64 {
        key.to_bytes().len() as u64
    }
}

/// Function-hiding IPE (KLMMRW18) on BLS12-381: the data owner holds the master key, issues the
/// keys and encrypts.
pub struct Fhipe;

impl Scheme for Fhipe {
    type Ct = FhipeCiphertext;
    type Key = FhipeKey;
    type Issuer = Arc<FhipeClient>;
    type Encryptor = Arc<FhipeClient>;
    type Decryptor = FhipeServer;
    const NAME: &'static str = "fhipe";
    const ENCRYPTS: bool = true;

    fn setup(dim: usize, bound: u64) -> Result<(Arc<FhipeClient>, Arc<FhipeClient>, FhipeServer)> {
        let owner = Arc::new(FhipeClient::setup(dim)?);
        Ok((owner.clone(), owner, FhipeServer::new(bound)?))
    }
    fn encrypt(e: &Arc<FhipeClient>, rows: &[Vec<i64>]) -> Result<Vec<FhipeCiphertext>> {
        map_maybe_parallel(rows, |x| e.encrypt(x))
    }
    fn issue(i: &Arc<FhipeClient>, rows: &[Vec<i64>]) -> Result<Vec<FhipeKey>> {
        i.keygen_rows(rows)
    }
    fn decrypt_rows(d: &FhipeServer, ct: &FhipeCiphertext, keys: &[FhipeKey]) -> Result<Vec<i64>> {
        d.decrypt_rows(ct, keys)
    }
    fn ct_bytes(ct: &FhipeCiphertext) -> u64 {
        ct.byte_len() as u64
    }
    fn key_bytes(key: &FhipeKey) -> u64 {
        key.byte_len() as u64
    }
}

/// The bit-identical integer path: no cryptography (see the module docs).
pub struct Reference;

/// [`Reference`]'s stand-in for a ciphertext: the integers, readable only inside the crate.
pub struct PlainCt(Vec<i64>);

/// [`Reference`]'s stand-in for a decryptor: the range check of a bounded discrete log.
pub struct Bounded(u64);

impl Scheme for Reference {
    type Ct = PlainCt;
    type Key = Vec<i64>;
    type Issuer = ();
    type Encryptor = ();
    type Decryptor = Bounded;
    const NAME: &'static str = "reference";
    const ENCRYPTS: bool = false;

    fn setup(_dim: usize, bound: u64) -> Result<((), (), Bounded)> {
        Ok(((), (), Bounded(bound)))
    }
    fn encrypt(_: &(), rows: &[Vec<i64>]) -> Result<Vec<PlainCt>> {
        Ok(rows.iter().map(|r| PlainCt(r.clone())).collect())
    }
    fn issue(_: &(), rows: &[Vec<i64>]) -> Result<Vec<Vec<i64>>> {
        Ok(rows.to_vec())
    }
    fn decrypt_rows(d: &Bounded, ct: &PlainCt, keys: &[Vec<i64>]) -> Result<Vec<i64>> {
        keys.iter()
            .map(|y| {
                if y.len() != ct.0.len() {
                    return Err(Error::invalid("key and ciphertext lengths differ"));
                }
                let v: i64 = y.iter().zip(&ct.0).map(|(a, b)| a * b).sum();
                if v.unsigned_abs() > d.0 {
                    return Err(Error::DlogOutOfRange { bound: d.0 });
                }
                Ok(v)
            })
            .collect()
    }
    fn decrypt_matrix(
        d: &Bounded,
        cts: &[Arc<PlainCt>],
        keys: &[Vec<i64>],
    ) -> Result<Vec<Vec<i64>>> {
        plain_products(d, cts, keys)
    }
    fn ct_bytes(_: &PlainCt) -> u64 {
        0
    }
    fn key_bytes(_: &Vec<i64>) -> u64 {
        0
    }
}

/// All inner products of [`Reference`] ciphertexts and keys as one matrix product: in `f64`
/// (exact: every partial sum is checked to stay below 2⁵³) when it is, else row by row.
fn plain_products(d: &Bounded, cts: &[Arc<PlainCt>], keys: &[Vec<i64>]) -> Result<Vec<Vec<i64>>> {
    let Some(n) = cts.first().map(|c| c.0.len()) else {
        return Ok(Vec::new());
    };
    if cts.iter().any(|c| c.0.len() != n) || keys.iter().any(|k| k.len() != n) {
        return Err(Error::invalid("key and ciphertext lengths differ"));
    }
    let max = |v: &[i64]| v.iter().map(|a| a.unsigned_abs()).max().unwrap_or(0);
    let mx = cts.iter().map(|c| max(&c.0)).max().unwrap_or(0) as f64;
    let mk = keys.iter().map(|k| max(k)).max().unwrap_or(0) as f64;
    if mx * mk * n as f64 >= 9.0e15 {
        return cts
            .iter()
            .map(|ct| Reference::decrypt_rows(d, ct, keys))
            .collect();
    }
    let x = ndarray::Array2::from_shape_fn((cts.len(), n), |(r, j)| cts[r].0[j] as f64);
    let y = ndarray::Array2::from_shape_fn((n, keys.len()), |(j, k)| keys[k][j] as f64);
    let z = x.dot(&y);
    z.rows()
        .into_iter()
        .map(|row| {
            row.iter()
                .map(|&v| {
                    let v = v.round() as i64;
                    if v.unsigned_abs() > d.0 {
                        Err(Error::DlogOutOfRange { bound: d.0 })
                    } else {
                        Ok(v)
                    }
                })
                .collect()
        })
        .collect()
}
