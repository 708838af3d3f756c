//! Adam: bias-corrected moving averages of the gradient and its square.
//!
//! m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²,  m̂ = m/(1−β₁ᵗ),  v̂ = v/(1−β₂ᵗ),
//! x ← x − α m̂ / (√v̂ + ε).
//!
//! Reference: Kingma & Ba, "Adam: A method for stochastic optimization", ICLR 2015, Algorithm 1.

use super::{Solver, State, StepInfo};

/// One Adam update in place at step t ≥ 1 (α = `lr`, this step's rate; `hyper` = (β₁, β₂, ε)):
/// m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², x ← x − α·m̂/(√v̂ + ε) with m̂ = m/(1−β₁ᵗ),
/// v̂ = v/(1−β₂ᵗ). Returns the bias corrections (1−β₁ᵗ, 1−β₂ᵗ).
///
/// The one implementation of the rule: [`Adam`] calls it with ∇f(x_k), the regression lab's
/// mini-batch SGD ([`crate::solver::minibatch`]) with each batch gradient. No allocation.
#[inline]
pub fn adam_update(
    x: &mut [f64],
    g: &[f64],
    m: &mut [f64],
    v: &mut [f64],
    t: i32,
    hyper: (f64, f64, f64),
    lr: f64,
) -> (f64, f64) {
    let (beta1, beta2, epsilon) = hyper;
    let c1 = 1.0 - beta1.powi(t);
    let c2 = 1.0 - beta2.powi(t);
    for i in 0..x.len() {
        let gi = g[i];
        m[i] = beta1 * m[i] + (1.0 - beta1) * gi;
        v[i] = beta2 * v[i] + (1.0 - beta2) * gi * gi;
        let mh = m[i] / c1;
        let vh = v[i] / c2;
        x[i] -= lr * mh / (vh.sqrt() + epsilon);
    }
    (c1, c2)
}
use crate::diff::{norm, Evaluator};
use crate::trace::push_vector;

/// Adam.
#[derive(Clone, Debug)]
pub struct Adam {
    /// Learning rate α > 0.
    pub learning_rate: f64,
    /// First-moment decay β₁ ∈ [0, 1).
    pub beta1: f64,
    /// Second-moment decay β₂ ∈ [0, 1).
    pub beta2: f64,
    /// ε > 0 guarding the division.
    pub epsilon: f64,
    m: Vec<f64>,
    v: Vec<f64>,
    t: i32,
}

impl Adam {
    /// An Adam solver with zero moments.
    pub fn new(learning_rate: f64, beta1: f64, beta2: f64, epsilon: f64) -> Self {
        Adam {
            learning_rate,
            beta1,
            beta2,
            epsilon,
            m: Vec::new(),
            v: Vec::new(),
            t: 0,
        }
    }
}

impl Solver for Adam {
    fn name(&self) -> String {
        "Adam".to_string()
    }

    fn init(&mut self, _ev: &Evaluator, state: &State) {
        self.m = vec![0.0; state.x.len()];
        self.v = vec![0.0; state.x.len()];
        self.t = 0;
    }

    fn step(&mut self, ev: &Evaluator, state: &mut State) -> StepInfo {
        self.t = self.t.saturating_add(1);
        let (c1, c2) = adam_update(
            &mut state.x,
            &state.grad,
            &mut self.m,
            &mut self.v,
            self.t,
            (self.beta1, self.beta2, self.epsilon),
            self.learning_rate * state.lr_factor,
        );
        state.f = ev.value(&state.x);
        if state.f.is_finite() {
            ev.gradient(&state.x, &mut state.grad);
        }
        let mut extra = vec![
            ("m_norm".into(), norm(&self.m)),
            ("v_norm".into(), norm(&self.v)),
            ("bias1".into(), c1),
            ("bias2".into(), c2),
        ];
        push_vector(&mut extra, "m", &self.m);
        push_vector(&mut extra, "v", &self.v);
        StepInfo {
            extra,
            ..Default::default()
        }
    }
}
