//! The attack formulations on small synthetic problems with known answers.

use glasslayer::attack::linalg::DenseCholesky;
use glasslayer::attack::{
    formulation, ipm, Attacker, GradientLeak, Leak, Method, Observation, Options, SolveStatus,
    Solver,
};
use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const SIDE: usize = 12;
const N: usize = SIDE * SIDE;

fn gaussian(h: usize, n: usize, seed: u64) -> Array2<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    Array2::from_shape_simple_fn((h, n), || {
        let u1: f64 = rng.gen_range(f64::MIN_POSITIVE..1.0);
        let u2: f64 = rng.gen();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    })
}

/// A smooth-ish "digit": a bright ring on a dark background, values in [0, 1].
fn ring() -> Vec<f64> {
    (0..N)
        .map(|p| {
            let (i, j) = ((p / SIDE) as f64 - 5.5, (p % SIDE) as f64 - 5.5);
            let r = (i * i + j * j).sqrt();
            (1.0 - (r - 3.5).abs() / 1.5).clamp(0.0, 1.0)
        })
        .collect()
}

/// A smooth image: |x_p − mean(nbrs)| is far below the paper's t = 25/255.
fn smooth() -> Vec<f64> {
    (0..N)
        .map(|p| {
            let (i, j) = ((p / SIDE) as f64, (p % SIDE) as f64);
            0.5 + 0.3 * (i / 4.0).sin() * (j / 5.0).cos()
        })
        .collect()
}

fn attacker() -> Attacker {
    Attacker::new(SIDE, SIDE, 1.0).unwrap()
}

fn lp_of(leak: &Leak, method: &Method) -> glasslayer::attack::lp::AttackLp {
    let o = &leak.observations[0];
    let w = o.w1.as_slice().unwrap();
    let eq = formulation::equations(
        N,
        1.0,
        0.0,
        (0..o.z.len()).map(|i| (&w[i * N..(i + 1) * N], o.z[i])),
    )
    .unwrap()
    .unwrap();
    formulation::build(SIDE, SIDE, 1.0, method, eq).unwrap()
}

fn max_err(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max)
}

#[test]
fn every_method_recovers_exactly_when_h_equals_n() {
    for x in [ring(), smooth()] {
        let leak = Leak::single(Observation::observe(gaussian(N, N, 1), &x).unwrap());
        for method in [Method::MinSum, Method::tv(), Method::paper(None, 1.0)] {
            let rec = attacker()
                .reconstruct(&leak, &method, &Options::default())
                .unwrap();
            assert_eq!(rec.status, SolveStatus::Solved, "{method:?}");
            // determined system: solved directly, without interior-point iterations
            assert_eq!(rec.iterations, 0);
            let err = max_err(rec.image().unwrap(), &x);
            assert!(err < 1e-6, "{method:?}: max error {err}");
            // and the interior-point method itself gets there too
            let lp = lp_of(&leak, &method);
            let sol = ipm::Ipm::new(&lp)
                .unwrap()
                .solve(&ipm::IpmOptions::default());
            assert_eq!(sol.status, SolveStatus::Solved, "{method:?}");
            assert!(sol.iterations > 0);
            let err = max_err(&sol.v[..N], &x);
            assert!(err < 1e-6, "{method:?} (IPM): max error {err}");
        }
    }
    // the smooth image also satisfies the paper's smoothness rows
    let x = smooth();
    let leak = Leak::single(Observation::observe(gaussian(N, N, 1), &x).unwrap());
    let rec = attacker()
        .reconstruct(&leak, &Method::paper(Some(3), 1.0), &Options::default())
        .unwrap();
    assert_eq!(rec.status, SolveStatus::Solved);
    assert!(max_err(rec.image().unwrap(), &x) < 1e-6);
}

#[test]
fn works_on_the_0_255_scale_too() {
    let x: Vec<f64> = ring().iter().map(|v| (v * 255.0).round()).collect();
    let leak = Leak::single(Observation::observe(gaussian(N, N, 2), &x).unwrap());
    let a = Attacker::new(SIDE, SIDE, 255.0).unwrap();
    let rec = a
        .reconstruct(&leak, &Method::paper(None, 255.0), &Options::default())
        .unwrap();
    assert_eq!(rec.status, SolveStatus::Solved);
    assert!(max_err(rec.image().unwrap(), &x) < 1e-4);
}

#[test]
fn minsum_recovers_a_sparse_image_from_fewer_equations() {
    let mut x = vec![0.0; N];
    for (k, p) in [13usize, 14, 27, 40, 53, 66, 79, 80, 81, 100]
        .iter()
        .enumerate()
    {
        x[*p] = 0.3 + 0.07 * k as f64;
    }
    let leak = Leak::single(Observation::observe(gaussian(70, N, 3), &x).unwrap());
    let rec = attacker()
        .reconstruct(&leak, &Method::MinSum, &Options::default())
        .unwrap();
    assert!(max_err(rec.image().unwrap(), &x) < 1e-6);
}

#[test]
fn stacked_observations_determine_the_sample() {
    // two epochs, each h = n/2 with a different W1: neither alone determines the ring
    let x = ring();
    let half = N / 2;
    let leak = Leak {
        observations: vec![
            Observation::observe(gaussian(half, N, 4), &x).unwrap(),
            Observation::observe(gaussian(half, N, 5), &x).unwrap(),
        ],
        gradient: None,
    };
    let rec = attacker()
        .reconstruct(&leak, &Method::paper(None, 1.0), &Options::default())
        .unwrap();
    assert!(max_err(rec.image().unwrap(), &x) < 1e-5);
    let one = Leak::single(leak.observations[0].clone());
    let rec1 = attacker()
        .reconstruct(&one, &Method::paper(None, 1.0), &Options::default())
        .unwrap();
    assert!(max_err(rec1.image().unwrap(), &x) > 0.05);
}

#[test]
fn infeasibility_is_detected_and_reported_by_every_solver() {
    // a checkerboard violates |x_p − mean(nbrs)| ≤ 25/255 everywhere; with h = n the only
    // candidate is x itself, so the smoothness rows make the LP infeasible
    let x: Vec<f64> = (0..N).map(|p| ((p / SIDE + p % SIDE) % 2) as f64).collect();
    let leak = Leak::single(Observation::observe(gaussian(N, N, 6), &x).unwrap());
    for solver in [Solver::InteriorPoint, Solver::Simplex, Solver::Clarabel] {
        let opts = Options {
            solver,
            ..Options::default()
        };
        let rec = attacker()
            .reconstruct(&leak, &Method::paper(Some(2), 1.0), &opts)
            .unwrap();
        assert_eq!(rec.status, SolveStatus::Infeasible, "{solver:?}");
        assert!(rec.images.is_empty());
        assert!(rec.image().is_err());
    }
    // without the smoothness rows the same observation is feasible
    let rec = attacker()
        .reconstruct(&leak, &Method::paper(None, 1.0), &Options::default())
        .unwrap();
    assert_eq!(rec.status, SolveStatus::Solved);
}

#[test]
fn observations_outside_the_pixel_range_are_infeasible() {
    // z_0 = Σ x ≤ n is impossible to reach with z_0 = 2n
    let w = Array2::from_elem((1, N), 1.0);
    let leak = Leak::single(Observation::new(w, vec![2.0 * N as f64]).unwrap());
    let rec = attacker()
        .reconstruct(&leak, &Method::MinSum, &Options::default())
        .unwrap();
    assert_eq!(rec.status, SolveStatus::Infeasible);
}

#[test]
fn the_epsilon_band_tolerates_rounded_observations() {
    // a binary image sits on the bounds: with h = n and rounded z, the exact equations ask for
    // W⁻¹·round(z), which leaves [0, 1]; the band |W x − z| ≤ 0.005 accepts it
    let x: Vec<f64> = ring().iter().map(|v| v.round()).collect();
    let obs = Observation::observe(gaussian(N, N, 7), &x).unwrap();
    let z: Vec<f64> = obs.z.iter().map(|v| (v * 100.0).round() / 100.0).collect();
    let leak = Leak::single(Observation::new(obs.w1.clone(), z).unwrap());
    let exact = attacker()
        .reconstruct(&leak, &Method::MinSum, &Options::default())
        .unwrap();
    assert_eq!(exact.status, SolveStatus::Infeasible);
    let band = Options {
        epsilon: 0.005,
        ..Options::default()
    };
    for method in [Method::MinSum, Method::tv(), Method::paper(None, 1.0)] {
        let rec = attacker().reconstruct(&leak, &method, &band).unwrap();
        assert_eq!(rec.status, SolveStatus::Solved, "{method:?}");
        assert!(max_err(rec.image().unwrap(), &x) < 0.05, "{method:?}");
    }
}

#[test]
fn interior_point_matches_clarabel_and_the_simplex_on_the_optimum() {
    let x = ring();
    let leak = Leak::single(Observation::observe(gaussian(40, N, 8), &x).unwrap());
    for method in [Method::MinSum, Method::Tv { lambda: 0.3 }] {
        let mut objective = Vec::new();
        for solver in [Solver::InteriorPoint, Solver::Simplex, Solver::Clarabel] {
            let opts = Options {
                solver,
                ..Options::default()
            };
            let rec = attacker().reconstruct(&leak, &method, &opts).unwrap();
            assert_eq!(rec.status, SolveStatus::Solved, "{method:?} {solver:?}");
            assert!(rec.violation < 1e-6, "{method:?} {solver:?}");
            let img = rec.image().unwrap();
            objective.push(objective_of(&method, img));
        }
        for o in &objective[1..] {
            assert!(
                (o - objective[0]).abs() < 1e-5 * (1.0 + objective[0].abs()),
                "{method:?}: {objective:?}"
            );
        }
    }
}

fn objective_of(method: &Method, x: &[f64]) -> f64 {
    let d = glasslayer::attack::smoothness::differences(SIDE, SIDE);
    match method {
        Method::MinSum => x.iter().sum(),
        Method::Tv { lambda } => {
            d.mul(x).iter().map(|v| v.abs()).sum::<f64>() + lambda * x.iter().sum::<f64>()
        }
        _ => 0.0,
    }
}

#[test]
fn paper_returns_the_analytic_centre_not_a_vertex() {
    // At the analytic centre of {W x = z, 0 ≤ x ≤ 1} the barrier gradient
    // g_i = 1/x_i − 1/(1 − x_i) lies in the row space of W.
    let x = ring();
    let h = 60;
    let w = gaussian(h, N, 9);
    let leak = Leak::single(Observation::observe(w.clone(), &x).unwrap());
    let rec = attacker()
        .reconstruct(&leak, &Method::paper(None, 1.0), &Options::default())
        .unwrap();
    let c = rec.image().unwrap();
    assert!(c.iter().all(|&v| v > 1e-6 && v < 1.0 - 1e-6), "interior");
    let g: Vec<f64> = c.iter().map(|v| 1.0 / v - 1.0 / (1.0 - v)).collect();
    let ww: Vec<f64> = w.dot(&w.t()).iter().copied().collect();
    let mut coef: Vec<f64> = w.dot(&ndarray::Array1::from(g.clone())).to_vec();
    DenseCholesky::factor(ww, h).solve(&mut coef);
    let proj = w.t().dot(&ndarray::Array1::from(coef));
    let resid = g
        .iter()
        .zip(proj.iter())
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max);
    let scale = g.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    assert!(resid < 1e-5 * scale, "residual {resid} of {scale}");
    // the simplex returns a vertex instead: at least n − h pixels on a bound
    let simplex = attacker()
        .reconstruct(
            &leak,
            &Method::paper(None, 1.0),
            &Options {
                solver: Solver::Simplex,
                ..Options::default()
            },
        )
        .unwrap();
    let at_bound = simplex
        .image()
        .unwrap()
        .iter()
        .filter(|&&v| !(1e-7..=1.0 - 1e-7).contains(&v))
        .count();
    assert!(at_bound >= N - h, "{at_bound} pixels at a bound");
}

#[test]
fn gradient_leak_is_exact_for_batch_one_and_a_small_batch() {
    let x = ring();
    let h = 16;
    let mut rng = ChaCha8Rng::seed_from_u64(10);
    // batch 1, with some δ1_i = 0 (inactive ReLUs)
    let delta: Vec<f64> = (0..h)
        .map(|i| {
            if i % 3 == 0 {
                0.0
            } else {
                rng.gen_range(-1.0..1.0)
            }
        })
        .collect();
    let dw1 = Array2::from_shape_fn((h, N), |(i, j)| delta[i] * x[j]);
    let leak = Leak {
        observations: vec![],
        gradient: Some(GradientLeak {
            dw1,
            delta1: Array2::from_shape_vec((1, h), delta).unwrap(),
            scale: 1.0,
        }),
    };
    let rec = attacker()
        .reconstruct(&leak, &Method::Gradient, &Options::default())
        .unwrap();
    assert!(max_err(rec.image().unwrap(), &x) < 1e-12);
    // batch 3, mean gradient dW1 = (1/3)·Δᵀ·X
    let xs: Vec<Vec<f64>> = (0..3)
        .map(|b| x.iter().map(|v| (v + 0.2 * b as f64).min(1.0)).collect())
        .collect();
    let delta = Array2::from_shape_fn((3, h), |_| rng.gen_range(-1.0..1.0));
    let xm = Array2::from_shape_fn((3, N), |(b, j)| xs[b][j]);
    let dw1 = delta.t().dot(&xm) / 3.0;
    let leak = Leak {
        observations: vec![],
        gradient: Some(GradientLeak {
            dw1,
            delta1: delta,
            scale: 1.0 / 3.0,
        }),
    };
    let rec = attacker()
        .reconstruct(&leak, &Method::Gradient, &Options::default())
        .unwrap();
    assert_eq!(rec.images.len(), 3);
    for (r, t) in rec.images.iter().zip(&xs) {
        assert!(max_err(r, t) < 1e-9);
    }
}

#[test]
fn unusable_inputs_are_errors_not_panics() {
    let a = attacker();
    let opts = Options::default();
    // wrong number of pixels
    let leak = Leak::single(Observation::new(Array2::zeros((3, N + 1)), vec![0.0; 3]).unwrap());
    assert!(a.reconstruct(&leak, &Method::MinSum, &opts).is_err());
    // W1 and z disagree
    assert!(Observation::new(Array2::zeros((3, N)), vec![0.0; 2]).is_err());
    // NaN
    let leak = Leak::single(Observation::new(Array2::zeros((1, N)), vec![f64::NAN]).unwrap());
    assert!(a.reconstruct(&leak, &Method::MinSum, &opts).is_err());
    // no observation, no gradient
    assert!(a
        .reconstruct(&Leak::default(), &Method::tv(), &opts)
        .is_err());
    assert!(a
        .reconstruct(&Leak::default(), &Method::Gradient, &opts)
        .is_err());
    // zero δ1
    let leak = Leak {
        observations: vec![],
        gradient: Some(GradientLeak {
            dw1: Array2::zeros((4, N)),
            delta1: Array2::zeros((1, 4)),
            scale: 1.0,
        }),
    };
    assert!(a.reconstruct(&leak, &Method::Gradient, &opts).is_err());
    // batch larger than h
    let leak = Leak {
        observations: vec![],
        gradient: Some(GradientLeak {
            dw1: Array2::zeros((2, N)),
            delta1: Array2::ones((3, 2)),
            scale: 1.0,
        }),
    };
    assert!(a.reconstruct(&leak, &Method::Gradient, &opts).is_err());
    // bad method parameters
    let leak = Leak::single(Observation::observe(gaussian(4, N, 11), &ring()).unwrap());
    assert!(a
        .reconstruct(&leak, &Method::Tv { lambda: -1.0 }, &opts)
        .is_err());
    assert!(a
        .reconstruct(
            &leak,
            &Method::Paper {
                period: Some(0),
                t: 0.1
            },
            &opts
        )
        .is_err());
}

#[test]
fn equations_are_scaled_to_unit_rows() {
    let w = [3.0, 4.0, 0.0, 0.0];
    let eq = formulation::equations(2, 255.0, 5.0, [(&w[..2], 10.0), (&w[2..], 0.0)].into_iter())
        .unwrap()
        .unwrap();
    assert_eq!(eq.m, 1);
    assert_eq!(eq.dropped, 1);
    assert!((eq.w[0] - 0.6).abs() < 1e-15 && (eq.w[1] - 0.8).abs() < 1e-15);
    assert!((eq.b[0] - 10.0 / 5.0 / 255.0).abs() < 1e-15);
    assert!((eq.eps[0] - 5.0 / 5.0 / 255.0).abs() < 1e-15);
    // a zero row that asks for z ≠ 0 is infeasible outright
    assert!(
        formulation::equations(2, 1.0, 0.0, [(&w[2..], 1.0)].into_iter())
            .unwrap()
            .is_none()
    );
}

#[test]
fn ipm_reports_iteration_limit() {
    let x = ring();
    let leak = Observation::observe(gaussian(30, N, 12), &x).unwrap();
    let eq = formulation::equations(
        N,
        1.0,
        0.0,
        (0..30).map(|i| (&leak.w1.as_slice().unwrap()[i * N..(i + 1) * N], leak.z[i])),
    )
    .unwrap()
    .unwrap();
    let lp = formulation::build(SIDE, SIDE, 1.0, &Method::tv(), eq).unwrap();
    let sol = ipm::solve(
        &lp,
        &ipm::IpmOptions {
            max_iter: 2,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(sol.status, SolveStatus::IterationLimit);
}
