//! The FHIPE client (the mitigation): holds the data *and* the FHIPE master key; issues the
//! server's function keys for the rows of `W1` and encrypts its samples.

use super::rng::RoleRng;
use crate::fe::fhipe::{self, FhipeCiphertext, FhipeKey, FhipeMasterKey};
use crate::Result;
use rand_core::{CryptoRngCore, OsRng};

/// Holds `msk = (B, B*)`; nothing outside can read it.
pub struct FhipeClient {
    msk: FhipeMasterKey,
    rng: RoleRng,
}

impl FhipeClient {
    /// Setup for vectors of length `n` with the OS CSPRNG.
    pub fn setup(n: usize) -> Result<Self> {
        let msk = fhipe::setup(n, &mut OsRng)?;
        Ok(FhipeClient {
            msk,
            rng: RoleRng::Os,
        })
    }

    /// Setup and all later randomness from a ChaCha20 stream seeded with `seed`. **Tests and
    /// demo replays only.**
    pub fn with_replay_seed(n: usize, seed: [u8; 32]) -> Result<Self> {
        let rng = RoleRng::replay(seed);
        let msk = rng.with(|r| fhipe::setup(n, r))?;
        Ok(FhipeClient { msk, rng })
    }

    /// Setup with a caller-supplied generator for the basis (later randomness: OS CSPRNG).
    /// **Tests only.**
    pub fn setup_with_rng<R: CryptoRngCore + ?Sized>(n: usize, rng: &mut R) -> Result<Self> {
        Ok(FhipeClient {
            msk: fhipe::setup(n, rng)?,
            rng: RoleRng::Os,
        })
    }

    /// The vector length `n`.
    pub fn n(&self) -> usize {
        self.msk.n()
    }

    /// A function key for `w` (hides `w` from the server).
    pub fn keygen(&self, w: &[i64]) -> Result<FhipeKey> {
        self.rng.with(|r| self.msk.keygen(w, r))
    }

    /// Keys for every row of a matrix (parallel natively, unless replaying).
    pub fn keygen_rows(&self, rows: &[Vec<i64>]) -> Result<Vec<FhipeKey>> {
        #[cfg(not(target_arch = "wasm32"))]
        if !self.rng.is_replay() {
            use rayon::prelude::*;
            return rows.par_iter().map(|w| self.keygen(w)).collect();
        }
        rows.iter().map(|w| self.keygen(w)).collect()
    }

    /// Encrypt a sample `x` (hides `x` from the server).
    pub fn encrypt(&self, x: &[i64]) -> Result<FhipeCiphertext> {
        self.rng.with(|r| self.msk.encrypt(x, r))
    }
}

impl std::fmt::Debug for FhipeClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FhipeClient {{ n: {}, msk: <redacted> }}", self.n())
    }
}
