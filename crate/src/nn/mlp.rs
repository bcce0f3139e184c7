//! A 784-h-10 perceptron, split where the protocols split it.
//!
//! Shapes (rows are samples; a mini-batch of `m` samples):
//!
//! ```text
//! X  : m × n        W1 : h × n     b1 : h
//! Z1 = X·W1ᵀ  (m × h)                       ← the FE part: row b is W1·x_b
//! A1 = act(Z1 + b1)
//! Z2 = A1·W2ᵀ + b2 (m × 10)      P = softmax(Z2)
//! L  = −(1/m) Σ_b log P[b, y_b]
//! dZ2 = (P − Y)/m   dW2 = dZ2ᵀ·A1   db2 = Σ_b dZ2
//! δ1 = (dZ2·W2) ⊙ act'(Z1 + b1)  (m × h)    db1 = Σ_b δ1
//! dW1 = δ1ᵀ·X (h × n)                       ← the second FE part
//! ```

use super::activation::Activation;
use super::loss::{argmax, cross_entropy, sgd, softmax_rows};
use crate::{Error, Result};
use ndarray::{Array1, Array2, ArrayView2, Axis};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Largest hidden layer the crate accepts.
pub const MAX_HIDDEN: usize = 1024;

/// The network's parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Mlp {
    activation: Activation,
    w1: Array2<f32>,
    b1: Array1<f32>,
    w2: Array2<f32>,
    b2: Array1<f32>,
}

/// Everything the forward pass computed after the first layer (kept for back-propagation).
#[derive(Debug, Clone)]
pub struct Forward {
    /// `Z1 + b1` (m × h).
    pub pre: Array2<f32>,
    /// `A1 = act(Z1 + b1)` (m × h).
    pub a1: Array2<f32>,
    /// Softmax probabilities (m × outputs).
    pub probs: Array2<f32>,
}

impl Forward {
    /// Predicted class of each sample.
    pub fn predictions(&self) -> Vec<u8> {
        self.probs
            .rows()
            .into_iter()
            .map(|r| argmax(r.as_slice().unwrap_or(&r.to_vec())) as u8)
            .collect()
    }
}

/// Gradients of the mean cross-entropy, everything except `dW1` (which needs the data).
#[derive(Debug, Clone, PartialEq)]
pub struct Gradients {
    /// `δ1 = ∂L/∂Z1` (m × h): what the server sends back in the client-loop protocols, and the
    /// key vectors (its columns) in CryptoNN's gradient step.
    pub delta1: Array2<f32>,
    /// `∂L/∂b1` (h).
    pub db1: Array1<f32>,
    /// `∂L/∂W2` (outputs × h).
    pub dw2: Array2<f32>,
    /// `∂L/∂b2` (outputs).
    pub db2: Array1<f32>,
    /// Mean cross-entropy of the batch.
    pub loss: f32,
    /// Number of correctly classified samples in the batch.
    pub correct: usize,
}

/// A standard normal draw (Box–Muller).
pub(crate) fn normal<R: Rng + ?Sized>(rng: &mut R) -> f32 {
    let u1: f64 = rng.gen_range(f64::MIN_POSITIVE..1.0);
    let u2: f64 = rng.gen();
    ((-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()) as f32
}

impl Mlp {
    /// A first layer `W1` (hidden × input) drawn from `rng` with the initialisation of
    /// [`Mlp::new`]. The mitigations' client draws its private `W1` this way from a generator
    /// seeded by the OS CSPRNG.
    pub fn random_w1<R: Rng + ?Sized>(
        input: usize,
        hidden: usize,
        activation: Activation,
        rng: &mut R,
    ) -> Array2<f32> {
        let gain = match activation {
            Activation::Relu => 2.0,
            Activation::Sigmoid => 1.0,
        };
        let s1 = (gain / input as f32).sqrt();
        Array2::from_shape_simple_fn((hidden, input), || s1 * normal(rng))
    }

    /// A network `input`-`hidden`-`outputs` with weights drawn from a seeded generator:
    /// `N(0, 2/fan_in)` (He) for ReLU, `N(0, 1/fan_in)` for sigmoid; biases zero. The same seed
    /// always gives the same network.
    pub fn new(
        input: usize,
        hidden: usize,
        outputs: usize,
        activation: Activation,
        seed: u64,
    ) -> Result<Self> {
        Self::check_shape(input, hidden, outputs)?;
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let w1 = Self::random_w1(input, hidden, activation, &mut rng);
        let s2 = (1.0 / hidden as f32).sqrt();
        let w2 = Array2::from_shape_simple_fn((outputs, hidden), || s2 * normal(&mut rng));
        Ok(Self {
            activation,
            w1,
            b1: Array1::zeros(hidden),
            w2,
            b2: Array1::zeros(outputs),
        })
    }

    /// A network from its parameters: `W1` (hidden × input), `b1`, and `b2 ‖ W2` packed as
    /// `rest = b1 ‖ W2 (outputs × hidden, row-major) ‖ b2`. Shapes are checked.
    pub fn from_parameters(
        activation: Activation,
        w1: Array2<f32>,
        rest: &[f32],
        outputs: usize,
    ) -> Result<Self> {
        let (hidden, input) = w1.dim();
        Self::check_shape(input, hidden, outputs)?;
        if rest.len() != hidden + outputs * hidden + outputs {
            return Err(Error::invalid(format!(
                "network {input}-{hidden}-{outputs}: expected {} parameters after W1, got {}",
                hidden + outputs * hidden + outputs,
                rest.len()
            )));
        }
        // No random draws (they cost ~0.1 µs per weight in wasm): the parameters are given.
        let mut net = Self {
            activation,
            w1,
            b1: Array1::zeros(hidden),
            w2: Array2::zeros((outputs, hidden)),
            b2: Array1::zeros(outputs),
        };
        for (p, v) in net
            .b1
            .iter_mut()
            .chain(net.w2.iter_mut())
            .chain(net.b2.iter_mut())
            .zip(rest)
        {
            *p = *v;
        }
        Ok(net)
    }

    pub(crate) fn check_shape(input: usize, hidden: usize, outputs: usize) -> Result<()> {
        if input == 0 || outputs < 2 {
            return Err(Error::invalid(format!(
                "network {input}-{hidden}-{outputs}: need at least one input and two outputs"
            )));
        }
        if hidden == 0 || hidden > MAX_HIDDEN {
            return Err(Error::invalid(format!(
                "hidden layer of {hidden} units: must be 1..={MAX_HIDDEN}"
            )));
        }
        Ok(())
    }

    /// The MNIST network 784-`hidden`-10.
    pub fn mnist(hidden: usize, activation: Activation, seed: u64) -> Result<Self> {
        Self::new(crate::data::mnist::PIXELS, hidden, 10, activation, seed)
    }

    /// Input size `n`.
    pub fn input(&self) -> usize {
        self.w1.ncols()
    }
    /// Hidden units `h`.
    pub fn hidden(&self) -> usize {
        self.w1.nrows()
    }
    /// Number of classes.
    pub fn outputs(&self) -> usize {
        self.w2.nrows()
    }
    /// The hidden activation.
    pub fn activation(&self) -> Activation {
        self.activation
    }
    /// First-layer weights `W1` (h × n): row `i` is the key vector the server asks for.
    pub fn w1(&self) -> &Array2<f32> {
        &self.w1
    }
    /// First-layer bias (h).
    pub fn b1(&self) -> &Array1<f32> {
        &self.b1
    }
    /// Second-layer weights (outputs × h).
    pub fn w2(&self) -> &Array2<f32> {
        &self.w2
    }
    /// Second-layer bias (outputs).
    pub fn b2(&self) -> &Array1<f32> {
        &self.b2
    }

    /// Replace `W1` (for the client-in-the-loop protocols, where the client owns it, and for
    /// experiments). The shape must match.
    pub fn set_w1(&mut self, w1: Array2<f32>) -> Result<()> {
        if w1.dim() != self.w1.dim() {
            return Err(Error::invalid(format!(
                "W1 of shape {:?}, expected {:?}",
                w1.dim(),
                self.w1.dim()
            )));
        }
        self.w1 = w1;
        Ok(())
    }

    /// The first layer in plaintext: `Z1 = X·W1ᵀ` (m × h).
    pub fn first_layer(&self, x: ArrayView2<f32>) -> Result<Array2<f32>> {
        self.check_x(x)?;
        Ok(x.dot(&self.w1.t()))
    }

    fn check_x(&self, x: ArrayView2<f32>) -> Result<()> {
        if x.ncols() != self.input() {
            return Err(Error::invalid(format!(
                "samples of {} values, the network takes {}",
                x.ncols(),
                self.input()
            )));
        }
        Ok(())
    }

    /// Everything after the first layer: from `Z1` (m × h) to the class probabilities.
    pub fn head(&self, z1: ArrayView2<f32>) -> Result<Forward> {
        if z1.ncols() != self.hidden() {
            return Err(Error::invalid(format!(
                "Z1 has {} columns, the hidden layer has {}",
                z1.ncols(),
                self.hidden()
            )));
        }
        let pre = &z1 + &self.b1;
        let act = self.activation;
        let a1 = pre.mapv(|v| act.apply(v));
        let mut probs = a1.dot(&self.w2.t()) + &self.b2;
        softmax_rows(&mut probs);
        Ok(Forward { pre, a1, probs })
    }

    /// The whole forward pass in plaintext.
    pub fn forward(&self, x: ArrayView2<f32>) -> Result<Forward> {
        self.head(self.first_layer(x)?.view())
    }

    /// Back-propagation from the loss down to `δ1 = ∂L/∂Z1`, for labels `y` (one per row).
    pub fn backward(&self, fwd: &Forward, labels: &[u8]) -> Result<Gradients> {
        let ce = cross_entropy(&fwd.probs, labels)?;
        let dz2 = ce.dz2;
        let dw2 = dz2.t().dot(&fwd.a1);
        let db2 = dz2.sum_axis(Axis(0));
        let mut delta1 = dz2.dot(&self.w2);
        let act = self.activation;
        ndarray::Zip::from(&mut delta1)
            .and(&fwd.pre)
            .and(&fwd.a1)
            .for_each(|d, &z, &a| *d *= act.derivative(z, a));
        let db1 = delta1.sum_axis(Axis(0));
        Ok(Gradients {
            delta1,
            db1,
            dw2,
            db2,
            loss: ce.loss,
            correct: ce.correct,
        })
    }

    /// The plaintext first-layer gradient `dW1 = δ1ᵀ·X` (h × n).
    pub fn first_layer_gradient(delta1: ArrayView2<f32>, x: ArrayView2<f32>) -> Array2<f32> {
        delta1.t().dot(&x)
    }

    /// One SGD update of the server-side parameters (`b1`, `W2`, `b2`) and, when given, of `W1`.
    /// (In the client-in-the-loop protocols the server passes `None` and the client updates `W1`.)
    pub fn apply(&mut self, dw1: Option<ArrayView2<f32>>, g: &Gradients, lr: f32) -> Result<()> {
        if g.dw2.dim() != self.w2.dim() || g.db1.len() != self.hidden() {
            return Err(Error::invalid("gradients do not match the network's shape"));
        }
        if let Some(dw1) = dw1 {
            Self::sgd_w1(&mut self.w1, dw1, lr)?;
        }
        self.b1.scaled_add(-lr, &g.db1);
        self.w2.scaled_add(-lr, &g.dw2);
        self.b2.scaled_add(-lr, &g.db2);
        Ok(())
    }

    /// `W1 ← W1 − lr·dW1` (also what the client runs on its private `W1`).
    pub fn sgd_w1(w1: &mut Array2<f32>, dw1: ArrayView2<f32>, lr: f32) -> Result<()> {
        sgd(w1, dw1, lr, "W1")
    }

    /// Predicted classes for a batch of samples (m × n, pixels in [0, 1]).
    pub fn predict(&self, x: ArrayView2<f32>) -> Result<Vec<u8>> {
        Ok(self.forward(x)?.predictions())
    }

    /// Serialise: `b"GLMLP\x01"`, activation tag, `n`, `h`, `k` (u32 LE), then `W1`, `b1`, `W2`,
    /// `b2` as f32 LE, row-major.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(
            19 + 4 * (self.w1.len() + self.b1.len() + self.w2.len() + self.b2.len()),
        );
        out.extend_from_slice(MAGIC);
        out.push(self.activation.tag());
        for d in [self.input(), self.hidden(), self.outputs()] {
            out.extend_from_slice(&(d as u32).to_le_bytes());
        }
        for v in self
            .w1
            .iter()
            .chain(self.b1.iter())
            .chain(self.w2.iter())
            .chain(self.b2.iter())
        {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out
    }

    /// Parse [`Mlp::to_bytes`], validating the header and the length.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let bad = |m: &str| Error::Decode(format!("MLP bytes: {m}"));
        if bytes.get(..MAGIC.len()) != Some(MAGIC) {
            return Err(bad("bad magic (not a glasslayer MLP, or another version)"));
        }
        let activation = bytes
            .get(MAGIC.len())
            .copied()
            .and_then(Activation::from_tag)
            .ok_or_else(|| bad("unknown activation"))?;
        let dim = |i: usize| -> Result<usize> {
            let at = MAGIC.len() + 1 + 4 * i;
            bytes
                .get(at..at + 4)
                .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
                .ok_or_else(|| bad("truncated header"))
        };
        let (n, h, k) = (dim(0)?, dim(1)?, dim(2)?);
        Self::check_shape(n, h, k).map_err(|e| bad(&e.to_string()))?;
        let count = h * n + h + k * h + k;
        let body = &bytes[MAGIC.len() + 13..];
        if body.len() != 4 * count {
            return Err(bad(&format!(
                "expected {} parameter bytes, found {}",
                4 * count,
                body.len()
            )));
        }
        let vals: Vec<f32> = body
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        let (w1, rest) = vals.split_at(h * n);
        let w1 = Array2::from_shape_vec((h, n), w1.to_vec()).map_err(|e| bad(&e.to_string()))?;
        Self::from_parameters(activation, w1, rest, k).map_err(|e| bad(&e.to_string()))
    }
}

const MAGIC: &[u8] = b"GLMLP\x01";

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    fn tiny() -> Mlp {
        Mlp::new(4, 3, 2, Activation::Sigmoid, 7).unwrap()
    }

    #[test]
    fn seeds_are_deterministic() {
        assert_eq!(tiny(), tiny());
        assert_ne!(tiny(), Mlp::new(4, 3, 2, Activation::Sigmoid, 8).unwrap());
    }

    #[test]
    fn from_parameters_places_every_parameter_and_checks_the_count() {
        let net = tiny();
        let rest: Vec<f32> = net
            .b1
            .iter()
            .chain(net.w2.iter())
            .chain(net.b2.iter())
            .copied()
            .collect();
        let back = Mlp::from_parameters(Activation::Sigmoid, net.w1.clone(), &rest, 2).unwrap();
        assert_eq!(back, net);
        assert!(Mlp::from_parameters(Activation::Sigmoid, net.w1.clone(), &rest[1..], 2).is_err());
        assert_eq!(Mlp::from_bytes(&net.to_bytes()).unwrap(), net);
    }

    #[test]
    fn rejects_bad_shapes() {
        assert!(Mlp::new(4, 0, 2, Activation::Relu, 0).is_err());
        assert!(Mlp::new(4, MAX_HIDDEN + 1, 2, Activation::Relu, 0).is_err());
        let net = tiny();
        assert!(net.first_layer(Array2::zeros((1, 5)).view()).is_err());
        let fwd = net.forward(Array2::zeros((2, 4)).view()).unwrap();
        assert!(net.backward(&fwd, &[0]).is_err());
        assert!(net.backward(&fwd, &[0, 2]).is_err());
    }

    /// Back-propagation agrees with central finite differences of the loss.
    #[test]
    fn gradients_match_finite_differences() {
        let net = tiny();
        let x = array![[0.1f32, 0.9, 0.3, 0.0], [0.5, 0.2, 0.8, 1.0]];
        let y = [1u8, 0];
        let fwd = net.forward(x.view()).unwrap();
        let g = net.backward(&fwd, &y).unwrap();
        let dw1 = Mlp::first_layer_gradient(g.delta1.view(), x.view());
        let loss = |n: &Mlp| {
            let f = n.forward(x.view()).unwrap();
            n.backward(&f, &y).unwrap().loss
        };
        let eps = 1e-2f32;
        for (i, j) in [(0, 0), (1, 2), (2, 3)] {
            let mut p = net.clone();
            p.w1[[i, j]] += eps;
            let mut q = net.clone();
            q.w1[[i, j]] -= eps;
            let num = (loss(&p) - loss(&q)) / (2.0 * eps);
            assert!((num - dw1[[i, j]]).abs() < 1e-3, "dW1[{i},{j}]");
        }
        for (i, j) in [(0, 0), (1, 2)] {
            let mut p = net.clone();
            p.w2[[i, j]] += eps;
            let mut q = net.clone();
            q.w2[[i, j]] -= eps;
            let num = (loss(&p) - loss(&q)) / (2.0 * eps);
            assert!((num - g.dw2[[i, j]]).abs() < 1e-3, "dW2[{i},{j}]");
        }
        let mut p = net.clone();
        p.b1[1] += eps;
        let mut q = net.clone();
        q.b1[1] -= eps;
        assert!(((loss(&p) - loss(&q)) / (2.0 * eps) - g.db1[1]).abs() < 1e-3);
    }

    #[test]
    fn bytes_round_trip_and_reject_corruption() {
        let net = Mlp::new(5, 4, 3, Activation::Relu, 3).unwrap();
        let bytes = net.to_bytes();
        assert_eq!(Mlp::from_bytes(&bytes).unwrap(), net);
        assert!(Mlp::from_bytes(&bytes[..bytes.len() - 1]).is_err());
        assert!(Mlp::from_bytes(&bytes[..10]).is_err());
        let mut bad = bytes.clone();
        bad[0] = b'X';
        assert!(Mlp::from_bytes(&bad).is_err());
        let mut bad = bytes;
        bad[6] = 9;
        assert!(Mlp::from_bytes(&bad).is_err());
    }
}
