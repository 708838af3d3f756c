//! Gauss–Newton with a backtracking line search.
//!
//! The direction h solves the linear least-squares problem min_h ‖J h + r‖ (the minimum-norm
//! solution from the SVD of J, so rank-deficient Jacobians still give a direction; never (JᵀJ)⁻¹).
//! The step p + t·h takes the first t ∈ {1, ½, ¼, …} with Armijo's sufficient decrease
//! ½‖r(p + t h)‖² ≤ ½‖r(p)‖² + c·t·(Jᵀr)ᵀh, c = 10⁻⁴ (Nocedal & Wright, *Numerical Optimization*,
//! §10.3 and Alg. 3.1). Stop tests as in [`super::lm`] (relative reduction, relative step in the
//! Marquardt-scaled norm, orthogonality, max evaluations).
//!
//! Trace extras, in order: `ssr`, `t` (accepted step fraction), `line_search_trials`.

use super::{column_norms, gradient, orthogonality, start, JacobianSettings, LsqRun, Start};
use crate::problem::least_squares::Residuals;
use crate::solver::MAX_ITERATIONS;
use crate::trace::{Iterate, StopReason};
use nalgebra::{DMatrix, DVector, SVD};
use serde::{Deserialize, Serialize};

/// Gauss–Newton settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GaussNewtonSettings {
    /// Relative-reduction tolerance on SSR (0 disables).
    pub ftol: f64,
    /// Relative-step tolerance (0 disables).
    pub xtol: f64,
    /// Orthogonality tolerance (0 disables).
    pub gtol: f64,
    /// Budget of residual evaluations.
    pub max_evaluations: usize,
    /// Most halvings of the step in one line search.
    pub max_backtracks: usize,
    /// Teaching preset: keep the Jacobian of the start point for every iteration.
    pub frozen_jacobian: bool,
}

impl Default for GaussNewtonSettings {
    fn default() -> Self {
        GaussNewtonSettings {
            ftol: 1e-15,
            xtol: 1e-15,
            gtol: 0.0,
            max_evaluations: 10_000,
            max_backtracks: 40,
            frozen_jacobian: false,
        }
    }
}

impl GaussNewtonSettings {
    /// Checks the settings, returning the first problem in words.
    pub fn validate(&self) -> Result<(), String> {
        for (name, v) in [
            ("ftol", self.ftol),
            ("xtol", self.xtol),
            ("gtol", self.gtol),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(format!("{name} must be a number ≥ 0 (got {v})"));
            }
        }
        if self.max_evaluations == 0 || self.max_evaluations > 10_000_000 {
            return Err(format!(
                "max evaluations must be between 1 and 10000000 (got {})",
                self.max_evaluations
            ));
        }
        if self.max_backtracks == 0 || self.max_backtracks > 100 {
            return Err(format!(
                "max backtracks must be between 1 and 100 (got {})",
                self.max_backtracks
            ));
        }
        Ok(())
    }

    /// Display name.
    pub fn name(&self) -> String {
        if self.frozen_jacobian {
            "Gauss–Newton (Jacobian frozen at start)".into()
        } else {
            "Gauss–Newton".into()
        }
    }
}

fn gn_direction(j: &DMatrix<f64>, r: &[f64]) -> Option<DVector<f64>> {
    let (m, n) = j.shape();
    let svd = SVD::new(j.clone(), true, true);
    let tol = m.max(n) as f64 * f64::EPSILON * svd.singular_values.max();
    let rhs = -DVector::from_column_slice(r);
    let h = svd.solve(&rhs, tol).ok()?;
    h.iter().all(|v| v.is_finite()).then_some(h)
}

/// Minimizes ½‖r(p)‖² from `p0` by Gauss–Newton with backtracking. Errors as
/// [`super::levenberg_marquardt`].
pub fn gauss_newton(
    model: &dyn Residuals,
    jac: &JacobianSettings,
    p0: &[f64],
    s: &GaussNewtonSettings,
) -> Result<LsqRun, String> {
    s.validate()?;
    let Start {
        ev,
        m,
        n,
        mut p,
        mut r,
        mut f,
        mut j,
        col_norms: mut cn,
        g,
    } = start(model, jac, p0)?;
    let mut d: Vec<f64> = cn.iter().map(|&c| if c > 0.0 { c } else { 1.0 }).collect();
    let norm = |v: &[f64]| v.iter().map(|a| a * a).sum::<f64>().sqrt();
    let scaled = |d: &[f64], v: &[f64]| {
        d.iter()
            .zip(v)
            .map(|(a, b)| (a * b) * (a * b))
            .sum::<f64>()
            .sqrt()
    };
    let mut g = g;
    let rec = |k, p: &[f64], f: f64, g: &[f64], step, t, trials| Iterate {
        k,
        x: p.to_vec(),
        f,
        grad_norm: norm(g),
        step,
        extra: vec![
            ("ssr".into(), 2.0 * f),
            ("t".into(), t),
            ("line_search_trials".into(), trials),
        ],
        simplex: None,
    };
    let mut iterates = vec![rec(0, &p, f, &g, 0.0, 0.0, 0.0)];
    let mut r_new = vec![0.0; m];
    let mut p_new = vec![0.0; n];
    let stop = loop {
        let r_norm = (2.0 * f).sqrt();
        if r_norm == 0.0 {
            break StopReason::ZeroResidual;
        }
        if cn.iter().all(|&c| c == 0.0) {
            break StopReason::ZeroJacobian;
        }
        if orthogonality(&g, &cn, r_norm) <= s.gtol {
            break StopReason::Orthogonality;
        }
        if ev.nfev() >= s.max_evaluations {
            break StopReason::MaxEvaluations;
        }
        if iterates.len() > MAX_ITERATIONS {
            break StopReason::MaxIterations;
        }
        let Some(h) = gn_direction(&j, &r) else {
            break StopReason::LineSearchFailed;
        };
        let slope: f64 = g.iter().zip(h.iter()).map(|(a, b)| a * b).sum();
        if slope >= 0.0 {
            break StopReason::LineSearchFailed;
        }
        // ‖Jh‖² for the reduction the linear model predicts: pred(t) = −(t·gᵀh + ½t²‖Jh‖²).
        let jh_sq = (&j * &h).norm_squared();
        let mut t = 1.0;
        let mut found = None;
        for trial in 1..=s.max_backtracks {
            for i in 0..n {
                p_new[i] = p[i] + t * h[i];
            }
            let f_new = ev.residuals(&p_new, &mut r_new);
            if f_new <= f + 1e-4 * t * slope {
                found = Some((f_new, trial));
                break;
            }
            if ev.nfev() >= s.max_evaluations {
                break;
            }
            t *= 0.5;
        }
        let Some((f_new, trials)) = found else {
            break if ev.nfev() >= s.max_evaluations {
                StopReason::MaxEvaluations
            } else {
                StopReason::LineSearchFailed
            };
        };
        let step_scaled = t * scaled(&d, h.as_slice());
        let p_scaled = scaled(&d, &p);
        let rel_red = (f - f_new) / f;
        let rel_pred = -(t * slope + 0.5 * t * t * jh_sq) / f;
        std::mem::swap(&mut p, &mut p_new);
        std::mem::swap(&mut r, &mut r_new);
        f = f_new;
        if !s.frozen_jacobian {
            ev.jacobian(&p, &r, &mut j);
            if j.iter().any(|v| !v.is_finite()) {
                iterates.push(rec(
                    iterates.len(),
                    &p,
                    f,
                    &[f64::NAN],
                    t * h.norm(),
                    t,
                    trials as f64,
                ));
                break StopReason::Diverged;
            }
            cn = column_norms(&j);
            for (dc, &c) in d.iter_mut().zip(&cn) {
                *dc = dc.max(c);
            }
        }
        g = gradient(&j, &r);
        iterates.push(rec(
            iterates.len(),
            &p,
            f,
            &g,
            t * h.norm(),
            t,
            trials as f64,
        ));
        // MINPACK's test: both the actual and the predicted relative reductions are tiny. A tiny
        // actual reduction where the linear model promised a large one is not convergence (e.g. a
        // run that wandered to where the model saturates): say so.
        if rel_red <= s.ftol {
            break if rel_pred <= 1e3 * s.ftol.max(f64::EPSILON) {
                StopReason::RelativeReduction
            } else {
                StopReason::NoFurtherProgress
            };
        }
        if step_scaled <= s.xtol * p_scaled {
            break StopReason::RelativeStep;
        }
    };
    Ok(LsqRun::finish(
        s.name(),
        iterates,
        stop,
        &ev,
        s.frozen_jacobian,
        p,
        r,
        j,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::least_squares::{CurveFit, Data, ModelId};

    #[test]
    fn linear_model_is_solved_in_one_step() {
        // y = a + b·x is linear in (a, b): one Gauss–Newton step reaches the OLS solution
        // a = 1.4, b = 0.8 (closed form, see fit_statistics' test).
        struct Line;
        impl Residuals for Line {
            fn num_residuals(&self) -> usize {
                5
            }
            fn num_params(&self) -> usize {
                2
            }
            fn residuals(&self, p: &[f64], r: &mut [f64]) {
                let y = [1.0, 3.0, 2.0, 5.0, 4.0];
                for i in 0..5 {
                    r[i] = p[0] + p[1] * i as f64 - y[i];
                }
            }
        }
        // No hand-written Jacobian: finite differences, asked for by name.
        let fd = JacobianSettings {
            source: crate::diff::GradientSource::FiniteDifference,
            ..Default::default()
        };
        let run = gauss_newton(&Line, &fd, &[0.0, 0.0], &GaussNewtonSettings::default()).unwrap();
        assert!((run.trace.iterates[1].x[0] - 1.4).abs() < 1e-8);
        assert!((run.trace.iterates[1].x[1] - 0.8).abs() < 1e-8);
        assert_eq!(run.trace.iterates[1].extra("t"), Some(1.0));
    }

    #[test]
    fn fits_michaelis_menten_noise_free_data_exactly() {
        let id = ModelId::MichaelisMenten;
        let data = id
            .generate(id.true_params(), 25, [0.0, 5.0], 0.0, 1)
            .unwrap();
        let fit = CurveFit::new(id, data).unwrap();
        let run = gauss_newton(
            &fit,
            &JacobianSettings::default(),
            id.default_start(),
            &GaussNewtonSettings::default(),
        )
        .unwrap();
        assert!((run.params[0] - 2.0).abs() < 1e-10 && (run.params[1] - 0.5).abs() < 1e-10);
        assert!(run.stop().is_converged(), "{:?}", run.stop());
    }

    #[test]
    fn fewer_points_than_parameters_is_an_error() {
        let d = Data::new(vec![1.0], vec![1.0]).unwrap();
        assert!(CurveFit::new(ModelId::PowerLaw, d).is_err());
    }
}
