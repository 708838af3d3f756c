//! Nesterov's accelerated gradient (in Sutskever et al.'s momentum form).
//!
//! v_{k+1} = β v_k − α ∇f(x_k + β v_k),  x_{k+1} = x_k + v_{k+1}.
//!
//! The gradient is taken at the look-ahead point, so each iteration costs two gradient
//! evaluations here (one at the look-ahead, one at x_{k+1} for the trace and stop test).
//! Reference: Nesterov (1983); Sutskever, Martens, Dahl & Hinton, "On the importance of
//! initialization and momentum in deep learning", ICML 2013, eq. (3)–(4).

use super::{Solver, State, StepInfo};
use crate::diff::{norm, Evaluator};
use crate::trace::push_vector;

/// Nesterov accelerated gradient.
#[derive(Clone, Debug)]
pub struct Nesterov {
    /// Learning rate α > 0.
    pub learning_rate: f64,
    /// Momentum β ∈ [0, 1).
    pub momentum: f64,
    velocity: Vec<f64>,
}

impl Nesterov {
    /// A Nesterov solver with zero initial velocity.
    pub fn new(learning_rate: f64, momentum: f64) -> Self {
        Nesterov {
            learning_rate,
            momentum,
            velocity: Vec::new(),
        }
    }
}

impl Solver for Nesterov {
    fn name(&self) -> String {
        "Nesterov accelerated gradient".to_string()
    }

    fn init(&mut self, _ev: &Evaluator, state: &State) {
        self.velocity = vec![0.0; state.x.len()];
    }

    fn step(&mut self, ev: &Evaluator, state: &mut State) -> StepInfo {
        let look: Vec<f64> = state
            .x
            .iter()
            .zip(&self.velocity)
            .map(|(x, v)| x + self.momentum * v)
            .collect();
        let mut g = vec![0.0; look.len()];
        ev.gradient(&look, &mut g);
        for ((v, x), gi) in self.velocity.iter_mut().zip(&mut state.x).zip(&g) {
            *v = self.momentum * *v - self.learning_rate * state.lr_factor * gi;
            *x += *v;
        }
        state.f = ev.value(&state.x);
        if state.f.is_finite() {
            ev.gradient(&state.x, &mut state.grad);
        }
        StepInfo {
            extra: {
                let mut e = vec![("velocity_norm".into(), norm(&self.velocity))];
                push_vector(&mut e, "velocity", &self.velocity);
                e
            },
            ..Default::default()
        }
    }
}
