//! Every explicit maximum of the core, in one place.
//!
//! Anything that crosses a boundary — a size from JavaScript, a dimension in a peer's bytes, a
//! count in a data file, a CLI flag — is checked against one of these before it is used to
//! allocate, index or loop, with checked arithmetic (`checked_mul`, `try_from`) so that nothing
//! wraps on wasm32, where `usize` is 32 bits and release builds have no overflow checks. A value
//! over its cap is [`crate::Error::Limit`] naming the [`Limit`], the value and the cap.
//!
//! | cap | value | why this number |
//! |---|---:|---|
//! | [`MAX_IPFE_N`] | 4096 | IPFE vector length: 784 (MNIST) and 3072 (CIFAR-10 RGB) fit; a ristretto255 client builds a 40 KB table per slot (160 MB at the cap) |
//! | [`MAX_FHIPE_N`] | 1024 | FHIPE vector length: setup holds `≈ n²` field elements (32 MB at the cap, 8.6 GB at the old 16384); a prepared ciphertext is `≈ 19.6 KB · (n + 1)` (20 MB) |
//! | [`MAX_HIDDEN`] | 4096 | hidden units `h` (rows of `W1`, keys per decryption) |
//! | [`MAX_BATCH`] | 4096 | training batch size |
//! | [`MAX_IMAGE_PIXELS`] | 4096 | pixels of an attacked image (`rows · cols`; 28×28 and 32×32 fit, 64×64 at the cap) |
//! | [`MAX_DIGITS`] | 100 000 | digits in an MNIST IDX file or a digit bundle (the real files have 60 000 and 10 000) |
//! | [`MAX_DLOG_BOUND`] | 2⁴⁰ | the decryption bound `B` a server accepts (values are ≤ 2²⁵ in every protocol here) |
//! | [`MAX_DLOG_STEPS`] | 2²¹ | the work budget of one discrete log: giant steps (group operations) a decryption may walk; with the default table this admits `B = 2⁴⁰` for IPFE |
//! | [`MAX_DLOG_TABLE`] | 2²⁰ | baby steps of a server's shared discrete-log table (`≈ 32 MB`; the largest [`crate::fe::dlog::table_size_for`] picks) |
//! | [`MAX_FHIPE_DLOG_TABLE`] | 2¹⁸ | baby steps of FHIPE's per-decryption growing table (`≈ 8 MB`; was 2²², `≈ 128 MB`) — so FHIPE admits `B ≤ 2³⁸` |
//! | [`MAX_LP_ITER`] | 10 000 | interior-point / simplex iterations one attack may ask for |
//! | [`MAX_CANVAS_PIXELS`] | 2²⁴ | pixels of a drawn canvas (`width · height`; 4096×4096) |
//! | [`MAX_LEAK_SAMPLES`] | 4096 | training samples of a leak run (the server's normal matrix is `N × N`: 134 MB at the cap) |
//! | [`MAX_LEAK_SAMPLE_STEPS`] | 24 576 | samples × epochs of a leak run (building the normal matrix costs `≈ (N·E)²·h`; the run is 6000) |

/// Largest IPFE vector length `n` (setup, public parameters, keys, ciphertexts on the wire).
pub const MAX_IPFE_N: usize = 4096;
/// Largest FHIPE vector length `n` (setup, keys, ciphertexts on the wire).
pub const MAX_FHIPE_N: usize = 1024;
/// Largest number of hidden units `h`.
pub const MAX_HIDDEN: usize = 4096;
/// Largest training batch.
pub const MAX_BATCH: usize = 4096;
/// Largest attacked image, in pixels.
pub const MAX_IMAGE_PIXELS: usize = 4096;
/// Largest number of digits in an MNIST file or digit bundle.
pub const MAX_DIGITS: usize = 100_000;
/// Largest discrete-log bound `B` (decryptions return values in `[−B, B]`).
pub const MAX_DLOG_BOUND: u64 = 1 << 40;
/// The work budget of one discrete logarithm: the most giant steps (both walkers together) a
/// decryption may take. A server whose bound and table would need more is refused when it is
/// made, so a peer's out-of-range ciphertext costs at most this much per row.
pub const MAX_DLOG_STEPS: u64 = 1 << 21;
/// Largest shared baby-step table of an IPFE server.
pub const MAX_DLOG_TABLE: u64 = 1 << 20;
/// Largest baby-step table FHIPE's per-decryption discrete log may grow to.
pub const MAX_FHIPE_DLOG_TABLE: u64 = 1 << 18;
/// Largest iteration limit of an attack's LP solver.
pub const MAX_LP_ITER: usize = 10_000;
/// Largest drawn canvas, in pixels.
pub const MAX_CANVAS_PIXELS: usize = 1 << 24;

/// Largest training set of a leak run (`crate::leak`).
pub const MAX_LEAK_SAMPLES: usize = 4096;
/// Largest `samples · epochs` of a leak run.
pub const MAX_LEAK_SAMPLE_STEPS: usize = 24_576;

/// Which cap a value broke (see the module table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// [`MAX_IPFE_N`].
    IpfeN,
    /// [`MAX_FHIPE_N`].
    FhipeN,
    /// [`MAX_HIDDEN`].
    Hidden,
    /// [`MAX_BATCH`].
    Batch,
    /// [`MAX_IMAGE_PIXELS`].
    ImagePixels,
    /// [`MAX_DIGITS`].
    Digits,
    /// [`MAX_DLOG_BOUND`].
    DlogBound,
    /// [`MAX_DLOG_STEPS`].
    DlogSteps,
    /// [`MAX_DLOG_TABLE`] or [`MAX_FHIPE_DLOG_TABLE`].
    DlogTable,
    /// [`MAX_LP_ITER`].
    LpIterations,
    /// [`MAX_CANVAS_PIXELS`].
    CanvasPixels,
    /// [`MAX_LEAK_SAMPLES`].
    LeakSamples,
    /// [`MAX_LEAK_SAMPLE_STEPS`].
    LeakSampleSteps,
    /// A size whose computation overflows (`a · b` does not fit a `usize`).
    SizeOverflow,
}

impl Limit {
    /// The cap's value.
    pub fn max(self) -> u64 {
        match self {
            Limit::IpfeN => MAX_IPFE_N as u64,
            Limit::FhipeN => MAX_FHIPE_N as u64,
            Limit::Hidden => MAX_HIDDEN as u64,
            Limit::Batch => MAX_BATCH as u64,
            Limit::ImagePixels => MAX_IMAGE_PIXELS as u64,
            Limit::Digits => MAX_DIGITS as u64,
            Limit::DlogBound => MAX_DLOG_BOUND,
            Limit::DlogSteps => MAX_DLOG_STEPS,
            Limit::DlogTable => MAX_DLOG_TABLE,
            Limit::LpIterations => MAX_LP_ITER as u64,
            Limit::CanvasPixels => MAX_CANVAS_PIXELS as u64,
            Limit::LeakSamples => MAX_LEAK_SAMPLES as u64,
            Limit::LeakSampleSteps => MAX_LEAK_SAMPLE_STEPS as u64,
            Limit::SizeOverflow => usize::MAX as u64,
        }
    }

    /// What the cap limits, for messages.
    pub fn what(self) -> &'static str {
        match self {
            Limit::IpfeN => "IPFE vector length n",
            Limit::FhipeN => "FHIPE vector length n",
            Limit::Hidden => "hidden units h",
            Limit::Batch => "batch size",
            Limit::ImagePixels => "image pixels (rows × cols)",
            Limit::Digits => "number of digits",
            Limit::DlogBound => "discrete-log bound",
            Limit::DlogSteps => "discrete-log giant steps (work budget per decryption)",
            Limit::DlogTable => "discrete-log table size",
            Limit::LpIterations => "LP iterations",
            Limit::CanvasPixels => "canvas pixels",
            Limit::LeakSamples => "training samples of a leak run",
            Limit::LeakSampleSteps => "samples × epochs of a leak run",
            Limit::SizeOverflow => "size",
        }
    }

    /// `Ok(value)` when `value ≤ max()`, else [`crate::Error::Limit`].
    pub fn check<T: Copy + TryInto<u64>>(self, value: T) -> crate::Result<T> {
        match value.try_into() {
            Ok(v) if v <= self.max() => Ok(value),
            Ok(v) => Err(self.exceeded(v)),
            Err(_) => Err(self.exceeded(u64::MAX)),
        }
    }

    /// The error for `value` over this cap.
    pub fn exceeded(self, value: u64) -> crate::Error {
        crate::Error::Limit {
            limit: self,
            value,
            max: self.max(),
        }
    }
}

/// `a · b` as a `usize`, or [`Limit::SizeOverflow`] (never wraps, also on wasm32).
pub fn mul(a: usize, b: usize) -> crate::Result<usize> {
    a.checked_mul(b)
        .ok_or_else(|| Limit::SizeOverflow.exceeded(u64::MAX))
}

/// `a + b` as a `usize`, or [`Limit::SizeOverflow`].
pub fn add(a: usize, b: usize) -> crate::Result<usize> {
    a.checked_add(b)
        .ok_or_else(|| Limit::SizeOverflow.exceeded(u64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_and_overflow() {
        assert_eq!(Limit::Hidden.check(4096usize), Ok(4096));
        assert!(matches!(
            Limit::Hidden.check(4097usize),
            Err(crate::Error::Limit {
                limit: Limit::Hidden,
                value: 4097,
                max: 4096
            })
        ));
        assert!(mul(usize::MAX, 2).is_err());
        assert!(add(usize::MAX, 1).is_err());
        assert_eq!(mul(16, 784), Ok(12544));
    }
}
