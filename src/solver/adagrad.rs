//! AdaGrad: per-coordinate steps scaled by the accumulated squared gradients.
//!
//! G_{k+1} = G_k + ∇f(x_k)²,  x_{k+1} = x_k − α ∇f(x_k) / (√G_{k+1} + ε)  (element-wise).
//!
//! Reference: Duchi, Hazan & Singer, "Adaptive subgradient methods for online learning and
//! stochastic optimization", JMLR 12 (2011).

use super::{Solver, State, StepInfo};
use crate::diff::{norm, Evaluator};

/// AdaGrad.
#[derive(Clone, Debug)]
pub struct AdaGrad {
    /// Learning rate α > 0.
    pub learning_rate: f64,
    /// ε > 0 guarding the division.
    pub epsilon: f64,
    accum: Vec<f64>,
}

impl AdaGrad {
    /// An AdaGrad solver with an empty accumulator.
    pub fn new(learning_rate: f64, epsilon: f64) -> Self {
        AdaGrad {
            learning_rate,
            epsilon,
            accum: Vec::new(),
        }
    }
}

impl Solver for AdaGrad {
    fn name(&self) -> String {
        "AdaGrad".to_string()
    }

    fn init(&mut self, _ev: &Evaluator, state: &State) {
        self.accum = vec![0.0; state.x.len()];
    }

    fn step(&mut self, ev: &Evaluator, state: &mut State) -> StepInfo {
        scaled_step(
            ev,
            state,
            &mut self.accum,
            self.learning_rate,
            self.epsilon,
            |a, g| a + g * g,
        )
    }
}

/// One step of the diagonally scaled gradient methods (AdaGrad, RMSProp): per coordinate,
/// `s ← accumulate(s, g)`, then x −= α·lr_factor/(√s + ε) · g; reports ‖rates‖ as
/// `effective_rate_norm`. They differ only in `accumulate`.
pub(super) fn scaled_step(
    ev: &Evaluator,
    state: &mut State,
    acc: &mut [f64],
    learning_rate: f64,
    epsilon: f64,
    accumulate: impl Fn(f64, f64) -> f64,
) -> StepInfo {
    let mut rates = Vec::with_capacity(state.x.len());
    for ((a, x), g) in acc.iter_mut().zip(&mut state.x).zip(&state.grad) {
        *a = accumulate(*a, *g);
        let r = learning_rate * state.lr_factor / (a.sqrt() + epsilon);
        *x -= r * g;
        rates.push(r);
    }
    state.f = ev.value(&state.x);
    if state.f.is_finite() {
        ev.gradient(&state.x, &mut state.grad);
    }
    StepInfo {
        extra: vec![("effective_rate_norm".into(), norm(&rates))],
        ..Default::default()
    }
}
