//! Prime-order groups for inner-product FE.
//!
//! [`PrimeGroup`] is the one trait the IPFE code is written against (the arkworks `ark-ec`
//! pattern: one trait, backends behind it, algorithms written once). It exposes the two hot
//! loops as whole operations so each backend can do them its fastest way:
//!
//! - [`PrimeGroup::encrypt_slots`]: `ct_i = h_i^r · g^{x_i}` for all `i`;
//! - [`PrimeGroup::decrypt_slots`]: for each key `(y, sk_y)`, `Π_i ct_i^{y_i} · ct_0^{−sk_y}`
//!   (= `g^{⟨x,y⟩}`), sharing work across keys (small signed `y`: bucket multi-exponentiation,
//!   see [`multiexp`]).
//!
//! Backends: [`Ristretto255`] and [`ModP`] over the RFC 7919 safe primes ([`ModP2048`],
//! [`ModP3072`]).

mod ffdhe;
mod modp;
mod mont;
pub mod multiexp;
mod ristretto;
// The browser's encryption tables; native builds use dalek's (faster there, see
// `ristretto::EncryptTable`) but compile and test this module all the same.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod ristretto_fixed;
mod ristretto_window;

/// The exponent type of [`Ristretto255`] (integers mod ℓ).
pub use curve25519_dalek::scalar::Scalar as RistrettoScalar;
pub use modp::{
    Ffdhe2048, Ffdhe3072, FfdheParams, ModP, ModP2048, ModP3072, ModPElement, ModPExponent,
};
pub use ristretto::Ristretto255;

use crate::fe::dlog::DlogGroup;
use crate::fe::ipfe::{Ciphertext, FunctionKey};
use crate::fe::wire::Reader;
use crate::fe::GroupChoice;
use crate::Result;
use rand_core::CryptoRngCore;

/// A cyclic group of prime order with a fixed generator `g`, written multiplicatively.
pub trait PrimeGroup:
    DlogGroup + Copy + Clone + std::fmt::Debug + Default + PartialEq + Eq + Send + Sync
{
    /// The backend's name (`ristretto255`, `ffdhe2048`, `ffdhe3072`).
    const NAME: &'static str;
    /// The byte that identifies the group in the wire format.
    const ID: u8;
    /// The honest security level in bits.
    const SECURITY_BITS: u32;
    /// The run-time name of this backend.
    const CHOICE: GroupChoice;
    /// Bytes of one encoded element.
    const ELEMENT_LEN: usize;

    /// An exponent (a master-secret coordinate, the encryption randomness `r`, or a key `sk_y`).
    type Scalar: Clone + Send + Sync + 'static;

    /// A fresh uniformly random secret exponent.
    fn random_scalar<R: CryptoRngCore + ?Sized>(rng: &mut R) -> Self::Scalar;
    /// `g^s`.
    fn pow_gen(s: &Self::Scalar) -> Self::Element;
    /// `g^z` for a small signed `z`.
    fn pow_gen_i64(z: i64) -> Self::Element;
    /// `sk_y = ⟨s, y⟩` (lengths are checked by the caller).
    fn key_scalar(s: &[Self::Scalar], y: &[i64]) -> Self::Scalar;
    /// Precomputation an encryptor keeps per public key (built once, on first use, and cached
    /// in the [`crate::fe::ipfe::PublicParams`]): comb tables (ffdhe) or fixed-base tables
    /// (ristretto255) for each `h_i`.
    type EncryptTables: Send + Sync + 'static;
    /// Build the per-public-key tables.
    fn encrypt_tables(h: &[Self::Element]) -> Self::EncryptTables;
    /// `ct_i = h_i^r · g^{x_i}` for every slot (lengths are checked by the caller).
    fn encrypt_slots(
        h: &[Self::Element],
        tables: &Self::EncryptTables,
        r: &Self::Scalar,
        x: &[i64],
    ) -> Vec<Self::Element>;
    /// For every key: `Π_i ct_i^{y_i} · ct_0^{−sk_y}` (= `g^{⟨x,y⟩}`). Keys have the ciphertext's
    /// length (checked by the caller).
    fn decrypt_slots(ct: &Ciphertext<Self>, keys: &[FunctionKey<Self>]) -> Vec<Self::Element>;

    /// Append the canonical encoding of `e` (`ELEMENT_LEN` bytes).
    fn write_element(e: &Self::Element, out: &mut Vec<u8>);
    /// Decode and validate one element (right length, in the prime-order group).
    fn read_element(bytes: &[u8]) -> Result<Self::Element>;
    /// Append the encoding of a key scalar.
    fn write_scalar(s: &Self::Scalar, out: &mut Vec<u8>);
    /// Decode and validate a key scalar.
    fn read_scalar(r: &mut Reader<'_>) -> Result<Self::Scalar>;
}

/// `i64 → ±u64` helper shared by the backends.
#[inline]
pub(crate) fn split_sign(v: i64) -> (bool, u64) {
    (v < 0, v.unsigned_abs())
}
