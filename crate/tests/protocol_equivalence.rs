//! Every protocol's step changes the model exactly as its plaintext reference: the FE paths
//! decrypt bit-identical integers (`Z1`, `dW1`) and end with bit-identical weights.
//! Small dimensions (n = 16, h = 6) keep the real cryptography fast.

use glasslayer::fe::GroupChoice;
use glasslayer::nn::{Activation, Quantization};
use glasslayer::protocol::reference::{quantized_forward_step, quantized_step};
use glasslayer::protocol::{start, Batch, ClientInit, ProtocolKind, Setup};
use glasslayer::Error;
use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const N: usize = 16;
const LR: f32 = 0.5;

fn setup(activation: Activation) -> Setup {
    Setup {
        input: N,
        hidden: 6,
        activation,
        seed: 11,
        // The tests compare with the plaintext model of the same seed.
        client_w1: ClientInit::ReplayPublicSeed,
        quant: Quantization::default(),
        group: GroupChoice::Ristretto255,
    }
}

/// Digit-like random batches: mostly background, some ink.
fn batch(m: usize, seed: u64) -> Batch {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let pixels = Array2::from_shape_fn((m, N), |_| {
        if rng.gen_bool(0.4) {
            rng.gen::<u8>()
        } else {
            0
        }
    });
    let labels = (0..m).map(|_| rng.gen_range(0..10u8)).collect();
    Batch::new(
        pixels,
        labels,
        (0..m).map(|i| i + 100 * seed as usize).collect(),
    )
    .unwrap()
}

fn zs(q: &Quantization) -> f64 {
    f64::from(q.weight_scale) * f64::from(q.pixel_levels)
}

fn check_fe_matches_quantized(kind: ProtocolKind, activation: Activation) {
    let s = setup(activation);
    let q = s.quant;
    let mut proto = start(kind, &s).unwrap();
    let mut reference = s.initial_model().unwrap();
    let mut zero_columns = 0;
    for (k, m) in [(1u64, 3usize), (2, 1), (3, 3)] {
        let b = batch(m, k);
        let step = proto.step(&b, LR).unwrap();
        let r = quantized_step(&mut reference, &b, &q, LR).unwrap();
        let v = &step.view;
        // Units with δ = 0 over the whole batch get no gradient key (their dW1 row is zero).
        zero_columns +=
            r.dq.columns()
                .into_iter()
                .filter(|c| c.iter().all(|&d| d == 0))
                .count();
        assert_eq!(
            v.z1,
            r.z.mapv(|z| z as f64 / zs(&q)),
            "{kind}: Z1, step {k}"
        );
        assert_eq!(
            v.w1.as_ref().unwrap(),
            &r.wq.mapv(|w| w as f64 / f64::from(q.weight_scale)),
            "{kind}: W1 in the view"
        );
        let ds = f64::from(r.s_delta);
        assert_eq!(v.delta1, r.dq.mapv(|d| d as f64 / ds));
        assert_eq!(
            v.dw1.as_ref().unwrap(),
            &r.dw.mapv(|d| d as f64 / (ds * f64::from(q.pixel_levels))),
            "{kind}: dW1, step {k}"
        );
        assert_eq!(step.loss, r.loss);
        assert_eq!(proto.model(), reference, "{kind}: weights after step {k}");
    }
    assert_ne!(proto.model(), s.initial_model().unwrap(), "the model moved");
    if activation == Activation::Relu {
        assert!(
            zero_columns > 0,
            "{kind}: the zero-column path was exercised"
        );
    }
}

#[test]
fn cryptonn_step_equals_plaintext_quantized_step() {
    check_fe_matches_quantized(ProtocolKind::CryptoNn, Activation::Relu);
    check_fe_matches_quantized(ProtocolKind::CryptoNn, Activation::Sigmoid);
}

#[test]
fn fenet_step_equals_plaintext_quantized_step() {
    check_fe_matches_quantized(ProtocolKind::FeNet, Activation::Relu);
}

#[test]
fn cryptonn_over_ffdhe_equals_the_same_reference() {
    let s = Setup {
        group: GroupChoice::Ffdhe2048,
        hidden: 3,
        ..setup(Activation::Relu)
    };
    let mut proto = start(ProtocolKind::CryptoNn, &s).unwrap();
    let mut reference = s.initial_model().unwrap();
    let b = batch(2, 9);
    let step = proto.step(&b, LR).unwrap();
    let r = quantized_step(&mut reference, &b, &s.quant, LR).unwrap();
    assert_eq!(step.view.z1, r.z.mapv(|z| z as f64 / zs(&s.quant)));
    assert_eq!(proto.model(), reference);
}

#[test]
fn client_loop_step_equals_plaintext_sgd() {
    let s = setup(Activation::Relu);
    let mut proto = start(ProtocolKind::ClientLoop, &s).unwrap();
    let mut reference = s.initial_model().unwrap();
    for k in 1..4 {
        let b = batch(4, k);
        let x = b.pixels.mapv(|p| f32::from(p) / 255.0);
        let before = reference.clone();
        let (loss, correct) = reference.sgd_step(x.view(), &b.labels, LR).unwrap();
        let step = proto.step(&b, LR).unwrap();
        assert_eq!((step.loss, step.correct), (loss, correct));
        assert_eq!(
            step.view.z1,
            before.first_layer(x.view()).unwrap().mapv(f64::from)
        );
        assert_eq!(proto.model(), reference, "weights after step {k}");
    }
}

#[test]
fn fhipe_step_equals_quantized_forward_with_client_gradient() {
    let s = setup(Activation::Relu);
    let q = s.quant;
    let mut proto = start(ProtocolKind::Fhipe, &s).unwrap();
    let mut reference = s.initial_model().unwrap();
    for k in 1..3 {
        let b = batch(2, k);
        let step = proto.step(&b, LR).unwrap();
        let z = quantized_forward_step(&mut reference, &b, &q, LR).unwrap();
        assert_eq!(step.view.z1, z.mapv(|z| z as f64 / zs(&q)));
        assert_eq!(proto.model(), reference, "weights after step {k}");
    }
}

/// A value outside the discrete-log range is an error, in the FE path and in the reference.
#[test]
fn out_of_range_values_are_errors_not_wrong_answers() {
    let s = Setup {
        quant: Quantization {
            bound: 50,
            ..Quantization::default()
        },
        ..setup(Activation::Relu)
    };
    let b = batch(3, 5);
    let mut proto = start(ProtocolKind::CryptoNn, &s).unwrap();
    assert!(matches!(
        proto.step(&b, LR),
        Err(Error::DlogOutOfRange { bound: 50 })
    ));
    let mut reference = s.initial_model().unwrap();
    assert!(matches!(
        quantized_step(&mut reference, &b, &s.quant, LR),
        Err(Error::DlogOutOfRange { bound: 50 })
    ));
    assert_eq!(
        proto.model(),
        s.initial_model().unwrap(),
        "a failed step changes nothing"
    );
}

#[test]
fn a_batch_of_the_wrong_width_is_rejected() {
    let s = setup(Activation::Relu);
    let bad = Batch::new(Array2::zeros((1, N + 1)), vec![0], vec![0]).unwrap();
    for kind in ProtocolKind::ALL {
        let mut p = start(kind, &s).unwrap();
        assert!(p.step(&bad, LR).is_err(), "{kind}");
    }
    assert!(Batch::new(Array2::zeros((2, N)), vec![0], vec![0, 1]).is_err());
}
