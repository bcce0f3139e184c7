//! The IPFE client: holds its data and the public parameters; encrypts.

use super::rng::RoleRng;
use crate::fe::group::PrimeGroup;
use crate::fe::ipfe::{self, Ciphertext, PublicParams};
use crate::{Error, Result};

mod once;

/// The data owner in CryptoNN / FENet. Encrypts samples (forward pass) and features across a
/// batch (gradient pass).
pub struct Client<G: PrimeGroup> {
    pp: PublicParams<G>,
    rng: RoleRng,
}

impl<G: PrimeGroup> Client<G> {
    /// A client encrypting under `pp` with the OS CSPRNG.
    pub fn new(pp: PublicParams<G>) -> Self {
        Client {
            pp,
            rng: RoleRng::Os,
        }
    }

    /// A client whose encryption randomness is a ChaCha20 stream from `seed`. **Tests and demo
    /// replays only**: ciphertexts are reproducible, so this is not semantically secure.
    pub fn with_replay_seed(pp: PublicParams<G>, seed: [u8; 32]) -> Self {
        Client {
            pp,
            rng: RoleRng::replay(seed),
        }
    }

    /// The public parameters.
    pub fn public_params(&self) -> &PublicParams<G> {
        &self.pp
    }

    /// Enc(mpk, x) for one sample (length `n`).
    pub fn encrypt(&self, x: &[i64]) -> Result<Ciphertext<G>> {
        self.rng.with(|rng| ipfe::encrypt(&self.pp, x, rng))
    }

    /// The gradient path of CryptoNN: for a batch `X` (B samples × n features), one ciphertext
    /// per feature `j` of the column `X[·, j]` (length B). The public parameters must have
    /// dimension B. The server decrypts `dW1 = δ1·X` from these with keys for the rows of `δ1`
    /// ([`crate::roles::Server::decrypt_gradient`]).
    pub fn encrypt_features(&self, batch: &[Vec<i64>]) -> Result<Vec<Ciphertext<G>>> {
        let b = batch.len();
        if b != self.pp.n() {
            return Err(Error::invalid(format!(
                "batch of {b} samples, but the gradient parameters are for batches of {}",
                self.pp.n()
            )));
        }
        let n = batch.first().map_or(0, Vec::len);
        if let Some(bad) = batch.iter().find(|row| row.len() != n) {
            return Err(Error::invalid(format!(
                "ragged batch: rows of length {n} and {}",
                bad.len()
            )));
        }
        let column = |j: usize| {
            let column: Vec<i64> = batch.iter().map(|row| row[j]).collect();
            self.encrypt(&column)
        };
        // Features in parallel natively — except with a replay seed, whose one ChaCha20 stream
        // must be consumed in a fixed order for the ciphertexts to be reproducible.
        #[cfg(not(target_arch = "wasm32"))]
        if !self.rng.is_replay() {
            use rayon::prelude::*;
            return (0..n).into_par_iter().map(column).collect();
        }
        (0..n).map(column).collect()
    }
}

impl<G: PrimeGroup> std::fmt::Debug for Client<G> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Client<{}> {{ n: {}, rng: {} }}",
            G::NAME,
            self.pp.n(),
            if self.rng.is_replay() { "replay" } else { "os" }
        )
    }
}
