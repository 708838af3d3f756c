//! Heavy-ball momentum (Polyak 1964).
//!
//! v_{k+1} = β v_k − α ∇f(x_k),  x_{k+1} = x_k + v_{k+1}.
//!
//! Requirements: a gradient. On a quadratic with Hessian eigenvalues in [μ, L] it converges for
//! 0 ≤ β < 1, 0 < α < 2(1 + β)/L; the optimal α, β give rate (√κ − 1)/(√κ + 1).
//! Reference: Polyak, "Some methods of speeding up the convergence of iteration methods" (1964);
//! Goh, "Why Momentum Really Works", Distill (2017).

use super::{Solver, State, StepInfo};

/// One heavy-ball update in place: v ← βv − α·g, x ← x + v (α = `lr`, this iteration's rate).
///
/// The one implementation of the rule: [`Momentum`] calls it with ∇f(x_k), the regression lab's
/// mini-batch SGD ([`crate::solver::minibatch`]) with each batch gradient. No allocation.
#[inline]
pub fn heavy_ball_update(x: &mut [f64], g: &[f64], velocity: &mut [f64], beta: f64, lr: f64) {
    for ((v, x), g) in velocity.iter_mut().zip(x.iter_mut()).zip(g) {
        *v = beta * *v - lr * g;
        *x += *v;
    }
}
use crate::diff::{norm, Evaluator};
use crate::trace::push_vector;

/// Gradient descent with heavy-ball momentum.
#[derive(Clone, Debug)]
pub struct Momentum {
    /// Learning rate α > 0.
    pub learning_rate: f64,
    /// Momentum β ∈ [0, 1).
    pub momentum: f64,
    velocity: Vec<f64>,
}

impl Momentum {
    /// A heavy-ball solver with zero initial velocity.
    pub fn new(learning_rate: f64, momentum: f64) -> Self {
        Momentum {
            learning_rate,
            momentum,
            velocity: Vec::new(),
        }
    }
}

impl Solver for Momentum {
    fn name(&self) -> String {
        "Momentum (heavy ball)".to_string()
    }

    fn init(&mut self, _ev: &Evaluator, state: &State) {
        self.velocity = vec![0.0; state.x.len()];
    }

    fn step(&mut self, ev: &Evaluator, state: &mut State) -> StepInfo {
        heavy_ball_update(
            &mut state.x,
            &state.grad,
            &mut self.velocity,
            self.momentum,
            self.learning_rate * state.lr_factor,
        );
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
