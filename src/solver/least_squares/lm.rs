//! Levenberg–Marquardt.
//!
//! Each iteration solves the damped, scaled Gauss–Newton problem
//!
//! ```text
//!     min_h ‖J h + r‖² + λ‖D h‖²   ⇔   (JᵀJ + λD²) h = −Jᵀr
//! ```
//!
//! by a QR factorization, never an inverse: J = QR once per Jacobian, then per λ the small
//! (2n × n) QR of [R; √λ·D] with right-hand side [−Q₁ᵀr; 0] (as MINPACK's `qrsolv`). D is
//! Marquardt's scaling D_j = max over iterations of ‖J_j‖ (MINPACK `mode = 1`), which makes the
//! method invariant under rescaling of the parameters.
//!
//! **Damping, by default** ([`Damping::TrustRegion`], links v3): Moré's trust region, as MINPACK's
//! `lmder`/`lmpar` — λ solved so that ‖D h‖ fits a radius Δ that the gain ratio grows or shrinks
//! (module `trust_region`); plus a precision-limit stop and a rescue for saturated models. Side by
//! side with the MINPACK port `levenberg-marquardt` on NIST StRD: fewer residual evaluations
//! (median 12.5 vs 13.5), 54/54 problem-starts at LRE ≥ 6 (MINPACK 52/54); see BENCHMARKS.md.
//!
//! **Nielsen damping** ([`Damping::Nielsen`], what links v2 ran): the gain ratio
//! ρ = (½‖r‖² − ½‖r(p + h)‖²) / (½‖Jh‖² + λ‖Dh‖²) drives Nielsen's damping update
//! (H. B. Nielsen, *Damping parameter in Marquardt's method*, IMM-REP-1999-05; Madsen, Nielsen &
//! Tingleff, *Methods for non-linear least squares problems*, 2004, §3.2): accept when ρ > 10⁻⁴,
//! then λ ← λ·max(⅓, 1 − (2ρ − 1)³), ν ← 2; otherwise λ ← λ·ν, ν ← 2ν.
//!
//! Stops (MINPACK `lmder`): relative reduction (actual and predicted relative reductions of SSR
//! ≤ ftol, ρ ≤ 2), relative step (‖D h‖ ≤ xtol·‖D p‖), orthogonality (max_j |J_jᵀr|/(‖J_j‖‖r‖) ≤
//! gtol), zero residual, max evaluations. With Nielsen damping, after a converged stop the method
//! restarts (fresh λ and scaling) from the stopping point while that still lowers SSR, up to
//! `restarts` times.
//!
//! Trace extras, in order: `ssr` (at the current point), `lambda` (used for this trial), `rho`,
//! `accepted` (1/0), `step_norm` (‖h‖ of the trial), `trial_ssr`, `accel_ratio` (2‖Da‖/‖Dv‖ with
//! geodesic acceleration, 0 without; a trial with ratio > α is rejected without evaluating it); the
//! trust region adds `radius` (Δ after the trial).
//!
//! Geodesic acceleration is what solves BoxBOD from start 1, where plain LM (and MINPACK) jump to
//! b2 ≈ 115 and stall on the saturated model: with Nielsen damping on every trial; with the trust
//! region as the rescue of such a stop.

use super::{column_norms, gradient, orthogonality, start, JacobianSettings, LsqRun, Start};
use crate::problem::least_squares::Residuals;
use crate::solver::MAX_ITERATIONS;
use crate::trace::{Iterate, StopReason, TraceDetail};
use nalgebra::{DMatrix, DVector, QR};

mod trust_region;
use serde::{Deserialize, Serialize};

/// The default ftol, xtol and gtol: 30ε ≈ 6.7·10⁻¹⁵, as the MINPACK port `levenberg-marquardt`
/// (links v2 used 10⁻¹⁵, 10⁻¹⁵ and 0).
pub const TIGHT_TOL: f64 = 30.0 * f64::EPSILON;

/// Levenberg–Marquardt settings. The defaults are what the NIST conformance test uses.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LmSettings {
    /// Relative-reduction tolerance on SSR (0 disables).
    pub ftol: f64,
    /// Relative-step tolerance (0 disables).
    pub xtol: f64,
    /// Orthogonality tolerance (0 disables; ‖Jᵀr‖ = 0 still stops).
    pub gtol: f64,
    /// Budget of residual evaluations (nfev, finite-difference ones included).
    pub max_evaluations: usize,
    /// Initial damping τ: λ₀ = τ·max_j (JᵀJ)_jj / D_j².
    pub initial_damping: f64,
    /// Marquardt's scaling D_j = max ‖J_j‖ (otherwise D = I, plain Levenberg damping).
    pub scaling: bool,
    /// Restarts from a converged stop while they still reduce SSR.
    pub restarts: usize,
    /// Teaching preset: keep the Jacobian of the start point for every iteration (the defect of
    /// the seed routine). Off by default.
    pub frozen_jacobian: bool,
    /// Geodesic acceleration (Transtrum & Sethna 2012): add the second-order correction a/2 to the
    /// step, and reject steps whose correction is large (2‖Da‖/‖Dv‖ > `acceleration_ratio`).
    pub geodesic_acceleration: bool,
    /// The bound α on 2‖Da‖/‖Dv‖ for geodesic acceleration.
    pub acceleration_ratio: f64,
    /// How the damping is chosen: Moré's trust region (MINPACK, the default since links v3) or
    /// Nielsen's gain-ratio update (links v2).
    pub damping: Damping,
    /// Trust region only: the first step bound is `step_bound`·‖D p₀‖ (MINPACK's `factor`, 100).
    pub step_bound: f64,
    /// Trust region only: keep every trial (default) or only the start and the last record.
    #[serde(skip_serializing_if = "TraceDetail::is_full")]
    pub trace: TraceDetail,
}

/// How Levenberg–Marquardt chooses its damping λ.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Damping {
    /// Moré's trust region (J. J. Moré, *The Levenberg–Marquardt algorithm: implementation and
    /// theory*, Lecture Notes in Mathematics 630, 1978; MINPACK `lmder`/`lmpar`): a bound Δ on
    /// the scaled step ‖D h‖, λ found so that ‖D h(λ)‖ ≈ Δ, Δ grown or shrunk by the gain ratio.
    /// Geodesic acceleration and restarts are used only to rescue a stop that looks premature
    /// (a parameter has lost all influence on the residuals: a saturated model).
    #[default]
    TrustRegion,
    /// Nielsen's update λ ← λ·max(⅓, 1 − (2ρ − 1)³), with geodesic acceleration on every trial
    /// and restarts after every converged stop (what links v2 ran).
    Nielsen,
}

impl Default for LmSettings {
    fn default() -> Self {
        LmSettings {
            ftol: TIGHT_TOL,
            xtol: TIGHT_TOL,
            gtol: TIGHT_TOL,
            max_evaluations: 50_000,
            initial_damping: 1e-3,
            scaling: true,
            restarts: 2,
            frozen_jacobian: false,
            geodesic_acceleration: true,
            acceleration_ratio: 0.75,
            damping: Damping::TrustRegion,
            step_bound: 100.0,
            trace: TraceDetail::Full,
        }
    }
}

impl LmSettings {
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
        if !(self.initial_damping.is_finite() && self.initial_damping > 0.0) {
            return Err(format!(
                "initial damping must be a positive number (got {})",
                self.initial_damping
            ));
        }
        if self.max_evaluations == 0 || self.max_evaluations > 10_000_000 {
            return Err(format!(
                "max evaluations must be between 1 and 10000000 (got {})",
                self.max_evaluations
            ));
        }
        if !(self.acceleration_ratio.is_finite() && self.acceleration_ratio > 0.0) {
            return Err(format!(
                "acceleration ratio must be a positive number (got {})",
                self.acceleration_ratio
            ));
        }
        if !(self.step_bound.is_finite() && self.step_bound > 0.0) {
            return Err(format!(
                "step bound must be a positive number (got {})",
                self.step_bound
            ));
        }
        if self.restarts > 100 {
            return Err(format!(
                "restarts must be at most 100 (got {})",
                self.restarts
            ));
        }
        Ok(())
    }

    /// Display name.
    pub fn name(&self) -> String {
        if self.frozen_jacobian {
            "Levenberg–Marquardt (Jacobian frozen at start)".into()
        } else {
            "Levenberg–Marquardt".into()
        }
    }
}

/// Marquardt's scaling at the start: D_j = ‖J_j‖ (1 for a zero column), or D = I without scaling.
pub(super) fn initial_scaling(col_norms: &[f64], scaling: bool) -> Vec<f64> {
    if scaling {
        col_norms
            .iter()
            .map(|&c| if c > 0.0 { c } else { 1.0 })
            .collect()
    } else {
        vec![1.0; col_norms.len()]
    }
}

/// Solves the damped system for h: min ‖R h + qtr‖² + λ‖D h‖² by the QR of [R; √λ·D].
fn damped_step(
    r: &DMatrix<f64>,
    qtr: &DVector<f64>,
    d: &[f64],
    lambda: f64,
) -> Option<DVector<f64>> {
    let n = r.ncols();
    let sl = lambda.sqrt();
    let a = DMatrix::from_fn(2 * n, n, |i, c| {
        if i < n {
            r[(i, c)]
        } else if i - n == c {
            sl * d[c]
        } else {
            0.0
        }
    });
    let mut rhs = DVector::from_fn(2 * n, |i, _| if i < n { -qtr[i] } else { 0.0 });
    let qr = QR::new(a);
    qr.q_tr_mul(&mut rhs);
    let rr = qr.r();
    let h = rr.solve_upper_triangular(&rhs.rows(0, n).into_owned())?;
    h.iter().all(|v| v.is_finite()).then_some(h)
}

pub(super) type Qr = QR<f64, nalgebra::Dyn, nalgebra::Dyn>;

/// The QR factorization of J and its factor R (n × n).
pub(super) fn factor(j: &DMatrix<f64>) -> (Qr, DMatrix<f64>) {
    let qr = QR::new(j.clone());
    let rr = qr.r();
    (qr, rr)
}

pub(super) fn q1t_r(qr: &Qr, r: &[f64], n: usize) -> DVector<f64> {
    let mut v = DVector::from_column_slice(r);
    qr.q_tr_mul(&mut v);
    v.rows(0, n).into_owned()
}

pub(super) fn scaled_norm(d: &[f64], v: &[f64]) -> f64 {
    d.iter()
        .zip(v)
        .map(|(a, b)| (a * b) * (a * b))
        .sum::<f64>()
        .sqrt()
}

/// Minimizes ½‖r(p)‖² from `p0` by Levenberg–Marquardt.
///
/// Returns an error (no trace) when the input cannot be solved at all: wrong sizes, fewer
/// residuals than parameters, a non-finite start, or residuals/Jacobian that are not finite at the
/// start. A Jacobian that is all zeros at the start stops at once with
/// [`StopReason::ZeroJacobian`].
pub fn levenberg_marquardt(
    model: &dyn Residuals,
    jac: &JacobianSettings,
    p0: &[f64],
    s: &LmSettings,
) -> Result<LsqRun, String> {
    s.validate()?;
    if s.damping == Damping::TrustRegion && !s.frozen_jacobian {
        return trust_region::solve(model, jac, p0, s);
    }
    let Start {
        ev,
        m,
        n,
        mut p,
        mut r,
        mut f,
        mut j,
        col_norms: mut cn,
        mut g,
    } = start(model, jac, p0)?;
    let mut d = initial_scaling(&cn, s.scaling);
    let (mut qr, mut rr) = factor(&j);
    let mut qtr = q1t_r(&qr, &r, n);
    let initial_lambda = |cn: &[f64], d: &[f64]| {
        s.initial_damping
            * cn.iter()
                .zip(d)
                .map(|(c, dd)| (c / dd) * (c / dd))
                .fold(0.0, f64::max)
                .max(f64::MIN_POSITIVE)
    };
    let mut lambda = initial_lambda(&cn, &d);
    let mut nu = 2.0;
    let norm = |v: &[f64]| v.iter().map(|a| a * a).sum::<f64>().sqrt();
    let mut iterates = vec![Iterate {
        k: 0,
        x: p.clone(),
        f,
        grad_norm: norm(&g),
        step: 0.0,
        extra: vec![
            ("ssr".into(), 2.0 * f),
            ("lambda".into(), lambda),
            ("rho".into(), f64::NAN),
            ("accepted".into(), 1.0),
            ("step_norm".into(), 0.0),
            ("trial_ssr".into(), 2.0 * f),
            ("accel_ratio".into(), 0.0),
        ],
        simplex: None,
    }];
    let mut restarts_left = s.restarts;
    let mut f_segment_start = f;
    let mut r_new = vec![0.0; m];
    let mut p_new = vec![0.0; n];
    let stop = 'outer: loop {
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
        let lambda_used = lambda;
        let v = damped_step(&rr, &qtr, &d, lambda);
        let mut accel_ratio = 0.0;
        let h = match (v, s.geodesic_acceleration) {
            (Some(v), true) => {
                // Transtrum & Sethna (arXiv:1201.5885): second directional derivative
                // r_vv ≈ (2/ε)·((r(p + εv) − r(p))/ε − Jv), acceleration a from the same damped
                // system with r_vv in place of r, step v + a/2 when 2‖Da‖/‖Dv‖ ≤ α.
                let eps_v = 0.1;
                let jv = &j * &v;
                for i in 0..n {
                    p_new[i] = p[i] + eps_v * v[i];
                }
                ev.residuals(&p_new, &mut r_new);
                let rvv: Vec<f64> = (0..m)
                    .map(|i| 2.0 / eps_v * ((r_new[i] - r[i]) / eps_v - jv[i]))
                    .collect();
                let a = if rvv.iter().all(|x| x.is_finite()) {
                    damped_step(&rr, &q1t_r(&qr, &rvv, n), &d, lambda)
                } else {
                    None
                };
                match a {
                    Some(a) => {
                        accel_ratio =
                            2.0 * scaled_norm(&d, a.as_slice()) / scaled_norm(&d, v.as_slice());
                        (accel_ratio <= s.acceleration_ratio).then(|| (v.clone() + a * 0.5, v))
                    }
                    None => {
                        accel_ratio = f64::INFINITY;
                        None
                    }
                }
            }
            (Some(v), false) => Some((v.clone(), v)),
            (None, _) => None,
        };
        let (accepted, rho, step_norm, trial_f, conv) = match h {
            None => (false, f64::NAN, f64::NAN, f64::NAN, None),
            Some((h, v)) => {
                for i in 0..n {
                    p_new[i] = p[i] + h[i];
                }
                let f_new = ev.residuals(&p_new, &mut r_new);
                // Predicted reduction of the LM model for the velocity v (= h without
                // acceleration): ½‖Jv‖² + λ‖Dv‖².
                let rv = &rr * &v;
                let dv = scaled_norm(&d, v.as_slice());
                let pred = 0.5 * rv.norm_squared() + lambda * dv * dv;
                let dh = scaled_norm(&d, h.as_slice());
                let actual = f - f_new; // −∞ when the trial point overflows
                let rho = if pred > 0.0 {
                    actual / pred
                } else {
                    f64::NEG_INFINITY
                };
                let accepted = rho > 1e-4;
                // MINPACK's convergence tests on this trial.
                let mut conv = None;
                let act_rel = if f_new.is_finite() { actual / f } else { -1.0 };
                let pred_rel = pred / f;
                if act_rel.abs() <= s.ftol && pred_rel <= s.ftol && rho <= 2.0 {
                    conv = Some(StopReason::RelativeReduction);
                } else if dh <= s.xtol * scaled_norm(&d, &p) {
                    conv = Some(StopReason::RelativeStep);
                }
                (accepted, rho, h.norm(), 2.0 * f_new, conv)
            }
        };
        let mut step = 0.0;
        if accepted {
            step = step_norm;
            std::mem::swap(&mut p, &mut p_new);
            std::mem::swap(&mut r, &mut r_new);
            f = 0.5 * trial_f;
            if !s.frozen_jacobian {
                ev.jacobian(&p, &r, &mut j);
                if j.iter().any(|v| !v.is_finite()) {
                    // Keep the point; a non-finite Jacobian ends the run.
                    iterates.push(record(
                        iterates.len(),
                        &p,
                        f,
                        f64::NAN,
                        step,
                        lambda_used,
                        rho,
                        step_norm,
                        trial_f,
                        true,
                        accel_ratio,
                    ));
                    break 'outer StopReason::Diverged;
                }
                cn = column_norms(&j);
                if s.scaling {
                    for (dc, &c) in d.iter_mut().zip(&cn) {
                        *dc = dc.max(c);
                    }
                }
                (qr, rr) = factor(&j);
            }
            qtr = q1t_r(&qr, &r, n);
            g = gradient(&j, &r);
            lambda *= (1.0f64 / 3.0).max(1.0 - (2.0 * rho - 1.0).powi(3));
            nu = 2.0;
        } else {
            lambda *= nu;
            nu *= 2.0;
        }
        iterates.push(record(
            iterates.len(),
            &p,
            f,
            norm(&g),
            step,
            lambda_used,
            rho,
            step_norm,
            trial_f,
            accepted,
            accel_ratio,
        ));
        if let Some(reason) = conv {
            if restarts_left > 0 && f < f_segment_start {
                // Restart: fresh damping and scaling from the stopping point.
                restarts_left -= 1;
                f_segment_start = f;
                if s.scaling {
                    d = initial_scaling(&cn, true);
                }
                lambda = initial_lambda(&cn, &d);
                nu = 2.0;
                continue;
            }
            break reason;
        }
        if !(lambda.is_finite() && lambda < 1e300 && nu.is_finite()) {
            break StopReason::NoFurtherProgress;
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

#[allow(clippy::too_many_arguments)]
pub(super) fn record(
    k: usize,
    p: &[f64],
    f: f64,
    grad_norm: f64,
    step: f64,
    lambda: f64,
    rho: f64,
    step_norm: f64,
    trial_ssr: f64,
    accepted: bool,
    accel_ratio: f64,
) -> Iterate {
    Iterate {
        k,
        x: p.to_vec(),
        f,
        grad_norm,
        step,
        extra: {
            // Room for the trust region's `radius` too: one allocation per record.
            let mut e = Vec::with_capacity(8);
            e.extend([
                ("ssr".into(), 2.0 * f),
                ("lambda".into(), lambda),
                ("rho".into(), rho),
                ("accepted".into(), if accepted { 1.0 } else { 0.0 }),
                ("step_norm".into(), step_norm),
                ("trial_ssr".into(), trial_ssr),
                ("accel_ratio".into(), accel_ratio),
            ]);
            e
        },
        simplex: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::GradientSource;
    use crate::problem::least_squares::{CurveFit, Data, ModelId};

    /// Rosenbrock as least squares: r = (10(p₂ − p₁²), 1 − p₁); minimum p = (1, 1), SSR = 0.
    struct Rosenbrock {
        scale: f64,
    }
    impl Residuals for Rosenbrock {
        fn num_residuals(&self) -> usize {
            2
        }
        fn num_params(&self) -> usize {
            2
        }
        fn residuals(&self, p: &[f64], r: &mut [f64]) {
            // Parameters measured in units of 1/scale: p₁ = scale·q₁.
            let x = p[0] * self.scale;
            r[0] = 10.0 * (p[1] - x * x);
            r[1] = 1.0 - x;
        }
        fn jacobian(&self, p: &[f64], j: &mut DMatrix<f64>) -> bool {
            let x = p[0] * self.scale;
            j[(0, 0)] = -20.0 * x * self.scale;
            j[(0, 1)] = 10.0;
            j[(1, 0)] = -self.scale;
            j[(1, 1)] = 0.0;
            true
        }
    }

    #[test]
    fn solves_rosenbrock_to_its_closed_form_minimum() {
        let run = levenberg_marquardt(
            &Rosenbrock { scale: 1.0 },
            &JacobianSettings::default(),
            &[-1.2, 1.0],
            &LmSettings::default(),
        )
        .unwrap();
        assert!((run.params[0] - 1.0).abs() < 1e-10 && (run.params[1] - 1.0).abs() < 1e-10);
        assert!(run.stop().is_converged(), "{:?}", run.stop());
        assert_eq!(run.nfev(), run.trace.f_evals);
        assert!(run.njev() >= 2 && run.nfev() > run.njev());
    }

    #[test]
    fn marquardt_scaling_makes_the_iterates_scale_invariant() {
        // Rescaling p₁ by 1000 must give the same iterates, rescaled (MINPACK mode 1 property).
        let settings = LmSettings {
            geodesic_acceleration: false,
            ..Default::default()
        };
        let jac = JacobianSettings::default();
        let a =
            levenberg_marquardt(&Rosenbrock { scale: 1.0 }, &jac, &[-1.2, 1.0], &settings).unwrap();
        let b = levenberg_marquardt(&Rosenbrock { scale: 1e3 }, &jac, &[-1.2e-3, 1.0], &settings)
            .unwrap();
        assert_eq!(a.trace.iterates.len(), b.trace.iterates.len());
        for (ia, ib) in a.trace.iterates.iter().zip(&b.trace.iterates) {
            assert!((ia.x[0] - ib.x[0] * 1e3).abs() < 1e-9 * (1.0 + ia.x[0].abs()));
            assert!((ia.x[1] - ib.x[1]).abs() < 1e-9 * (1.0 + ia.x[1].abs()));
        }
    }

    #[test]
    fn trace_records_damping_gain_ratio_and_acceptance() {
        let run = levenberg_marquardt(
            &Rosenbrock { scale: 1.0 },
            &JacobianSettings::default(),
            &[-1.2, 1.0],
            &LmSettings::default(),
        )
        .unwrap();
        for it in &run.trace.iterates[1..] {
            let acc = it.extra("accepted").unwrap();
            // λ = 0 is a Gauss–Newton step inside the trust region; the radius is recorded.
            assert!(it.extra("lambda").unwrap() >= 0.0);
            assert!(it.extra("radius").unwrap() > 0.0);
            assert_eq!(it.extra("ssr").unwrap(), 2.0 * it.f);
            if acc == 1.0 {
                assert!(it.extra("rho").unwrap() > 1e-4);
            } else {
                assert_eq!(it.step, 0.0);
            }
        }
        // SSR never increases along accepted iterates.
        let f: Vec<f64> = run.trace.iterates.iter().map(|i| i.f).collect();
        assert!(f.windows(2).all(|w| w[1] <= w[0]));
    }

    #[test]
    fn frozen_jacobian_stops_away_from_the_true_minimum() {
        // The seed routine's defect: J fixed at the start. Its fixed points satisfy J(p₀)ᵀr = 0,
        // not J(p)ᵀr = 0, so the true gradient at its answer is far from zero.
        let id = ModelId::ExponentialDecay;
        let data = id
            .generate(id.true_params(), 30, [0.0, 5.0], 0.0, 1)
            .unwrap();
        let fit = CurveFit::new(id, data).unwrap();
        let jac = JacobianSettings::default();
        let good =
            levenberg_marquardt(&fit, &jac, id.default_start(), &LmSettings::default()).unwrap();
        let frozen = LmSettings {
            frozen_jacobian: true,
            ..Default::default()
        };
        let bad = levenberg_marquardt(&fit, &jac, id.default_start(), &frozen).unwrap();
        assert_eq!(bad.njev(), 2); // the start, and the true J at the end for statistics
        assert!(good.ssr < 1e-20, "{}", good.ssr);
        assert!(bad.ssr > 1e-6, "{}", bad.ssr);
        let true_grad =
            bad.jacobian.transpose() * nalgebra::DVector::from_column_slice(&bad.residuals);
        assert!(true_grad.norm() > 1e-4);
    }

    #[test]
    fn bad_input_is_an_error_or_a_named_stop() {
        let jac = JacobianSettings::default();
        let s = LmSettings::default();
        let e = levenberg_marquardt(&Rosenbrock { scale: 1.0 }, &jac, &[1.0], &s).unwrap_err();
        assert!(e.contains("2 parameters"), "{e}");
        let e = levenberg_marquardt(&Rosenbrock { scale: 1.0 }, &jac, &[f64::NAN, 1.0], &s)
            .unwrap_err();
        assert!(e.contains("not finite"), "{e}");
        let bad = LmSettings {
            ftol: -1.0,
            ..Default::default()
        };
        assert!(
            levenberg_marquardt(&Rosenbrock { scale: 1.0 }, &jac, &[1.0, 1.0], &bad)
                .unwrap_err()
                .contains("ftol")
        );
        // Model constant in its parameters: J = 0 → ZeroJacobian, no iterations.
        struct Flat;
        impl Residuals for Flat {
            fn num_residuals(&self) -> usize {
                3
            }
            fn num_params(&self) -> usize {
                2
            }
            fn residuals(&self, _p: &[f64], r: &mut [f64]) {
                r.fill(1.0);
            }
        }
        for damping in [Damping::TrustRegion, Damping::Nielsen] {
            let s = LmSettings {
                damping,
                ..Default::default()
            };
            let jac = JacobianSettings {
                source: GradientSource::FiniteDifference,
                ..Default::default()
            };
            let run = levenberg_marquardt(&Flat, &jac, &[0.0, 0.0], &s).unwrap();
            assert_eq!(run.stop(), &StopReason::ZeroJacobian);
            assert_eq!(run.trace.iterations(), 0);
            // No hand-written Jacobian: asking for one is an error, not finite differences.
            let e = levenberg_marquardt(&Flat, &JacobianSettings::default(), &[0.0, 0.0], &s)
                .unwrap_err();
            assert!(e.contains("no analytic"), "{e}");
        }
        // Fewer residuals than parameters.
        let d = Data::new(vec![1.0, 2.0], vec![1.0, 2.0]).unwrap();
        struct Two(Data);
        impl Residuals for Two {
            fn num_residuals(&self) -> usize {
                self.0.len()
            }
            fn num_params(&self) -> usize {
                3
            }
            fn residuals(&self, _p: &[f64], r: &mut [f64]) {
                r.fill(0.5);
            }
        }
        let e = levenberg_marquardt(&Two(d), &jac, &[0.0; 3], &s).unwrap_err();
        assert!(e.contains("2 for 3 parameters"), "{e}");
    }

    /// Issue 17's "false convergence at scale": Michaelis–Menten on m = 2·10⁵ points. With data
    /// near the default scale, LM and Gauss–Newton agree. With x and y scaled by 1000 (K = 500)
    /// and the default start K = 1, the first trust region (MINPACK's factor 100·‖Dp₀‖) lets the
    /// first step jump to K ≈ −45, across the model's pole at x = −K: from there every path back
    /// crosses the pole, so LM converges to a genuine local minimum with the pole trapped between
    /// two data points (SSR ~10³× Gauss–Newton's). A cautious first region (step_bound 0.1)
    /// finds the minimum.
    #[test]
    fn large_m_fits_agree_with_gauss_newton_and_the_pole_trap_is_the_first_step() {
        use crate::solver::least_squares::gauss_newton;
        let fit_at = |scale: f64| {
            let m = 200_000;
            let mut state = 12345u64;
            let (mut xs, mut ys) = (Vec::with_capacity(m), Vec::with_capacity(m));
            for i in 0..m {
                let x = 0.01 + 10.0 * i as f64 / m as f64;
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let u = (state >> 11) as f64 / (1u64 << 53) as f64 - 0.5;
                xs.push(x * scale);
                ys.push((2.0 * x / (0.5 + x) + 0.1 * u) * scale);
            }
            CurveFit::new(ModelId::MichaelisMenten, Data::new(xs, ys).unwrap()).unwrap()
        };
        let jac = JacobianSettings::default();
        let p0 = ModelId::MichaelisMenten.default_start();
        let fit = fit_at(1.0);
        let lm = levenberg_marquardt(&fit, &jac, p0, &LmSettings::default()).unwrap();
        let gn = gauss_newton(&fit, &jac, p0, &Default::default()).unwrap();
        assert!(lm.stop().is_converged(), "{:?}", lm.stop());
        assert!(
            (lm.ssr - gn.ssr).abs() < 1e-9 * gn.ssr,
            "{} vs {}",
            lm.ssr,
            gn.ssr
        );
        let fit = fit_at(1000.0);
        let gn = gauss_newton(&fit, &jac, p0, &Default::default()).unwrap();
        assert!((gn.params[1] - 500.0).abs() < 1.0, "{:?}", gn.params);
        let trapped = levenberg_marquardt(&fit, &jac, p0, &LmSettings::default()).unwrap();
        let pole = -trapped.params[1];
        assert!(pole > 10.0 && pole < 10_000.0, "{:?}", trapped.params);
        assert!(trapped.ssr > 1e3 * gn.ssr);
        // The first accepted step is the one across the pole.
        let first = trapped
            .trace
            .iterates
            .iter()
            .skip(1)
            .find(|i| i.extra("accepted") == Some(1.0));
        assert!(first.unwrap().x[1] < 0.0);
        let cautious = LmSettings {
            step_bound: 0.1,
            ..Default::default()
        };
        let lm = levenberg_marquardt(&fit, &jac, p0, &cautious).unwrap();
        assert!(
            (lm.ssr - gn.ssr).abs() < 1e-9 * gn.ssr,
            "{} vs {}",
            lm.ssr,
            gn.ssr
        );
    }

    #[test]
    fn a_run_that_keeps_only_its_last_record_gives_the_same_answer_and_counts() {
        use crate::solver::{self, Bfgs, StopCriteria};
        let jac = JacobianSettings::default();
        let full = levenberg_marquardt(
            &Rosenbrock { scale: 1.0 },
            &jac,
            &[-1.2, 1.0],
            &LmSettings::default(),
        )
        .unwrap();
        let last = LmSettings {
            trace: TraceDetail::Last,
            ..Default::default()
        };
        let short =
            levenberg_marquardt(&Rosenbrock { scale: 1.0 }, &jac, &[-1.2, 1.0], &last).unwrap();
        assert_eq!(short.trace.iterates.len(), 2);
        assert_eq!(short.trace.iterates[1], *full.trace.last());
        assert_eq!(short.trace.iterations(), full.trace.iterations());
        assert_eq!(
            (short.nfev(), short.njev(), short.params.clone()),
            (full.nfev(), full.njev(), full.params.clone())
        );
        // The minimizers, the same way.
        let f = crate::problem::least_squares::SumOfSquares(
            crate::problem::mgh::MghProblem::new(crate::problem::mgh::MghKind::Wood, 4).unwrap(),
        );
        let ev = crate::diff::Evaluator::new(&f, GradientSource::Automatic);
        let crit = StopCriteria::default();
        let a = solver::run(
            &mut Bfgs::new(1e-4, 0.9),
            &ev,
            &[-3.0, -1.0, -3.0, -1.0],
            &crit,
        );
        let ev = crate::diff::Evaluator::new(&f, GradientSource::Automatic);
        let crit = StopCriteria {
            trace: TraceDetail::Last,
            ..crit
        };
        let b = solver::run(
            &mut Bfgs::new(1e-4, 0.9),
            &ev,
            &[-3.0, -1.0, -3.0, -1.0],
            &crit,
        );
        assert_eq!(b.iterates.len(), 2);
        assert_eq!(b.iterates[1], *a.last());
        assert_eq!(
            (b.iterations(), b.f_evals, b.g_evals, b.stop),
            (a.iterations(), a.f_evals, a.g_evals, a.stop)
        );
    }

    #[test]
    fn overflow_during_the_run_is_rejected_not_propagated() {
        // Exponential decay started with a large step into exp overflow territory: trials that
        // overflow get ρ = −∞ and are rejected; the run still converges.
        let id = ModelId::ExponentialDecay;
        let data = id
            .generate(id.true_params(), 20, [0.0, 200.0], 0.0, 1)
            .unwrap();
        let fit = CurveFit::new(id, data).unwrap();
        let run = levenberg_marquardt(
            &fit,
            &JacobianSettings::default(),
            &[5.0, 0.01, 1.0],
            &LmSettings::default(),
        )
        .unwrap();
        assert!(run.ssr.is_finite());
        assert!(run.trace.iterates.iter().all(|i| i.f.is_finite()));
    }
}
