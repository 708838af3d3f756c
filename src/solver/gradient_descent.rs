//! Gradient descent with a fixed learning rate.
//!
//! x_{k+1} = x_k − α ∇f(x_k).
//!
//! Requirements: a gradient. Converges for L-smooth convex f when 0 < α < 2/L; with a larger α it
//! oscillates or diverges, which the driver reports as `Diverged`.
//! Reference: Nocedal & Wright, *Numerical Optimization* (2nd ed.), §3.1.

use super::{Solver, State, StepInfo};
use crate::diff::Evaluator;

/// Fixed-step gradient descent.
#[derive(Clone, Debug)]
pub struct GradientDescent {
    /// Learning rate α > 0.
    pub learning_rate: f64,
}

impl Solver for GradientDescent {
    fn name(&self) -> String {
        format!("Gradient descent (α = {})", self.learning_rate)
    }

    fn step(&mut self, ev: &Evaluator, state: &mut State) -> StepInfo {
        for (xi, gi) in state.x.iter_mut().zip(&state.grad) {
            *xi -= self.learning_rate * state.lr_factor * gi;
        }
        state.f = ev.value(&state.x);
        if state.f.is_finite() {
            ev.gradient(&state.x, &mut state.grad);
        }
        StepInfo {
            extra: vec![("alpha".into(), self.learning_rate * state.lr_factor)],
            ..Default::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::GradientSource;
    use crate::problem::surfaces::Peaks;
    use crate::solver::{run, StopCriteria};
    use crate::trace::StopReason;

    fn descend(x0: [f64; 2], lr: f64, max_iterations: usize) -> crate::trace::Trace {
        let ev = Evaluator::new(&Peaks, GradientSource::Analytic);
        let crit = StopCriteria {
            max_iterations,
            grad_tol: 1e-10,
            ..Default::default()
        };
        run(&mut GradientDescent { learning_rate: lr }, &ev, &x0, &crit)
    }

    #[test]
    fn finds_the_global_minimum_of_peaks() {
        // Reference minimum: f ≈ −6.551133 at (0.228279, −1.625535) (MATLAB peaks, refined by Newton).
        let t = descend([0.5, -1.0], 0.02, 20_000);
        let x = &t.last().x;
        assert_eq!(t.stop, StopReason::GradientTolerance);
        assert!(
            (x[0] - 0.228_279).abs() < 1e-6 && (x[1] + 1.625_535).abs() < 1e-6,
            "{x:?}"
        );
        assert!((t.last().f + 6.551_133).abs() < 1e-6, "{}", t.last().f);
    }

    #[test]
    fn finds_the_local_minimum_of_peaks() {
        // Reference: local minimum f ≈ −3.049849 at (−1.347396, 0.204519).
        let t = descend([-1.0, 0.5], 0.02, 20_000);
        let x = &t.last().x;
        assert!(
            (x[0] + 1.347_396).abs() < 1e-6 && (x[1] - 0.204_519).abs() < 1e-6,
            "{x:?}"
        );
        assert!((t.last().f + 3.049_849).abs() < 1e-6);
    }

    #[test]
    fn ascent_on_minus_peaks_finds_the_global_maximum() {
        // Reference: global maximum f ≈ 8.1062 near (−0.0093, 1.5814).
        struct NegPeaks;
        impl crate::problem::Objective for NegPeaks {
            fn dim(&self) -> usize {
                2
            }
            fn value(&self, x: &[f64]) -> f64 {
                -Peaks::eval(x[0], x[1])
            }
            fn gradient(&self, x: &[f64], g: &mut [f64]) -> bool {
                let p = Peaks::grad(x[0], x[1]);
                g[0] = -p[0];
                g[1] = -p[1];
                true
            }
        }
        let ev = Evaluator::new(&NegPeaks, GradientSource::Analytic);
        let crit = StopCriteria {
            max_iterations: 20_000,
            grad_tol: 1e-10,
            ..Default::default()
        };
        let t = run(
            &mut GradientDescent {
                learning_rate: 0.02,
            },
            &ev,
            &[0.0, 1.0],
            &crit,
        );
        let x = &t.last().x;
        assert!(
            (x[0] + 0.0093).abs() < 1e-4 && (x[1] - 1.5814).abs() < 1e-4,
            "{x:?}"
        );
        assert!((-t.last().f - 8.1062).abs() < 1e-4, "{}", t.last().f);
    }

    #[test]
    fn too_large_a_step_diverges_and_says_so() {
        struct Bowl;
        impl crate::problem::Objective for Bowl {
            fn dim(&self) -> usize {
                2
            }
            fn value(&self, x: &[f64]) -> f64 {
                x[0] * x[0] + 10.0 * x[1] * x[1]
            }
            fn gradient(&self, x: &[f64], g: &mut [f64]) -> bool {
                g[0] = 2.0 * x[0];
                g[1] = 20.0 * x[1];
                true
            }
        }
        let ev = Evaluator::new(&Bowl, GradientSource::Analytic);
        // L = 20, so α = 0.2 > 2/L: |1 − 20α| = 3 per step, past 1e8 in ~17 steps.
        let t = run(
            &mut GradientDescent { learning_rate: 0.2 },
            &ev,
            &[1.0, 1.0],
            &StopCriteria::default(),
        );
        assert_eq!(t.stop, StopReason::Diverged);
        assert!(t
            .iterates
            .iter()
            .all(|r| r.f.is_finite() && r.x.iter().all(|v| v.is_finite())));
        assert!(t.iterations() < 30);
    }

    #[test]
    fn records_every_iteration_and_counts_evaluations() {
        let t = descend([0.5, -1.0], 0.01, 10);
        assert_eq!(t.stop, StopReason::MaxIterations);
        assert_eq!(t.iterates.len(), 11);
        assert_eq!((t.f_evals, t.g_evals), (11, 11));
        for w in t.iterates.windows(2) {
            let d = ((w[1].x[0] - w[0].x[0]).powi(2) + (w[1].x[1] - w[0].x[1]).powi(2)).sqrt();
            assert!((w[1].step - d).abs() < 1e-15);
            assert!((d - 0.01 * w[0].grad_norm).abs() < 1e-12, "step = α‖∇f‖");
        }
    }
}
