//! Criterion benchmarks of the FE engine at the paper's size (n = 784): IPFE encrypt and the
//! server's `z = W1·x` decryption (h = 128 keys, discrete logs included) for each group, and
//! FHIPE setup / keygen / encrypt / decrypt. `cargo bench -p glasslayer --bench fe`; the CLI
//! `glasslayer bench fe --json` prints the same operations as JSON lines.

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use criterion::{criterion_group, BenchmarkId, Criterion};
    use glasslayer::fe::group::{ModP2048, PrimeGroup, Ristretto255};
    use glasslayer::roles::{Authority, Client, FhipeClient, FhipeServer, Server};
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha20Rng;

    const N: usize = 784;

    fn inputs(h: usize) -> (Vec<i64>, Vec<Vec<i64>>) {
        let mut rng = ChaCha20Rng::seed_from_u64(1);
        let x = (0..N).map(|_| rng.gen_range(0..=255)).collect();
        let w = (0..h)
            .map(|_| (0..N).map(|_| rng.gen_range(-127..=127)).collect())
            .collect();
        (x, w)
    }

    fn ipfe<G: PrimeGroup>(c: &mut Criterion, h: usize) {
        let (x, w) = inputs(h);
        let (authority, pp) = Authority::<G>::setup(N).expect("setup");
        let keys = authority.function_keys(&w).expect("keys");
        let client = Client::new(pp.clone());
        let server = Server::new(pp, 127 * 255 * N as u64).expect("server");
        let ct = client.encrypt(&x).expect("encrypt");
        let mut g = c.benchmark_group(format!("ipfe/{}", G::NAME));
        g.sample_size(10);
        g.bench_function(BenchmarkId::new("encrypt", N), |b| {
            b.iter(|| client.encrypt(&x).expect("encrypt"))
        });
        g.bench_function(BenchmarkId::new("decrypt_rows", h), |b| {
            b.iter(|| server.decrypt_rows(&ct, &keys).expect("decrypt"))
        });
        g.bench_function(BenchmarkId::new("keygen", h), |b| {
            b.iter(|| authority.function_keys(&w).expect("keys"))
        });
        g.finish();
    }

    fn ristretto(c: &mut Criterion) {
        ipfe::<Ristretto255>(c, 128);
    }

    fn ffdhe2048(c: &mut Criterion) {
        ipfe::<ModP2048>(c, 128);
    }

    fn fhipe(c: &mut Criterion) {
        let h = 16;
        let (x, w) = inputs(h);
        let mut g = c.benchmark_group("fhipe/bls12-381");
        g.sample_size(10);
        g.bench_function(BenchmarkId::new("setup", N), |b| {
            b.iter(|| FhipeClient::setup(N).expect("setup"))
        });
        let client = FhipeClient::setup(N).expect("setup");
        let server = FhipeServer::new(127 * 255 * N as u64).expect("server");
        g.bench_function(BenchmarkId::new("keygen", h), |b| {
            b.iter(|| client.keygen_rows(&w).expect("keys"))
        });
        g.bench_function(BenchmarkId::new("encrypt", N), |b| {
            b.iter(|| client.encrypt(&x).expect("encrypt"))
        });
        let keys = client.keygen_rows(&w).expect("keys");
        let ct = client.encrypt(&x).expect("encrypt");
        g.bench_function(BenchmarkId::new("decrypt_rows", h), |b| {
            b.iter(|| server.decrypt_rows(&ct, &keys).expect("decrypt"))
        });
        g.bench_function(BenchmarkId::new("keygen+encrypt+decrypt_rows", h), |b| {
            b.iter(|| {
                let keys = client.keygen_rows(&w).expect("keys");
                let ct = client.encrypt(&x).expect("encrypt");
                server.decrypt_rows(&ct, &keys).expect("decrypt")
            })
        });
        g.finish();
    }

    criterion_group!(benches, ristretto, ffdhe2048, fhipe);
}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(native::benches);

#[cfg(target_arch = "wasm32")]
fn main() {}
