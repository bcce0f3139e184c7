//! The page's Photo scene: one 3×32×32 colour photo through the first convolution layer under a
//! protocol, what the server then holds ([`PhotoView`]), and the attacker on that view only.
//!
//! - **CryptoNN** ([`PhotoIpfeRound`]): the server's `k` filters (N(0, 1) from the public seed,
//!   quantised at [`WEIGHT_SCALE`]); the client encrypts the photo once; the authority issues one
//!   sparse key per filter and position; the server decrypts the `k·P` feature-map values in
//!   chunks (progress). It holds the filters and the values: `k·P` linear equations in the pixels.
//! - **Client in the loop** ([`client_loop_round`]): the client draws its own filters (OS
//!   CSPRNG) and sends the feature maps; the server holds the values, not the filters.
//! - **FHIPE** ([`PhotoFhipeRound`]): the client encrypts each patch and issues one FHIPE key per
//!   private filter. A full photo at k = 16 is 1024 patches and 16 384 pairing-based decryptions
//!   (minutes, see the README); the page runs it on a reduced setting it can finish —
//!   [`FHIPE_FILTERS`] filters on the central [`FHIPE_CROP`]×[`FHIPE_CROP`] crop — and says so.
//!
//! The attacker ([`attack`]) reads a [`PhotoView`] and public knowledge only (the public seed's
//! filters): with the server's own filters it solves the equations; without them it can only
//! try the public recipe's filters, which are not the client's. The truth is read only to score.

use super::conv_fe::{encode_pixels, ConvFe, ConvView};
use super::ProtocolKind;
use crate::attack::conv::{color_quality, solve_lstsq, solve_tv, ConvEquations, ConvOptions};
use crate::attack::Quality;
use crate::fe::group::Ristretto255;
use crate::fe::ipfe::sparse::{SparseDecryptor, SparseFunctionKey};
use crate::fe::FhipeCiphertext;
use crate::fe::FhipeKey;
use crate::nn::cnn::Im2col;
use crate::nn::conv::{ConvLayer, ConvShape, Padding};
use crate::roles::{FhipeClient, FhipeServer};
use crate::{Error, Result};
use serde::Serialize;

/// Photo side.
pub const SIDE: usize = 32;
/// Colour channels.
pub const CHANNELS: usize = 3;
/// Filter quantisation `round(w·S)` (the attack experiments' setting).
pub const WEIGHT_SCALE: f64 = 16.0;
/// Largest filter count on the page.
pub const MAX_FILTERS: usize = 16;
/// FHIPE's reduced setting: the central crop side …
pub const FHIPE_CROP: usize = 8;
/// … and the number of filters.
pub const FHIPE_FILTERS: usize = 2;
/// Pixel levels (every byte).
pub const LEVELS: u32 = 255;

fn shape(side: usize, k: usize) -> Result<ConvShape> {
    if !(1..=MAX_FILTERS).contains(&k) {
        return Err(Error::invalid(format!(
            "{k} filters: the photo scene takes 1..={MAX_FILTERS}"
        )));
    }
    ConvShape::new(CHANNELS, side, side, 3, k, Padding::Same)
}

/// The public recipe's filters for `k` filters on a `side`×`side` photo (seed `seed`): the
/// server's own under CryptoNN, and the attacker's only guess under the mitigations.
pub fn public_layer(side: usize, k: usize, seed: u64) -> Result<ConvLayer> {
    ConvLayer::random_normal(shape(side, k)?, WEIGHT_SCALE, seed)
}

fn check_photo(pixels: &[u8], side: usize) -> Result<()> {
    if pixels.len() != CHANNELS * side * side {
        return Err(Error::invalid(format!(
            "a photo of {} bytes, expected 3×{side}×{side} = {}",
            pixels.len(),
            CHANNELS * side * side
        )));
    }
    Ok(())
}

/// The central `crop`×`crop` part of a 3×32×32 photo (CHW).
pub fn center_crop(pixels: &[u8], crop: usize) -> Result<Vec<u8>> {
    check_photo(pixels, SIDE)?;
    if crop == 0 || crop > SIDE {
        return Err(Error::invalid(format!(
            "crop {crop} of a {SIDE}-pixel photo"
        )));
    }
    let o = (SIDE - crop) / 2;
    let mut out = Vec::with_capacity(CHANNELS * crop * crop);
    for c in 0..CHANNELS {
        for i in 0..crop {
            let row = (c * SIDE + o + i) * SIDE + o;
            out.extend_from_slice(&pixels[row..row + crop]);
        }
    }
    Ok(out)
}

/// What the server holds after a photo round.
#[derive(Debug, Clone, Serialize)]
pub struct PhotoView {
    /// The protocol.
    pub protocol: ProtocolKind,
    /// The layer's geometry (public).
    pub shape: ConvShape,
    /// The filters, when the server holds them (CryptoNN: its own).
    #[serde(skip)]
    pub filters: Option<ConvLayer>,
    /// The `k·P` feature-map values (order `f·P + p`, integers: levels × quantised filters).
    pub z: Vec<i64>,
}

/// CryptoNN's round on one photo, decrypted in chunks.
pub struct PhotoIpfeRound {
    fe: ConvFe<Ristretto255>,
    keys: Vec<SparseFunctionKey<Ristretto255>>,
    prepared: Option<SparseDecryptor<Ristretto255>>,
    ct_bytes: usize,
    z: Vec<i64>,
}

impl PhotoIpfeRound {
    /// Setup for `k` server filters from the public `seed`; the authority issues the keys.
    pub fn new(k: usize, seed: u64) -> Result<Self> {
        let layer = public_layer(SIDE, k, seed)?;
        let fe = ConvFe::<Ristretto255>::setup(layer, LEVELS)?;
        let keys = fe.keys()?;
        Ok(Self {
            fe,
            keys,
            prepared: None,
            ct_bytes: 0,
            z: Vec::new(),
        })
    }

    /// Client: encrypt the photo once; the ciphertext goes to the server (returns its bytes).
    pub fn encrypt(&mut self, pixels: &[u8]) -> Result<usize> {
        check_photo(pixels, SIDE)?;
        let ct = self.fe.encrypt(&encode_pixels(pixels, LEVELS)?)?;
        self.ct_bytes = ct.byte_len();
        self.prepared = Some(self.fe.server().prepare_sparse(&ct, &self.keys)?);
        self.z.clear();
        Ok(self.ct_bytes)
    }

    /// Server: decrypt the next `count` values; returns how many are done (of `total`).
    pub fn decrypt_next(&mut self, count: usize) -> Result<usize> {
        let prepared = self
            .prepared
            .as_ref()
            .ok_or_else(|| Error::invalid("encrypt the photo first"))?;
        let start = self.z.len();
        let end = start.saturating_add(count.max(1)).min(self.keys.len());
        let part = self
            .fe
            .server()
            .decrypt_sparse_chunk(prepared, &self.keys[start..end])?;
        self.z.extend(part);
        Ok(self.z.len())
    }

    /// Values to decrypt in all.
    pub fn total(&self) -> usize {
        self.keys.len()
    }

    /// The server's view once every value is decrypted.
    pub fn view(&self) -> Result<PhotoView> {
        if self.z.len() != self.keys.len() {
            return Err(Error::invalid(
                "the server has not decrypted every value yet",
            ));
        }
        let v: ConvView = self.fe.view(self.z.clone());
        Ok(PhotoView {
            protocol: ProtocolKind::CryptoNn,
            shape: *v.layer.shape(),
            filters: Some(v.layer),
            z: v.z,
        })
    }
}

/// The client's private filters: N(0, 1) from a seed drawn from the OS CSPRNG.
fn private_layer(side: usize, k: usize) -> Result<ConvLayer> {
    use rand_core::RngCore;
    let mut seed = [0u8; 8];
    rand_core::OsRng
        .try_fill_bytes(&mut seed)
        .map_err(|e| Error::invalid(format!("OS random generator: {e}")))?;
    ConvLayer::random_normal(shape(side, k)?, WEIGHT_SCALE, u64::from_le_bytes(seed))
}

/// Client in the loop: the client computes the feature maps with its own filters and sends
/// them; the server's view holds the values only.
pub fn client_loop_round(pixels: &[u8], k: usize) -> Result<PhotoView> {
    check_photo(pixels, SIDE)?;
    let layer = private_layer(SIDE, k)?;
    let z = layer.forward(&encode_pixels(pixels, LEVELS)?)?;
    Ok(PhotoView {
        protocol: ProtocolKind::ClientLoop,
        shape: *layer.shape(),
        filters: None,
        z,
    })
}

/// FHIPE on the reduced setting, one patch at a time.
pub struct PhotoFhipeRound {
    shape: ConvShape,
    server: FhipeServer,
    keys: Vec<FhipeKey>,
    cts: Vec<FhipeCiphertext>,
    by_patch: Vec<Vec<i64>>,
    ct_bytes: usize,
}

impl PhotoFhipeRound {
    /// Client: draw its private filters and FHIPE master key, issue one key per filter, encrypt
    /// every patch of the central crop.
    pub fn new(pixels: &[u8]) -> Result<Self> {
        let crop = center_crop(pixels, FHIPE_CROP)?;
        let layer = private_layer(FHIPE_CROP, FHIPE_FILTERS)?;
        let shape = *layer.shape();
        let client = FhipeClient::setup(shape.patch_len())?;
        let rows: Vec<Vec<i64>> = (0..shape.filters)
            .map(|f| layer.filter(f).to_vec())
            .collect();
        let keys = client.keygen_rows(&rows)?;
        let levels = encode_pixels(&crop, LEVELS)?;
        let patches = Im2col::new(shape)?.columns(&levels)?;
        let cts = patches
            .rows()
            .into_iter()
            .map(|r| client.encrypt(&r.to_vec()))
            .collect::<Result<Vec<_>>>()?;
        let ct_bytes = cts.iter().map(FhipeCiphertext::byte_len).sum();
        let server = FhipeServer::with_expected_n(
            layer.output_bound(u64::from(LEVELS)).max(1),
            shape.patch_len(),
        )?;
        Ok(Self {
            shape,
            server,
            keys,
            cts,
            by_patch: Vec::new(),
            ct_bytes,
        })
    }

    /// Bytes of the patch ciphertexts.
    pub fn ciphertext_bytes(&self) -> usize {
        self.ct_bytes
    }

    /// Patches in all.
    pub fn total(&self) -> usize {
        self.cts.len()
    }

    /// Server: decrypt every filter on the next `count` patches; returns the patches done.
    pub fn decrypt_next(&mut self, count: usize) -> Result<usize> {
        let start = self.by_patch.len();
        let end = start.saturating_add(count.max(1)).min(self.cts.len());
        for ct in &self.cts[start..end] {
            let prepared = self.server.prepare(ct)?;
            let vals = self
                .keys
                .iter()
                .map(|k| self.server.decrypt_prepared(&prepared, k))
                .collect::<Result<Vec<_>>>()?;
            self.by_patch.push(vals);
        }
        Ok(self.by_patch.len())
    }

    /// The server's view once every patch is decrypted.
    pub fn view(&self) -> Result<PhotoView> {
        if self.by_patch.len() != self.cts.len() {
            return Err(Error::invalid(
                "the server has not decrypted every patch yet",
            ));
        }
        let p_n = self.shape.positions();
        let mut z = vec![0; self.shape.outputs()];
        for (p, vals) in self.by_patch.iter().enumerate() {
            for (f, &v) in vals.iter().enumerate() {
                z[f * p_n + p] = v;
            }
        }
        Ok(PhotoView {
            protocol: ProtocolKind::Fhipe,
            shape: self.shape,
            filters: None,
            z,
        })
    }
}

/// The attacker's rebuild.
#[derive(Debug, Clone, Serialize)]
pub struct PhotoRebuild {
    /// The image on [0, 1] (CHW), the view's geometry.
    pub image: Vec<f64>,
    /// `lstsq` or `tv`.
    pub method: &'static str,
    /// Whether the attacker had the filters that made the values.
    pub knows_filters: bool,
    /// One sentence on what the attacker could do.
    pub note: String,
}

/// The attacker on the server's view: the server's filters when it holds them, else the public
/// recipe's (seed `public_seed`) — not the client's. Least squares when the equations can
/// determine the photo (`k ≥ 4`), vectorial TV otherwise.
pub fn attack(view: &PhotoView, public_seed: u64) -> Result<PhotoRebuild> {
    let s = view.shape;
    let (layer, knows) = match &view.filters {
        Some(l) => (l.clone(), true),
        None => (public_layer(s.height, s.filters, public_seed)?, false),
    };
    let eq = ConvEquations::from_view(&ConvView {
        layer,
        pixel_levels: LEVELS,
        z: view.z.clone(),
    })?;
    let determined = s.filters > s.channels;
    let opts = ConvOptions {
        max_iter: 3000,
        tv_iter: 1500,
        ..ConvOptions::default()
    };
    let rec = if determined {
        solve_lstsq(&eq, &opts)?
    } else {
        solve_tv(&eq, &opts)?
    };
    let note = match (knows, determined) {
        (true, true) => format!(
            "{} equations in {} unknowns with the server's own filters: solved by least squares.",
            s.outputs(),
            s.inputs()
        ),
        (true, false) => format!(
            "{} filter{} cannot determine 3 colour channels ({} equations, {} unknowns): the filters do not determine the image; total variation gives the smoothest photo that fits.",
            s.filters,
            if s.filters == 1 { "" } else { "s" },
            s.outputs(),
            s.inputs()
        ),
        (false, _) => "The server holds the values but not the filters that made them: the attacker can only try the public recipe's filters, which are not the client's.".to_string(),
    };
    Ok(PhotoRebuild {
        image: rec.image,
        method: if determined { "lstsq" } else { "tv" },
        knows_filters: knows,
        note,
    })
}

/// Score a rebuild against the photo (the truth is read only here).
pub fn score(truth: &[u8], view: &PhotoView, image: &[f64]) -> Result<Quality> {
    let s = view.shape;
    let t: Vec<f64> = truth.iter().map(|&p| f64::from(p) / 255.0).collect();
    color_quality(&t, image, s.channels, s.height, s.width)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn photo() -> Vec<u8> {
        (0..3 * SIDE * SIDE)
            .map(|i| {
                let (c, y, x) = (i / 1024, (i / 32) % 32, i % 32);
                ((x * 5 + y * 3 + c * 60) % 256) as u8
            })
            .collect()
    }

    #[test]
    fn cryptonn_round_rebuilds_the_photo_and_one_filter_does_not() {
        let px = photo();
        let mut r = PhotoIpfeRound::new(4, 7).unwrap();
        assert!(r.view().is_err());
        r.encrypt(&px).unwrap();
        while r.decrypt_next(5000).unwrap() < r.total() {}
        let v = r.view().unwrap();
        let rec = attack(&v, 7).unwrap();
        assert!(rec.knows_filters && rec.method == "lstsq");
        assert!(score(&px, &v, &rec.image).unwrap().psnr >= 40.0);
        // One filter: TV, and the words say the filters do not determine the image.
        let layer = public_layer(SIDE, 1, 7).unwrap();
        let v1 = PhotoView {
            protocol: ProtocolKind::CryptoNn,
            shape: *layer.shape(),
            z: layer.forward(&encode_pixels(&px, LEVELS).unwrap()).unwrap(),
            filters: Some(layer),
        };
        let r1 = attack(&v1, 7).unwrap();
        assert_eq!(r1.method, "tv");
        assert!(r1.note.contains("do not determine"));
        assert!(score(&px, &v1, &r1.image).unwrap().psnr < 40.0);
    }

    #[test]
    fn mitigations_leave_the_attacker_without_the_filters() {
        let px = photo();
        let v = client_loop_round(&px, 4).unwrap();
        assert!(v.filters.is_none());
        let rec = attack(&v, 7).unwrap();
        assert!(!rec.knows_filters);
        assert!(score(&px, &v, &rec.image).unwrap().psnr < 20.0);
        assert!(client_loop_round(&px[1..], 4).is_err());
        assert!(client_loop_round(&px, 0).is_err());
        assert!(client_loop_round(&px, 17).is_err());
        assert!(PhotoIpfeRound::new(17, 1).is_err());
        assert_eq!(center_crop(&px, 8).unwrap().len(), 192);
    }

    #[test]
    fn fhipe_round_decrypts_every_patch_of_the_crop_and_keeps_the_filters() {
        let px = photo();
        let mut r = PhotoFhipeRound::new(&px).unwrap();
        assert_eq!(r.total(), FHIPE_CROP * FHIPE_CROP);
        assert!(r.view().is_err());
        while r.decrypt_next(16).unwrap() < r.total() {}
        let v = r.view().unwrap();
        assert_eq!(v.z.len(), FHIPE_FILTERS * 64);
        assert!(v.filters.is_none() && v.z.iter().any(|&z| z != 0));
        let rec = attack(&v, 7).unwrap();
        assert!(!rec.knows_filters);
        let crop = center_crop(&px, FHIPE_CROP).unwrap();
        assert!(score(&crop, &v, &rec.image).unwrap().psnr.is_finite());
    }
}
