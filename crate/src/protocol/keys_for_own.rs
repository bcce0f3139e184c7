//! The FHIPE mitigation's first layer, for the MLP and the CNN alike: the client encrypts its
//! samples and issues keys for its own encoded first layer with its own master key; the server
//! decrypts `z` and learns neither the weights nor `x`.

use super::cache::CiphertextCache;
use super::channel::{Carries, Channel, Delivered};
use super::client_trains::{secret_rng, ClientForward, HeldZ1};
use super::cost::timed;
use super::fe_layer::{decrypt_z, stack, upload, Filters, LayerFe, Parties, Rows};
use super::layer::ClientLayer;
use super::Batch;
use crate::nn::{mlp::normal, Quantization};
use crate::{Error, Result};
use ndarray::Array2;
use rand_chacha::ChaCha20Rng;

/// How the FHIPE mitigation's client uses its master key, and what the server keeps.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct KeyPolicy {
    /// A fresh master key every step: the batch is encrypted again at every step and earlier
    /// ciphertexts cannot be opened with the new keys.
    pub rekey: bool,
    /// Gaussian noise (standard deviation, weight units) added to the first layer before its
    /// keys are issued, fresh every step (the client's secret).
    pub key_noise: f32,
    /// The server keeps every step's keys (as a real server can: FHIPE keys are not bound to a
    /// ciphertext), so that [`super::Protocol::held_decryption`] can open any stored sample
    /// with any earlier key. Off by default to save memory; it changes nothing the server
    /// could do.
    pub retain_keys: bool,
}

/// The FHIPE mitigation's first layer over `L` ([`Rows`] of a dense `W1`, [`Filters`] of a
/// conv layer; the scheme is [`Fhipe`](super::scheme::Fhipe), or
/// [`Reference`](super::scheme::Reference) for its integer twin).
pub struct KeysForOwnLayer<L: LayerFe> {
    parties: Parties<L>,
    uploaded: CiphertextCache<L::Ct>,
    policy: KeyPolicy,
    dims: (L::Dims, u64),
    noise_rng: Option<ChaCha20Rng>,
    /// Every step's keys and their outputs per sample, when the server keeps them
    /// ([`KeyPolicy::retain_keys`]).
    held: Vec<(Delivered<L::Keys>, usize)>,
}

/// The MLP's FHIPE mitigation: keys for the rows of the client's encoded `W1`.
pub type KeysForOwnRows<S> = KeysForOwnLayer<Rows<S>>;

/// The CNN's FHIPE mitigation: the client encrypts its images patch by patch and issues one key
/// per filter of its own encoded filters.
pub type KeysForOwnFilters<S> = KeysForOwnLayer<Filters<S>>;

impl<L: LayerFe> KeysForOwnLayer<L> {
    /// The client's master key for samples of `dims` (one key for the whole training).
    pub fn new(dims: L::Dims, bound: u64) -> Result<Self> {
        Self::with_policy(dims, bound, KeyPolicy::default())
    }

    /// The client's master key(s) under `policy`.
    pub fn with_policy(dims: L::Dims, bound: u64, policy: KeyPolicy) -> Result<Self> {
        if !(policy.key_noise.is_finite() && policy.key_noise >= 0.0) {
            return Err(Error::invalid(format!(
                "key noise σ = {} must be ≥ 0",
                policy.key_noise
            )));
        }
        Ok(Self {
            parties: Parties::new(dims, bound)?,
            uploaded: CiphertextCache::default(),
            policy,
            dims: (dims, bound),
            noise_rng: (policy.key_noise > 0.0).then(secret_rng).transpose()?,
            held: Vec::new(),
        })
    }
}

impl<L: LayerFe, P: ClientLayer> ClientForward<P> for KeysForOwnLayer<L> {
    fn forward(
        &mut self,
        layer: &P,
        batch: &Batch,
        q: &Quantization,
        channel: &mut Channel,
        t: &mut (f64, f64, f64),
    ) -> Result<HeldZ1> {
        let (dims, bound) = self.dims;
        if self.policy.rekey {
            // A fresh master key: the old ciphertexts and keys stay with the server, but no new
            // key opens an old ciphertext.
            self.parties = timed(&mut t.1, || Parties::new(dims, bound))?;
            self.uploaded = CiphertextCache::default();
            self.held.clear();
        }
        let encoded = timed(&mut t.1, || match &mut self.noise_rng {
            Some(rng) => {
                let sigma = self.policy.key_noise;
                let noisy = layer.weights().mapv(|w| w + sigma * normal(rng));
                L::encode(&noisy, dims, q)
            }
            None => L::encode(layer.weights(), dims, q),
        })?;
        let outputs = L::outputs(&encoded);
        let keys = timed(&mut t.1, || L::issue(&self.parties.issuer, &encoded))?;
        let keys = channel.to_server(Carries::Keys, L::keys_bytes(&keys), keys);
        let levels = batch.level_rows(q);
        let cts = timed(&mut t.0, || {
            upload::<L>(
                &mut self.uploaded,
                &self.parties.client,
                batch,
                &levels,
                channel,
            )
        })?;
        // Server: decrypt z and decode it (the range check of the dlog bound included).
        let held = timed(&mut t.2, || -> Result<_> {
            let z = decrypt_z::<L>(&self.parties.server, &cts, &keys, outputs)?;
            q.check(z.view())?;
            let zs = f64::from(q.weight_scale) * f64::from(q.pixel_levels);
            Ok(HeldZ1 {
                real: q.z1_real(z.view()),
                view: z.mapv(|v| v as f64 / zs),
                encoded: true,
            })
        })?;
        if self.policy.retain_keys && !self.policy.rekey {
            self.held.push((keys, outputs));
        }
        Ok(held)
    }

    fn held_decryption(&self, step: usize, ids: &[usize]) -> Result<Option<Array2<i64>>> {
        if !self.policy.retain_keys || self.policy.rekey {
            return Ok(None);
        }
        let (keys, outputs) = self
            .held
            .get(step)
            .ok_or_else(|| Error::invalid(format!("the server holds no keys of step {step}")))?;
        let cts = ids
            .iter()
            .map(|&id| {
                self.uploaded
                    .get(id)
                    .ok_or_else(|| Error::invalid(format!("sample {id} was never uploaded")))
            })
            .collect::<Result<Vec<_>>>()?;
        let z = stack(
            L::decrypt_matrix(&self.parties.server, &cts, keys.get())?,
            *outputs,
        )?;
        Ok(Some(z))
    }
}
