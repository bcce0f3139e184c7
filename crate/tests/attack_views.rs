//! The one attacker on server views: which views of a sample each attack reads, how it chooses a
//! `W1` when the view holds none (from what it can compute, never from the truth), and when it
//! says an attack does not apply.
//!
//! Two views of one sample whose `W1` observes exactly the 8×8 box holding the digit's ink: one
//! carries the true `z = W1·x`, the other `z = 0` (as if the sample had been blank). Whichever
//! view the attack reads decides whether it recovers the sample.

use glasslayer::attack::{
    attack_sample, score, AttackKind, Candidate, Outcome, PublicKnowledge, Rebuild,
};
use glasslayer::protocol::{ProtocolKind, ServerView, Traffic};
use ndarray::Array2;

const N: usize = 784;
const ID: usize = 7;

/// A digit-like blob inside rows/cols 10..18, and the 64 selector rows that observe that box.
fn sample_and_w1() -> (Vec<f64>, Array2<f64>) {
    let mut x = vec![0.0; N];
    let mut w1 = Array2::zeros((64, N));
    for (k, (i, j)) in (10..18)
        .flat_map(|i| (10..18).map(move |j| (i, j)))
        .enumerate()
    {
        let p = i * 28 + j;
        if (12..16).contains(&i) || j == 13 {
            x[p] = 0.8;
        }
        w1[[k, p]] = 1.0;
    }
    (x, w1)
}

fn view(step: usize, w1: &Array2<f64>, z: Vec<f64>) -> ServerView {
    ServerView {
        protocol: ProtocolKind::CryptoNn,
        step,
        sample_ids: vec![ID],
        input: N,
        hidden: 64,
        pixel_levels: 255,
        weight_scale: None,
        w1: Some(w1.clone()),
        z1: Array2::from_shape_vec((1, 64), z).unwrap(),
        delta1: Array2::zeros((1, 64)),
        dw1: None,
        labels: Some(vec![1]),
        traffic: Traffic::default(),
    }
}

fn rebuild(views: &[ServerView], kind: AttackKind, public: &PublicKnowledge) -> Rebuild {
    match attack_sample(views, ID, kind, public).unwrap() {
        Outcome::Rebuilt(r) => r,
        Outcome::NotApplicable { reason, .. } => panic!("{kind} not applicable: {reason}"),
    }
}

fn psnr(views: &[ServerView], kind: AttackKind, truth: &[f64]) -> f64 {
    let public = PublicKnowledge::mnist();
    score(truth, &rebuild(views, kind, &public).image, &public)
        .unwrap()
        .psnr
}

#[test]
fn tv_and_minsum_read_the_latest_view_stacked_reads_all() {
    let (x, w1) = sample_and_w1();
    let z: Vec<f64> = w1.dot(&ndarray::Array1::from(x.clone())).to_vec();
    let true_view = view(5, &w1, z);
    let blank_view = view(1, &w1, vec![0.0; 64]);
    let latest_true = [blank_view.clone(), true_view.clone()];
    let latest_blank = [true_view, blank_view];
    for kind in [AttackKind::Tv, AttackKind::Minsum] {
        let good = psnr(&latest_true, kind, &x);
        let bad = psnr(&latest_blank, kind, &x);
        assert!(good > 35.0, "{kind:?} on the latest (true) view: {good} dB");
        assert!(
            bad < good - 15.0,
            "{kind:?} must not read the first view: {bad} vs {good} dB"
        );
    }
    // Stacking both views asks for W1·x = z and W1·x = 0 at once: no image satisfies both, and
    // the attacker says so and falls back to what it knows without the views (here nothing:
    // an empty image) rather than a wrong image.
    let r = rebuild(&latest_true, AttackKind::Stacked, &PublicKnowledge::mnist());
    assert_ne!(r.status, "solved");
    assert_eq!(r.observations, 2);
    assert!(r.image.iter().all(|&p| p == 0.0));
}

/// A view without `W1` (a mitigation): the attacker tries every `W1` it could know and keeps the
/// one whose reconstruction best explains `z` — whatever their order, and without the truth.
#[test]
fn without_w1_the_attacker_keeps_the_candidate_that_explains_z() {
    let (x, w1) = sample_and_w1();
    let z: Vec<f64> = w1.dot(&ndarray::Array1::from(x.clone())).to_vec();
    let mut v = view(0, &w1, z);
    v.protocol = ProtocolKind::Fhipe;
    v.w1 = None;
    // A wrong W1 that no image with pixels ≥ 0 fits: the selector rows negated (any W1 of full
    // row rank would fit z exactly, and the residual could not tell them apart).
    let wrong = w1.mapv(|w| -w);
    let cand = |name: &str, w: &Array2<f64>| Candidate {
        source: name.into(),
        w1: w.clone(),
    };
    for order in [
        vec![cand("wrong", &wrong), cand("right", &w1)],
        vec![cand("right", &w1), cand("wrong", &wrong)],
    ] {
        let public = PublicKnowledge {
            candidates: order,
            ..PublicKnowledge::mnist()
        };
        let r = rebuild(&[v.clone()], AttackKind::Tv, &public);
        assert_eq!(r.w1_source, "right");
        assert!(!r.knows_w1);
        assert_eq!(r.tried.len(), 2);
        let q = score(&x, &r.image, &public).unwrap();
        assert!(q.psnr > 35.0, "{} dB", q.psnr);
    }
    // No candidate of the right shape: the attack does not apply, and says why.
    let public = PublicKnowledge {
        candidates: vec![cand("too small", &Array2::zeros((3, N)))],
        ..PublicKnowledge::mnist()
    };
    match attack_sample(&[v.clone()], ID, AttackKind::Tv, &public).unwrap() {
        Outcome::NotApplicable { reason, .. } => assert!(reason.contains("never held W1")),
        other => panic!("expected not applicable, got {other:?}"),
    }
}

/// Gradient and stacking need what a mitigation never gives the server: the page says so in
/// words instead of running another attack under their name.
#[test]
fn gradient_and_stacked_do_not_apply_to_mitigated_views() {
    let (x, w1) = sample_and_w1();
    let z: Vec<f64> = w1.dot(&ndarray::Array1::from(x)).to_vec();
    let mut v = view(0, &w1, z);
    v.protocol = ProtocolKind::ClientLoop;
    v.w1 = None;
    let public = PublicKnowledge {
        candidates: vec![Candidate {
            source: "guess".into(),
            w1: w1.clone(),
        }],
        ..PublicKnowledge::mnist()
    };
    for (kind, words) in [
        (AttackKind::Gradient, "never decrypts the gradient"),
        (AttackKind::Stacked, "never holds W1"),
    ] {
        match attack_sample(&[v.clone()], ID, kind, &public).unwrap() {
            Outcome::NotApplicable { attack, reason } => {
                assert_eq!(attack, kind);
                assert!(reason.contains(words), "{reason}");
                assert!(reason.contains("Client in the loop"), "{reason}");
            }
            other => panic!("{kind}: expected not applicable, got {other:?}"),
        }
    }
    assert!(
        attack_sample(&[v], 99, AttackKind::Tv, &public).is_err(),
        "no view holds 99"
    );
}
