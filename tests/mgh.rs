//! Moré–Garbow–Hillstrom problems with their standard starts, solved by Newton, BFGS and L-BFGS.
//!
//! Minimizers and f* = 0 from Moré, Garbow & Hillstrom, "Testing unconstrained optimization
//! software", ACM TOMS 7 (1981), 17–41. Gradients and Hessians by forward-mode AD.

use gradlab::diff::{relative_error, Evaluator, GradientSource};
use gradlab::lab::surfaces::SolverConfig;
use gradlab::problem::mgh::{MghKind, MghProblem};
use gradlab::problem::Objective;
use gradlab::solver::{run, StopCriteria};
use gradlab::trace::{StopReason, Trace};

const METHODS: [&str; 3] = ["newton", "bfgs", "lbfgs"];

fn solve(p: &MghProblem, method: &str, grad_tol: f64) -> Trace {
    let mut s = SolverConfig::default_for(method).unwrap().build().unwrap();
    let ev = Evaluator::new(p, GradientSource::Automatic);
    let crit = StopCriteria {
        max_iterations: 500,
        grad_tol,
        ..Default::default()
    };
    run(s.as_mut(), &ev, &p.start(), &crit)
}

fn max_abs_diff(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).fold(0.0, |m, (p, q)| m.max((p - q).abs()))
}

/// Problems whose Hessian at x* is nonsingular: x* is reached to 1e-6.
#[test]
fn regular_problems_reach_the_published_minimizer() {
    for (kind, n) in [
        (MghKind::ExtendedRosenbrock, 10),
        (MghKind::Wood, 4),
        (MghKind::HelicalValley, 3),
    ] {
        let p = MghProblem::new(kind, n).unwrap();
        let x_star = p.minimizer().unwrap();
        for m in METHODS {
            let t = solve(&p, m, 1e-9);
            assert_eq!(t.stop, StopReason::GradientTolerance, "{kind:?} {m}");
            assert!(t.last().f < 1e-18, "{kind:?} {m}: f = {}", t.last().f);
            let err = max_abs_diff(&t.last().x, &x_star);
            assert!(err < 1e-6, "{kind:?} {m}: |x − x*| = {err}");
            assert!(t.iterations() <= 200, "{kind:?} {m}: {}", t.iterations());
        }
    }
}

#[test]
fn powell_singular_reaches_zero() {
    // ∇²f(0) is singular, so convergence is linear and x is determined only to ≈ f^{1/4}:
    // judge by f (f* = 0) and a loose distance to x* = 0.
    let p = MghProblem::new(MghKind::PowellSingular, 4).unwrap();
    for m in METHODS {
        let t = solve(&p, m, 1e-9);
        assert_eq!(t.stop, StopReason::GradientTolerance, "{m}");
        assert!(t.last().f < 1e-12, "{m}: f = {}", t.last().f);
        assert!(max_abs_diff(&t.last().x, &[0.0; 4]) < 1e-3, "{m}");
    }
}

#[test]
fn brown_badly_scaled_reaches_its_minimizer_in_relative_terms() {
    // x* = (10⁶, 2·10⁻⁶): the coordinates differ by 12 orders of magnitude.
    let p = MghProblem::new(MghKind::BrownBadlyScaled, 2).unwrap();
    for m in METHODS {
        let t = solve(&p, m, 1e-9);
        let x = &t.last().x;
        assert!(t.stop.is_converged(), "{m}: {:?}", t.stop);
        assert!((x[0] / 1e6 - 1.0).abs() < 1e-9, "{m}: {x:?}");
        assert!((x[1] / 2e-6 - 1.0).abs() < 1e-6, "{m}: {x:?}");
    }
}

#[test]
fn trigonometric_n10_reaches_a_minimum() {
    // MGH list f* = 0; from the standard start with n = 10 descent methods are commonly reported
    // to stop at the local minimum f ≈ 2.79506·10⁻⁵. Accept either, and check it is a minimum:
    // ∇f ≈ 0 and an AD Hessian that is positive definite.
    let p = MghProblem::new(MghKind::Trigonometric, 10).unwrap();
    for m in METHODS {
        let t = solve(&p, m, 1e-8);
        let f = t.last().f;
        assert_eq!(t.stop, StopReason::GradientTolerance, "{m}");
        assert!(
            f < 1e-14 || (f - 0.5 * 2.79506e-5).abs() < 1e-9,
            "{m}: f = {f} (½ of MGH's Σr² = 2.79506e-5)"
        );
        let h = p.automatic_hessian(&t.last().x).unwrap();
        assert!(h.cholesky().is_some(), "{m}");
    }
}

#[test]
fn ad_gradient_matches_the_hand_written_one_and_finite_differences() {
    let p = MghProblem::new(MghKind::ExtendedRosenbrock, 10).unwrap();
    let x: Vec<f64> = (0..10).map(|i| 0.3 * i as f64 - 1.1).collect();
    let c = gradlab::diff::check_gradient(&p, &x);
    assert!(c.analytic_vs_automatic.unwrap() < 1e-14);
    assert!(c.max_rel_error < 1e-7);
    for kind in [
        MghKind::PowellSingular,
        MghKind::Wood,
        MghKind::HelicalValley,
    ] {
        let p = MghProblem::new(kind, if kind == MghKind::HelicalValley { 3 } else { 4 }).unwrap();
        let x: Vec<f64> = p.start().iter().map(|v| v + 0.37).collect();
        let mut g = vec![0.0; p.n];
        p.automatic_gradient(&x, &mut g);
        let fd = gradlab::diff::central_gradient(&p, &x);
        assert!(relative_error(&g, &fd) < 1e-7, "{kind:?}");
    }
}

#[test]
fn dimensions_are_checked() {
    assert!(MghProblem::new(MghKind::ExtendedRosenbrock, 9).is_err());
    assert!(MghProblem::new(MghKind::Wood, 3).is_err());
    assert!(MghProblem::new(MghKind::HelicalValley, 3).is_ok());
}

/// Issue 17, "one problem, every solver": each MGH problem is written once
/// (`GenericResiduals`); the same definition goes to Levenberg–Marquardt (through `Ad`, exact
/// Jacobian by dual numbers) and to the minimizers (through `SumOfSquares`, f = ½‖r‖², the value
/// LM records too). Both reach the known minimizers.
#[test]
fn one_residual_problem_serves_lm_and_the_minimizers() {
    use gradlab::diff::{Evaluator, GradientSource};
    use gradlab::problem::least_squares::{Ad, GenericResiduals, SumOfSquares};
    use gradlab::problem::Objective;
    use gradlab::solver::least_squares::{levenberg_marquardt, JacobianSettings, LmSettings};
    use gradlab::solver::{self, Bfgs, StopCriteria};
    for (kind, n) in [
        (MghKind::ExtendedRosenbrock, 4),
        (MghKind::Wood, 4),
        (MghKind::HelicalValley, 3),
    ] {
        let p = MghProblem::new(kind, n).unwrap();
        let x0 = p.start();
        let xs = p.minimizer().unwrap();
        // One value convention: ½Σr² everywhere.
        let mut r = vec![0.0; p.num_residuals()];
        p.residuals_t(&x0, &mut r);
        let half_ssr = 0.5 * r.iter().map(|v| v * v).sum::<f64>();
        assert_eq!(SumOfSquares(p).value(&x0), half_ssr);
        assert_eq!(p.value(&x0), half_ssr);
        let jac = JacobianSettings {
            source: GradientSource::Automatic,
            ..Default::default()
        };
        let lm = levenberg_marquardt(&Ad(p), &jac, &x0, &LmSettings::default()).unwrap();
        assert_eq!(lm.trace.iterates[0].f, half_ssr);
        assert!(
            max_abs_diff(&lm.params, &xs) < 1e-6,
            "{kind:?} LM {:?}",
            lm.params
        );
        let f = SumOfSquares(p);
        let ev = Evaluator::new(&f, GradientSource::Automatic);
        let crit = StopCriteria {
            max_iterations: 10_000,
            grad_tol: 1e-10,
            ..Default::default()
        };
        let t = solver::run(&mut Bfgs::new(1e-4, 0.9), &ev, &x0, &crit);
        assert!(
            max_abs_diff(&t.last().x, &xs) < 1e-6,
            "{kind:?} BFGS {:?}",
            t.last().x
        );
    }
}
