//! The page's story of one sample, as protocol steps: the client's `x` goes through one round of
//! the chosen protocol with real FE, the server decrypts what it may, and — for the attacks that
//! need more — the protocol goes on (a gradient step, later epochs) on the bit-identical integer
//! path ([`Backend::Reference`]). Every [`ServerView`] the scene returns is the server's.
//!
//! The round is split into the parties' moves so that a page can run each where it belongs (the
//! client's in the client's worker, decryptions on the server's workers):
//!
//! 1. [`Scene::start`] — the client holds `x` (and, for a mitigation, draws its private `W1`
//!    from the CSPRNG); the server holds its model.
//! 2. The first layer's messages: [`Scene::key_request`] (CryptoNN/FENet: the server asks for
//!    keys for the rows of its own `W1`), [`Scene::client_levels`] (what the client encrypts),
//!    [`Scene::fhipe_keys`] (FHIPE: the client's keys for its own rows),
//!    [`Scene::client_sends_z`] (client in the loop); each crossing is counted with
//!    [`Scene::deliver`].
//! 3. [`Scene::server_decrypted`] — the server's `z`; the server runs its network on it with the
//!    delivered label and holds `δ1`: the round's view.
//! 4. [`Scene::views_for`] — the views an attack reads (the round's, plus a gradient step or
//!    later epochs where the protocol gives the server those).

use super::channel::{Carries, Channel};
use super::{start_with, Backend, Batch, ProtocolKind, ServerView, Session, Setup};
use crate::attack::AttackKind;
use crate::data::mnist::{Mnist, PIXELS};
use crate::fe::{FhipeKey, GroupChoice};
use crate::nn::{Activation, Mlp, Quantization, Sgd};
use crate::roles::{FhipeClient, PrivateLayer};
use crate::{Error, Result};
use ndarray::Array2;

/// Learning rate, batch and shuffling seed of the scene's later steps (the demo models' recipe).
pub const LATER_SGD: Sgd = Sgd {
    epochs: 1,
    lr: 0.1,
    batch: 32,
    seed: 7,
};
/// Most later epochs the stacked attack asks for.
pub const STACKED_MAX_EPOCHS: usize = 4;

/// Later epochs for the stacked attack at `h` units: enough for `n` equations, at most
/// [`STACKED_MAX_EPOCHS`].
pub fn stacked_epochs(h: usize) -> usize {
    PIXELS
        .div_ceil(h.max(1))
        .saturating_sub(1)
        .clamp(1, STACKED_MAX_EPOCHS)
}

/// The client of the scene: its sample, label, and (mitigations) its private `W1`.
struct SceneClient {
    x: Vec<u8>,
    label: u8,
    layer: Option<PrivateLayer>,
}

/// The server of the scene: its model, and what it received.
struct SceneServer {
    model: Mlp,
    received_z: Option<Vec<i64>>,
    view: Option<ServerView>,
}

/// One sample through one protocol.
pub struct Scene {
    kind: ProtocolKind,
    quant: Quantization,
    client: SceneClient,
    server: SceneServer,
    channel: Channel,
}

impl Scene {
    /// A scene of `kind` for the client's sample `x` (784 bytes) with `label` (`None`, as for a
    /// drawing: the digit the server's public model predicts — the label the client claims), and
    /// the server's `model` whose `W1` is encoded with `weight_scale` (the scale its integers were
    /// trained for). For a mitigation the client draws its own `W1` now; the server's `W1` is
    /// unused.
    pub fn start(
        kind: ProtocolKind,
        model: Mlp,
        weight_scale: f32,
        x: Vec<u8>,
        label: Option<u8>,
    ) -> Result<Self> {
        if x.len() != PIXELS || model.input() != PIXELS {
            return Err(Error::invalid(format!(
                "a sample has {PIXELS} pixels, got {}",
                x.len()
            )));
        }
        if x.iter().all(|&p| p == 0) {
            return Err(Error::EmptyCanvas);
        }
        let label = match label {
            Some(l) if l <= 9 => l,
            Some(l) => return Err(Error::invalid(format!("label {l} is not a digit"))),
            None => {
                let xf = Array2::from_shape_fn((1, PIXELS), |(_, j)| f32::from(x[j]) / 255.0);
                model.predict(xf.view())?.first().copied().unwrap_or(0)
            }
        };
        let quant = Quantization {
            weight_scale: if kind.hides_w1() {
                Quantization::default().weight_scale
            } else {
                weight_scale
            },
            ..Quantization::default()
        };
        quant.validate()?;
        let layer = if kind.hides_w1() {
            Some(PrivateLayer::draw(
                PIXELS,
                model.hidden(),
                Activation::Relu,
            )?)
        } else {
            None
        };
        Ok(Self {
            kind,
            quant,
            client: SceneClient { x, label, layer },
            server: SceneServer {
                model,
                received_z: None,
                view: None,
            },
            channel: Channel::default(),
        })
    }

    /// The protocol.
    pub fn kind(&self) -> ProtocolKind {
        self.kind
    }

    /// Hidden units `h`.
    pub fn hidden(&self) -> usize {
        self.server.model.hidden()
    }

    /// The fixed-point encoding of the round.
    pub fn quantization(&self) -> Quantization {
        self.quant
    }

    /// The discrete-log bound the server decrypts with: the public bound of the encoding, or
    /// for a server-owned `W1` the worst case of its own rows (a tighter table).
    pub fn dlog_bound(&self) -> Result<u64> {
        Ok(match self.owned_w1q()? {
            Some(wq) => self.quant.z_worst_case(wq.view()).max(1),
            None => self.quant.bound,
        })
    }

    fn owned_w1q(&self) -> Result<Option<Array2<i64>>> {
        if self.kind.hides_w1() {
            return Ok(None);
        }
        self.quant.weights(self.server.model.w1().view()).map(Some)
    }

    /// CryptoNN/FENet: the server's key request — the rows of its own encoded `W1`, which the
    /// key issuer sees. `None` for the mitigations (the server has no `W1` to ask for).
    pub fn key_request(&self) -> Result<Option<Vec<Vec<i64>>>> {
        Ok(self
            .owned_w1q()?
            .map(|wq| wq.rows().into_iter().map(|r| r.to_vec()).collect()))
    }

    /// The client's encoded sample (pixel levels): what it encrypts.
    pub(crate) fn client_levels(&self) -> Vec<i64> {
        self.client.x.iter().map(|&p| self.quant.pixel(p)).collect()
    }

    /// FHIPE mitigation: keys `start..start+count` for the rows of the client's own encoded
    /// `W1`, issued with its master key `keys`.
    pub(crate) fn fhipe_keys(
        &self,
        keys: &FhipeClient,
        start: usize,
        count: usize,
    ) -> Result<Vec<FhipeKey>> {
        match (&self.client.layer, self.kind) {
            (Some(layer), ProtocolKind::Fhipe) => layer.fhipe_keys(keys, &self.quant, start, count),
            _ => Err(Error::invalid(format!(
                "under {} the client issues no keys for its own W1",
                self.kind
            ))),
        }
    }

    /// Client in the loop: the client computes `z = W1q·x` with its private `W1` (in the same
    /// fixed-point encoding as the FE protocols, so the numbers compare) and sends it.
    pub(crate) fn client_sends_z(&mut self) -> Result<Vec<i64>> {
        let layer = match (&self.client.layer, self.kind) {
            (Some(l), ProtocolKind::ClientLoop) => l,
            _ => {
                return Err(Error::invalid(format!(
                    "under {} the client does not send z",
                    self.kind
                )))
            }
        };
        let xq = Array2::from_shape_vec((1, PIXELS), self.client_levels())
            .map_err(|e| Error::invalid(e.to_string()))?;
        let z = layer.forward_quantized(xq.view(), &self.quant)?;
        let z: Vec<i64> = z.iter().copied().collect();
        let bytes = 4 * z.len() as u64;
        let z = self
            .channel
            .to_server(Carries::Plaintext, bytes, z)
            .into_inner();
        self.server.received_z = Some(z.clone());
        Ok(z)
    }

    /// Count a message of `bytes` bytes that crossed to the server (ciphertexts or keys the
    /// page moved between its workers).
    pub fn deliver(&mut self, carries: Carries, bytes: u64) {
        self.channel.to_server(carries, bytes, ());
    }

    /// The server's decrypted `z` (for client in the loop: the `z` it received, which must be
    /// the one the client sent). The server runs its network on `z` with the label the client
    /// sent and holds `δ1`: the round's view.
    pub fn server_decrypted(&mut self, z: Vec<i64>) -> Result<&ServerView> {
        let h = self.hidden();
        if z.len() != h {
            return Err(Error::invalid(format!(
                "the server holds {} values of z, expected h = {h}",
                z.len()
            )));
        }
        if let Some(received) = &self.server.received_z {
            if received != &z {
                return Err(Error::invalid("z differs from what the client sent"));
            }
        } else if self.kind == ProtocolKind::ClientLoop {
            return Err(Error::invalid("the client has not sent z yet"));
        }
        let q = self.quant;
        let zq = Array2::from_shape_vec((1, h), z).map_err(|e| Error::invalid(e.to_string()))?;
        let label = self
            .channel
            .to_server(Carries::Plaintext, 1, vec![self.client.label]);
        let (_, g) = super::reference::head_step(&self.server.model, &zq, label.get(), &q)?;
        let zs = f64::from(q.weight_scale) * f64::from(q.pixel_levels);
        let traffic = self.channel.end_step();
        let view = ServerView {
            protocol: self.kind,
            step: 0,
            sample_ids: vec![0],
            input: PIXELS,
            hidden: h,
            pixel_levels: q.pixel_levels,
            weight_scale: Some(q.weight_scale),
            w1: self.owned_w1q()?.map(|w| q.weights_real(w.view())),
            z1: zq.mapv(|v| v as f64 / zs),
            delta1: g.delta1.mapv(f64::from),
            dw1: None,
            labels: Some(label.into_inner()),
            traffic,
        };
        view.validate()?;
        Ok(self.server.view.insert(view))
    }

    /// The whole round in one process, every party's move in order with real FE (`group` for
    /// CryptoNN's IPFE; BLS12-381 FHIPE for FENet and the FHIPE mitigation): what the page's
    /// workers do, for the CLI and the tests.
    pub fn play_round(&mut self, group: GroupChoice) -> Result<&ServerView> {
        use super::scheme::{Fhipe, Ipfe, Scheme};
        let h = self.hidden();
        let bound = self.dlog_bound()?;
        let x = self.client_levels();
        let z = match self.kind {
            ProtocolKind::ClientLoop => self.client_sends_z()?,
            ProtocolKind::CryptoNn => crate::with_group!(group, G => {
                let (authority, client, server) = Ipfe::<G>::setup(PIXELS, bound)?;
                let ct = client.encrypt(&x)?;
                self.deliver(Carries::Ciphertexts, Ipfe::<G>::ct_bytes(&ct));
                let request = self.key_request()?.unwrap_or_default();
                let keys = authority.function_keys(&request)?;
                let bytes = keys.iter().map(Ipfe::<G>::key_bytes).sum();
                self.deliver(Carries::Keys, bytes);
                server.decrypt_rows(&ct, &keys)?
            }),
            ProtocolKind::FeNet | ProtocolKind::Fhipe => {
                let (owner, _, server) = Fhipe::setup(PIXELS, bound)?;
                let ct = owner.encrypt(&x)?;
                self.deliver(Carries::Ciphertexts, Fhipe::ct_bytes(&ct));
                let keys = match self.key_request()? {
                    Some(request) => owner.keygen_rows(&request)?,
                    None => self.fhipe_keys(&owner, 0, h)?,
                };
                let bytes = keys.iter().map(Fhipe::key_bytes).sum();
                self.deliver(Carries::Keys, bytes);
                server.decrypt_rows(&ct, &keys)?
            }
        };
        self.server_decrypted(z)
    }

    /// The round's view, once the server has decrypted.
    pub fn round_view(&self) -> Option<&ServerView> {
        self.server.view.as_ref()
    }

    /// Every view `attack` reads: the round's, and where the protocol gives the server more —
    /// CryptoNN/FENet decrypt `dW1` in the gradient step and see the sample again in later
    /// epochs with their updated `W1` — those steps too, run on the bit-identical integer path
    /// with the client's other samples `others` (public digits stand in for them).
    pub fn views_for(&self, attack: AttackKind, others: &Mnist) -> Result<Vec<ServerView>> {
        let round = self
            .server
            .view
            .clone()
            .ok_or_else(|| Error::invalid("the server has not decrypted yet"))?;
        let mut views = vec![round];
        if self.kind.hides_w1() {
            // The mitigations' later steps add z and δ1 under a W1 the server never holds:
            // nothing the attacks below can use.
            return Ok(views);
        }
        let setup = Setup {
            input: PIXELS,
            hidden: self.hidden(),
            activation: Activation::Relu,
            quant: self.quant,
            ..Setup::default()
        };
        let mut protocol = start_with(
            self.kind,
            &setup,
            self.server.model.clone(),
            Backend::Reference,
        )?;
        match attack {
            AttackKind::Gradient => {
                // CryptoNN's gradient step on a batch of one: the server decrypts dW1 = δ1ᵀ·x.
                let pixels = Array2::from_shape_vec((1, PIXELS), self.client.x.clone())
                    .map_err(|e| Error::invalid(e.to_string()))?;
                let batch = Batch::new(pixels, vec![self.client.label], vec![0])?;
                views.push(protocol.step(&batch, LATER_SGD.lr)?.view);
            }
            AttackKind::Stacked => {
                // The client's training set: its sample (id 0) among the others.
                let data = others.with_first(&self.client.x, self.client.label)?;
                let mut session = Session::of(protocol, LATER_SGD)?;
                for e in 0..stacked_epochs(self.hidden()) {
                    session.run_epoch(&data, e, &mut |_, _, step, _| {
                        if step.view.row_of(0).is_some() {
                            views.push(step.view.clone());
                        }
                        Ok(())
                    })?;
                }
            }
            AttackKind::Tv | AttackKind::Minsum | AttackKind::Paper => {}
        }
        Ok(views)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(h: usize) -> Mlp {
        Mlp::new(PIXELS, h, 10, Activation::Relu, 3).unwrap()
    }

    fn digit() -> Vec<u8> {
        (0..PIXELS)
            .map(|p| if (p / 28 + p % 28) % 9 == 0 { 200 } else { 0 })
            .collect()
    }

    #[test]
    fn a_mitigated_scene_never_puts_w1_in_the_view_and_client_loop_checks_z() {
        let mut s =
            Scene::start(ProtocolKind::ClientLoop, model(8), 100.0, digit(), Some(3)).unwrap();
        assert!(s.key_request().unwrap().is_none());
        assert!(s.server_decrypted(vec![0; 8]).is_err(), "nothing sent yet");
        let z = s.client_sends_z().unwrap();
        let mut other = z.clone();
        other[0] += 1;
        assert!(s.server_decrypted(other).is_err());
        let v = s.server_decrypted(z).unwrap();
        assert!(v.w1.is_none() && v.dw1.is_none());
        assert_eq!(v.traffic.plaintext_to_server, 4 * 8 + 1);
        assert_eq!(v.labels.as_deref(), Some(&[3u8][..]));
    }

    #[test]
    fn cryptonn_round_view_explains_z_with_the_servers_w1() {
        let m = model(8);
        let mut s = Scene::start(ProtocolKind::CryptoNn, m, 100.0, digit(), Some(1)).unwrap();
        let rows = s.key_request().unwrap().unwrap();
        let x = s.client_levels();
        let z: Vec<i64> = rows
            .iter()
            .map(|r| r.iter().zip(&x).map(|(a, b)| a * b).sum())
            .collect();
        let v = s.server_decrypted(z).unwrap().clone();
        let w1 = v.w1.as_ref().unwrap();
        for i in 0..8 {
            let zi: f64 = (0..PIXELS)
                .map(|j| w1[[i, j]] * f64::from(digit()[j]) / 255.0)
                .sum();
            assert!((zi - v.z1[[0, i]]).abs() < 1e-9);
        }
        assert!(Scene::start(
            ProtocolKind::CryptoNn,
            model(8),
            100.0,
            vec![0; PIXELS],
            Some(1)
        )
        .is_err());
    }

    #[test]
    fn cryptonn_goes_on_for_the_gradient_and_stacked_attacks_the_mitigations_do_not() {
        let mut bundle = 40u32.to_le_bytes().to_vec();
        bundle.extend((0..40).map(|i| (i % 10) as u8));
        for i in 0..40 {
            bundle.extend((0..PIXELS).map(|p| if (p + i) % 11 == 0 { 180u8 } else { 0 }));
        }
        let others = crate::data::models_file::parse_bundle(&bundle).unwrap();
        let mut s =
            Scene::start(ProtocolKind::CryptoNn, model(8), 100.0, digit(), Some(1)).unwrap();
        assert!(
            s.views_for(AttackKind::Tv, &others).is_err(),
            "no round yet"
        );
        s.play_round(GroupChoice::Ristretto255).unwrap();
        assert_eq!(s.views_for(AttackKind::Tv, &others).unwrap().len(), 1);
        let g = s.views_for(AttackKind::Gradient, &others).unwrap();
        assert_eq!(g.len(), 2);
        assert!(g[1].dw1.is_some() && g[1].sample_ids == [0]);
        let st = s.views_for(AttackKind::Stacked, &others).unwrap();
        assert_eq!(
            st.len(),
            1 + stacked_epochs(8),
            "the sample once per later epoch"
        );
        assert!(st.iter().all(|v| v.row_of(0).is_some() && v.w1.is_some()));
        assert_ne!(st[1].w1, st[2].w1, "W1 moved between epochs");
        let mut l =
            Scene::start(ProtocolKind::ClientLoop, model(8), 100.0, digit(), Some(1)).unwrap();
        l.play_round(GroupChoice::Ristretto255).unwrap();
        assert_eq!(l.views_for(AttackKind::Stacked, &others).unwrap().len(), 1);
    }

    /// The FHIPE mitigation with real FHIPE: the client's keys are for its own secret `W1`, the
    /// server decrypts z, and the server's own `W1` does not explain that z.
    #[test]
    fn fhipe_keys_are_for_the_clients_own_w1() {
        use crate::roles::FhipeServer;
        let h = 4;
        let m = model(h);
        let mut s = Scene::start(ProtocolKind::Fhipe, m.clone(), 100.0, digit(), Some(2)).unwrap();
        assert!(s.key_request().unwrap().is_none());
        let owner = FhipeClient::setup(PIXELS).unwrap();
        let ct = owner.encrypt(&s.client_levels()).unwrap();
        let keys = s.fhipe_keys(&owner, 0, h).unwrap();
        assert!(s.fhipe_keys(&owner, 2, h).is_err(), "only h rows");
        let server = FhipeServer::new(s.dlog_bound().unwrap()).unwrap();
        let z = server.decrypt_rows(&ct, &keys).unwrap();
        let v = s.server_decrypted(z.clone()).unwrap().clone();
        assert!(v.w1.is_none());
        // z = W1q·x for the client's W1, not the server's.
        let q = s.quantization();
        let own = q.weights(m.w1().view()).unwrap();
        let x = s.client_levels();
        let theirs: Vec<i64> = own
            .rows()
            .into_iter()
            .map(|r| r.iter().zip(&x).map(|(a, b)| a * b).sum())
            .collect();
        assert_ne!(z, theirs);
        let client = s.client.layer.as_ref().unwrap();
        let xq = Array2::from_shape_vec((1, PIXELS), x).unwrap();
        assert_eq!(
            z,
            client
                .forward_quantized(xq.view(), &q)
                .unwrap()
                .iter()
                .copied()
                .collect::<Vec<_>>()
        );
    }
}
