//! The server's sparse decryption: keys that are zero outside a patch (a convolution layer), at a
//! cost that scales with the patch, not the ciphertext.

use super::Server;
use crate::fe::group::PrimeGroup;
use crate::fe::ipfe::sparse::{SparseDecryptor, SparseFunctionKey};
use crate::fe::ipfe::Ciphertext;
use crate::{Error, Result};

impl<G: PrimeGroup> Server<G> {
    fn check_sparse(&self, ct: &Ciphertext<G>) -> Result<()> {
        if ct.n() != self.pp.n() {
            return Err(Error::invalid(format!(
                "ciphertext has length {}, expected {}",
                ct.n(),
                self.pp.n()
            )));
        }
        Ok(())
    }

    /// `⟨x, y⟩` for every sparse key (parallel over keys natively).
    pub fn decrypt_sparse(
        &self,
        ct: &Ciphertext<G>,
        keys: &[SparseFunctionKey<G>],
    ) -> Result<Vec<i64>> {
        self.check_sparse(ct)?;
        let dec = SparseDecryptor::new(ct, keys)?;
        #[cfg(not(target_arch = "wasm32"))]
        {
            use rayon::prelude::*;
            let threads = rayon::current_num_threads().max(1);
            let chunk = keys.len().div_ceil(threads * 4).max(1);
            let parts = keys
                .par_chunks(chunk)
                .map(|c| self.solve_points(&dec.decrypt(c)?))
                .collect::<Result<Vec<_>>>()?;
            Ok(parts.concat())
        }
        #[cfg(target_arch = "wasm32")]
        {
            self.solve_points(&dec.decrypt(keys)?)
        }
    }

    /// A prepared sparse decryption of one ciphertext, for callers that decrypt its keys in
    /// chunks (a web worker reporting progress): `prepare` once, then
    /// [`Server::decrypt_sparse_chunk`] per chunk, on the calling thread.
    pub fn prepare_sparse(
        &self,
        ct: &Ciphertext<G>,
        keys: &[SparseFunctionKey<G>],
    ) -> Result<SparseDecryptor<G>> {
        self.check_sparse(ct)?;
        SparseDecryptor::new(ct, keys)
    }

    /// Decrypt one chunk of keys with a prepared decryption.
    pub fn decrypt_sparse_chunk(
        &self,
        prepared: &SparseDecryptor<G>,
        keys: &[SparseFunctionKey<G>],
    ) -> Result<Vec<i64>> {
        self.solve_points(&prepared.decrypt(keys)?)
    }

    fn solve_points(&self, points: &[G::Element]) -> Result<Vec<i64>> {
        self.table
            .solve_batch(points, self.bound)
            .into_iter()
            .collect()
    }
}
