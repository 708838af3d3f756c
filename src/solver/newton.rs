//! Newton's method with a Hessian shift and a backtracking line search.
//!
//! Solve (∇²f(x_k) + τI) p = −∇f(x_k), where τ ≥ 0 is the smallest of 0, β, 2β, 4β, … (starting
//! at −min diag + β when the diagonal is not positive) for which the Cholesky factorization
//! succeeds (Nocedal & Wright, *Numerical Optimization* (2nd ed.), Alg. 3.3, "Cholesky with added
//! multiple of the identity"); then x_{k+1} = x_k + αp with Armijo backtracking from α = 1.
//!
//! The Hessian comes from [`Evaluator::hessian`]: analytic, else AD, else finite differences of
//! the gradient. Near a minimizer with a positive-definite Hessian, τ = 0 and α = 1: quadratic
//! convergence (N&W Thm. 3.5).

use super::line_search::backtracking;
use super::{Solver, State, StepInfo};
use crate::diff::Evaluator;
use crate::trace::StopReason;
use nalgebra::{DMatrix, DVector};

/// Safeguarded Newton.
#[derive(Clone, Debug)]
pub struct Newton {
    /// Sufficient-decrease constant c₁ ∈ (0, 1) of the backtracking.
    pub c1: f64,
    /// β > 0: the first shift tried when the Hessian is not positive definite.
    pub min_shift: f64,
    /// Most trial steps per line search.
    pub max_trials: usize,
}

/// Solves (H + τI)p = −g with the smallest acceptable shift τ (N&W Alg. 3.3); returns (p, τ).
pub fn shifted_newton_direction(h: &DMatrix<f64>, g: &[f64], beta: f64) -> Option<(Vec<f64>, f64)> {
    let n = g.len();
    if h.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let min_diag = (0..n).map(|i| h[(i, i)]).fold(f64::INFINITY, f64::min);
    // Scale β with the Hessian so the shift is meaningful for any units.
    let beta = beta * h.norm().max(1.0);
    let mut tau = if min_diag > 0.0 {
        0.0
    } else {
        -min_diag + beta
    };
    let rhs = DVector::from_iterator(n, g.iter().map(|v| -v));
    for _ in 0..100 {
        let shifted = h + DMatrix::<f64>::identity(n, n) * tau;
        if let Some(ch) = shifted.cholesky() {
            let p = ch.solve(&rhs);
            if p.iter().all(|v| v.is_finite()) {
                return Some((p.iter().copied().collect(), tau));
            }
        }
        tau = (2.0 * tau).max(beta);
    }
    None
}

impl Solver for Newton {
    fn name(&self) -> String {
        "Newton".to_string()
    }

    fn step(&mut self, ev: &Evaluator, state: &mut State) -> StepInfo {
        let h = ev.hessian(&state.x);
        let mut info = StepInfo::default();
        let Some((p, tau)) = shifted_newton_direction(&h, &state.grad, self.min_shift) else {
            info.stop = Some(StopReason::LineSearchFailed);
            return info;
        };
        let ls = backtracking(
            ev,
            &state.x,
            state.f,
            &state.grad,
            &p,
            1.0,
            self.c1,
            0.5,
            self.max_trials,
        );
        info.extra = vec![
            ("lambda".into(), tau),
            ("alpha".into(), ls.alpha),
            ("line_search_trials".into(), ls.trials as f64),
        ];
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
