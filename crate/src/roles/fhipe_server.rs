//! The FHIPE server: holds function keys and ciphertexts only; learns `⟨w_i, x⟩` and nothing
//! about `w_i` or `x` beyond it.

use crate::fe::dlog;
use crate::fe::fhipe::{self, FhipeCiphertext, FhipeKey, PreparedCiphertext};
use crate::{Error, Result};

/// Decrypts FHIPE inner products in `[−bound, bound]`.
#[derive(Debug, Clone)]
pub struct FhipeServer {
    bound: u64,
}

impl FhipeServer {
    /// A server for values in `[−bound, bound]`.
    pub fn new(bound: u64) -> Result<Self> {
        if bound > dlog::MAX_BOUND {
            return Err(Error::invalid(format!("dlog bound {bound} exceeds 2^60")));
        }
        Ok(FhipeServer { bound })
    }

    /// The decryption bound.
    pub fn bound(&self) -> u64 {
        self.bound
    }

    /// Prepare a ciphertext's G2 side once for many keys (chunked decryption: prepare, then
    /// [`FhipeServer::decrypt_prepared`] key by key, reporting progress in between).
    pub fn prepare(&self, ct: &FhipeCiphertext) -> PreparedCiphertext {
        fhipe::prepare(ct)
    }

    /// `⟨w, x⟩` for one key against a prepared ciphertext.
    pub fn decrypt_prepared(&self, ct: &PreparedCiphertext, key: &FhipeKey) -> Result<i64> {
        ct.decrypt(key, self.bound)
    }

    /// `⟨w, x⟩` for one key.
    pub fn decrypt(&self, ct: &FhipeCiphertext, key: &FhipeKey) -> Result<i64> {
        self.decrypt_prepared(&self.prepare(ct), key)
    }

    /// `z = W1·x` for one key per row: the ciphertext is prepared once; natively the keys run in
    /// parallel, in wasm sequentially.
    pub fn decrypt_rows(&self, ct: &FhipeCiphertext, keys: &[FhipeKey]) -> Result<Vec<i64>> {
        let prepared = self.prepare(ct);
        #[cfg(not(target_arch = "wasm32"))]
        {
            use rayon::prelude::*;
            keys.par_iter()
                .map(|k| self.decrypt_prepared(&prepared, k))
                .collect()
        }
        #[cfg(target_arch = "wasm32")]
        {
            keys.iter()
                .map(|k| self.decrypt_prepared(&prepared, k))
                .collect()
        }
    }
}
