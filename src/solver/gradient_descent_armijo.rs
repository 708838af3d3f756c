//! Gradient descent with a backtracking (Armijo) line search.
//!
//! p = −∇f(x_k); α = α₀, ρα₀, ρ²α₀, … until f(x_k + αp) ≤ f(x_k) + c₁ α ∇f(x_k)ᵀp; x_{k+1} = x_k + αp.
//!
//! Requirements: a gradient. Converges to a stationary point for smooth f bounded below
//! (Nocedal & Wright, *Numerical Optimization* (2nd ed.), Alg. 3.1 and Thm. 3.2), linearly.

use super::line_search::backtracking;
use super::{Solver, State, StepInfo};
use crate::diff::Evaluator;

/// Steepest descent with backtracking.
#[derive(Clone, Debug)]
pub struct GradientDescentArmijo {
    /// First trial step α₀ > 0 of every line search.
    pub initial_step: f64,
    /// Sufficient-decrease constant c₁ ∈ (0, 1).
    pub c1: f64,
    /// Backtracking factor ρ ∈ (0, 1).
    pub shrink: f64,
    /// Most trial steps per iteration.
    pub max_trials: usize,
}

impl Solver for GradientDescentArmijo {
    fn name(&self) -> String {
        "Gradient descent + Armijo".to_string()
    }

    fn step(&mut self, ev: &Evaluator, state: &mut State) -> StepInfo {
        let p: Vec<f64> = state.grad.iter().map(|g| -g).collect();
        let ls = backtracking(
            ev,
            &state.x,
            state.f,
            &state.grad,
            &p,
            self.initial_step,
            self.c1,
            self.shrink,
            self.max_trials,
        );
        let mut info = StepInfo {
            extra: vec![
                ("alpha".into(), ls.alpha),
                ("line_search_trials".into(), ls.trials as f64),
            ],
            ..Default::default()
        };
        if !ls.ok {
            info.stop = Some(ls.failure());
            return info;
        }
        state.x = ls.x;
        state.f = ls.f;
        ev.gradient(&state.x, &mut state.grad);
        info
    }
}
