//! Criterion benchmarks of the attack LPs on an MNIST training digit (trained weights are a CLI
//! matter; here `W1 ~ N(0, 1)`, seeded): the structured interior-point method for `minsum`,
//! `tv`, `paper` and stacked `minsum`, the `microlp` simplex on `tv` for comparison, and the
//! paper's CIFAR-10 size (n = 1024, h = 900). `cargo bench -p glasslayer --bench attack`.

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use criterion::{criterion_group, BenchmarkId, Criterion};
    use glasslayer::attack::{
        weights::gaussian, Attacker, Leak, Method, Observation, Options, Solver,
    };
    use glasslayer::data::{Cifar10, Mnist, Split};

    fn digit() -> Vec<f64> {
        match Mnist::load(Split::Train) {
            Ok(m) => m.image(0).iter().map(|&p| f64::from(p) / 255.0).collect(),
            // no data: a synthetic ring, so the benchmark still runs
            Err(_) => (0..784)
                .map(|p| {
                    let (i, j) = ((p / 28) as f64 - 13.5, (p % 28) as f64 - 13.5);
                    (1.0 - ((i * i + j * j).sqrt() - 8.0).abs() / 2.5).clamp(0.0, 1.0)
                })
                .collect(),
        }
    }

    fn leak(x: &[f64], h: usize, visits: usize) -> Leak {
        Leak {
            observations: (0..visits)
                .map(|v| Observation::observe(gaussian(h, x.len(), 10 + v as u64), x).expect("obs"))
                .collect(),
            gradient: None,
        }
    }

    pub fn mnist(c: &mut Criterion) {
        let x = digit();
        let a = Attacker::mnist();
        let ipm = Options::default();
        let mut g = c.benchmark_group("attack/mnist");
        g.sample_size(10);
        for (name, method, h, visits) in [
            ("minsum", Method::MinSum, 128, 1),
            ("minsum", Method::MinSum, 392, 1),
            ("tv", Method::tv(), 64, 1),
            ("tv", Method::tv(), 128, 1),
            ("paper", Method::paper(None, 1.0), 128, 1),
            ("stacked-minsum-x2", Method::MinSum, 128, 2),
        ] {
            let l = leak(&x, h, visits);
            g.bench_function(BenchmarkId::new(format!("{name}/ipm"), h), |b| {
                b.iter(|| a.reconstruct(&l, &method, &ipm).expect("attack"))
            });
        }
        let l = leak(&x, 128, 1);
        let simplex = Options {
            solver: Solver::Simplex,
            ..Options::default()
        };
        g.bench_function(BenchmarkId::new("tv/simplex", 128), |b| {
            b.iter(|| a.reconstruct(&l, &Method::tv(), &simplex).expect("attack"))
        });
        g.finish();
    }

    pub fn cifar(c: &mut Criterion) {
        let Ok(data) = Cifar10::load() else {
            eprintln!("CIFAR-10 not found: skipping attack/cifar");
            return;
        };
        let Ok(img) = data.gray(0) else { return };
        let x: Vec<f64> = img.iter().map(|&p| f64::from(p)).collect();
        let a = Attacker {
            rows: 32,
            cols: 32,
            pixel_max: 255.0,
        };
        let mut g = c.benchmark_group("attack/cifar");
        g.sample_size(10);
        for (period, h) in [(None, 350), (None, 900), (Some(4), 900)] {
            let l = leak(&x, h, 1);
            let m = Method::paper(period, 255.0);
            let name = format!(
                "paper-p{}/ipm",
                period.map_or("none".into(), |p: usize| p.to_string())
            );
            g.bench_function(BenchmarkId::new(name, h), |b| {
                b.iter(|| a.reconstruct(&l, &m, &Options::default()).expect("attack"))
            });
        }
        g.finish();
    }

    criterion_group!(benches, mnist, cifar);
}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(native::benches);

#[cfg(target_arch = "wasm32")]
fn main() {}
