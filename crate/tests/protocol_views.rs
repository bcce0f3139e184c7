//! What the server holds: the mitigated protocols' views carry no `W1` and no data-derived
//! plaintext beyond `Z1` and `dZ1 = δ1`; CryptoNN's and FENet's carry `W1` and `dW1`, and with a
//! batch of one `dW1` is the sample up to a known scale (the leak the attack uses).

use glasslayer::fe::GroupChoice;
use glasslayer::nn::{Activation, Quantization};
use glasslayer::protocol::{start, Batch, ClientInit, ProtocolKind, ServerView, Setup};
use ndarray::Array2;

const N: usize = 16;

fn setup() -> Setup {
    Setup {
        input: N,
        hidden: 5,
        activation: Activation::Relu,
        seed: 3,
        client_w1: ClientInit::Secret,
        quant: Quantization::default(),
        group: GroupChoice::Ristretto255,
    }
}

fn one_sample() -> Batch {
    let pixels = Array2::from_shape_fn((1, N), |(_, j)| ((j * 37) % 256) as u8);
    Batch::new(pixels, vec![7], vec![42]).unwrap()
}

fn view_of(kind: ProtocolKind) -> ServerView {
    let mut p = start(kind, &setup()).unwrap();
    let v = p.step(&one_sample(), 0.1).unwrap().view;
    v.validate().unwrap();
    v
}

#[test]
fn mitigated_views_hold_no_w1_and_nothing_beyond_z1_and_dz1() {
    for kind in [ProtocolKind::ClientLoop, ProtocolKind::Fhipe] {
        let v = view_of(kind);
        assert_eq!(v.protocol, kind);
        assert!(v.w1.is_none(), "{kind}: W1 must stay with the client");
        assert!(v.dw1.is_none(), "{kind}: dW1 is computed by the client");
        assert_eq!(v.z1.dim(), (1, 5));
        assert_eq!(v.delta1.dim(), (1, 5));
        assert_eq!(v.labels.as_deref(), Some(&[7u8][..]));
        assert_eq!(v.sample_ids, [42]);
        // The JSON holds nothing else either.
        let json: serde_json::Value = serde_json::from_str(&v.to_json().unwrap()).unwrap();
        assert_eq!(json["w1"], serde_json::Value::Null);
        assert_eq!(json["dw1"], serde_json::Value::Null);
        let mut keys: Vec<_> = json.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        assert_eq!(
            keys,
            [
                "delta1",
                "dw1",
                "hidden",
                "input",
                "labels",
                "pixel_levels",
                "protocol",
                "sample_ids",
                "step",
                "traffic",
                "w1",
                "weight_scale",
                "z1"
            ]
        );
    }
}

/// The mitigated `Z1` is not explained by any `W1` the server could hold: neither the public
/// seed's `W1` (the server's own model under CryptoNN) nor, equally, any other known matrix.
/// Under CryptoNN the view's `W1` explains it exactly.
#[test]
fn mitigated_z_is_not_explained_by_the_public_w1() {
    let x: Vec<f64> = one_sample()
        .pixels
        .iter()
        .map(|&p| f64::from(p) / 255.0)
        .collect();
    let public = setup().initial_model().unwrap().w1().mapv(f64::from);
    let rel = |v: &ServerView, w: &Array2<f64>| {
        let z = w.dot(&ndarray::Array1::from(x.clone()));
        let (mut num, mut den) = (0.0, 0.0);
        for i in 0..5 {
            num += (z[i] - v.z1[[0, i]]).powi(2);
            den += v.z1[[0, i]].powi(2);
        }
        (num / den).sqrt()
    };
    let c = view_of(ProtocolKind::CryptoNn);
    assert!(rel(&c, c.w1.as_ref().unwrap()) < 1e-9);
    assert!(
        rel(&c, &public) < 0.01,
        "CryptoNN: the server's W1 is the public seed's"
    );
    for kind in [ProtocolKind::ClientLoop, ProtocolKind::Fhipe] {
        let r = rel(&view_of(kind), &public);
        assert!(
            r > 0.2,
            "{kind}: the public W1 explains z (relative residual {r})"
        );
    }
}

#[test]
fn fhipe_view_records_ciphertexts_and_keys_but_client_loop_sends_plaintext() {
    let f = view_of(ProtocolKind::Fhipe);
    assert!(f.traffic.ciphertext_bytes > 0 && f.traffic.key_bytes > 0);
    let c = view_of(ProtocolKind::ClientLoop);
    assert_eq!(c.traffic.ciphertext_bytes + c.traffic.key_bytes, 0);
    assert_eq!(c.traffic.plaintext_to_server, 4 * 5 + 1);
}

#[test]
fn leaky_views_hold_w1_and_the_gradient_reveals_the_sample() {
    let x: Vec<f64> = one_sample()
        .pixels
        .iter()
        .map(|&p| f64::from(p) / 255.0)
        .collect();
    for kind in [ProtocolKind::CryptoNn, ProtocolKind::FeNet] {
        let v = view_of(kind);
        let w1 = v.w1.as_ref().expect("the server knows its W1");
        let dw1 = v.dw1.as_ref().expect("the server decrypts dW1");
        // Z1 = W1·x for the weights in the view.
        for i in 0..5 {
            let z: f64 = (0..N).map(|j| w1[[i, j]] * x[j]).sum();
            assert!((z - v.z1[[0, i]]).abs() < 1e-9, "{kind}: z1[{i}]");
        }
        // Batch of one: x = dW1[i, ·] / δ1_i for any unit with δ1_i ≠ 0.
        let i = (0..5)
            .find(|&i| v.delta1[[0, i]] != 0.0)
            .expect("some δ ≠ 0");
        for j in 0..N {
            assert!((dw1[[i, j]] / v.delta1[[0, i]] - x[j]).abs() < 1e-9);
        }
        let back = ServerView::from_json(&v.to_json().unwrap()).unwrap();
        assert_eq!(back, v);
    }
}

#[test]
fn corrupt_views_are_rejected() {
    let mut v = view_of(ProtocolKind::ClientLoop);
    v.z1 = Array2::zeros((2, 5));
    assert!(v.validate().is_err());
    assert!(ServerView::from_json(&v.to_json().unwrap()).is_err());
    assert!(ServerView::from_json("{\"protocol\":\"nope\"}").is_err());
}

/// The client uploads each sample once: a later step over the same sample sends no new
/// sample ciphertext (only the per-batch feature ciphertexts), and new pixels under an old id
/// are encrypted afresh (the decrypted Z1 follows the new pixels).
#[test]
fn samples_are_encrypted_once_and_reused() {
    for kind in [ProtocolKind::CryptoNn, ProtocolKind::Fhipe] {
        let mut p = start(kind, &setup()).unwrap();
        let first = p.step(&one_sample(), 0.0001).unwrap().view;
        let again = p.step(&one_sample(), 0.0001).unwrap().view;
        assert!(
            again.traffic.ciphertext_bytes < first.traffic.ciphertext_bytes,
            "{kind}: {} then {}",
            first.traffic.ciphertext_bytes,
            again.traffic.ciphertext_bytes
        );
        let mut other = one_sample();
        other.pixels.fill(0);
        let zero = p.step(&other, 0.0001).unwrap().view;
        assert!(
            zero.z1.iter().all(|&z| z == 0.0),
            "{kind}: Z1 of a blank image"
        );
        assert_eq!(
            zero.traffic.ciphertext_bytes,
            first.traffic.ciphertext_bytes
        );
    }
}

/// The mitigations' client draws `W1` from its own secret randomness: the public seed (which
/// fixes the server's layers) does not give it, and two runs of the same setup differ. Only the
/// explicit replay option reproduces the public-seed `W1`.
#[test]
fn mitigated_client_w1_is_secret_not_from_the_public_seed() {
    let public_w1 = setup().initial_model().unwrap().w1().clone();
    for kind in [ProtocolKind::ClientLoop, ProtocolKind::Fhipe] {
        let a = start(kind, &setup()).unwrap().model();
        let b = start(kind, &setup()).unwrap().model();
        assert_ne!(
            a.w1(),
            &public_w1,
            "{kind}: W1 must not come from the public seed"
        );
        assert_ne!(a.w1(), b.w1(), "{kind}: W1 must be fresh secret randomness");
        // Same initialisation scale as the public recipe (He for ReLU: variance 2/n).
        let var = a.w1().iter().map(|w| f64::from(*w).powi(2)).sum::<f64>() / a.w1().len() as f64;
        assert!(
            (var - 2.0 / N as f64).abs() < 0.09,
            "{kind}: variance {var}"
        );
        // The server's own layers still come from the public seed.
        assert_eq!(
            a.w2(),
            setup().initial_model().unwrap().w2(),
            "{kind}: server layers"
        );
        let replay = Setup {
            client_w1: ClientInit::ReplayPublicSeed,
            ..setup()
        };
        assert_eq!(
            start(kind, &replay).unwrap().model().w1(),
            &public_w1,
            "{kind}: replay"
        );
    }
}
