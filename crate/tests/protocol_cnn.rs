//! The CNN over FE: each protocol's step is bit-identical to its integer reference (CryptoNN's
//! decrypted feature maps and filter gradient; FHIPE's patch-sized inner products), client in
//! the loop is plaintext SGD, and the mitigations' server views hold no filters.
//! Small images (2×6×6, 1×4×4) keep the real cryptography fast.

use glasslayer::fe::GroupChoice;
use glasslayer::nn::cnn::Cnn;
use glasslayer::nn::conv::{ConvShape, Padding};
use glasslayer::nn::Quantization;
use glasslayer::protocol::cnn::{start_cnn, CnnSetup, CnnStep};
use glasslayer::protocol::Protocol;
use glasslayer::protocol::{Backend, Batch, ClientInit, ProtocolKind};
use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const LR: f32 = 0.2;

fn setup(c: usize, side: usize, k: usize, padding: Padding) -> CnnSetup {
    CnnSetup {
        shape: ConvShape::new(c, side, side, 3, k, padding).unwrap(),
        seed: 5,
        client_init: ClientInit::ReplayPublicSeed,
        quant: Quantization::default(),
        group: GroupChoice::Ristretto255,
        pool: 2,
    }
}

fn batch(n: usize, m: usize, seed: u64) -> Batch {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let pixels = Array2::from_shape_fn((m, n), |_| rng.gen::<u8>());
    let labels = (0..m).map(|_| rng.gen_range(0..10u8)).collect();
    Batch::new(
        pixels,
        labels,
        (0..m).map(|i| i + 10 * seed as usize).collect(),
    )
    .unwrap()
}

fn run(p: &mut dyn Protocol<CnnSetup>, n: usize, steps: u64) -> Vec<CnnStep> {
    (0..steps)
        .map(|s| p.step(&batch(n, 2, s % 2), LR).unwrap())
        .collect()
}

#[test]
fn cryptonn_fe_step_is_bit_identical_to_the_reference() {
    for padding in [Padding::Same, Padding::Valid] {
        let s = setup(2, 6, 2, padding);
        let n = s.shape.inputs();
        let mut fe = start_cnn(ProtocolKind::CryptoNn, &s, Backend::Fe).unwrap();
        let mut rf = start_cnn(ProtocolKind::CryptoNn, &s, Backend::Reference).unwrap();
        // Three steps: the second reuses the first batch's cached ciphertexts.
        let (a, b) = (run(&mut *fe, n, 3), run(&mut *rf, n, 3));
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(x.view.z, y.view.z);
            assert_eq!(x.view.delta, y.view.delta);
            assert_eq!(x.view.dfilters, y.view.dfilters);
            assert_eq!(x.view.filters, y.view.filters);
            assert!(x.view.dfilters.as_ref().unwrap().iter().any(|&v| v != 0.0));
        }
        assert_eq!(fe.model(), rf.model());
        assert_ne!(fe.model(), s.initial_model().unwrap());
        // The FE run really moved bytes; the reference moves none.
        assert!(fe.cost().traffic.ciphertext_bytes > 0 && fe.cost().traffic.key_bytes > 0);
        assert_eq!(rf.cost().traffic.key_bytes, 0);
    }
}

#[test]
fn fhipe_patch_keys_are_bit_identical_to_the_reference() {
    let s = setup(1, 4, 2, Padding::Same);
    let n = s.shape.inputs();
    let mut fe = start_cnn(ProtocolKind::Fhipe, &s, Backend::Fe).unwrap();
    let mut rf = start_cnn(ProtocolKind::Fhipe, &s, Backend::Reference).unwrap();
    let (a, b) = (run(&mut *fe, n, 2), run(&mut *rf, n, 2));
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.view.z, y.view.z);
        assert_eq!(x.view.delta, y.view.delta);
        assert_eq!(x.view.weight_scale, Some(100.0));
    }
    assert_eq!(fe.model(), rf.model());
}

#[test]
fn client_loop_is_plaintext_sgd() {
    // The default 2×2 pooling, then 3×3: the server's head is the plaintext network's.
    for pool in [2, 3] {
        let s = CnnSetup {
            pool,
            ..setup(2, 6, 3, Padding::Same)
        };
        let n = s.shape.inputs();
        let mut p = start_cnn(ProtocolKind::ClientLoop, &s, Backend::Fe).unwrap();
        let mut plain = s.initial_model().unwrap();
        assert_eq!(plain.pool(), pool);
        let q = s.quant;
        for step in 0..3 {
            let b = batch(n, 2, step % 2);
            let got = p.step(&b, LR).unwrap();
            let (loss, correct) = plain
                .sgd_step(q.pixels_real(b.pixels.view()).view(), &b.labels, LR)
                .unwrap();
            assert_eq!((got.loss, got.correct), (loss, correct));
        }
        assert_eq!(p.model(), plain);
    }
}

#[test]
fn mitigation_views_hold_no_filters() {
    let s = setup(1, 6, 2, Padding::Same);
    let n = s.shape.inputs();
    let filters = s.initial_model().unwrap().filters().clone();
    for kind in [ProtocolKind::ClientLoop, ProtocolKind::Fhipe] {
        let mut p = start_cnn(kind, &s, Backend::Reference).unwrap();
        for st in run(&mut *p, n, 2) {
            let v = &st.view;
            assert_eq!(v.protocol, kind);
            assert!(v.filters.is_none() && v.dfilters.is_none(), "{kind}");
            assert_eq!(v.z.dim(), (2, s.shape.outputs()));
            // No filter value (the client's, replayed from the public seed here) is anywhere
            // in what the server held.
            let json = serde_json::to_string(v).unwrap();
            for w in filters.iter() {
                let text = serde_json::to_string(&f64::from(*w)).unwrap();
                assert!(
                    !json.contains(&text),
                    "{kind}: filter value {text} in the view"
                );
            }
        }
    }
    // CryptoNN's server does hold its filters (the contrast the mitigations remove).
    let mut c = start_cnn(ProtocolKind::CryptoNn, &s, Backend::Reference).unwrap();
    let v = c.step(&batch(n, 2, 0), LR).unwrap().view;
    assert!(v.filters.is_some() && v.dfilters.is_some());
}

#[test]
fn bad_settings_are_errors() {
    let s = setup(1, 6, 2, Padding::Same);
    assert!(start_cnn(ProtocolKind::FeNet, &s, Backend::Reference).is_err());
    let mut p = start_cnn(ProtocolKind::CryptoNn, &s, Backend::Reference).unwrap();
    // Images of the wrong size.
    assert!(p.step(&batch(35, 2, 0), LR).is_err());
    // Too small for 2×2 pooling.
    let tiny = CnnSetup {
        shape: ConvShape::new(1, 3, 3, 3, 1, Padding::Valid).unwrap(),
        ..s
    };
    assert!(start_cnn(ProtocolKind::ClientLoop, &tiny, Backend::Reference).is_err());
    assert!(Cnn::new(tiny.shape, 1).is_err());
    // Pooling windows 1..=8 that fit the 6×6 output.
    for pool in [0, 7, 9] {
        let bad = CnnSetup { pool, ..s };
        assert!(start_cnn(ProtocolKind::CryptoNn, &bad, Backend::Reference).is_err());
    }
}
