//! The first convolution layer under CryptoNN-style IPFE (`../shared/science.md` §6).
//!
//! - The **client** encrypts its image once: `C·H·W` slots (channel-major), pixel levels
//!   `0..=L` ([`crate::nn::Quantization::pixel_levels`], 255 keeps every byte).
//! - The **authority** issues one key per filter `f` and output position `p`: the integer filter
//!   placed on the patch of `p`, zero elsewhere ([`crate::roles::Authority::conv_keys`]; sparse
//!   keys, `O(patch)` each).
//! - The **server** decrypts every feature-map value `⟨filter f, patch p⟩`
//!   ([`crate::roles::Server::decrypt_sparse`]; cost per value scales with the patch).
//!
//! What the server ends up holding is a [`ConvView`]: its own integer filters and the `k·P`
//! decrypted values — exactly [`ConvLayer::forward`] of the image (bit-identical; tested), i.e.
//! `k·P` linear equations in the `C·H·W` private pixels ([`crate::attack::conv`]).

use crate::fe::dlog;
use crate::fe::group::PrimeGroup;
use crate::fe::ipfe::sparse::SparseFunctionKey;
use crate::fe::ipfe::Ciphertext;
use crate::nn::conv::ConvLayer;
use crate::roles::{Authority, Client, Server};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// Baby steps of the server's discrete-log table (shared in the process, built once).
pub const CONV_TABLE_SIZE: u64 = 1 << 14;

/// What the server of the conv layer holds after one image: its filters and the decrypted
/// feature maps (output order `f·P + p`, integer levels).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConvView {
    /// The server's own layer (integer filters, geometry).
    pub layer: ConvLayer,
    /// The pixel levels `L` the client encoded with (pixels are `0..=L`).
    pub pixel_levels: u32,
    /// The decrypted feature maps.
    pub z: Vec<i64>,
}

/// Encode 8-bit pixels as levels `round(p·L/255)`.
pub fn encode_pixels(pixels: &[u8], pixel_levels: u32) -> Result<Vec<i64>> {
    if pixel_levels == 0 || pixel_levels > 1 << 16 {
        return Err(Error::invalid(format!(
            "pixel levels {pixel_levels} must be 1..=65536"
        )));
    }
    Ok(pixels
        .iter()
        .map(|&p| (i64::from(p) * i64::from(pixel_levels) + 127) / 255)
        .collect())
}

/// The three parties of one conv-layer run, set up for a layer.
pub struct ConvFe<G: PrimeGroup> {
    authority: Authority<G>,
    client: Client<G>,
    server: Server<G>,
    layer: ConvLayer,
    pixel_levels: u32,
}

impl<G: PrimeGroup> ConvFe<G> {
    /// Setup (OS CSPRNG) for `layer` on images of levels `0..=pixel_levels`: the authority's
    /// keys are not derived yet ([`Self::keys`]). The server's dlog bound is the layer's exact
    /// output bound.
    pub fn setup(layer: ConvLayer, pixel_levels: u32) -> Result<Self> {
        let (authority, pp) = Authority::<G>::setup(layer.shape().inputs())?;
        Self::from_parties(authority, Client::new(pp.clone()), pp, layer, pixel_levels)
    }

    /// As [`Self::setup`] with seeded parties. **Tests and demo replays only.**
    pub fn setup_with_replay_seed(
        layer: ConvLayer,
        pixel_levels: u32,
        seed: [u8; 32],
    ) -> Result<Self> {
        use rand::SeedableRng;
        let mut rng = rand_chacha::ChaCha20Rng::from_seed(seed);
        let (authority, pp) = Authority::<G>::setup_with_rng(layer.shape().inputs(), &mut rng)?;
        let mut client_seed = seed;
        client_seed[0] ^= 0x5a;
        let client = Client::with_replay_seed(pp.clone(), client_seed);
        Self::from_parties(authority, client, pp, layer, pixel_levels)
    }

    fn from_parties(
        authority: Authority<G>,
        client: Client<G>,
        pp: crate::fe::PublicParams<G>,
        layer: ConvLayer,
        pixel_levels: u32,
    ) -> Result<Self> {
        if pixel_levels == 0 || pixel_levels > 1 << 16 {
            return Err(Error::invalid(format!(
                "pixel levels {pixel_levels} must be 1..=65536"
            )));
        }
        let bound = layer.output_bound(u64::from(pixel_levels)).max(1);
        // Feature-map values are spread over ±10⁴ (3×3×3 filters at S = 16): a baby-step table
        // of 2¹⁴ finds most of them in the first giant step.
        let m = dlog::table_size_for(bound).max(CONV_TABLE_SIZE.min(bound.next_power_of_two()));
        let server = Server::with_table_size(pp, bound, m)?;
        Ok(Self {
            authority,
            client,
            server,
            layer,
            pixel_levels,
        })
    }

    /// The layer.
    pub fn layer(&self) -> &ConvLayer {
        &self.layer
    }

    /// The server (for chunked decryption: [`Server::prepare_sparse`]).
    pub fn server(&self) -> &Server<G> {
        &self.server
    }

    /// Authority: the `k·P` sparse keys, output order.
    pub fn keys(&self) -> Result<Vec<SparseFunctionKey<G>>> {
        self.authority.conv_keys(&self.layer)
    }

    /// Client: encrypt an image of levels (`C·H·W`, channel-major, each in `0..=L`).
    pub fn encrypt(&self, levels: &[i64]) -> Result<Ciphertext<G>> {
        let n = self.layer.shape().inputs();
        if levels.len() != n {
            return Err(Error::invalid(format!(
                "image of {} values, expected C·H·W = {n}",
                levels.len()
            )));
        }
        let max = i64::from(self.pixel_levels);
        if let Some(v) = levels.iter().find(|&&v| !(0..=max).contains(&v)) {
            return Err(Error::invalid(format!("pixel level {v} outside 0..={max}")));
        }
        self.client.encrypt_once(levels)
    }

    /// Server: decrypt every feature-map value.
    pub fn decrypt(&self, ct: &Ciphertext<G>, keys: &[SparseFunctionKey<G>]) -> Result<ConvView> {
        if keys.len() != self.layer.shape().outputs() {
            return Err(Error::invalid(format!(
                "{} keys, expected k·P = {}",
                keys.len(),
                self.layer.shape().outputs()
            )));
        }
        let z = self.server.decrypt_sparse(ct, keys)?;
        Ok(self.view(z))
    }

    /// The server's view from decrypted values (e.g. after a chunked decryption).
    pub fn view(&self, z: Vec<i64>) -> ConvView {
        ConvView {
            layer: self.layer.clone(),
            pixel_levels: self.pixel_levels,
            z,
        }
    }

    /// The whole run for one image: keys, encryption, decryption.
    pub fn run(&self, levels: &[i64]) -> Result<ConvView> {
        let keys = self.keys()?;
        let ct = self.encrypt(levels)?;
        self.decrypt(&ct, &keys)
    }
}

/// The plaintext quantised path: the view the FE run produces, computed in the clear.
pub fn plaintext_view(layer: &ConvLayer, levels: &[i64], pixel_levels: u32) -> Result<ConvView> {
    Ok(ConvView {
        layer: layer.clone(),
        pixel_levels,
        z: layer.forward(levels)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fe::group::{ModP2048, Ristretto255};
    use crate::nn::conv::{ConvShape, Padding};

    fn image(shape: &ConvShape) -> Vec<u8> {
        (0..shape.inputs())
            .map(|i| ((i * 53 + 11) % 256) as u8)
            .collect()
    }

    #[test]
    fn fe_path_is_bit_identical_to_the_plaintext_path() {
        for (padding, kernel, filters) in [(Padding::Same, 3, 4), (Padding::Valid, 5, 2)] {
            let shape = ConvShape::new(3, 8, 7, kernel, filters, padding).unwrap();
            let layer = ConvLayer::random_normal(shape, 16.0, 5).unwrap();
            let levels = encode_pixels(&image(&shape), 255).unwrap();
            let fe = ConvFe::<Ristretto255>::setup(layer.clone(), 255).unwrap();
            let view = fe.run(&levels).unwrap();
            assert_eq!(view, plaintext_view(&layer, &levels, 255).unwrap());
        }
        // Another group, chunked decryption.
        let shape = ConvShape::new(2, 5, 5, 3, 2, Padding::Same).unwrap();
        let layer = ConvLayer::random_normal(shape, 8.0, 9).unwrap();
        let levels = encode_pixels(&image(&shape), 255).unwrap();
        let fe = ConvFe::<ModP2048>::setup_with_replay_seed(layer.clone(), 255, [3; 32]).unwrap();
        let keys = fe.keys().unwrap();
        let ct = fe.encrypt(&levels).unwrap();
        let prepared = fe.server().prepare_sparse(&ct, &keys).unwrap();
        let mut z = Vec::new();
        for chunk in keys.chunks(7) {
            z.extend(fe.server().decrypt_sparse_chunk(&prepared, chunk).unwrap());
        }
        assert_eq!(z, layer.forward(&levels).unwrap());
    }

    #[test]
    fn keys_touch_only_their_patch() {
        let shape = ConvShape::new(3, 6, 6, 3, 2, Padding::Same).unwrap();
        let layer = ConvLayer::random_normal(shape, 16.0, 1).unwrap();
        let fe = ConvFe::<Ristretto255>::setup(layer, 255).unwrap();
        let keys = fe.keys().unwrap();
        assert_eq!(keys.len(), 2 * 36);
        assert!(keys.iter().all(|k| k.indices().len() <= 27));
        // Corner: 3 channels × 4 taps.
        assert!(keys[0].indices().len() <= 12);
    }

    #[test]
    fn bad_input_is_an_error() {
        let shape = ConvShape::new(1, 4, 4, 3, 1, Padding::Same).unwrap();
        let layer = ConvLayer::random_normal(shape, 16.0, 1).unwrap();
        let fe = ConvFe::<Ristretto255>::setup(layer, 255).unwrap();
        assert!(fe.encrypt(&[0; 15]).is_err());
        assert!(fe.encrypt(&[256; 16]).is_err());
        assert!(fe.encrypt(&[-1; 16]).is_err());
        let ct = fe.encrypt(&[1; 16]).unwrap();
        assert!(fe.decrypt(&ct, &[]).is_err());
        assert!(encode_pixels(&[1], 0).is_err());
    }
}
