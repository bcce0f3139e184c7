//! The authority: holds the IPFE master secret key and issues function keys.

use crate::fe::group::PrimeGroup;
use crate::fe::ipfe::{self, FunctionKey, MasterSecretKey, PublicParams};
use crate::Result;
use rand_core::{CryptoRngCore, OsRng};

mod sparse;

/// The key authority of CryptoNN / FENet. Holds `msk`; nothing else can read it.
pub struct Authority<G: PrimeGroup> {
    msk: MasterSecretKey<G>,
    pp: PublicParams<G>,
}

impl<G: PrimeGroup> Authority<G> {
    /// Setup for vectors of length `n` with the OS CSPRNG. Returns the authority and the public
    /// parameters to hand to clients and servers.
    pub fn setup(n: usize) -> Result<(Self, PublicParams<G>)> {
        Self::setup_with_rng(n, &mut OsRng)
    }

    /// Setup with a caller-supplied generator. **Tests and demo replays only** — production
    /// code uses [`Authority::setup`].
    pub fn setup_with_rng<R: CryptoRngCore + ?Sized>(
        n: usize,
        rng: &mut R,
    ) -> Result<(Self, PublicParams<G>)> {
        let (msk, pp) = ipfe::setup::<G, R>(n, rng)?;
        Ok((
            Authority {
                msk,
                pp: pp.clone(),
            },
            pp,
        ))
    }

    /// The public parameters.
    pub fn public_params(&self) -> &PublicParams<G> {
        &self.pp
    }

    /// The function key for `y` (length `n`).
    pub fn function_key(&self, y: &[i64]) -> Result<FunctionKey<G>> {
        self.msk.derive_key(y)
    }

    /// Function keys for every row of a matrix (e.g. the rows of `W1`, or of `δ1`).
    pub fn function_keys(&self, rows: &[Vec<i64>]) -> Result<Vec<FunctionKey<G>>> {
        #[cfg(not(target_arch = "wasm32"))]
        {
            use rayon::prelude::*;
            rows.par_iter().map(|y| self.function_key(y)).collect()
        }
        #[cfg(target_arch = "wasm32")]
        {
            rows.iter().map(|y| self.function_key(y)).collect()
        }
    }
}

impl<G: PrimeGroup> std::fmt::Debug for Authority<G> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Authority<{}> {{ n: {}, msk: <redacted> }}",
            G::NAME,
            self.pp.n()
        )
    }
}
