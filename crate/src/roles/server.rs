//! The IPFE server: holds public parameters, function keys and ciphertexts — nothing else — and
//! decrypts inner products.

use crate::fe::dlog::{self, Table};
use crate::fe::group::PrimeGroup;
use crate::fe::ipfe::{self, Ciphertext, FunctionKey, PublicParams};
use crate::{Error, Result};
use std::sync::Arc;

mod sparse;

/// The model owner of CryptoNN / FENet. Its only inputs are what the protocol hands it.
pub struct Server<G: PrimeGroup> {
    pp: PublicParams<G>,
    bound: u64,
    table: Arc<Table<G>>,
}

impl<G: PrimeGroup> Server<G> {
    /// A server that decrypts values in `[−bound, bound]`. Builds the discrete-log table for the
    /// group (or reuses the one already built in this process).
    pub fn new(pp: PublicParams<G>, bound: u64) -> Result<Self> {
        Self::with_table_size(pp, bound, dlog::table_size_for(bound))
    }

    /// As [`Server::new`] with an explicit number of baby steps `m` (memory `≈ 24·m` bytes).
    /// Refused ([`Error::Limit`]) when `bound > 2⁴⁰`, `m > 2²⁰` or the walk `⌈bound / m⌉` is over
    /// the work budget ([`crate::limits`]).
    pub fn with_table_size(pp: PublicParams<G>, bound: u64, m: u64) -> Result<Self> {
        crate::limits::Limit::DlogTable.check(m)?;
        dlog::check_work(bound, m)?;
        let table = Table::<G>::shared(m)?;
        Ok(Server { pp, bound, table })
    }

    /// The public parameters.
    pub fn public_params(&self) -> &PublicParams<G> {
        &self.pp
    }

    /// The decryption bound `B`.
    pub fn bound(&self) -> u64 {
        self.bound
    }

    /// The number of baby steps of the discrete-log table.
    pub fn table_size(&self) -> u64 {
        self.table.size()
    }

    fn check(&self, ct: &Ciphertext<G>, keys: &[FunctionKey<G>]) -> Result<()> {
        let n = self.pp.n();
        if ct.n() != n {
            return Err(Error::invalid(format!(
                "ciphertext has length {}, expected {n}",
                ct.n()
            )));
        }
        if let Some(k) = keys.iter().find(|k| k.n() != n) {
            return Err(Error::invalid(format!(
                "function key has length {}, expected {n}",
                k.n()
            )));
        }
        Ok(())
    }

    /// `⟨x, y⟩` for one key.
    pub fn decrypt(&self, ct: &Ciphertext<G>, key: &FunctionKey<G>) -> Result<i64> {
        self.decrypt_rows_sequential(ct, std::slice::from_ref(key))?
            .pop()
            .ok_or(Error::DlogOutOfRange { bound: self.bound })
    }

    /// `z = W1·x`: one ciphertext, one key per row, work shared across rows (slot inversion,
    /// `ct_0` table, lock-step discrete logs). Parallel over rows natively.
    pub fn decrypt_rows(&self, ct: &Ciphertext<G>, keys: &[FunctionKey<G>]) -> Result<Vec<i64>> {
        self.check(ct, keys)?;
        #[cfg(not(target_arch = "wasm32"))]
        {
            use rayon::prelude::*;
            let threads = rayon::current_num_threads().max(1);
            let chunk = keys.len().div_ceil(threads).max(1);
            let parts = keys
                .par_chunks(chunk)
                .map(|c| self.decrypt_rows_sequential(ct, c))
                .collect::<Result<Vec<_>>>()?;
            Ok(parts.concat())
        }
        #[cfg(target_arch = "wasm32")]
        {
            self.decrypt_rows_sequential(ct, keys)
        }
    }

    /// As [`Server::decrypt_rows`] on the calling thread only (for chunked callers such as a
    /// web worker reporting progress between chunks).
    pub fn decrypt_rows_sequential(
        &self,
        ct: &Ciphertext<G>,
        keys: &[FunctionKey<G>],
    ) -> Result<Vec<i64>> {
        self.check(ct, keys)?;
        let points = ipfe::decrypt_to_group(ct, keys)?;
        self.table
            .solve_batch(&points, self.bound)
            .into_iter()
            .collect()
    }

    /// The gradient path `dW1 = δ1·X`: `feature_cts[j]` encrypts column `j` of the batch `X`
    /// (see [`crate::roles::Client::encrypt_features`]), `delta_keys[i]` is the key for row `i`
    /// of `δ1` (length B). Returns `dW1` as `h` rows of `n` values,
    /// `dW1[i][j] = ⟨δ1[i, ·], X[·, j]⟩`. Parallel over features natively.
    pub fn decrypt_gradient(
        &self,
        feature_cts: &[Ciphertext<G>],
        delta_keys: &[FunctionKey<G>],
    ) -> Result<Vec<Vec<i64>>> {
        let columns: Vec<Vec<i64>> = {
            #[cfg(not(target_arch = "wasm32"))]
            {
                use rayon::prelude::*;
                feature_cts
                    .par_iter()
                    .map(|ct| self.decrypt_rows_sequential(ct, delta_keys))
                    .collect::<Result<_>>()?
            }
            #[cfg(target_arch = "wasm32")]
            {
                feature_cts
                    .iter()
                    .map(|ct| self.decrypt_rows_sequential(ct, delta_keys))
                    .collect::<Result<_>>()?
            }
        };
        Ok((0..delta_keys.len())
            .map(|i| columns.iter().map(|col| col[i]).collect())
            .collect())
    }
}

impl<G: PrimeGroup> std::fmt::Debug for Server<G> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Server<{}> {{ n: {}, bound: {}, table: {} }}",
            G::NAME,
            self.pp.n(),
            self.bound,
            self.table.size()
        )
    }
}
