//! Where a party's randomness comes from: the OS CSPRNG, or (tests and demo replays only) a
//! ChaCha20 stream from an explicit seed.

use rand_chacha::ChaCha20Rng;
use rand_core::{CryptoRngCore, OsRng, SeedableRng};
use std::sync::Mutex;

pub(crate) enum RoleRng {
    Os,
    Replay(Box<Mutex<ChaCha20Rng>>),
}

impl RoleRng {
    pub(crate) fn replay(seed: [u8; 32]) -> Self {
        RoleRng::Replay(Box::new(Mutex::new(ChaCha20Rng::from_seed(seed))))
    }

    pub(crate) fn is_replay(&self) -> bool {
        matches!(self, RoleRng::Replay(_))
    }

    /// Run `f` with the party's generator.
    pub(crate) fn with<T>(&self, f: impl FnOnce(&mut dyn CryptoRngCore) -> T) -> T {
        match self {
            RoleRng::Os => f(&mut OsRng),
            RoleRng::Replay(m) => {
                let mut g = m.lock().unwrap_or_else(|p| p.into_inner());
                f(&mut *g)
            }
        }
    }
}
