//! The attacker on server views: which views of a sample each attack reads.
//!
//! Two views of one sample whose `W1` observes exactly the 8×8 box holding the digit's ink: one
//! carries the true `z = W1·x`, the other `z = 0` (as if the sample had been blank). Whichever
//! view the attack reads decides whether it recovers the sample.

use glasslayer::attack::{Attacker, Options};
use glasslayer::protocol::leak::{attack_sample, ViewAttack};
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
        w1: Some(w1.clone()),
        z1: Array2::from_shape_vec((1, 64), z).unwrap(),
        delta1: Array2::zeros((1, 64)),
        dw1: None,
        labels: Some(vec![1]),
        traffic: Traffic::default(),
    }
}

fn psnr(views: &[ServerView], kind: ViewAttack, truth: &[f64], w1: &Array2<f64>) -> f64 {
    let guess = Array2::zeros(w1.dim());
    attack_sample(
        views,
        ID,
        truth,
        kind,
        &guess,
        &Attacker::mnist(),
        &Options::default(),
    )
    .unwrap()
    .quality
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
    for kind in [ViewAttack::Tv, ViewAttack::Minsum] {
        let good = psnr(&latest_true, kind, &x, &w1);
        let bad = psnr(&latest_blank, kind, &x, &w1);
        assert!(good > 35.0, "{kind:?} on the latest (true) view: {good} dB");
        assert!(
            bad < good - 15.0,
            "{kind:?} must not read the first view: {bad} vs {good} dB"
        );
    }
    // Stacking both views asks for W1·x = z and W1·x = 0 at once: no image satisfies both, and
    // the attacker reports an empty image rather than a wrong one.
    let stacked = psnr(&latest_true, ViewAttack::Stacked, &x, &w1);
    let empty = psnr(&[view(1, &w1, vec![0.0; 64])], ViewAttack::Tv, &x, &w1);
    assert!(
        stacked <= empty + 1e-9,
        "stacked on contradictory views: {stacked} dB"
    );
}
