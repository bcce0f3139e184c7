//! What the fix costs: FHIPE with a fresh master key per step, against one master key for the
//! whole training, measured with the real scheme (BLS12-381) at the sample length `n`.
//!
//! Per sample-step, with `h` hidden units, batch `m` and `E` epochs:
//!
//! | | one master key (today) | a fresh key per step |
//! |---|---|---|
//! | client: encryption | `enc / E` (each sample once, reused) | `enc` (the batch again every step) |
//! | client: master key | — (once) | `setup / m` |
//! | client: keys | `h·keygen / m` | `h·keygen / m` |
//! | server: decryption | `h·dec` | `h·dec` |

use crate::roles::{FhipeClient, FhipeServer};
use crate::{Error, Result};
use serde::Serialize;

/// Real FHIPE operation times at one `n` (milliseconds, one core).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FhipeTimes {
    /// Vector length.
    pub n: usize,
    /// Master key setup.
    pub setup_ms: f64,
    /// Encrypting one sample.
    pub encrypt_ms: f64,
    /// One function key.
    pub keygen_ms: f64,
    /// Decrypting one inner product (one key on one ciphertext).
    pub decrypt_ms: f64,
}

/// Cost per sample-step, milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PerSample {
    /// One master key for the whole training (today).
    pub today_ms: f64,
    /// A fresh master key every step.
    pub rekey_ms: f64,
}

fn ms(t: web_time::Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}

impl FhipeTimes {
    /// Measure setup, one encryption, `keys` key generations and `keys` decryptions at length
    /// `n` (each timed once; the key and decryption times are per key).
    pub fn measure(n: usize, keys: usize) -> Result<Self> {
        if keys == 0 {
            return Err(Error::invalid("measure at least one key"));
        }
        let t = web_time::Instant::now();
        let client = FhipeClient::setup(n)?;
        let setup_ms = ms(t);
        let x: Vec<i64> = (0..n).map(|i| (i % 256) as i64).collect();
        let t = web_time::Instant::now();
        let ct = client.encrypt(&x)?;
        let encrypt_ms = ms(t);
        let rows: Vec<Vec<i64>> = (0..keys)
            .map(|k| (0..n).map(|i| i64::from((i + k) % 7 == 0)).collect())
            .collect();
        let t = web_time::Instant::now();
        let fk = rows
            .iter()
            .map(|r| client.keygen(r))
            .collect::<Result<Vec<_>>>()?;
        let keygen_ms = ms(t) / keys as f64;
        let bound = 255 * n as u64;
        let server = FhipeServer::new(bound)?;
        let t = web_time::Instant::now();
        let mut z = Vec::with_capacity(keys);
        for k in &fk {
            z.extend(server.decrypt_rows(&ct, std::slice::from_ref(k))?);
        }
        let decrypt_ms = ms(t) / keys as f64;
        let want: Vec<i64> = rows
            .iter()
            .map(|r| r.iter().zip(&x).map(|(a, b)| a * b).sum())
            .collect();
        if z != want {
            return Err(Error::invalid(
                "FHIPE cost measurement decrypted a wrong value",
            ));
        }
        Ok(Self {
            n,
            setup_ms,
            encrypt_ms,
            keygen_ms,
            decrypt_ms,
        })
    }

    /// Cost per sample-step of training with `hidden` keys per step, batch `batch`, `epochs`
    /// passes (see the module table).
    pub fn per_sample(&self, hidden: usize, batch: usize, epochs: usize) -> PerSample {
        let (h, m, e) = (hidden as f64, batch.max(1) as f64, epochs.max(1) as f64);
        let shared = h * self.keygen_ms / m + h * self.decrypt_ms;
        PerSample {
            today_ms: self.encrypt_ms / e + shared,
            rekey_ms: self.setup_ms / m + self.encrypt_ms + shared,
        }
    }
}
