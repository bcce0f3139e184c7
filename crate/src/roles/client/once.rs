//! The client's one-off encryption (no per-key tables): one photo under fresh public parameters.

use super::Client;
use crate::fe::group::PrimeGroup;
use crate::fe::ipfe::{sparse, Ciphertext};
use crate::Result;

impl<G: PrimeGroup> Client<G> {
    /// Enc(mpk, x) without building the encryptor's fixed-base tables (see
    /// [`sparse::encrypt_once`]): the fast path when these public parameters encrypt one sample.
    pub fn encrypt_once(&self, x: &[i64]) -> Result<Ciphertext<G>> {
        self.rng.with(|rng| sparse::encrypt_once(&self.pp, x, rng))
    }
}
