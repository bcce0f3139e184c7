//! The FHIPE server: holds function keys and ciphertexts only; learns `⟨w_i, x⟩` and nothing
//! about `w_i` or `x` beyond it.

use crate::fe::dlog;
use crate::fe::fhipe::{self, FhipeCiphertext, FhipeKey, PreparedCiphertext};
use crate::{Error, Result};

/// Decrypts FHIPE inner products in `[−bound, bound]`.
#[derive(Debug, Clone)]
pub struct FhipeServer {
    bound: u64,
    expected_n: Option<usize>,
}

impl FhipeServer {
    /// A server for values in `[−bound, bound]`. Refused ([`Error::Limit`]) when the bound is over
    /// what FHIPE's growing table ([`crate::limits::MAX_FHIPE_DLOG_TABLE`]) can cover within the
    /// work budget ([`crate::limits::MAX_DLOG_STEPS`]): `bound ≤ 2³⁸`.
    pub fn new(bound: u64) -> Result<Self> {
        dlog::check_work(bound, crate::limits::MAX_FHIPE_DLOG_TABLE)?;
        Ok(FhipeServer {
            bound,
            expected_n: None,
        })
    }

    /// As [`FhipeServer::new`], accepting only ciphertexts and keys of length `n` (checked
    /// before a ciphertext is prepared: a prepared G2 point is ≈ 19.6 KB).
    pub fn with_expected_n(bound: u64, n: usize) -> Result<Self> {
        crate::limits::Limit::FhipeN.check(n)?;
        if n == 0 {
            return Err(Error::invalid("FHIPE dimension 0"));
        }
        Ok(FhipeServer {
            expected_n: Some(n),
            ..Self::new(bound)?
        })
    }

    /// The expected vector length, if one was given.
    pub fn expected_n(&self) -> Option<usize> {
        self.expected_n
    }

    /// The decryption bound.
    pub fn bound(&self) -> u64 {
        self.bound
    }

    /// Prepare a ciphertext's G2 side once for many keys (chunked decryption: prepare, then
    /// [`FhipeServer::decrypt_prepared`] key by key, reporting progress in between).
    ///
    /// With an expected `n` ([`FhipeServer::with_expected_n`]), a ciphertext of another length is
    /// refused before any G2 point is prepared.
    pub fn prepare(&self, ct: &FhipeCiphertext) -> Result<PreparedCiphertext> {
        self.check_n("FHIPE ciphertext", ct.n())?;
        Ok(fhipe::prepare(ct))
    }

    fn check_n(&self, what: &str, n: usize) -> Result<()> {
        match self.expected_n {
            Some(e) if e != n => Err(Error::invalid(format!(
                "{what} has length {n}, expected {e}"
            ))),
            _ => Ok(()),
        }
    }

    /// `⟨w, x⟩` for one key against a prepared ciphertext.
    pub fn decrypt_prepared(&self, ct: &PreparedCiphertext, key: &FhipeKey) -> Result<i64> {
        self.check_n("FHIPE key", key.n())?;
        ct.decrypt(key, self.bound)
    }

    /// `⟨w, x⟩` for one key.
    pub fn decrypt(&self, ct: &FhipeCiphertext, key: &FhipeKey) -> Result<i64> {
        self.decrypt_prepared(&self.prepare(ct)?, key)
    }

    /// `z = W1·x` for one key per row: the ciphertext is prepared once; natively the keys run in
    /// parallel, in wasm sequentially.
    pub fn decrypt_rows(&self, ct: &FhipeCiphertext, keys: &[FhipeKey]) -> Result<Vec<i64>> {
        let prepared = self.prepare(ct)?;
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
