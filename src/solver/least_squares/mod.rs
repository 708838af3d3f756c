//! Nonlinear least squares: min_p ½‖r(p)‖² for a [`Residuals`] model.
//!
//! * [`lm`] — Levenberg–Marquardt with Marquardt's diagonal scaling, Moré's trust region (MINPACK;
//!   Nielsen's damping update for links v2) and the step from a QR factorization of the augmented
//!   system [J; √λ·D];
//! * [`gauss_newton()`] — Gauss–Newton with a backtracking (Armijo) line search.
//!
//! Both record a [`Trace`] with one [`crate::trace::Iterate`] per trial step, where
//! **`f` = ½·SSR** (SSR = ‖r‖², the residual sum of squares) and **`grad_norm` = ‖Jᵀr‖** (the
//! gradient of ½·SSR), and the extras listed on each solver. They stop like MINPACK (Moré, Garbow &
//! Hillstrom, *User Guide for MINPACK-1*, ANL-80-74, 1980) with a named [`StopReason`].
//! [`fit_statistics`] gives the covariance s²·(JᵀJ)⁻¹, standard errors and correlations.

pub mod gauss_newton;
pub mod lm;

use crate::diff::GradientSource;
use crate::problem::least_squares::{finite_difference_jacobian, FdScheme, Residuals};
use crate::trace::{StopReason, Trace};
use nalgebra::{DMatrix, SVD};
use serde::{Deserialize, Serialize};
use std::cell::Cell;

pub use gauss_newton::{gauss_newton, GaussNewtonSettings};
pub use lm::{levenberg_marquardt, LmSettings};

/// Where the Jacobian comes from.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct JacobianSettings {
    /// Analytic (the model's hand-written Jacobian), automatic (dual numbers) or finite
    /// differences. A source the model cannot give is an error naming it, never a substitution.
    pub source: GradientSource,
    /// Finite-difference scheme.
    pub scheme: FdScheme,
    /// Relative finite-difference step per parameter (the scheme's default when absent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rel_step: Option<Vec<f64>>,
    /// The typical scale of each parameter, the floor under |p_j| in the finite-difference step
    /// h_j = rel_step·max(|p_j|, scale_j) (as scipy's `x_scale`). When absent: 10⁻³ of the
    /// largest |p_j| seen so far in the solve, the start included (1 for a start at exactly 0, as
    /// scipy), so a parameter passing near 0 keeps a usable step. Links v2 had no floor
    /// ([`Self::no_step_floor`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub typical_scale: Option<Vec<f64>>,
    /// Links v2: the step h_j = rel_step·|p_j| with no floor.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub no_step_floor: bool,
}

/// A residual model with its Jacobian source and evaluation counters (nfev, njev).
pub struct LsqEvaluator<'a> {
    model: &'a dyn Residuals,
    settings: &'a JacobianSettings,
    /// Floor under |p_j| in the finite-difference step (`None`: links v2, no floor).
    floor: std::cell::RefCell<Option<Vec<f64>>>,
    nfev: Cell<usize>,
    njev: Cell<usize>,
}

impl<'a> LsqEvaluator<'a> {
    /// Wraps `model` with a Jacobian source; `p0` (the start) sets the default floor of the
    /// finite-difference steps.
    pub fn new(model: &'a dyn Residuals, settings: &'a JacobianSettings, p0: &[f64]) -> Self {
        let floor = if settings.no_step_floor {
            None
        } else {
            Some(settings.typical_scale.clone().unwrap_or_else(|| {
                p0.iter()
                    .map(|v| if *v == 0.0 { 1.0 } else { 1e-3 * v.abs() })
                    .collect()
            }))
        };
        LsqEvaluator {
            model,
            settings,
            floor: std::cell::RefCell::new(floor),
            nfev: Cell::new(0),
            njev: Cell::new(0),
        }
    }

    /// r(p) into `r`, counted as one evaluation; returns ½‖r‖² (∞ when any residual is not finite).
    pub fn residuals(&self, p: &[f64], r: &mut [f64]) -> f64 {
        self.nfev.set(self.nfev.get() + 1);
        self.model.residuals(p, r);
        half_ssr(r)
    }

    /// J(p) into `j` from the chosen source; `r` must hold r(p). Counted as one Jacobian
    /// evaluation; finite differences also count their residual evaluations in nfev. Returns
    /// `false` (and leaves `j` as it was) when the model cannot give that source — never a
    /// substitute.
    pub fn jacobian(&self, p: &[f64], r: &[f64], j: &mut DMatrix<f64>) -> bool {
        match self.settings.source {
            GradientSource::Analytic | GradientSource::Automatic => {
                let ok = if self.settings.source == GradientSource::Analytic {
                    self.model.jacobian(p, j)
                } else {
                    self.model.jacobian_ad(p, j)
                };
                if ok {
                    self.njev.set(self.njev.get() + 1);
                }
                return ok;
            }
            GradientSource::FiniteDifference => {}
        }
        self.njev.set(self.njev.get() + 1);
        let scheme = self.settings.scheme;
        let mut floor = self.floor.borrow_mut();
        if let (Some(f), None) = (floor.as_mut(), &self.settings.typical_scale) {
            // The default floor follows the largest |p_j| seen in this solve (10⁻³ of it).
            for (fj, pj) in f.iter_mut().zip(p) {
                *fj = fj.max(1e-3 * pj.abs());
            }
        }
        self.nfev
            .set(self.nfev.get() + scheme.evals_per_jacobian(p.len()));
        finite_difference_jacobian(
            self.model,
            p,
            r,
            scheme,
            self.settings.rel_step.as_deref(),
            floor.as_deref(),
            j,
        );
        true
    }

    /// Residual evaluations so far (nfev).
    pub fn nfev(&self) -> usize {
        self.nfev.get()
    }

    /// Jacobian evaluations so far (njev).
    pub fn njev(&self) -> usize {
        self.njev.get()
    }
}

/// ½‖r‖², or +∞ when any entry is not finite.
pub fn half_ssr(r: &[f64]) -> f64 {
    let s: f64 = r.iter().map(|v| v * v).sum::<f64>() * 0.5;
    if s.is_finite() {
        s
    } else {
        f64::INFINITY
    }
}

/// Common checks before a solve: sizes, finite start, finite residuals and Jacobian at the start.
pub(crate) fn check_start(model: &dyn Residuals, p0: &[f64]) -> Result<(usize, usize), String> {
    let (m, n) = (model.num_residuals(), model.num_params());
    if n == 0 {
        return Err("the model has no parameters".into());
    }
    if p0.len() != n {
        return Err(format!(
            "the start has {} values but the model has {n} parameters",
            p0.len()
        ));
    }
    if m < n {
        return Err(format!(
            "need at least as many residuals (data points) as parameters: {m} for {n} parameters"
        ));
    }
    if let Some(i) = p0.iter().position(|v| !v.is_finite()) {
        return Err(format!(
            "start parameter {} is not finite ({})",
            i + 1,
            p0[i]
        ));
    }
    Ok((m, n))
}

/// Where Gauss–Newton and Levenberg–Marquardt both begin: the checked start, its residuals
/// r(p₀), f = ½‖r‖², the Jacobian J, its column norms and the gradient Jᵀr — or the named error
/// that stops the solve before it starts (sizes, a non-finite start, residual or Jacobian).
pub(crate) struct Start<'a> {
    pub ev: LsqEvaluator<'a>,
    pub m: usize,
    pub n: usize,
    pub p: Vec<f64>,
    pub r: Vec<f64>,
    pub f: f64,
    pub j: DMatrix<f64>,
    pub col_norms: Vec<f64>,
    pub g: Vec<f64>,
}

pub(crate) fn start<'a>(
    model: &'a dyn Residuals,
    jac: &'a JacobianSettings,
    p0: &[f64],
) -> Result<Start<'a>, String> {
    let (m, n) = check_start(model, p0)?;
    if let Some(t) = &jac.typical_scale {
        if t.len() != n || t.iter().any(|v| !(v.is_finite() && *v > 0.0)) {
            return Err(format!(
                "typical scale: give {n} positive numbers, one per parameter (got {t:?})"
            ));
        }
    }
    let ev = LsqEvaluator::new(model, jac, p0);
    let p = p0.to_vec();
    let mut r = vec![0.0; m];
    let f = ev.residuals(&p, &mut r);
    if let Some(e) = non_finite_start(&r) {
        return Err(e);
    }
    let mut j = DMatrix::zeros(m, n);
    if !ev.jacobian(&p, &r, &mut j) {
        return Err(unavailable_jacobian(jac.source));
    }
    if let Some(e) = non_finite_jacobian(model, &j) {
        return Err(e);
    }
    let col_norms = column_norms(&j);
    let g = gradient(&j, &r);
    Ok(Start {
        ev,
        m,
        n,
        p,
        r,
        f,
        j,
        col_norms,
        g,
    })
}

/// The message when a model cannot give the Jacobian source asked for.
pub(crate) fn unavailable_jacobian(source: GradientSource) -> String {
    match source {
        GradientSource::Analytic => "this model has no analytic (hand-written) Jacobian: \
             choose the automatic Jacobian (if the model is written generically) or finite differences"
            .into(),
        GradientSource::Automatic => "this model has no automatic Jacobian (it is not written \
             generically over dual numbers): choose the analytic Jacobian or finite differences"
            .into(),
        GradientSource::FiniteDifference => "finite differences are always available".into(),
    }
}

/// The gradient of ½‖r‖²: Jᵀr.
pub(crate) fn gradient(j: &DMatrix<f64>, r: &[f64]) -> Vec<f64> {
    // Column by column (J is column-major): no transposed copy of J.
    j.column_iter()
        .map(|c| c.iter().zip(r).map(|(a, b)| a * b).sum())
        .collect()
}

/// Error message when the residuals at the start are not finite.
pub(crate) fn non_finite_start(r: &[f64]) -> Option<String> {
    r.iter().position(|v| !v.is_finite()).map(|i| {
        format!(
            "the model is not finite at the start point (residual {} is {}): it overflows or leaves its domain there; choose another start",
            i + 1,
            r[i]
        )
    })
}

/// Error message when the Jacobian at the start is not finite: which entry, at which data point,
/// and what to do about it.
pub(crate) fn non_finite_jacobian(model: &dyn Residuals, j: &DMatrix<f64>) -> Option<String> {
    j.iter().position(|v| !v.is_finite()).map(|k| {
        let (i, c) = (k % j.nrows(), k / j.nrows());
        format!(
            "the Jacobian is not finite at the start point: ∂r{}/∂p{} = {} at {}; \
             choose the finite-difference Jacobian or another start",
            i + 1,
            c + 1,
            j[(i, c)],
            model.describe_residual(i)
        )
    })
}

/// Euclidean norms of the columns of `j`.
pub(crate) fn column_norms(j: &DMatrix<f64>) -> Vec<f64> {
    j.column_iter().map(|c| c.norm()).collect()
}

/// MINPACK's orthogonality measure max_j |J_jᵀr| / (‖J_j‖·‖r‖) (0 for zero columns).
pub(crate) fn orthogonality(g: &[f64], col_norms: &[f64], r_norm: f64) -> f64 {
    g.iter()
        .zip(col_norms)
        .filter(|(_, &c)| c > 0.0)
        .map(|(gj, c)| gj.abs() / (c * r_norm))
        .fold(0.0, f64::max)
}

/// The outcome of a least-squares solve.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LsqRun {
    /// Per-trial records (f = ½·SSR, grad_norm = ‖Jᵀr‖), stop reason, nfev (`f_evals`) and njev
    /// (`g_evals`).
    pub trace: Trace,
    /// The final parameters p*.
    pub params: Vec<f64>,
    /// r(p*).
    pub residuals: Vec<f64>,
    /// SSR = ‖r(p*)‖².
    pub ssr: f64,
    /// J(p*) (column-major, m × n), for [`fit_statistics`].
    #[serde(skip)]
    pub jacobian: DMatrix<f64>,
}

impl LsqRun {
    /// Packs a finished solve. With a frozen Jacobian the statistics still need the true one at
    /// the solution, so it is evaluated here.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn finish(
        solver: String,
        iterates: Vec<crate::trace::Iterate>,
        stop: StopReason,
        ev: &LsqEvaluator,
        frozen_jacobian: bool,
        params: Vec<f64>,
        residuals: Vec<f64>,
        mut jacobian: DMatrix<f64>,
    ) -> LsqRun {
        if frozen_jacobian {
            ev.jacobian(&params, &residuals, &mut jacobian);
        }
        let ssr = 2.0 * half_ssr(&residuals);
        LsqRun {
            trace: Trace {
                solver,
                iterates,
                stop,
                f_evals: ev.nfev(),
                g_evals: ev.njev(),
                h_evals: 0,
            },
            params,
            residuals,
            ssr,
            jacobian,
        }
    }

    /// Why it stopped.
    pub fn stop(&self) -> &StopReason {
        &self.trace.stop
    }

    /// Residual evaluations (including those of finite-difference Jacobians).
    pub fn nfev(&self) -> usize {
        self.trace.f_evals
    }

    /// Jacobian evaluations.
    pub fn njev(&self) -> usize {
        self.trace.g_evals
    }
}

/// Statistics of a fit at its solution p*.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FitStatistics {
    /// Residual sum of squares ‖r‖².
    pub ssr: f64,
    /// Degrees of freedom m − n.
    pub dof: usize,
    /// Residual standard deviation s = √(SSR/dof) (NaN when dof = 0).
    pub residual_sd: f64,
    /// Standard errors √(diag C).
    pub std_errors: Vec<f64>,
    /// Covariance C = s²·(JᵀJ)⁻¹ (rows).
    pub covariance: Vec<Vec<f64>>,
    /// Correlations C_ij/√(C_ii·C_jj) (rows).
    pub correlation: Vec<Vec<f64>>,
    /// Coefficient of determination 1 − SSR/Σ(y − ȳ)², when the responses are known.
    pub r_squared: Option<f64>,
    /// Numerical rank of J (< n means the covariance is a pseudo-inverse and some errors are ∞).
    pub rank: usize,
}

/// Covariance, standard errors and correlations from the Jacobian `j` and residuals `r` at the
/// solution; `y` (the responses) gives R².
///
/// C = s²·(JᵀJ)⁻¹ is formed from the SVD of the column-scaled Jacobian J·D⁻¹ = UΣVᵀ (D = column
/// norms) as C = s²·D⁻¹VΣ⁻²VᵀD⁻¹, never by inverting JᵀJ; singular values below
/// max(m, n)·ε·σ_max count as zero, and the parameters they involve get infinite errors.
pub fn fit_statistics(j: &DMatrix<f64>, r: &[f64], y: Option<&[f64]>) -> FitStatistics {
    let (m, n) = j.shape();
    let ssr: f64 = r.iter().map(|v| v * v).sum();
    let dof = m.saturating_sub(n);
    let s2 = if dof > 0 { ssr / dof as f64 } else { f64::NAN };
    let d: Vec<f64> = column_norms(j)
        .into_iter()
        .map(|c| if c > 0.0 { c } else { 1.0 })
        .collect();
    let mut js = j.clone();
    for (c, dc) in d.iter().enumerate() {
        js.column_mut(c).scale_mut(1.0 / dc);
    }
    let svd = SVD::new(js, false, true);
    let vt = svd.v_t.expect("SVD computed with V");
    let smax = svd.singular_values.max();
    let tol = m.max(n) as f64 * f64::EPSILON * smax;
    let mut cov = vec![vec![0.0; n]; n];
    let mut rank = 0;
    let mut null = vec![false; n];
    for (k, &s) in svd.singular_values.iter().enumerate() {
        if s > tol && s.is_finite() {
            rank += 1;
            for a in 0..n {
                for b in 0..n {
                    cov[a][b] += vt[(k, a)] * vt[(k, b)] / (s * s);
                }
            }
        } else {
            for (a, nl) in null.iter_mut().enumerate() {
                if vt[(k, a)].abs() > 1e-8 {
                    *nl = true;
                }
            }
        }
    }
    for a in 0..n {
        for b in 0..n {
            cov[a][b] *= s2 / (d[a] * d[b]);
        }
    }
    let std_errors: Vec<f64> = (0..n)
        .map(|a| {
            if null[a] {
                f64::INFINITY
            } else {
                cov[a][a].sqrt()
            }
        })
        .collect();
    let correlation = (0..n)
        .map(|a| {
            (0..n)
                .map(|b| cov[a][b] / (cov[a][a] * cov[b][b]).sqrt())
                .collect()
        })
        .collect();
    let r_squared = y.and_then(|y| {
        if y.is_empty() {
            return None;
        }
        let mean = y.iter().sum::<f64>() / y.len() as f64;
        let sst: f64 = y.iter().map(|v| (v - mean).powi(2)).sum();
        (sst > 0.0).then(|| 1.0 - ssr / sst)
    });
    FitStatistics {
        ssr,
        dof,
        residual_sd: s2.sqrt(),
        std_errors,
        covariance: cov,
        correlation,
        r_squared,
        rank,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_regression_statistics_match_closed_form() {
        // Straight line y = a + b·x through x = 0..4, y = (1, 3, 2, 5, 4): closed-form OLS gives
        // b = Sxy/Sxx = 8/10 = 0.8, a = ȳ − b·x̄ = 3 − 1.6 = 1.4; residuals (−0.4, 0.8, −1, 1.2,
        // −0.6), SSR = 3.6, s² = 1.2, Var(b) = s²/Sxx = 0.12, Var(a) = s²(1/5 + x̄²/Sxx) = 0.72,
        // Cov(a, b) = −x̄·s²/Sxx = −0.24, SST = 10, R² = 0.64.
        let x = [0.0, 1.0, 2.0, 3.0, 4.0];
        let y = [1.0, 3.0, 2.0, 5.0, 4.0];
        let j = DMatrix::from_fn(5, 2, |i, c| if c == 0 { 1.0 } else { x[i] });
        let r: Vec<f64> = (0..5).map(|i| 1.4 + 0.8 * x[i] - y[i]).collect();
        let st = fit_statistics(&j, &r, Some(&y));
        assert!((st.ssr - 3.6).abs() < 1e-12);
        assert_eq!((st.dof, st.rank), (3, 2));
        assert!((st.std_errors[0] - 0.72f64.sqrt()).abs() < 1e-12);
        assert!((st.std_errors[1] - 0.12f64.sqrt()).abs() < 1e-12);
        assert!((st.covariance[0][1] + 0.24).abs() < 1e-12);
        assert!((st.correlation[0][1] + 0.24 / (0.72f64 * 0.12).sqrt()).abs() < 1e-12);
        assert!((st.r_squared.unwrap() - 0.64).abs() < 1e-12);
    }

    #[test]
    fn automatic_jacobians_equal_the_analytic_ones_for_every_built_in_model() {
        use crate::problem::least_squares::{CurveFit, ModelId};
        for id in ModelId::ALL {
            let data = id
                .generate(id.true_params(), 25, id.default_x_range(), 0.05, 3)
                .unwrap();
            let fit = CurveFit::new(id, data).unwrap();
            let (m, n) = (fit.num_residuals(), fit.num_params());
            for p in [id.true_params(), id.default_start()] {
                let (mut ja, mut jd) = (DMatrix::zeros(m, n), DMatrix::zeros(m, n));
                assert!(fit.jacobian(p, &mut ja) && fit.jacobian_ad(p, &mut jd));
                for c in 0..n {
                    let scale = ja.column(c).amax().max(f64::MIN_POSITIVE);
                    let err = (ja.column(c) - jd.column(c)).amax() / scale;
                    assert!(err < 1e-12, "{id:?} column {c}: relative error {err:e}");
                }
            }
        }
    }

    #[test]
    fn an_unavailable_jacobian_source_is_an_error_never_a_substitute() {
        use crate::problem::least_squares::{CurveFit, Data, FnModel};
        let data = Data::new(vec![0.0, 1.0, 2.0], vec![1.0, 2.0, 2.9]).unwrap();
        // Closures: no hand-written gradient, not generic either.
        let fit = CurveFit::new(
            FnModel {
                n: 2,
                f: Box::new(|x, p| p[0] + p[1] * x[0]),
                grad: None,
            },
            data,
        )
        .unwrap();
        let s = lm::LmSettings::default();
        for (source, word) in [
            (GradientSource::Analytic, "no analytic"),
            (GradientSource::Automatic, "no automatic"),
        ] {
            let jac = JacobianSettings {
                source,
                ..Default::default()
            };
            let e = levenberg_marquardt(&fit, &jac, &[0.0, 0.0], &s).unwrap_err();
            assert!(e.contains(word), "{e}");
            let e = gauss_newton(&fit, &jac, &[0.0, 0.0], &Default::default()).unwrap_err();
            assert!(e.contains(word), "{e}");
        }
        let fd = JacobianSettings {
            source: GradientSource::FiniteDifference,
            ..Default::default()
        };
        let run = levenberg_marquardt(&fit, &fd, &[0.0, 0.0], &s).unwrap();
        assert!((run.params[1] - 0.95).abs() < 1e-9, "{:?}", run.params);
    }

    #[test]
    fn a_parameter_passing_near_zero_keeps_its_finite_difference_column() {
        use crate::problem::least_squares::{CurveFit, ModelId};
        // y = a·exp(−k·x) + c with c = 0.5; ∂r/∂c = 1 for every point.
        let id = ModelId::ExponentialDecay;
        let data = id
            .generate(&[2.0, 0.7, 0.5], 30, [0.0, 5.0], 0.0, 1)
            .unwrap();
        let fit = CurveFit::new(id, data).unwrap();
        let near_zero = [2.0, 0.7, -7e-21];
        let mut r = vec![0.0; 30];
        fit.residuals(&near_zero, &mut r);
        let column_c = |jac: &JacobianSettings, p0: &[f64]| {
            let ev = LsqEvaluator::new(&fit, jac, p0);
            let mut j = DMatrix::zeros(30, 3);
            assert!(ev.jacobian(&near_zero, &r, &mut j));
            j.column(2).iter().copied().fold(f64::INFINITY, f64::min)
        };
        let fd = JacobianSettings {
            source: GradientSource::FiniteDifference,
            ..Default::default()
        };
        let v2 = JacobianSettings {
            no_step_floor: true,
            ..fd.clone()
        };
        // Started at c = 1, passing c ≈ −7·10⁻²¹: the floor 10⁻³ keeps the column (= 1).
        assert!((column_c(&fd, &[2.0, 0.7, 1.0]) - 1.0).abs() < 1e-6);
        // Without a floor (v2) the step is 4·10⁻²⁶: lost in round-off, the column is 0.
        assert_eq!(column_c(&v2, &[2.0, 0.7, 1.0]), 0.0);
        // Started at c = −7·10⁻²¹ itself, with a typical scale given (as scipy's x_scale).
        let s = lm::LmSettings::default();
        let scaled = JacobianSettings {
            typical_scale: Some(vec![1.0, 1.0, 1.0]),
            ..fd.clone()
        };
        let good = levenberg_marquardt(&fit, &scaled, &near_zero, &s).unwrap();
        assert!((good.params[2] - 0.5).abs() < 1e-8, "{:?}", good.params);
        // A bad typical scale is a named error.
        let bad = JacobianSettings {
            typical_scale: Some(vec![1.0, 0.0, 1.0]),
            ..fd
        };
        let e = levenberg_marquardt(&fit, &bad, &near_zero, &s).unwrap_err();
        assert!(e.contains("typical scale"), "{e}");
    }

    #[test]
    fn rank_deficient_jacobian_gives_infinite_errors() {
        // Two identical columns: only their sum is identified.
        let j = DMatrix::from_fn(4, 3, |i, c| if c < 2 { 1.0 } else { i as f64 });
        let st = fit_statistics(&j, &[0.1, -0.1, 0.2, -0.2], None);
        assert_eq!(st.rank, 2);
        assert!(st.std_errors[0].is_infinite() && st.std_errors[1].is_infinite());
        assert!(st.std_errors[2].is_finite());
    }
}
