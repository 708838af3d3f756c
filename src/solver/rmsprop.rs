//! RMSProp: per-coordinate steps scaled by a moving average of squared gradients.
//!
//! E_{k+1} = ρ E_k + (1 − ρ) ∇f(x_k)²,  x_{k+1} = x_k − α ∇f(x_k) / (√E_{k+1} + ε).
//!
//! Reference: Tieleman & Hinton, COURSERA *Neural Networks for Machine Learning*, lecture 6.5 (2012).

use super::{Solver, State, StepInfo};
use crate::diff::{norm, Evaluator};

/// RMSProp.
#[derive(Clone, Debug)]
pub struct RmsProp {
    /// Learning rate α > 0.
    pub learning_rate: f64,
    /// Decay ρ ∈ [0, 1) of the squared-gradient average.
    pub decay: f64,
    /// ε > 0 guarding the division.
    pub epsilon: f64,
    avg: Vec<f64>,
}

impl RmsProp {
    /// An RMSProp solver with a zero average.
    pub fn new(learning_rate: f64, decay: f64, epsilon: f64) -> Self {
        RmsProp {
            learning_rate,
            decay,
            epsilon,
            avg: Vec::new(),
        }
    }
}

impl Solver for RmsProp {
    fn name(&self) -> String {
        "RMSProp".to_string()
    }

    fn init(&mut self, _ev: &Evaluator, state: &State) {
        self.avg = vec![0.0; state.x.len()];
    }

    fn step(&mut self, ev: &Evaluator, state: &mut State) -> StepInfo {
        let mut rates = Vec::with_capacity(state.x.len());
        for ((e, x), g) in self.avg.iter_mut().zip(&mut state.x).zip(&state.grad) {
            *e = self.decay * *e + (1.0 - self.decay) * g * g;
            let r = self.learning_rate * state.lr_factor / (e.sqrt() + self.epsilon);
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
}
