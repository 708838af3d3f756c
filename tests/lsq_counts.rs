//! Issue 17: the evaluation counts a least-squares run reports (nfev, njev) are the calls the
//! model saw. Every model here is wrapped in a counter; Levenberg–Marquardt (trust region, the
//! default; Nielsen damping with geodesic acceleration, as links v2 ran; the saturated-stop rescue
//! on BoxBOD) and Gauss–Newton are run with analytic, automatic and finite-difference Jacobians,
//! and the reported counts must equal the counter's.
//!
//! How finite differences count: a finite-difference Jacobian is one Jacobian evaluation (njev)
//! whose residual evaluations are residual evaluations (nfev) — the model sees only those.

use gradlab::diff::GradientSource;
use gradlab::problem::least_squares::{Ad, Residuals};
use gradlab::problem::mgh::{MghKind, MghProblem};
use gradlab::problem::nist;
use gradlab::solver::least_squares::lm::Damping;
use gradlab::solver::least_squares::{
    gauss_newton, levenberg_marquardt, GaussNewtonSettings, JacobianSettings, LmSettings, LsqRun,
};
use nalgebra::DMatrix;
use std::cell::Cell;

/// Counts every call the solver makes into the model. Its "analytic" Jacobian is the inner
/// model's exact one, so both exact sources can be asked of every model.
struct Counting<'a> {
    inner: &'a dyn Residuals,
    residuals: Cell<usize>,
    jacobians: Cell<usize>,
}

impl<'a> Counting<'a> {
    fn new(inner: &'a dyn Residuals) -> Self {
        Counting {
            inner,
            residuals: Cell::new(0),
            jacobians: Cell::new(0),
        }
    }
    fn exact(&self, p: &[f64], j: &mut DMatrix<f64>) -> bool {
        let ok = self.inner.jacobian(p, j) || self.inner.jacobian_ad(p, j);
        if ok {
            self.jacobians.set(self.jacobians.get() + 1);
        }
        ok
    }
}

impl Residuals for Counting<'_> {
    fn num_residuals(&self) -> usize {
        self.inner.num_residuals()
    }
    fn num_params(&self) -> usize {
        self.inner.num_params()
    }
    fn residuals(&self, p: &[f64], r: &mut [f64]) {
        self.residuals.set(self.residuals.get() + 1);
        self.inner.residuals(p, r)
    }
    fn jacobian(&self, p: &[f64], j: &mut DMatrix<f64>) -> bool {
        self.exact(p, j)
    }
    fn jacobian_ad(&self, p: &[f64], j: &mut DMatrix<f64>) -> bool {
        self.exact(p, j)
    }
}

fn nist_dir() -> String {
    std::env::var("NIST_STRD_DIR")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/nist-strd").into())
}

type Solve = fn(&dyn Residuals, &JacobianSettings, &[f64]) -> LsqRun;

fn lm_trust_region(m: &dyn Residuals, j: &JacobianSettings, p0: &[f64]) -> LsqRun {
    levenberg_marquardt(m, j, p0, &LmSettings::default()).expect("a valid problem")
}

fn lm_nielsen(m: &dyn Residuals, j: &JacobianSettings, p0: &[f64]) -> LsqRun {
    let s = LmSettings {
        damping: Damping::Nielsen,
        geodesic_acceleration: true,
        ..LmSettings::default()
    };
    levenberg_marquardt(m, j, p0, &s).expect("a valid problem")
}

fn gn(m: &dyn Residuals, j: &JacobianSettings, p0: &[f64]) -> LsqRun {
    gauss_newton(m, j, p0, &GaussNewtonSettings::default()).expect("a valid problem")
}

#[test]
fn reported_residual_and_jacobian_counts_equal_what_the_model_saw() {
    let mut problems: Vec<(String, Box<dyn Residuals>, Vec<f64>)> = Vec::new();
    for (kind, n) in [
        (MghKind::ExtendedRosenbrock, 2),
        (MghKind::PowellSingular, 4),
        (MghKind::BrownBadlyScaled, 2),
        (MghKind::HelicalValley, 3),
    ] {
        let p = MghProblem::new(kind, n).expect("valid size");
        let x0 = p.start();
        problems.push((format!("{kind:?}"), Box::new(Ad(p)), x0));
    }
    // BoxBOD from start 1: the trust region stops saturated and the rescue (Nielsen with
    // geodesic acceleration, one extra residual evaluation per trial) runs after it.
    let mut saw_rescue = false;
    for (name, start) in [("BoxBOD", 1u8), ("Misra1a", 1)] {
        let path = format!("{}/nonlinear/{name}.dat", nist_dir());
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let d = nist::parse(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
        let x0 = d.start(start).expect("a start").to_vec();
        problems.push((
            format!("{name} start {start}"),
            Box::new(d.curve_fit().expect("a model")),
            x0,
        ));
    }
    let solvers: [(&str, Solve); 3] = [
        ("LM trust region", lm_trust_region),
        ("LM Nielsen + acceleration", lm_nielsen),
        ("Gauss–Newton", gn),
    ];
    let mut checked = 0;
    for (name, model, x0) in &problems {
        for (solver, solve) in solvers {
            for source in [
                GradientSource::Analytic,
                GradientSource::Automatic,
                GradientSource::FiniteDifference,
            ] {
                let c = Counting::new(model.as_ref());
                let jac = JacobianSettings {
                    source,
                    ..Default::default()
                };
                let run = solve(&c, &jac, x0);
                let what = format!("{name}, {solver}, {source:?} ({:?})", run.stop());
                assert_eq!(run.nfev(), c.residuals.get(), "nfev: {what}");
                if source == GradientSource::FiniteDifference {
                    assert_eq!(
                        c.jacobians.get(),
                        0,
                        "{what}: FD must not call the Jacobian"
                    );
                    assert!(run.njev() >= 1, "{what}");
                } else {
                    assert_eq!(run.njev(), c.jacobians.get(), "njev: {what}");
                }
                // Nothing free: at least the start's residuals and Jacobian.
                assert!(run.nfev() >= 1 && run.njev() >= 1, "{what}");
                if name.starts_with("BoxBOD") && solver == "LM trust region" {
                    saw_rescue |= run
                        .trace
                        .iterates
                        .iter()
                        .any(|it| it.extra("radius").is_some_and(f64::is_nan));
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, problems.len() * 9);
    assert!(
        saw_rescue,
        "the BoxBOD start 1 rescue path was not exercised"
    );
}
