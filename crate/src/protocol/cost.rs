//! The honest cost of a protocol: wall-clock time per party and bytes per channel, accumulated
//! over the steps run so far. Natively the FE work runs on all cores (rayon); times are wall
//! clock on the machine that ran them.

use super::view::Traffic;
use serde::{Deserialize, Serialize};

/// Accumulated cost.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Cost {
    /// Sample-steps processed (a sample seen in two epochs counts twice).
    pub samples: u64,
    /// Steps processed.
    pub steps: u64,
    /// One-off setup (master keys, discrete-log table), seconds.
    pub setup_s: f64,
    /// Client work (encoding, encryption, plaintext `W1` work in the mitigations), seconds.
    pub client_s: f64,
    /// Key issuing (the authority; the client in FHIPE/FENet), seconds.
    pub keys_s: f64,
    /// Server work (decryption, the rest of the network), seconds.
    pub server_s: f64,
    /// Bytes per channel.
    pub traffic: Traffic,
}

impl Cost {
    /// All per-step time, seconds (setup excluded).
    pub fn step_s(&self) -> f64 {
        self.client_s + self.keys_s + self.server_s
    }

    /// Milliseconds per sample-step (setup excluded).
    pub fn ms_per_sample(&self) -> f64 {
        if self.samples == 0 {
            0.0
        } else {
            1e3 * self.step_s() / self.samples as f64
        }
    }

    /// Bytes per sample-step.
    pub fn bytes_per_sample(&self) -> f64 {
        if self.samples == 0 {
            0.0
        } else {
            self.traffic.total() as f64 / self.samples as f64
        }
    }
}

/// Seconds elapsed while running `f` (web-time: works in the browser too).
pub(crate) fn timed<T>(acc: &mut f64, f: impl FnOnce() -> T) -> T {
    let t = web_time::Instant::now();
    let out = f();
    *acc += t.elapsed().as_secs_f64();
    out
}

/// A protocol's step bookkeeping (both engines): time per party, traffic, the step number.
#[derive(Default)]
pub(crate) struct Books {
    pub(crate) cost: Cost,
    step: usize,
}

impl Books {
    /// Close a step of `m` samples with the times `t` (client, keys, server) and its traffic;
    /// returns the step's 0-based number.
    pub(crate) fn close(&mut self, m: usize, t: (f64, f64, f64), traffic: Traffic) -> usize {
        self.cost.client_s += t.0;
        self.cost.keys_s += t.1;
        self.cost.server_s += t.2;
        self.cost.traffic.add(&traffic);
        self.cost.samples += m as u64;
        self.cost.steps += 1;
        self.step += 1;
        self.step - 1
    }
}
