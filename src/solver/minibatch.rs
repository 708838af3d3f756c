//! Batch gradient descent and mini-batch SGD for linear regression, epoch by epoch.
//!
//! Loss: L(θ) = (1/m)·Σᵢ (xᵢ·w + b − yᵢ)² over a batch of m samples, with gradient
//! ∇_w = (2/m)·Σ rᵢxᵢ, ∂_b = (2/m)·Σ rᵢ (the MSE form; ½MSE would give 1/m — see
//! [`crate::problem::regression`]). One update per batch:
//!
//! * plain:     θ ← θ − α_e·g
//! * momentum:  v ← βv − α_e·g,  θ ← θ + v  (heavy ball; Polyak 1964)
//! * Adam:      m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², θ ← θ − α_e·m̂/(√v̂ + ε) with bias-corrected
//!   m̂, v̂ (Kingma & Ba 2015)
//!
//! with the per-epoch learning rate α_e from [`Decay`]. Batch GD is the case batch size ≥ n
//! (one update per epoch). Shuffling uses the crate's seeded RNG, so a run is reproducible.
//!
//! Momentum and Adam are the solver core's update rules ([`heavy_ball_update`],
//! [`adam_update`]), the very functions [`crate::solver::Momentum`] and [`crate::solver::Adam`]
//! call: batch GD with momentum here follows the surface lab's Momentum solver bit for bit.
//! Links written by gradlab v1 used rules local to this file (v ← βv + g, θ ← θ − α_e·v; Adam's
//! corrections by `powf`); they replay with those ([`UpdateRules::V1`]).
//!
//! The update loop allocates nothing per sample or per batch: one pass over each batch's rows
//! accumulates into preallocated gradient buffers.

// `!(a > b)` is deliberate: it is also true for NaN, which must be rejected. Index loops mirror
// the matrix formulas.
#![allow(clippy::neg_cmp_op_on_partial_ord, clippy::needless_range_loop)]

use crate::diff::norm;
use crate::problem::regression::rng::Rng;
use crate::problem::regression::{accumulate_rows, Dataset, Standardizer};
use crate::solver::adam::adam_update;
use crate::solver::momentum::heavy_ball_update;
use crate::trace::{Iterate, StopReason, Trace};
use serde::{Deserialize, Serialize};

/// Update rule.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Optimizer {
    /// θ ← θ − α·g.
    #[default]
    Plain,
    /// Heavy-ball momentum with coefficient β ∈ [0, 1).
    Momentum {
        /// β.
        beta: f64,
    },
    /// Adam.
    Adam {
        /// β₁ (first-moment decay), e.g. 0.9.
        beta1: f64,
        /// β₂ (second-moment decay), e.g. 0.999.
        beta2: f64,
        /// ε, e.g. 1e-8.
        epsilon: f64,
    },
}

/// Learning-rate schedule over epochs e = 0, 1, ….
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Decay {
    /// α_e = α.
    #[default]
    None,
    /// α_e = α/(1 + rate·e).
    InverseTime {
        /// rate ≥ 0.
        rate: f64,
    },
    /// α_e = α·γᵉ.
    Exponential {
        /// γ ∈ (0, 1].
        gamma: f64,
    },
    /// α_e = α·γ^⌊e/every⌋.
    StepDecay {
        /// Epochs between drops (≥ 1).
        every: usize,
        /// Factor per drop γ ∈ (0, 1].
        gamma: f64,
    },
    /// α_e = α·(m + (1 − m)·½(1 + cos(π·min(e, T)/T))).
    Cosine {
        /// Period T in epochs (≥ 1).
        period: usize,
        /// Final fraction m ∈ [0, 1].
        min_factor: f64,
    },
}

impl Decay {
    /// The same schedule as a [`crate::solver::schedule::Schedule`] over epochs.
    pub fn schedule(&self) -> crate::solver::schedule::Schedule {
        use crate::solver::schedule::Schedule;
        match *self {
            Decay::None => Schedule::Constant,
            Decay::InverseTime { rate } => Schedule::InverseTime { rate },
            Decay::Exponential { gamma } => Schedule::Exponential { gamma },
            Decay::StepDecay { every, gamma } => Schedule::StepDecay { every, gamma },
            Decay::Cosine { period, min_factor } => Schedule::Cosine { period, min_factor },
        }
    }

    /// α_e.
    pub fn rate(&self, lr: f64, epoch: usize) -> f64 {
        match *self {
            Decay::None => lr,
            Decay::InverseTime { rate } => lr / (1.0 + rate * epoch as f64),
            Decay::Exponential { gamma } => lr * gamma.powi(epoch as i32),
            Decay::StepDecay { .. } | Decay::Cosine { .. } => lr * self.schedule().factor(epoch),
        }
    }
}

/// Which implementation of momentum and Adam a run uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UpdateRules {
    /// The solver core's rules ([`heavy_ball_update`], [`adam_update`]).
    #[default]
    SolverCore,
    /// gradlab v1's rules, for links written by v1 (set by the link decoder): momentum
    /// v ← βv + g, θ ← θ − α_e·v; Adam's bias corrections 1 − βᵗ by `powf`. Same mathematics
    /// at a constant rate, different rounding (and different under a decaying rate).
    V1,
}

impl UpdateRules {
    fn is_default(&self) -> bool {
        *self == UpdateRules::SolverCore
    }
}

/// How samples are ordered each epoch.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Shuffle {
    /// A fresh random permutation of the samples every epoch (classic SGD; random memory access).
    #[default]
    Samples,
    /// Contiguous batches visited in a random order (streams memory; the batches stay fixed).
    Batches,
    /// In file order.
    None,
}

/// Hyperparameters of one GD/SGD run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MiniBatchConfig {
    /// α > 0.
    pub learning_rate: f64,
    /// Batch size M; 0 or ≥ n means full-batch gradient descent.
    pub batch_size: usize,
    /// Number of passes over the data.
    pub epochs: usize,
    /// Shuffling seed.
    pub seed: u64,
    /// Sample order.
    pub shuffle: Shuffle,
    /// Learning-rate schedule.
    pub decay: Decay,
    /// Update rule.
    pub optimizer: Optimizer,
    /// Stop when the full gradient norm at an epoch end is below this (0 = never).
    pub grad_tol: f64,
    /// At most this many per-step records are kept (evenly strided); epochs are always kept.
    pub max_recorded_steps: usize,
    /// Momentum/Adam implementation: the solver core's (default, omitted from links) or v1's.
    #[serde(skip_serializing_if = "UpdateRules::is_default")]
    pub update_rules: UpdateRules,
}

impl Default for MiniBatchConfig {
    fn default() -> Self {
        MiniBatchConfig {
            learning_rate: 0.1,
            batch_size: 0,
            epochs: 100,
            seed: 1,
            shuffle: Shuffle::Samples,
            decay: Decay::None,
            optimizer: Optimizer::Plain,
            grad_tol: 0.0,
            max_recorded_steps: 20_000,
            update_rules: UpdateRules::SolverCore,
        }
    }
}

/// The hard cap on epochs from any config.
pub const MAX_EPOCHS: usize = 100_000;

impl MiniBatchConfig {
    /// Checks the hyperparameters.
    pub fn validate(&self) -> Result<(), String> {
        if !(self.learning_rate.is_finite() && self.learning_rate > 0.0) {
            return Err(format!(
                "learning rate must be a positive number (got {})",
                self.learning_rate
            ));
        }
        if self.epochs == 0 || self.epochs > MAX_EPOCHS {
            return Err(format!(
                "epochs must be between 1 and {MAX_EPOCHS} (got {})",
                self.epochs
            ));
        }
        match self.decay {
            Decay::InverseTime { rate } if !(rate.is_finite() && rate >= 0.0) => {
                return Err("inverse-time decay rate must be ≥ 0".into())
            }
            Decay::Exponential { gamma } if !(gamma > 0.0 && gamma <= 1.0) => {
                return Err("exponential decay γ must be in (0, 1]".into())
            }
            Decay::StepDecay { .. } | Decay::Cosine { .. } => self.decay.schedule().validate()?,
            _ => {}
        }
        match self.optimizer {
            Optimizer::Momentum { beta } if !(0.0..1.0).contains(&beta) => {
                return Err("momentum β must be in [0, 1)".into())
            }
            Optimizer::Adam {
                beta1,
                beta2,
                epsilon,
            } if !((0.0..1.0).contains(&beta1) && (0.0..1.0).contains(&beta2) && epsilon > 0.0) => {
                return Err("Adam needs β₁, β₂ in [0, 1) and ε > 0".into())
            }
            _ => {}
        }
        if !(self.grad_tol >= 0.0) {
            return Err("gradient tolerance must be ≥ 0".into());
        }
        Ok(())
    }

    /// The update rule this config applies after each batch, as shown on the page.
    pub fn update_rule(&self) -> String {
        let v1 = self.update_rules == UpdateRules::V1;
        let note = if v1 {
            " (gradlab v1's rule, kept for this older link)"
        } else {
            ""
        };
        match self.optimizer {
            Optimizer::Plain => "θ ← θ − α·g".into(),
            Optimizer::Momentum { beta } if v1 => format!("v ← {beta}·v + g, θ ← θ − α·v{note}"),
            Optimizer::Momentum { beta } => {
                format!("v ← {beta}·v − α·g, θ ← θ + v (heavy ball, as the Momentum solver)")
            }
            Optimizer::Adam {
                beta1,
                beta2,
                epsilon,
            } => format!(
                "m ← {beta1}·m + (1 − {beta1})·g, v ← {beta2}·v + (1 − {beta2})·g², \
                 θ ← θ − α·m̂/(√v̂ + {epsilon:e}), m̂ = m/(1 − {beta1}ᵗ), v̂ = v/(1 − {beta2}ᵗ){}",
                if v1 { note } else { " (as the Adam solver)" }
            ),
        }
    }

    /// Display name, e.g. `"SGD (M = 32, α = 0.01)"`.
    pub fn name(&self, n: usize) -> String {
        let opt = match self.optimizer {
            Optimizer::Plain => "",
            Optimizer::Momentum { .. } => " + momentum",
            Optimizer::Adam { .. } => " + Adam",
        };
        if self.batch_size == 0 || self.batch_size >= n {
            format!("Batch GD{opt} (α = {})", self.learning_rate)
        } else {
            format!(
                "SGD{opt} (M = {}, α = {})",
                self.batch_size, self.learning_rate
            )
        }
    }
}

/// The record of one GD/SGD run on a regression problem.
///
/// Both lists hold [`Iterate`]s with x = θ = [w₁, …, w_d, b] **in the original feature scale**
/// (mapped back when the run standardized the features), so the surface/contour plot code can draw
/// them over (w, b) directly.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RegressionTrace {
    /// Per update step (every `step_stride`-th, plus the last): k = update number, f = the loss of
    /// the batch used by update k (at the point where its gradient was taken; record 0: the full
    /// loss at the start), grad_norm = that batch gradient's norm; extra: "epoch", "batch",
    /// "learning_rate". `steps.stop` is the run's stop reason.
    pub steps: Trace,
    /// Per epoch, record 0 = the start: k = epoch, f = full-data MSE at the epoch's end, grad_norm
    /// = full gradient norm (in the solver's scale); extra: "epoch", "learning_rate",
    /// "mean_batch_loss", and "distance_to_exact" = ‖θ − θ_QR‖₂ when the exact answer is known.
    pub epochs: Vec<Iterate>,
    /// Every how many updates a step record is kept.
    pub step_stride: usize,
}

/// A [`Kernel`]'s state without its data (see [`Kernel::save`]).
#[derive(Clone, Debug)]
pub struct KernelState {
    theta: Vec<f64>,
    m1: Vec<f64>,
    m2: Vec<f64>,
    t: u64,
    order: Vec<u32>,
    batches: Vec<u32>,
    rng: Rng,
    rules: UpdateRules,
}

/// Preallocated state of the update loop (θ in the solver's scale).
pub struct Kernel<'a> {
    data: &'a Dataset,
    intercept: bool,
    /// θ = [w…, b] (b present iff intercept).
    pub theta: Vec<f64>,
    g: Vec<f64>,
    m1: Vec<f64>,
    m2: Vec<f64>,
    t: u64,
    order: Vec<u32>,
    batches: Vec<u32>,
    rng: Rng,
    /// The rows (and targets) in this epoch's shuffled order, for [`Shuffle::Samples`]: gathered
    /// once per epoch, then every batch streams through contiguous memory.
    shuffled_x: Vec<f64>,
    shuffled_y: Vec<f64>,
    /// Momentum/Adam implementation (the solver core's unless replaying a v1 link).
    pub rules: UpdateRules,
}

impl<'a> Kernel<'a> {
    /// Buffers for `data` (n < 2³²) starting at θ₀ (solver scale).
    pub fn new(data: &'a Dataset, intercept: bool, theta0: &[f64], seed: u64) -> Self {
        let p = theta0.len();
        Kernel {
            data,
            intercept,
            theta: theta0.to_vec(),
            g: vec![0.0; p],
            m1: vec![0.0; p],
            m2: vec![0.0; p],
            t: 0,
            order: (0..data.n() as u32).collect(),
            batches: Vec::new(),
            rng: Rng::new(seed),
            shuffled_x: Vec::new(),
            shuffled_y: Vec::new(),
            rules: UpdateRules::SolverCore,
        }
    }

    fn b(&self) -> f64 {
        if self.intercept {
            self.theta[self.data.d()]
        } else {
            0.0
        }
    }

    /// Full-data MSE and its gradient at θ (into the internal buffer); returns (loss, ‖∇‖).
    pub fn full_loss(&mut self) -> (f64, f64) {
        let d = self.data.d();
        let n = self.data.n();
        let b = self.b();
        self.g.iter_mut().for_each(|v| *v = 0.0);
        let mut gb = 0.0;
        let sse = accumulate_rows(
            &self.data.x,
            &self.data.y,
            &self.theta[..d],
            b,
            &mut self.g[..d],
            &mut gb,
        );
        self.finish_gradient(gb, n);
        (sse / n as f64, norm(&self.g))
    }

    fn finish_gradient(&mut self, gb: f64, m: usize) {
        let d = self.data.d();
        let s = 2.0 / m as f64;
        for v in &mut self.g[..d] {
            *v *= s;
        }
        if self.intercept {
            self.g[d] = s * gb;
        }
    }

    fn update(&mut self, lr: f64, opt: &Optimizer) {
        self.t += 1;
        if self.rules == UpdateRules::V1 {
            return self.update_v1(lr, opt);
        }
        match *opt {
            Optimizer::Plain => {
                for (x, g) in self.theta.iter_mut().zip(&self.g) {
                    *x -= lr * g;
                }
            }
            Optimizer::Momentum { beta } => {
                heavy_ball_update(&mut self.theta, &self.g, &mut self.m1, beta, lr);
            }
            Optimizer::Adam {
                beta1,
                beta2,
                epsilon,
            } => {
                let t = self.t.min(i32::MAX as u64) as i32;
                adam_update(
                    &mut self.theta,
                    &self.g,
                    &mut self.m1,
                    &mut self.m2,
                    t,
                    (beta1, beta2, epsilon),
                    lr,
                );
            }
        }
    }

    /// gradlab v1's update rules, kept so that v1 links replay bit for bit.
    fn update_v1(&mut self, lr: f64, opt: &Optimizer) {
        match *opt {
            Optimizer::Plain => {
                for (x, g) in self.theta.iter_mut().zip(&self.g) {
                    *x -= lr * g;
                }
            }
            Optimizer::Momentum { beta } => {
                for ((x, g), v) in self.theta.iter_mut().zip(&self.g).zip(&mut self.m1) {
                    *v = beta * *v + g;
                    *x -= lr * *v;
                }
            }
            Optimizer::Adam {
                beta1,
                beta2,
                epsilon,
            } => {
                let c1 = 1.0 - crate::math::pow(beta1, self.t as f64);
                let c2 = 1.0 - crate::math::pow(beta2, self.t as f64);
                for (((x, g), m), v) in self
                    .theta
                    .iter_mut()
                    .zip(&self.g)
                    .zip(&mut self.m1)
                    .zip(&mut self.m2)
                {
                    *m = beta1 * *m + (1.0 - beta1) * g;
                    *v = beta2 * *v + (1.0 - beta2) * g * g;
                    *x -= lr * (*m / c1) / ((*v / c2).sqrt() + epsilon);
                }
            }
        }
    }

    /// One epoch of mini-batch updates with batch size `m` (≥ 1). Calls `on_step(kernel, epoch
    /// batch index, batch loss)` after each update. Returns the sum of batch losses.
    pub fn epoch<F: FnMut(&Self, usize, f64)>(
        &mut self,
        lr: f64,
        m: usize,
        shuffle: Shuffle,
        opt: &Optimizer,
        mut on_step: F,
    ) -> f64 {
        let (m, nb) = self.begin_epoch(m, shuffle);
        let mut total = 0.0;
        for j in 0..nb {
            let loss = self.step_batch(j, m, shuffle, lr, opt);
            total += loss;
            on_step(self, j, loss);
        }
        total
    }

    /// Starts an epoch: draws this epoch's sample or batch order (the only use of the RNG).
    /// Returns (the batch size clamped to 1..=n, the number of batches).
    #[inline]
    pub fn begin_epoch(&mut self, m: usize, shuffle: Shuffle) -> (usize, usize) {
        let (n, d) = (self.data.n(), self.data.d());
        let m = m.clamp(1, n.max(1));
        let nb = n.div_ceil(m);
        match shuffle {
            Shuffle::Samples => {
                let mut order = std::mem::take(&mut self.order);
                self.rng.shuffle(&mut order);
                self.order = order;
                // Permute the rows physically, once: one gather pass (random reads, sequential
                // writes), after which the batches stream. Same rows in the same order as
                // reading through `order`, so the arithmetic — and the path — is identical.
                let (x, y) = (&self.data.x, &self.data.y);
                self.shuffled_x.resize(n * d, 0.0);
                self.shuffled_y.resize(n, 0.0);
                gather_rows(
                    x,
                    y,
                    d,
                    &self.order,
                    &mut self.shuffled_x,
                    &mut self.shuffled_y,
                );
            }
            Shuffle::Batches => {
                if self.batches.len() != nb {
                    self.batches = (0..nb as u32).collect();
                }
                let mut b = std::mem::take(&mut self.batches);
                self.rng.shuffle(&mut b);
                self.batches = b;
            }
            Shuffle::None => {}
        }
        (m, nb)
    }

    /// The rows and targets of batch `j` of the current epoch (after [`Kernel::begin_epoch`] with
    /// the same clamped `m` and `shuffle`).
    #[inline]
    pub fn batch_rows(&self, j: usize, m: usize, shuffle: Shuffle) -> (&[f64], &[f64]) {
        let (n, d) = (self.data.n(), self.data.d());
        let blk = match shuffle {
            Shuffle::Batches => self.batches[j] as usize,
            _ => j,
        };
        let lo = blk * m;
        let hi = (lo + m).min(n);
        let (xs, ys) = if shuffle == Shuffle::Samples {
            (&self.shuffled_x[..], &self.shuffled_y[..])
        } else {
            (&self.data.x[..], &self.data.y[..])
        };
        (&xs[lo * d..hi * d], &ys[lo..hi])
    }

    /// Update `j` of the current epoch: the gradient of batch `j` at θ, then one update.
    /// Returns the batch loss (at θ before the update).
    #[inline]
    pub fn step_batch(
        &mut self,
        j: usize,
        m: usize,
        shuffle: Shuffle,
        lr: f64,
        opt: &Optimizer,
    ) -> f64 {
        let d = self.data.d();
        let b = self.b();
        let mut g = std::mem::take(&mut self.g);
        g.iter_mut().for_each(|v| *v = 0.0);
        let mut gb = 0.0;
        let (xs, ys) = self.batch_rows(j, m, shuffle);
        let rows = ys.len();
        let sse = accumulate_rows(xs, ys, &self.theta[..d], b, &mut g[..d], &mut gb);
        self.g = g;
        self.finish_gradient(gb, rows);
        let loss = sse / rows as f64;
        self.update(lr, opt);
        loss
    }

    /// The sums behind batch `j`'s gradient at the current θ, without updating: (Σ rᵢ·xᵢ, Σ rᵢ,
    /// Σ rᵢ², rows) with rᵢ = xᵢ·w + b − yᵢ — the gradient is (2/rows)·(Σ rᵢ·xᵢ, Σ rᵢ), exactly
    /// as [`Kernel::step_batch`] forms it.
    pub fn batch_sums(&self, j: usize, m: usize, shuffle: Shuffle) -> (Vec<f64>, f64, f64, usize) {
        let d = self.data.d();
        let mut g = vec![0.0; d];
        let mut gb = 0.0;
        let (xs, ys) = self.batch_rows(j, m, shuffle);
        let sse = accumulate_rows(xs, ys, &self.theta[..d], self.b(), &mut g, &mut gb);
        (g, gb, sse, ys.len())
    }

    /// The optimizer's state: (first buffer — momentum's velocity or Adam's m, Adam's v, the
    /// update count t).
    pub fn optimizer_state(&self) -> (&[f64], &[f64], u64) {
        (&self.m1, &self.m2, self.t)
    }

    /// Everything but the data, to resume later with [`Kernel::resume`].
    pub fn save(&self) -> KernelState {
        KernelState {
            theta: self.theta.clone(),
            m1: self.m1.clone(),
            m2: self.m2.clone(),
            t: self.t,
            order: self.order.clone(),
            batches: self.batches.clone(),
            rng: self.rng.clone(),
            rules: self.rules,
        }
    }

    /// A kernel on `data` in a saved state (the data must be the one it was saved from).
    pub fn resume(data: &'a Dataset, intercept: bool, s: &KernelState) -> Self {
        Kernel {
            data,
            intercept,
            theta: s.theta.clone(),
            g: vec![0.0; s.theta.len()],
            m1: s.m1.clone(),
            m2: s.m2.clone(),
            t: s.t,
            order: s.order.clone(),
            batches: s.batches.clone(),
            rng: s.rng.clone(),
            shuffled_x: Vec::new(),
            shuffled_y: Vec::new(),
            rules: s.rules,
        }
    }

    /// The current batch gradient (after a step: the one just used).
    pub fn gradient(&self) -> &[f64] {
        &self.g
    }
}

/// Copies rows `order[k]` of (x, y) to row k of (xs, ys). Rows of up to 16 features are copied as
/// fixed-size arrays, which compile to plain loads and stores: a variable-length `copy_from_slice`
/// becomes a `memory.copy` call per row in wasm, which made this pass 1.7× slower than native.
fn gather_rows(x: &[f64], y: &[f64], d: usize, order: &[u32], xs: &mut [f64], ys: &mut [f64]) {
    fn fixed<const D: usize>(x: &[f64], y: &[f64], order: &[u32], xs: &mut [f64], ys: &mut [f64]) {
        let src: &[[f64; D]] = x.as_chunks::<D>().0;
        let dst: &mut [[f64; D]] = xs.as_chunks_mut::<D>().0;
        for ((row, yk), &i) in dst.iter_mut().zip(ys.iter_mut()).zip(order) {
            *row = src[i as usize];
            *yk = y[i as usize];
        }
    }
    macro_rules! by_width {
        ($($n:literal)*) => {
            match d {
                $($n => fixed::<$n>(x, y, order, xs, ys),)*
                _ => {
                    for (k, &i) in order.iter().enumerate() {
                        let i = i as usize;
                        xs[k * d..(k + 1) * d].copy_from_slice(&x[i * d..(i + 1) * d]);
                        ys[k] = y[i];
                    }
                }
            }
        };
    }
    by_width!(1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16);
}

fn to_original(theta: &[f64], st: Option<&Standardizer>, intercept: bool) -> Vec<f64> {
    let mut t = theta.to_vec();
    if let Some(s) = st {
        s.to_original(&mut t, intercept);
    }
    t
}

fn dist(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y) * (x - y))
        .sum::<f64>()
        .sqrt()
}

/// Bound on ‖θ‖ beyond which a run is declared diverged.
const DIVERGENCE_BOUND: f64 = 1e12;

/// Runs GD/SGD on `data` (already standardized by `st` when given) from θ₀ (original scale).
///
/// `exact` (original scale, layout [w…, b]) adds "distance_to_exact" to the epoch records.
pub fn train(
    data: &Dataset,
    intercept: bool,
    st: Option<&Standardizer>,
    theta0: &[f64],
    exact: Option<&[f64]>,
    cfg: &MiniBatchConfig,
) -> Result<RegressionTrace, String> {
    cfg.validate()?;
    let (n, d) = (data.n(), data.d());
    let p = d + usize::from(intercept);
    if theta0.len() != p {
        return Err(format!(
            "start point has {} values, expected {p}",
            theta0.len()
        ));
    }
    if n == 0 || n > u32::MAX as usize {
        return Err("the data must have between 1 and 2³² − 1 samples".into());
    }
    let mut t0 = theta0.to_vec();
    if let Some(s) = st {
        s.to_standardized(&mut t0, intercept);
    }
    let full_batch = cfg.batch_size == 0 || cfg.batch_size >= n;
    let m = if full_batch { n } else { cfg.batch_size };
    let per_epoch = n.div_ceil(m);
    let total_steps = per_epoch * cfg.epochs;
    let stride = total_steps.div_ceil(cfg.max_recorded_steps.max(1)).max(1);
    let shuffle = if full_batch {
        Shuffle::None
    } else {
        cfg.shuffle
    };

    let mut k = Kernel::new(data, intercept, &t0, cfg.seed);
    k.rules = cfg.update_rules;
    let (f0, g0) = k.full_loss();
    let x0 = to_original(&k.theta, st, intercept);
    let mut extra0: Vec<(crate::trace::Extra, f64)> = vec![
        ("epoch".into(), 0.0),
        ("learning_rate".into(), cfg.decay.rate(cfg.learning_rate, 0)),
    ];
    let mut steps = vec![Iterate {
        k: 0,
        x: x0.clone(),
        f: f0,
        grad_norm: g0,
        step: 0.0,
        extra: extra0.clone(),
        simplex: None,
    }];
    extra0.push(("mean_batch_loss".into(), f0));
    if let Some(e) = exact {
        extra0.push(("distance_to_exact".into(), dist(&x0, e)));
    }
    let mut epochs = vec![Iterate {
        k: 0,
        x: x0.clone(),
        f: f0,
        grad_norm: g0,
        step: 0.0,
        extra: extra0,
        simplex: None,
    }];
    let mut stop = StopReason::MaxIterations;
    let mut prev_epoch_x = x0.clone();
    let mut prev_step_x = x0;
    let mut step_no = 0usize;
    let mut diverged = false;
    if !(f0.is_finite() && g0.is_finite()) {
        stop = StopReason::Diverged;
    } else if cfg.grad_tol > 0.0 && g0 < cfg.grad_tol {
        stop = StopReason::GradientTolerance;
    } else {
        for e in 1..=cfg.epochs {
            let lr = cfg.decay.rate(cfg.learning_rate, e - 1);
            let total = k.epoch(lr, m, shuffle, &cfg.optimizer, |kern, j, loss| {
                step_no += 1;
                if diverged {
                    return;
                }
                let ok = loss.is_finite() && kern.theta.iter().all(|v| v.is_finite());
                let last = step_no == total_steps;
                if step_no.is_multiple_of(stride) || last || !ok {
                    let x = to_original(&kern.theta, st, intercept);
                    let gn = norm(kern.gradient());
                    steps.push(Iterate {
                        k: step_no,
                        step: dist(&x, &prev_step_x),
                        x: x.clone(),
                        f: loss,
                        grad_norm: gn,
                        extra: vec![
                            ("epoch".into(), e as f64),
                            ("batch".into(), j as f64),
                            ("learning_rate".into(), lr),
                        ],
                        simplex: None,
                    });
                    prev_step_x = x;
                }
                if !ok || norm(&kern.theta) > DIVERGENCE_BOUND {
                    diverged = true;
                }
            });
            if diverged {
                stop = StopReason::Diverged;
                // Drop a non-finite last step record.
                while steps
                    .last()
                    .is_some_and(|it| !(it.f.is_finite() && it.x.iter().all(|v| v.is_finite())))
                {
                    steps.pop();
                }
                break;
            }
            let (f, gn) = k.full_loss();
            let x = to_original(&k.theta, st, intercept);
            if !(f.is_finite() && gn.is_finite()) {
                stop = StopReason::Diverged;
                break;
            }
            let mut extra: Vec<(crate::trace::Extra, f64)> = vec![
                ("epoch".into(), e as f64),
                ("learning_rate".into(), lr),
                ("mean_batch_loss".into(), total / per_epoch as f64),
            ];
            if let Some(ex) = exact {
                extra.push(("distance_to_exact".into(), dist(&x, ex)));
            }
            epochs.push(Iterate {
                k: e,
                step: dist(&x, &prev_epoch_x),
                x: x.clone(),
                f,
                grad_norm: gn,
                extra,
                simplex: None,
            });
            prev_epoch_x = x;
            if cfg.grad_tol > 0.0 && gn < cfg.grad_tol {
                stop = StopReason::GradientTolerance;
                break;
            }
        }
    }
    let updates = steps.last().map_or(0, |s| s.k);
    Ok(RegressionTrace {
        steps: Trace {
            solver: cfg.name(n),
            iterates: steps,
            stop,
            f_evals: epochs.len(),
            g_evals: updates,
            h_evals: 0,
        },
        epochs,
        step_stride: stride,
    })
}

/// Data and buffers for timing one epoch (shared by the native criterion bench and the wasm one).
///
/// `EpochBench::new(n, d, seed)` generates n samples × d features
/// ([`crate::problem::regression::generate::multilinear`]); [`EpochBench::stream`] reads every
/// value once (the memory-bandwidth baseline), [`EpochBench::gd_epoch`] and
/// [`EpochBench::sgd_epoch`] run one epoch of the real update loop.
pub struct EpochBench {
    /// The data.
    pub data: Dataset,
    theta: Vec<f64>,
    order: Vec<u32>,
    rng: Rng,
    shuffled: (Vec<f64>, Vec<f64>),
}

impl EpochBench {
    /// Generates the data.
    pub fn new(n: usize, d: usize, seed: u64) -> Self {
        let data = crate::problem::regression::generate::multilinear(n, d, 0.1, seed);
        EpochBench {
            theta: vec![0.0; d + 1],
            order: (0..n as u32).collect(),
            rng: Rng::new(seed),
            shuffled: (Vec::new(), Vec::new()),
            data,
        }
    }

    /// Σ of every feature and target value: one streaming pass over the data (four independent
    /// accumulators, so it is bound by memory bandwidth, not by the latency of one add chain).
    pub fn stream(&self) -> f64 {
        fn sum4(v: &[f64]) -> f64 {
            let mut a = [0.0f64; 4];
            let mut chunks = v.chunks_exact(4);
            for c in &mut chunks {
                a[0] += c[0];
                a[1] += c[1];
                a[2] += c[2];
                a[3] += c[3];
            }
            let tail: f64 = chunks.remainder().iter().sum();
            (a[0] + a[1]) + (a[2] + a[3]) + tail
        }
        sum4(&self.data.x) + sum4(&self.data.y)
    }

    /// One batch-GD epoch (one full-gradient pass and one update); returns the loss.
    pub fn gd_epoch(&mut self, lr: f64) -> f64 {
        let theta = std::mem::take(&mut self.theta);
        let mut k = Kernel::new(&self.data, true, &theta, 0);
        k.order = Vec::new();
        let n = self.data.n();
        let loss = k.epoch(lr, n, Shuffle::None, &Optimizer::Plain, |_, _, _| {});
        self.theta = k.theta;
        loss
    }

    /// One SGD epoch with batch size `m` and the given shuffling; returns the mean batch loss.
    pub fn sgd_epoch(&mut self, lr: f64, m: usize, shuffle: Shuffle) -> f64 {
        let theta = std::mem::take(&mut self.theta);
        let mut k = Kernel {
            data: &self.data,
            intercept: true,
            g: vec![0.0; theta.len()],
            m1: Vec::new(),
            m2: Vec::new(),
            t: 0,
            theta,
            order: std::mem::take(&mut self.order),
            batches: Vec::new(),
            rng: self.rng.clone(),
            shuffled_x: std::mem::take(&mut self.shuffled.0),
            shuffled_y: std::mem::take(&mut self.shuffled.1),
            rules: UpdateRules::SolverCore,
        };
        let total = k.epoch(lr, m, shuffle, &Optimizer::Plain, |_, _, _| {});
        self.rng = k.rng.clone();
        self.order = std::mem::take(&mut k.order);
        self.shuffled = (
            std::mem::take(&mut k.shuffled_x),
            std::mem::take(&mut k.shuffled_y),
        );
        self.theta = k.theta;
        total / self.data.n().div_ceil(m) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::regression::exact;
    use crate::problem::regression::generate::{linear, LinearSpec};

    fn data() -> Dataset {
        linear(&LinearSpec {
            n: 200,
            slope: 2.0,
            intercept: 1.0,
            noise: 1.0,
            x_min: 0.0,
            x_max: 10.0,
            seed: 3,
        })
        .unwrap()
    }

    /// The batch MSE as a solver-core objective, with its gradient computed exactly as the
    /// kernel computes a batch gradient (same accumulation, same 2/m scaling).
    struct BatchLoss<'a>(&'a Dataset);
    impl crate::problem::Objective for BatchLoss<'_> {
        fn dim(&self) -> usize {
            self.0.d() + 1
        }
        fn value(&self, theta: &[f64]) -> f64 {
            let mut g = vec![0.0; self.dim()];
            self.gradient(theta, &mut g);
            let d = self.0.d();
            let (mut gw, mut gb) = (vec![0.0; d], 0.0);
            accumulate_rows(
                &self.0.x,
                &self.0.y,
                &theta[..d],
                theta[d],
                &mut gw,
                &mut gb,
            ) / self.0.n() as f64
        }
        fn gradient(&self, theta: &[f64], g: &mut [f64]) -> bool {
            let d = self.0.d();
            g.iter_mut().for_each(|v| *v = 0.0);
            let mut gb = 0.0;
            accumulate_rows(
                &self.0.x,
                &self.0.y,
                &theta[..d],
                theta[d],
                &mut g[..d],
                &mut gb,
            );
            let s = 2.0 / self.0.n() as f64;
            for v in &mut g[..d] {
                *v *= s;
            }
            g[d] = s * gb;
            true
        }
    }

    /// Batch GD with momentum or Adam here is the surface lab's Momentum / Adam solver, bit for bit
    /// (the issue: "momentum and Adam reuse the solver-core optimizers").
    #[test]
    fn batch_momentum_and_adam_are_the_solver_core_ones_bit_for_bit() {
        use crate::diff::{Evaluator, GradientSource};
        use crate::solver::{run, Adam, Momentum, Solver, StopCriteria};
        let raw = data();
        let z = Standardizer::fit(&raw, true).unwrap().transform(&raw);
        let epochs = 60;
        let x0 = [0.5, -0.25];
        let cases: [(Optimizer, Box<dyn Solver>); 2] = [
            (
                Optimizer::Momentum { beta: 0.9 },
                Box::new(Momentum::new(0.03, 0.9)),
            ),
            (
                Optimizer::Adam {
                    beta1: 0.9,
                    beta2: 0.999,
                    epsilon: 1e-8,
                },
                Box::new(Adam::new(0.03, 0.9, 0.999, 1e-8)),
            ),
        ];
        for (opt, mut core) in cases {
            let cfg = MiniBatchConfig {
                learning_rate: 0.03,
                batch_size: 0,
                epochs,
                optimizer: opt,
                ..Default::default()
            };
            let ours = train(&z, true, None, &x0, None, &cfg).unwrap();
            let obj = BatchLoss(&z);
            let ev = Evaluator::new(&obj, GradientSource::Analytic);
            let crit = StopCriteria {
                max_iterations: epochs,
                grad_tol: 0.0,
                ..Default::default()
            };
            let theirs = run(core.as_mut(), &ev, &x0, &crit);
            assert_eq!(
                theirs.iterates.len(),
                epochs + 1,
                "{opt:?} {:?}",
                theirs.stop
            );
            for (a, b) in ours.epochs.iter().zip(&theirs.iterates) {
                let bits = |x: &[f64]| x.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(&a.x), bits(&b.x), "{opt:?} epoch {}", a.k);
            }
            // v1's rules: the same mathematics, other rounding (so links must say which).
            let v1 = train(
                &z,
                true,
                None,
                &x0,
                None,
                &MiniBatchConfig {
                    update_rules: UpdateRules::V1,
                    ..cfg
                },
            )
            .unwrap();
            let pairs = || {
                v1.epochs
                    .iter()
                    .zip(&ours.epochs)
                    .map(|(a, b)| (&a.x, &b.x))
            };
            assert!(pairs().any(|(a, b)| a != b), "{opt:?}");
            assert!(
                pairs().all(|(a, b)| (a[0] - b[0]).abs() <= 1e-9 * b[0].abs().max(1.0)),
                "{opt:?}"
            );
        }
    }

    #[test]
    fn batch_gd_converges_to_the_qr_answer() {
        let data = data();
        let fit = exact::fit(&data, true).unwrap();
        let st = Standardizer::fit(&data, true).unwrap();
        let z = st.transform(&data);
        // Standardized features: the Hessian 2/n·[Z 1]ᵀ[Z 1] = 2I, so α = 0.25 contracts by ½.
        let cfg = MiniBatchConfig {
            learning_rate: 0.25,
            epochs: 200,
            grad_tol: 1e-12,
            ..Default::default()
        };
        let t = train(&z, true, Some(&st), &[0.0, 0.0], Some(&fit.theta()), &cfg).unwrap();
        assert_eq!(t.steps.stop, StopReason::GradientTolerance);
        let last = t.epochs.last().unwrap();
        assert!(last.extra("distance_to_exact").unwrap() < 1e-9, "{last:?}");
        assert!((last.f - fit.mse).abs() < 1e-12 * fit.mse);
        // Without standardization, on raw x ∈ [0, 10]: slower, but still converging.
        let cfg = MiniBatchConfig {
            learning_rate: 0.01,
            epochs: 20_000,
            grad_tol: 1e-10,
            ..Default::default()
        };
        let t = train(&data, true, None, &[0.0, 0.0], Some(&fit.theta()), &cfg).unwrap();
        let last = t.epochs.last().unwrap();
        assert!(last.extra("distance_to_exact").unwrap() < 1e-8, "{last:?}");
        // A learning rate above 2/L diverges and says so.
        let cfg = MiniBatchConfig {
            learning_rate: 1.0,
            epochs: 2000,
            ..Default::default()
        };
        let t = train(&data, true, None, &[0.0, 0.0], None, &cfg).unwrap();
        assert_eq!(t.steps.stop, StopReason::Diverged);
        assert!(t.epochs.iter().all(|e| e.f.is_finite()));
    }

    #[test]
    fn sgd_is_reproducible_and_gets_close() {
        let data = data();
        let fit = exact::fit(&data, true).unwrap();
        let st = Standardizer::fit(&data, true).unwrap();
        let z = st.transform(&data);
        let adam = Optimizer::Adam {
            beta1: 0.9,
            beta2: 0.999,
            epsilon: 1e-8,
        };
        for (shuffle, opt, lr, decay) in [
            (
                Shuffle::Samples,
                Optimizer::Plain,
                0.02,
                Decay::InverseTime { rate: 0.1 },
            ),
            (
                Shuffle::Batches,
                Optimizer::Momentum { beta: 0.9 },
                0.002,
                Decay::None,
            ),
            (
                Shuffle::Samples,
                adam,
                0.5,
                Decay::Exponential { gamma: 0.9 },
            ),
        ] {
            let cfg = MiniBatchConfig {
                learning_rate: lr,
                batch_size: 16,
                epochs: 60,
                seed: 9,
                shuffle,
                optimizer: opt,
                decay,
                ..Default::default()
            };
            let a = train(&z, true, Some(&st), &[0.0, 0.0], Some(&fit.theta()), &cfg).unwrap();
            let b = train(&z, true, Some(&st), &[0.0, 0.0], Some(&fit.theta()), &cfg).unwrap();
            assert_eq!(a, b, "same seed, same path");
            assert_eq!(a.steps.iterations(), 60 * 13);
            let d = a.epochs.last().unwrap().extra("distance_to_exact").unwrap();
            assert!(d < 0.05, "{shuffle:?} {opt:?}: {d}");
            let c = train(
                &z,
                true,
                Some(&st),
                &[0.0, 0.0],
                None,
                &MiniBatchConfig { seed: 10, ..cfg },
            )
            .unwrap();
            assert_ne!(a.steps.iterates[5].x, c.steps.iterates[5].x);
        }
    }

    #[test]
    fn physically_permuted_rows_give_the_indexed_path_bit_for_bit() {
        // Reference: the textbook loop reading rows through the shuffled index (the same RNG
        // stream), plain updates θ ← θ − α·(2/m)·[Xᵀr; Σr].
        use crate::problem::regression::accumulate_indexed;
        let data = data();
        let (n, m, lr, seed) = (data.n(), 16, 0.001, 7);
        let mut k = Kernel::new(&data, true, &[0.0, 0.0], seed);
        let mut rng = Rng::new(seed);
        let mut order: Vec<u32> = (0..n as u32).collect();
        let mut theta = [0.0f64, 0.0];
        for _ in 0..3 {
            k.epoch(lr, m, Shuffle::Samples, &Optimizer::Plain, |_, _, _| {});
            rng.shuffle(&mut order);
            for lo in (0..n).step_by(m) {
                let hi = (lo + m).min(n);
                let (mut gw, mut gb) = ([0.0], 0.0);
                accumulate_indexed(
                    &data.x,
                    &data.y,
                    &order[lo..hi],
                    &theta[..1],
                    theta[1],
                    &mut gw,
                    &mut gb,
                );
                let s = 2.0 / (hi - lo) as f64;
                theta[0] -= lr * (s * gw[0]);
                theta[1] -= lr * (s * gb);
            }
            assert_eq!(k.theta, theta);
        }
    }

    #[test]
    fn step_records_are_strided() {
        let data = data();
        let cfg = MiniBatchConfig {
            learning_rate: 0.001,
            batch_size: 1,
            epochs: 10,
            max_recorded_steps: 100,
            ..Default::default()
        };
        let t = train(&data, true, None, &[0.0, 0.0], None, &cfg).unwrap();
        assert_eq!(t.step_stride, 20);
        assert_eq!(t.steps.iterates.len(), 101);
        assert_eq!(t.steps.last().k, 2000);
        assert_eq!(t.epochs.len(), 11);
    }

    #[test]
    fn bench_epochs_run() {
        let mut b = EpochBench::new(1000, 3, 1);
        assert!(b.stream().is_finite());
        let l0 = b.gd_epoch(0.1);
        let l1 = b.gd_epoch(0.1);
        assert!(l1 < l0);
        let s = b.sgd_epoch(0.01, 10, Shuffle::Samples);
        assert!(s.is_finite());
    }
}
