//! Where derivatives come from.
//!
//! * analytic — written by hand in the objective ([`crate::problem::Objective::gradient`]);
//! * automatic — forward-mode AD with dual numbers ([`ad`]), for objectives written generically;
//! * finite differences — [`central_gradient`], a central difference with a step scaled per
//!   coordinate, h_i = ε^{1/3}·max(|x_i|, 1), which balances truncation (O(h²)) against round-off
//!   (O(ε/h)).
//!
//! [`Evaluator`] wraps an objective with the chosen [`GradientSource`] and counts evaluations, so
//! every solver reports the same honest numbers.

pub mod ad;

use crate::problem::Objective;
use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};
use std::cell::Cell;

/// Which gradient a solver is given.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GradientSource {
    /// The hand-written gradient; where an objective has none, its AD gradient, then finite
    /// differences.
    #[default]
    Analytic,
    /// Central finite differences.
    FiniteDifference,
    /// Forward-mode automatic differentiation (falls back to finite differences when the objective
    /// has no AD implementation).
    Automatic,
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
    h_evals: Cell<usize>,
}

impl<'a> Evaluator<'a> {
    /// Wraps `objective`, taking gradients from `source`.
    pub fn new(objective: &'a dyn Objective, source: GradientSource) -> Self {
        Evaluator {
            objective,
            source,
            f_evals: Cell::new(0),
            g_evals: Cell::new(0),
            h_evals: Cell::new(0),
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
        if !self.exact_gradient(x, g) {
            self.f_evals.set(self.f_evals.get() + 2 * x.len());
            central_gradient_into(self.objective, x, g);
        }
    }

    /// The gradient from the chosen exact source (analytic or AD), uncounted; `false` if none.
    fn exact_gradient(&self, x: &[f64], g: &mut [f64]) -> bool {
        match self.source {
            // "Analytic where written": an objective without a hand-written gradient falls back
            // to the exact AD gradient, never silently to finite differences.
            GradientSource::Analytic => {
                self.objective.gradient(x, g) || self.objective.automatic_gradient(x, g)
            }
            GradientSource::Automatic => self.objective.automatic_gradient(x, g),
            GradientSource::FiniteDifference => false,
        }
    }

    /// ∇²f(x), counted as one Hessian evaluation. Sources in order: the analytic Hessian, the AD
    /// Hessian, then central differences of the gradient (H_ij ≈ (∂_j f(x + h eᵢ) − ∂_j f(x − h eᵢ))/2h,
    /// symmetrized; its 2n gradient evaluations are counted too). With
    /// [`GradientSource::FiniteDifference`] only the last is used.
    pub fn hessian(&self, x: &[f64]) -> DMatrix<f64> {
        self.h_evals.set(self.h_evals.get() + 1);
        let exact = match self.source {
            GradientSource::FiniteDifference => None,
            _ => self
                .objective
                .hessian(x)
                .or_else(|| self.objective.automatic_hessian(x)),
        };
        if let Some(h) = exact {
            return h;
        }
        let n = x.len();
        let mut h = DMatrix::zeros(n, n);
        let mut xp = x.to_vec();
        let (mut gp, mut gm) = (vec![0.0; n], vec![0.0; n]);
        let cbrt_eps = f64::EPSILON.cbrt();
        for i in 0..n {
            let step = cbrt_eps * x[i].abs().max(1.0);
            xp[i] = x[i] + step;
            self.gradient(&xp, &mut gp);
            xp[i] = x[i] - step;
            self.gradient(&xp, &mut gm);
            xp[i] = x[i];
            for j in 0..n {
                h[(i, j)] = (gp[j] - gm[j]) / (2.0 * step);
            }
        }
        (&h + h.transpose()) * 0.5
    }

    /// Where gradients come from.
    pub fn source(&self) -> GradientSource {
        self.source
    }

    /// Function evaluations so far.
    pub fn f_evals(&self) -> usize {
        self.f_evals.get()
    }

    /// Gradient evaluations so far.
    pub fn g_evals(&self) -> usize {
        self.g_evals.get()
    }

    /// Hessian evaluations so far.
    pub fn h_evals(&self) -> usize {
        self.h_evals.get()
    }
}

/// Every gradient source side by side at one point, and how far they disagree.
///
/// The error of two gradients a, b is ‖a − b‖∞ / max(‖a‖∞, ‖b‖∞, 10⁻¹²) (relative to the larger
/// one; near a stationary point finite differences are necessarily poor in this measure).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GradientCheck {
    /// The point.
    pub x: Vec<f64>,
    /// f(x).
    pub f: f64,
    /// The hand-written gradient, if the objective has one.
    pub analytic: Option<Vec<f64>>,
    /// The forward-mode AD gradient, if the objective supports AD.
    pub automatic: Option<Vec<f64>>,
    /// The central finite-difference gradient (always available).
    pub finite_difference: Vec<f64>,
    /// Error between analytic and AD.
    pub analytic_vs_automatic: Option<f64>,
    /// Error between analytic and finite differences.
    pub analytic_vs_finite_difference: Option<f64>,
    /// Error between AD and finite differences.
    pub automatic_vs_finite_difference: Option<f64>,
    /// The largest of the pairwise errors above (0 if only finite differences exist).
    pub max_rel_error: f64,
}

/// The relative disagreement ‖a − b‖∞ / max(‖a‖∞, ‖b‖∞, 10⁻¹²) of two vectors.
pub fn relative_error(a: &[f64], b: &[f64]) -> f64 {
    let inf = |v: &[f64]| v.iter().fold(0.0_f64, |m, x| m.max(x.abs()));
    let diff = a
        .iter()
        .zip(b)
        .fold(0.0_f64, |m, (p, q)| m.max((p - q).abs()));
    diff / inf(a).max(inf(b)).max(1e-12)
}

/// Compares the analytic, AD and finite-difference gradients of `f` at `x`.
pub fn check_gradient(f: &dyn Objective, x: &[f64]) -> GradientCheck {
    let n = x.len();
    let mut a = vec![0.0; n];
    let analytic = f.gradient(x, &mut a).then_some(a);
    let mut d = vec![0.0; n];
    let automatic = f.automatic_gradient(x, &mut d).then_some(d);
    let fd = central_gradient(f, x);
    let ab = match (&analytic, &automatic) {
        (Some(a), Some(d)) => Some(relative_error(a, d)),
        _ => None,
    };
    let af = analytic.as_ref().map(|a| relative_error(a, &fd));
    let df = automatic.as_ref().map(|d| relative_error(d, &fd));
    let max_rel_error = [ab, af, df].iter().flatten().fold(0.0_f64, |m, &e| {
        if e.is_nan() || m.is_nan() {
            f64::NAN
        } else {
            m.max(e)
        }
    });
    GradientCheck {
        x: x.to_vec(),
        f: f.value(x),
        analytic,
        automatic,
        finite_difference: fd,
        analytic_vs_automatic: ab,
        analytic_vs_finite_difference: af,
        automatic_vs_finite_difference: df,
        max_rel_error,
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

    #[test]
    fn hessian_falls_back_to_differences_of_the_gradient() {
        // Closed form: ∇²f = [[6, 1], [1, 1]]; Quad has no analytic or AD Hessian.
        let ev = Evaluator::new(&Quad, GradientSource::Analytic);
        let h = ev.hessian(&[0.3, -0.7]);
        let want = [[6.0, 1.0], [1.0, 1.0]];
        for i in 0..2 {
            for j in 0..2 {
                assert!((h[(i, j)] - want[i][j]).abs() < 1e-5, "{h}");
            }
        }
        assert_eq!(ev.h_evals(), 1);
        assert_eq!(ev.g_evals(), 4, "2n gradient evaluations");
    }

    #[test]
    fn gradient_check_reports_every_source_for_peaks() {
        use crate::problem::surfaces::Peaks;
        // Peaks has analytic, AD and FD gradients; all must agree (the seed page's wrong autograd
        // gradient would show up here as a large analytic-vs-AD error).
        let c = check_gradient(&Peaks, &[-0.2, -0.6]);
        assert!(c.analytic.is_some() && c.automatic.is_some());
        assert!(c.analytic_vs_automatic.unwrap() < 1e-14);
        assert!(c.max_rel_error < 1e-8, "{c:?}");
        // Quad has only finite differences.
        let c = check_gradient(&Quad, &[1.0, 2.0]);
        assert!(c.analytic.is_none() && c.automatic.is_none());
        assert_eq!(c.max_rel_error, 0.0);
        let json = serde_json::to_string(&c).unwrap();
        assert!(json.contains("finite_difference"));
    }

    #[test]
    fn automatic_source_uses_ad_and_counts_it_as_one_gradient() {
        use crate::problem::surfaces::Beale;
        let ev = Evaluator::new(&Beale, GradientSource::Automatic);
        let mut g = [0.0; 2];
        ev.gradient(&[1.0, 1.0], &mut g);
        assert_eq!((ev.g_evals(), ev.f_evals()), (1, 0));
        // Closed form at (1, 1): residuals (1.5, 2.25, 2.625); ∂/∂x of each (−1 + y^i) = 0,
        // ∂/∂y = x·i·y^{i−1} = (1, 2, 3): ∇f = 2Σ rᵢ ∂rᵢ = (0, 2(1.5 + 4.5 + 7.875)) = (0, 27.75).
        assert!(g[0].abs() < 1e-14 && (g[1] - 27.75).abs() < 1e-12, "{g:?}");
    }
}
