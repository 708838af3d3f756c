//! Where derivatives come from.
//!
//! * analytic — written by hand in the objective ([`crate::problem::Objective::gradient`]);
//! * finite differences — [`central_gradient`], a central difference with a step scaled per
//!   coordinate, h_i = ε^{1/3}·max(|x_i|, 1), which balances truncation (O(h²)) against round-off
//!   (O(ε/h)).
//!
//! [`Evaluator`] wraps an objective with the chosen [`GradientSource`] and counts evaluations, so
//! every solver reports the same honest numbers.

use crate::problem::Objective;
use serde::{Deserialize, Serialize};
use std::cell::Cell;

/// Which gradient a solver is given.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GradientSource {
    /// The objective's hand-written gradient (falls back to finite differences when it has none).
    #[default]
    Analytic,
    /// Central finite differences.
    FiniteDifference,
}

/// Central finite-difference gradient of `f` at `x`.
pub fn central_gradient(f: &dyn Objective, x: &[f64]) -> Vec<f64> {
    let mut g = vec![0.0; x.len()];
    central_gradient_into(f, x, &mut g);
    g
}

/// Central finite-difference gradient written into `g`; costs 2n evaluations of f.
pub fn central_gradient_into(f: &dyn Objective, x: &[f64], g: &mut [f64]) {
    let mut xp = x.to_vec();
    let cbrt_eps = f64::EPSILON.cbrt();
    for i in 0..x.len() {
        let h = cbrt_eps * x[i].abs().max(1.0);
        xp[i] = x[i] + h;
        let fp = f.value(&xp);
        xp[i] = x[i] - h;
        let fm = f.value(&xp);
        xp[i] = x[i];
        // (x+h)-(x-h) is the step actually taken, after rounding.
        g[i] = (fp - fm) / (2.0 * h);
    }
}

/// An objective together with a gradient source and evaluation counters.
pub struct Evaluator<'a> {
    objective: &'a dyn Objective,
    source: GradientSource,
    f_evals: Cell<usize>,
    g_evals: Cell<usize>,
}

impl<'a> Evaluator<'a> {
    /// Wraps `objective`, taking gradients from `source`.
    pub fn new(objective: &'a dyn Objective, source: GradientSource) -> Self {
        Evaluator {
            objective,
            source,
            f_evals: Cell::new(0),
            g_evals: Cell::new(0),
        }
    }

    /// Number of variables.
    pub fn dim(&self) -> usize {
        self.objective.dim()
    }

    /// f(x), counted.
    pub fn value(&self, x: &[f64]) -> f64 {
        self.f_evals.set(self.f_evals.get() + 1);
        self.objective.value(x)
    }

    /// ∇f(x) into `g`, counted as one gradient evaluation (finite differences also count their 2n
    /// function evaluations).
    pub fn gradient(&self, x: &[f64], g: &mut [f64]) {
        self.g_evals.set(self.g_evals.get() + 1);
        if self.source == GradientSource::Analytic && self.objective.gradient(x, g) {
            return;
        }
        self.f_evals.set(self.f_evals.get() + 2 * x.len());
        central_gradient_into(self.objective, x, g);
    }

    /// ∇f(x) without counting it (for the trace of gradient-free methods).
    pub fn gradient_uncounted(&self, x: &[f64], g: &mut [f64]) {
        if !self.objective.gradient(x, g) {
            central_gradient_into(self.objective, x, g);
        }
    }

    /// Function evaluations so far.
    pub fn f_evals(&self) -> usize {
        self.f_evals.get()
    }

    /// Gradient evaluations so far.
    pub fn g_evals(&self) -> usize {
        self.g_evals.get()
    }
}

/// Euclidean norm.
pub fn norm(v: &[f64]) -> f64 {
    v.iter().map(|a| a * a).sum::<f64>().sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Quad;
    impl Objective for Quad {
        fn dim(&self) -> usize {
            2
        }
        fn value(&self, x: &[f64]) -> f64 {
            3.0 * x[0] * x[0] + x[0] * x[1] + 0.5 * x[1] * x[1]
        }
    }

    #[test]
    fn central_difference_is_exact_for_quadratics_up_to_roundoff() {
        // Closed form: ∇f = (6x + y, x + y).
        let g = central_gradient(&Quad, &[1.5, -2.0]);
        assert!(
            (g[0] - 7.0).abs() < 1e-8 && (g[1] + 0.5).abs() < 1e-8,
            "{g:?}"
        );
    }

    #[test]
    fn evaluator_counts_and_falls_back_to_finite_differences() {
        let ev = Evaluator::new(&Quad, GradientSource::Analytic);
        let mut g = [0.0; 2];
        ev.gradient(&[0.0, 1.0], &mut g);
        assert_eq!((ev.g_evals(), ev.f_evals()), (1, 4));
        assert!((g[0] - 1.0).abs() < 1e-8 && (g[1] - 1.0).abs() < 1e-8);
    }
}
