//! RMSProp: per-coordinate steps scaled by a moving average of squared gradients.
//!
//! E_{k+1} = ρ E_k + (1 − ρ) ∇f(x_k)²,  x_{k+1} = x_k − α ∇f(x_k) / (√E_{k+1} + ε).
//!
//! Reference: Tieleman & Hinton, COURSERA *Neural Networks for Machine Learning*, lecture 6.5 (2012).

use super::adagrad::scaled_step;
use super::{Solver, State, StepInfo};
use crate::diff::Evaluator;

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
        let decay = self.decay;
        scaled_step(
            ev,
            state,
            &mut self.avg,
            self.learning_rate,
            self.epsilon,
            |e, g| decay * e + (1.0 - decay) * g * g,
        )
    }
}
