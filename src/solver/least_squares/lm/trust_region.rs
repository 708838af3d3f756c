//! Levenberg–Marquardt with Moré's trust region, as MINPACK's `lmder` and `lmpar` (J. J. Moré,
//! *The Levenberg–Marquardt algorithm: implementation and theory*, Numerical Analysis, Lecture
//! Notes in Mathematics 630, 1978, pp. 105–116; Moré, Garbow & Hillstrom, *User Guide for
//! MINPACK-1*, ANL-80-74, 1980).
//!
//! Each trial step h minimizes ‖J h + r‖² subject to ‖D h‖ ≤ Δ; [`lmpar`] finds the λ ≥ 0 with
//! (JᵀJ + λD²) h = −Jᵀr and ‖D h‖ within 10 % of Δ (λ = 0 when the Gauss–Newton step already
//! fits). The gain ratio ρ of actual to predicted relative reduction of SSR grows Δ (ρ ≥ ¾: Δ ←
//! 2‖D h‖) or shrinks it (ρ ≤ ¼, by a factor in [0.1, 0.5] from a quadratic model of the
//! reduction along h); a trial is accepted when ρ ≥ 10⁻⁴.
//!
//! Rescue (where plain MINPACK stops short), at most `restarts` times, from the start; the best
//! answer is kept, every attempt is in the trace and the counts: when a Jacobian column has
//! collapsed relative to its largest norm so far (‖J_j‖ < 10⁻⁶·D_j — the model saturated in that
//! parameter, as BoxBOD from start 1), again with Nielsen's damping and geodesic acceleration,
//! which does not walk into the saturation (with `geodesic_acceleration` on, the default).

use super::{factor, initial_scaling, q1t_r, record, scaled_norm, Damping, LmSettings};
use crate::problem::least_squares::Residuals;
use crate::solver::least_squares::{
    column_norms, gradient, orthogonality, start, JacobianSettings, LsqRun, Start,
};
use crate::solver::MAX_ITERATIONS;
use crate::trace::{StopReason, TraceDetail};
use nalgebra::{DMatrix, DVector};

/// Buffers for [`lmpar`] and [`qrsolv`], allocated once per solve (a small problem's trial is
/// otherwise mostly allocation: profiled with callgrind on MGH Rosenbrock, issue 17).
pub(super) struct LmparWork {
    /// The step h(λ) of the last [`lmpar`].
    pub(super) h: DVector<f64>,
    gn: DVector<f64>,
    scaled: DVector<f64>,
    y: DVector<f64>,
    g: DVector<f64>,
    /// Row-major n × n triangular S of [`qrsolv`].
    s: Vec<f64>,
    b: Vec<f64>,
    row: Vec<f64>,
}

impl LmparWork {
    pub(super) fn new(n: usize) -> Self {
        LmparWork {
            h: DVector::zeros(n),
            gn: DVector::zeros(n),
            scaled: DVector::zeros(n),
            y: DVector::zeros(n),
            g: DVector::zeros(n),
            s: vec![0.0; n * n],
            b: vec![0.0; n],
            row: vec![0.0; n],
        }
    }
}

/// MINPACK's `qrsolv`: solves min ‖R h + qtr‖² + λ‖D h‖² by eliminating the rows √λ·D against
/// the triangular R with Givens rotations (O(n²) per λ, no m-sized work, no new factorization).
/// Leaves h in `w.h` and the triangular S (row-major n × n, SᵀS = RᵀR + λD²) in `w.s`; `false`
/// when singular.
fn qrsolv(r: &DMatrix<f64>, qtr: &DVector<f64>, d: &[f64], lambda: f64, w: &mut LmparWork) -> bool {
    let n = r.ncols();
    let LmparWork { h, s, b, row, .. } = w;
    s.fill(0.0);
    for i in 0..n {
        for j in i..n {
            s[i * n + j] = r[(i, j)];
        }
    }
    for i in 0..n {
        b[i] = -qtr[i];
    }
    let sl = lambda.sqrt();
    row.fill(0.0);
    for j in 0..n {
        let dj = sl * d[j];
        if dj == 0.0 {
            continue;
        }
        row[j..].fill(0.0);
        row[j] = dj;
        let mut extra = 0.0; // the right-hand side of the appended row
        for k in j..n {
            if row[k] == 0.0 {
                continue;
            }
            let skk = s[k * n + k];
            // Givens rotation zeroing row[k] against S_kk.
            let (c, sn) = if skk.abs() < row[k].abs() {
                let cot = skk / row[k];
                let sn = 0.5 / (0.25 + 0.25 * cot * cot).sqrt();
                (sn * cot, sn)
            } else {
                let tan = row[k] / skk;
                let c = 0.5 / (0.25 + 0.25 * tan * tan).sqrt();
                (c, c * tan)
            };
            for l in k..n {
                let a = s[k * n + l];
                let w = row[l];
                s[k * n + l] = c * a + sn * w;
                row[l] = -sn * a + c * w;
            }
            let bk = b[k];
            b[k] = c * bk + sn * extra;
            extra = -sn * bk + c * extra;
        }
    }
    // Back substitution S h = b.
    h.fill(0.0);
    for i in (0..n).rev() {
        let mut v = b[i];
        for l in i + 1..n {
            v -= s[i * n + l] * h[l];
        }
        let sii = s[i * n + i];
        if sii == 0.0 {
            return false;
        }
        h[i] = v / sii;
    }
    h.iter().all(|v| v.is_finite())
}

/// y with Sᵀy = v for the row-major upper-triangular S of [`qrsolv`].
fn solve_st(s: &[f64], v: &DVector<f64>, y: &mut DVector<f64>) -> bool {
    let n = v.len();
    y.fill(0.0);
    for i in 0..n {
        let mut t = v[i];
        for k in 0..i {
            t -= s[k * n + i] * y[k];
        }
        let sii = s[i * n + i];
        if sii == 0.0 {
            return false;
        }
        y[i] = t / sii;
    }
    true
}

/// D·(D·h)/‖D h‖ into `out`.
fn scaled_into(d: &[f64], h: &DVector<f64>, dxnorm: f64, out: &mut DVector<f64>) {
    for j in 0..h.len() {
        out[j] = d[j] * (d[j] * h[j]) / dxnorm;
    }
}

/// Moré's λ search: returns λ, with the step h(λ) in `w.h`, ‖D h‖ within 10 % of `delta` (or
/// λ = 0 and the Gauss–Newton step when that is shorter than 1.1·Δ). `lambda0` is the previous λ.
pub(super) fn lmpar(
    r: &DMatrix<f64>,
    qtr: &DVector<f64>,
    d: &[f64],
    delta: f64,
    lambda0: f64,
    w: &mut LmparWork,
) -> Option<f64> {
    let n = r.ncols();
    let dwarf = f64::MIN_POSITIVE;
    // The Gauss–Newton step, when R is of full rank.
    let rmax = (0..n).map(|i| r[(i, i)].abs()).fold(0.0, f64::max);
    let full_rank = rmax > 0.0 && (0..n).all(|i| r[(i, i)].abs() > n as f64 * f64::EPSILON * rmax);
    let mut parl = 0.0;
    let mut fp = f64::INFINITY;
    let mut dxnorm_gn = f64::NAN;
    if full_rank {
        w.gn.copy_from(qtr);
        w.gn.neg_mut();
        if r.solve_upper_triangular_mut(&mut w.gn) && w.gn.iter().all(|v| v.is_finite()) {
            let dxnorm = scaled_norm(d, w.gn.as_slice());
            fp = dxnorm - delta;
            if fp <= 0.1 * delta {
                w.h.copy_from(&w.gn);
                return Some(0.0);
            }
            dxnorm_gn = dxnorm;
            // Lower bound from the Newton step of φ(λ) = ‖D h(λ)‖ − Δ at λ = 0.
            scaled_into(d, &w.gn, dxnorm, &mut w.y);
            if r.tr_solve_upper_triangular_mut(&mut w.y) {
                let yn = w.y.norm_squared();
                if yn > 0.0 && yn.is_finite() {
                    parl = (fp / delta) / yn;
                }
            }
        }
    }
    // Upper bound: ‖D⁻¹ Jᵀr‖ / Δ.
    r.tr_mul_to(qtr, &mut w.g);
    let gnorm = (0..n).map(|j| (w.g[j] / d[j]).powi(2)).sum::<f64>().sqrt();
    let mut paru = gnorm / delta;
    if paru == 0.0 {
        paru = dwarf / delta.min(0.1);
    }
    let mut lambda = lambda0.max(parl).min(paru);
    if lambda == 0.0 {
        lambda = if dxnorm_gn.is_finite() {
            gnorm / dxnorm_gn
        } else {
            0.001 * paru
        };
    }
    for iter in 1..=10 {
        if lambda == 0.0 {
            lambda = dwarf.max(0.001 * paru);
        }
        if !qrsolv(r, qtr, d, lambda, w) {
            return None;
        }
        let dxnorm = scaled_norm(d, w.h.as_slice());
        let temp = fp;
        fp = dxnorm - delta;
        if fp.abs() <= 0.1 * delta || (parl == 0.0 && fp <= temp && temp < 0.0) || iter == 10 {
            return Some(lambda);
        }
        scaled_into(d, &w.h, dxnorm, &mut w.scaled);
        if !solve_st(&w.s, &w.scaled, &mut w.y) {
            return None;
        }
        let parc = (fp / delta) / w.y.norm_squared();
        if fp > 0.0 {
            parl = parl.max(lambda);
        }
        if fp < 0.0 {
            paru = paru.min(lambda);
        }
        lambda = parl.max(lambda + parc);
        if !lambda.is_finite() {
            return None;
        }
    }
    None
}

/// Levenberg–Marquardt with Moré's trust region (see the module doc).
pub(super) fn solve(
    model: &dyn Residuals,
    jac: &JacobianSettings,
    p0: &[f64],
    s: &LmSettings,
) -> Result<LsqRun, String> {
    let first = run(model, jac, p0, s)?;
    let (mut converged, mut saturated) = (first.stop().is_converged(), first.saturated);
    let mut best = first.run;
    let mut k_total = best.trace.iterations();
    // The trace is moved, never copied: a small fit's cost is mostly its records.
    let mut iterates = std::mem::take(&mut best.trace.iterates);
    let (mut nfev, mut njev) = (best.trace.f_evals, best.trace.g_evals);
    for _ in 0..s.restarts {
        if !(converged && saturated && s.geodesic_acceleration) {
            break;
        }
        // A saturated parameter: the accelerated Nielsen method from the start.
        let rescue = LmSettings {
            damping: Damping::Nielsen,
            max_evaluations: s.max_evaluations.saturating_sub(nfev).max(1),
            ..s.clone()
        };
        let mut attempt = super::levenberg_marquardt(model, jac, p0, &rescue)?;
        k_total += attempt.trace.iterations() + 1;
        nfev += attempt.trace.f_evals;
        njev += attempt.trace.g_evals;
        for mut it in std::mem::take(&mut attempt.trace.iterates) {
            if it.extra("radius").is_none() {
                it.extra.push(("radius".into(), f64::NAN));
            }
            iterates.push(it);
        }
        (converged, saturated) = (attempt.stop().is_converged(), false);
        if attempt.ssr < best.ssr {
            best = attempt;
        }
    }
    if s.trace == TraceDetail::Full {
        for (k, it) in iterates.iter_mut().enumerate() {
            it.k = k;
        }
    } else {
        // Start and last record; the last one's k counts the trials of every attempt.
        let trials = k_total;
        let last = iterates.pop().expect("a start record");
        iterates.truncate(1);
        if trials > 0 {
            iterates.push(crate::trace::Iterate { k: trials, ..last });
        }
    }
    best.trace.iterates = iterates;
    best.trace.f_evals = nfev;
    best.trace.g_evals = njev;
    best.trace.solver = s.name();
    Ok(best)
}

struct Outcome {
    run: LsqRun,
    /// A Jacobian column collapsed below 10⁻⁶ of its largest norm (a saturated parameter).
    saturated: bool,
}

impl std::ops::Deref for Outcome {
    type Target = LsqRun;
    fn deref(&self) -> &LsqRun {
        &self.run
    }
}

fn run(
    model: &dyn Residuals,
    jac: &JacobianSettings,
    p0: &[f64],
    s: &LmSettings,
) -> Result<Outcome, String> {
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
    let mut xnorm = scaled_norm(&d, &p);
    let mut delta = if xnorm > 0.0 {
        s.step_bound * xnorm
    } else {
        s.step_bound
    };
    let mut lambda = 0.0;
    let norm = |v: &[f64]| v.iter().map(|a| a * a).sum::<f64>().sqrt();
    let with_radius = |mut it: crate::trace::Iterate, delta: f64| {
        it.extra.push(("radius".into(), delta));
        it
    };
    let mut iterates = vec![with_radius(
        record(
            0,
            &p,
            f,
            norm(&g),
            0.0,
            lambda,
            f64::NAN,
            0.0,
            2.0 * f,
            true,
            0.0,
        ),
        delta,
    )];
    let mut first_trial = true;
    let mut trials = 0usize;
    let mut r_new = vec![0.0; m];
    let mut p_new = vec![0.0; n];
    let mut work = LmparWork::new(n);
    let (mut jtr, mut rh) = (DVector::zeros(n), DVector::zeros(n));
    let eps = f64::EPSILON;
    let stop = loop {
        let fnorm = (2.0 * f).sqrt();
        if fnorm == 0.0 {
            break StopReason::ZeroResidual;
        }
        if cn.iter().all(|&c| c == 0.0) {
            break StopReason::ZeroJacobian;
        }
        // The orthogonality test on Jᵀr = Rᵀ(Q₁ᵀr), as MINPACK forms it.
        rr.tr_mul_to(&qtr, &mut jtr);
        let gnorm = orthogonality(jtr.as_slice(), &cn, fnorm);
        if gnorm <= s.gtol {
            break StopReason::Orthogonality;
        }
        if ev.nfev() >= s.max_evaluations {
            break StopReason::MaxEvaluations;
        }
        if trials >= MAX_ITERATIONS {
            break StopReason::MaxIterations;
        }
        let Some(lam) = lmpar(&rr, &qtr, &d, delta, lambda, &mut work) else {
            break StopReason::NoFurtherProgress;
        };
        let h = &work.h;
        trials += 1;
        lambda = lam;
        let pnorm = scaled_norm(&d, h.as_slice());
        if first_trial {
            delta = delta.min(pnorm);
            first_trial = false;
        }
        for i in 0..n {
            p_new[i] = p[i] + h[i];
        }
        let f_new = ev.residuals(&p_new, &mut r_new);
        let fnorm1 = (2.0 * f_new).sqrt();
        // Relative actual reduction (‖r‖² − ‖r₁‖²)/‖r‖², as Σ(rᵢ − r₁ᵢ)(rᵢ + r₁ᵢ)/‖r‖² so that it
        // stays accurate when it is tiny (1 − (‖r₁‖/‖r‖)² cancels to round-off near the end,
        // and the ftol test would then act on noise).
        let actred = if 0.1 * fnorm1 < fnorm {
            r.iter()
                .zip(&r_new)
                .map(|(a, b)| (a - b) * (a + b))
                .sum::<f64>()
                / (fnorm * fnorm)
        } else {
            -1.0
        };
        rr.mul_to(h, &mut rh);
        let temp1 = rh.norm() / fnorm;
        let temp2 = lambda.sqrt() * pnorm / fnorm;
        let prered = temp1 * temp1 + temp2 * temp2 / 0.5;
        let dirder = -(temp1 * temp1 + temp2 * temp2);
        let ratio = if prered != 0.0 { actred / prered } else { 0.0 };
        let lambda_used = lambda;
        if ratio <= 0.25 {
            let mut temp = if actred >= 0.0 {
                0.5
            } else {
                0.5 * dirder / (dirder + 0.5 * actred)
            };
            if 0.1 * fnorm1 >= fnorm || temp < 0.1 || temp.is_nan() {
                temp = 0.1;
            }
            delta = temp * delta.min(pnorm / 0.1);
            lambda /= temp;
        } else if lambda == 0.0 || ratio >= 0.75 {
            delta = pnorm / 0.5;
            lambda *= 0.5;
        }
        let accepted = ratio >= 1e-4;
        let mut step = 0.0;
        let trial_ssr = 2.0 * f_new;
        if accepted {
            step = h.norm();
            std::mem::swap(&mut p, &mut p_new);
            std::mem::swap(&mut r, &mut r_new);
            f = f_new;
            xnorm = scaled_norm(&d, &p);
            ev.jacobian(&p, &r, &mut j);
            if j.iter().any(|v| !v.is_finite()) {
                s.trace.record(
                    &mut iterates,
                    with_radius(
                        record(
                            trials,
                            &p,
                            f,
                            f64::NAN,
                            step,
                            lambda_used,
                            ratio,
                            step,
                            trial_ssr,
                            true,
                            0.0,
                        ),
                        delta,
                    ),
                );
                break StopReason::Diverged;
            }
            cn = column_norms(&j);
            if s.scaling {
                for (dc, &c) in d.iter_mut().zip(&cn) {
                    *dc = dc.max(c);
                }
            }
            (qr, rr) = factor(&j);
            qtr = q1t_r(&qr, &r, n);
            g = gradient(&j, &r);
        }
        s.trace.record(
            &mut iterates,
            with_radius(
                record(
                    trials,
                    &p,
                    f,
                    norm(&g),
                    step,
                    lambda_used,
                    ratio,
                    h.norm(),
                    trial_ssr,
                    accepted,
                    0.0,
                ),
                delta,
            ),
        );
        // MINPACK's tests, after every trial.
        if actred.abs() <= s.ftol && prered <= s.ftol && 0.5 * ratio <= 1.0 {
            break StopReason::RelativeReduction;
        }
        if delta <= s.xtol * xnorm {
            break StopReason::RelativeStep;
        }
        // Precision limit: the model predicts a relative decrease below 10⁻¹² but the trial's
        // actual change is round-off ten times larger (SSR cannot resolve the decrease any more);
        // the current point is as good as f64 can tell. MINPACK goes on shrinking Δ until xtol.
        if !accepted && actred < 0.0 && prered < 1e-12 && -actred > 10.0 * prered {
            break StopReason::PrecisionLimit;
        }
        if (actred.abs() <= eps && prered <= eps && 0.5 * ratio <= 1.0) || delta <= eps * xnorm {
            break StopReason::NoFurtherProgress;
        }
        if !delta.is_finite() || !lambda.is_finite() {
            break StopReason::NoFurtherProgress;
        }
    };
    let saturated = cn.iter().zip(&d).any(|(&c, &dj)| dj > 0.0 && c < 1e-6 * dj);
    Ok(Outcome {
        run: LsqRun::finish(s.name(), iterates, stop, &ev, false, p, r, j),
        saturated,
    })
}
