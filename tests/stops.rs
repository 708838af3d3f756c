//! Issue 17, "stops and counts a user can trust" (minimizers): every named stop is reached on a
//! problem built to reach it, and every minimizer reports exactly the evaluations its objective saw.

use gradlab::diff::{Evaluator, GradientSource};
use gradlab::lab::link;
use gradlab::lab::surfaces::{Experiment, SolverConfig, SurfaceId};
use gradlab::problem::mgh::{MghKind, MghProblem};
use gradlab::problem::surfaces::Rosenbrock;
use gradlab::problem::Objective;
use gradlab::solver::nelder_mead::{NelderMead, NmStopRule};
use gradlab::solver::{run, StopCriteria, MAX_ITERATIONS, STAGNATION_ITERATIONS};
use gradlab::trace::{StopReason, Trace};
use nalgebra::DMatrix;
use std::cell::Cell;

/// Every minimizer of the surfaces lab, by `"method"` tag.
const METHODS: [&str; 13] = [
    "gradient_descent",
    "gradient_descent_armijo",
    "momentum",
    "nesterov",
    "adagrad",
    "rmsprop",
    "adam",
    "newton",
    "bfgs",
    "lbfgs",
    "cg_fletcher_reeves",
    "cg_polak_ribiere",
    "nelder_mead",
];

fn solve(
    obj: &dyn Objective,
    method: &str,
    source: GradientSource,
    x0: &[f64],
    crit: &StopCriteria,
) -> Trace {
    solve_with(
        obj,
        serde_json::json!({ "method": method }),
        source,
        x0,
        crit,
    )
}

/// Runs the solver of `config` (JSON, as in a link).
fn solve_with(
    obj: &dyn Objective,
    config: serde_json::Value,
    source: GradientSource,
    x0: &[f64],
    crit: &StopCriteria,
) -> Trace {
    let config: SolverConfig = serde_json::from_value(config).unwrap();
    let mut s = config.build().unwrap();
    let ev = Evaluator::new(obj, source);
    run(s.as_mut(), &ev, x0, crit)
}

fn tight(max_iterations: usize) -> StopCriteria {
    StopCriteria {
        max_iterations,
        grad_tol: 1e-300,
        ..Default::default()
    }
}

/// f = 1000 + (x − ⅓)² + 10(y − π + x/10)²: f* = 1000 > 0, so at the minimum a decrease of
/// ‖∇f‖²-size is far below ε·f, and ‖∇f‖ cannot reach 10⁻³⁰⁰ (x* is not representable, and the
/// coupled residual keeps the computed gradient from being exactly zero).
struct Offset;
impl Objective for Offset {
    fn dim(&self) -> usize {
        2
    }
    fn value(&self, x: &[f64]) -> f64 {
        let r = x[1] - std::f64::consts::PI + 0.1 * x[0];
        1000.0 + (x[0] - 1.0 / 3.0).powi(2) + 10.0 * r * r
    }
    fn gradient(&self, x: &[f64], g: &mut [f64]) -> bool {
        let r = x[1] - std::f64::consts::PI + 0.1 * x[0];
        g[0] = 2.0 * (x[0] - 1.0 / 3.0) + 2.0 * r;
        g[1] = 20.0 * r;
        true
    }
    fn hessian(&self, _x: &[f64]) -> Option<DMatrix<f64>> {
        Some(DMatrix::from_row_slice(2, 2, &[2.2, 2.0, 2.0, 20.0]))
    }
}

/// f = x² + y² with the gradient's sign flipped: −∇f looks like a descent direction but f rises
/// along it at every step length — a real line-search failure, not round-off.
struct WrongGradient;
impl Objective for WrongGradient {
    fn dim(&self) -> usize {
        2
    }
    fn value(&self, x: &[f64]) -> f64 {
        x[0] * x[0] + x[1] * x[1]
    }
    fn gradient(&self, x: &[f64], g: &mut [f64]) -> bool {
        g[0] = -2.0 * x[0];
        g[1] = -2.0 * x[1];
        true
    }
    fn hessian(&self, _x: &[f64]) -> Option<DMatrix<f64>> {
        Some(DMatrix::identity(2, 2) * 2.0)
    }
}

#[test]
fn round_off_failures_are_a_precision_limit_and_real_ones_a_line_search_failure() {
    for m in [
        "gradient_descent",
        "gradient_descent_armijo",
        "momentum",
        "nesterov",
        "adagrad",
        "rmsprop",
        "adam",
        "newton",
        "bfgs",
        "lbfgs",
        "cg_fletcher_reeves",
        "cg_polak_ribiere",
    ] {
        let t = solve(
            &Offset,
            m,
            GradientSource::Analytic,
            &[2.0, 1.0],
            &tight(10_000),
        );
        assert!(
            matches!(t.stop, StopReason::PrecisionLimit | StopReason::Stagnation),
            "{m}: {:?} after {} iterations",
            t.stop,
            t.iterations()
        );
        assert!(t.iterations() < 5000, "{m}: {}", t.iterations());
        let it = &t.iterates;
        if m == "rmsprop" {
            // A fixed step ends in a near two-cycle around x* (f ≈ 1000.008 at both points,
            // x drifting by 10⁻¹³ per cycle: ~10¹¹ iterations from x*), f unchanged to round-off:
            // stagnation, correctly.
            assert_eq!(t.stop, StopReason::Stagnation);
            let tail = &it[it.len() - 11..];
            assert!(
                tail.iter().all(|r| (r.f - t.last().f).abs() <= 1e-12),
                "{m}"
            );
            let cycle = it[it.len() - 1].x[0] - it[it.len() - 3].x[0];
            assert!(cycle.abs() < 1e-12, "{m}: {cycle}");
        } else {
            assert!(
                (t.last().f - 1000.0).abs() < 1e-10,
                "{m}: f = {}",
                t.last().f
            );
        }
        // v2 named the same end LineSearchFailed; the iterates are the same.
        let legacy = StopCriteria {
            precision_limit: false,
            stagnation: false,
            ..tight(t.iterations())
        };
        let old = solve(&Offset, m, GradientSource::Analytic, &[2.0, 1.0], &legacy);
        if t.stop == StopReason::PrecisionLimit {
            assert_eq!(old.stop, StopReason::LineSearchFailed, "{m}");
            assert_eq!(old.fingerprint(), t.fingerprint(), "{m}");
        }
    }
    // CG's strong-Wolfe search finds no decrease f can resolve: exactly the precision limit.
    for m in ["cg_fletcher_reeves", "cg_polak_ribiere"] {
        let t = solve(
            &Offset,
            m,
            GradientSource::Analytic,
            &[2.0, 1.0],
            &tight(10_000),
        );
        assert_eq!(t.stop, StopReason::PrecisionLimit, "{m}");
    }
    for m in [
        "gradient_descent_armijo",
        "bfgs",
        "lbfgs",
        "cg_polak_ribiere",
        "newton",
    ] {
        let t = solve(
            &WrongGradient,
            m,
            GradientSource::Analytic,
            &[1.0, -0.5],
            &tight(100),
        );
        assert_eq!(t.stop, StopReason::LineSearchFailed, "{m}");
        assert_eq!(t.iterations(), 1, "{m}");
    }
}

#[test]
fn a_run_whose_gradient_cannot_reach_the_tolerance_stops_by_itself() {
    // Badly scaled: f = 1 + ½(x − 0.1)² + ½·10⁸(y − 0.3 + 0.01x)², grad_tol 10⁻³⁰⁰. At the
    // minimum the gradient is 10⁸ × the round-off of y − 0.3 + 0.01x, never below the tolerance.
    struct Scaled;
    impl Objective for Scaled {
        fn dim(&self) -> usize {
            2
        }
        fn value(&self, x: &[f64]) -> f64 {
            let r = x[1] - 0.3 + 0.01 * x[0];
            1.0 + 0.5 * (x[0] - 0.1).powi(2) + 0.5e8 * r * r
        }
        fn gradient(&self, x: &[f64], g: &mut [f64]) -> bool {
            let r = x[1] - 0.3 + 0.01 * x[0];
            g[0] = x[0] - 0.1 + 1e6 * r;
            g[1] = 1e8 * r;
            true
        }
        fn hessian(&self, _x: &[f64]) -> Option<DMatrix<f64>> {
            Some(DMatrix::from_row_slice(2, 2, &[1.0 + 1e4, 1e6, 1e6, 1e8]))
        }
    }
    // (Gradient descent would need ~10⁸ iterations at condition number 10⁸: not tested here.)
    for m in [
        "newton",
        "bfgs",
        "lbfgs",
        "cg_fletcher_reeves",
        "cg_polak_ribiere",
    ] {
        let t = solve(
            &Scaled,
            m,
            GradientSource::Analytic,
            &[1.0, 1.0],
            &tight(MAX_ITERATIONS),
        );
        assert!(
            matches!(t.stop, StopReason::Stagnation | StopReason::PrecisionLimit),
            "{m}: {:?}",
            t.stop
        );
        assert!(t.iterations() < 1000, "{m}: {} iterations", t.iterations());
        let x = &t.last().x;
        assert!(
            (x[0] - 0.1).abs() < 1e-6 && (x[1] - 0.299).abs() < 1e-8,
            "{m}: {x:?}"
        );
    }
    // Stagnation proper: f = 1 + 10⁻²⁰x², fixed-step gradient descent moves x by 10⁻²¹·x per
    // iteration and f never changes: ten such iterations end the run; without the stop it runs
    // to its cap.
    struct Flat;
    impl Objective for Flat {
        fn dim(&self) -> usize {
            1
        }
        fn value(&self, x: &[f64]) -> f64 {
            1.0 + 1e-20 * x[0] * x[0]
        }
        fn gradient(&self, x: &[f64], g: &mut [f64]) -> bool {
            g[0] = 2e-20 * x[0];
            true
        }
    }
    let t = solve(
        &Flat,
        "gradient_descent",
        GradientSource::Analytic,
        &[1.0],
        &tight(5000),
    );
    assert_eq!(t.stop, StopReason::Stagnation);
    assert_eq!(t.iterations(), STAGNATION_ITERATIONS);
    let off = StopCriteria {
        stagnation: false,
        ..tight(5000)
    };
    let t = solve(
        &Flat,
        "gradient_descent",
        GradientSource::Analytic,
        &[1.0],
        &off,
    );
    assert_eq!(t.stop, StopReason::MaxIterations);
}

#[test]
fn newton_with_finite_differences_no_longer_runs_to_the_cap_on_trigonometric() {
    // Before issue 17: 100 000 iterations and 45 million function evaluations, f = 2.795e−5
    // reached after ≈ 10 (round-off keeps ‖∇f‖ ≈ 1e−9 > 1e−12).
    let p = MghProblem::new(MghKind::Trigonometric, 10).unwrap();
    let crit = StopCriteria {
        max_iterations: MAX_ITERATIONS,
        grad_tol: 1e-12,
        ..Default::default()
    };
    let t = solve(
        &p,
        "newton",
        GradientSource::FiniteDifference,
        &p.start(),
        &crit,
    );
    assert_eq!(t.stop, StopReason::Stagnation);
    assert!(
        t.iterations() <= 30 && t.f_evals < 20_000,
        "{} {}",
        t.iterations(),
        t.f_evals
    );
    // ½ of MGH's Σr² = 2.79506e-5 (gradlab records ½‖r‖² for every least-squares problem).
    assert!(
        (t.last().f - 0.5 * 2.79506e-5).abs() < 1e-9,
        "{}",
        t.last().f
    );
}

#[test]
fn the_evaluation_budget_stops_a_run_and_is_counted_like_the_evaluator() {
    let crit = StopCriteria {
        max_evaluations: 60,
        grad_tol: 1e-300,
        ..Default::default()
    };
    for m in METHODS {
        // Steps small enough for the fixed-step methods not to diverge on Rosenbrock.
        let mut config = serde_json::json!({ "method": m });
        if ["gradient_descent", "momentum", "nesterov"].contains(&m) {
            config["learning_rate"] = 1e-4.into();
        }
        for source in [GradientSource::Analytic, GradientSource::FiniteDifference] {
            let t = solve_with(&Rosenbrock, config.clone(), source, &[-1.2, 1.0], &crit);
            let used = t.f_evals + t.g_evals + t.h_evals;
            assert_eq!(
                t.stop,
                StopReason::MaxEvaluations,
                "{m} {source:?}: {:?}",
                t.stop
            );
            assert!(used >= 60, "{m} {source:?}: {used}");
            // Checked before each iteration: the last one started below the budget.
            let t1 = solve_with(
                &Rosenbrock,
                config.clone(),
                source,
                &[-1.2, 1.0],
                &StopCriteria {
                    max_iterations: t.iterations() - 1,
                    max_evaluations: 0,
                    ..crit
                },
            );
            assert!(t1.f_evals + t1.g_evals + t1.h_evals < 60, "{m} {source:?}");
        }
    }
}

#[test]
fn configs_beyond_the_iteration_cap_are_refused_with_a_message() {
    let mut e = Experiment::default();
    e.stop.max_iterations = MAX_ITERATIONS + 1;
    assert_eq!(
        e.validate().unwrap_err(),
        "max iterations must be between 1 and 100000 (got 100001)"
    );
    e.stop.max_iterations = MAX_ITERATIONS;
    e.validate().unwrap();
    e.stop.f_tol = -1.0;
    assert!(e.validate().unwrap_err().contains("f tolerance"));
    // The same from a link: refused, not clamped.
    let mut s = link::PageState::default();
    if let link::LabConfig::Surfaces(e) = &mut s.lab {
        e.stop.max_iterations = 1_000_000;
    }
    let json = serde_json::to_string(&s).unwrap();
    let err = link::PageState::from_json(&json).unwrap_err();
    assert!(
        err.to_string()
            .contains("max iterations must be between 1 and 100000"),
        "{err}"
    );
}

fn nm(stop_rule: NmStopRule, adaptive: bool, f_tol: f64) -> NelderMead {
    let mut s = NelderMead::new(0.25, 1e-8, f_tol);
    s.stop_rule = stop_rule;
    s.adaptive = adaptive;
    s
}

#[test]
fn nelder_mead_stops_only_when_both_tolerances_hold() {
    let ev = |_| Evaluator::new(&Rosenbrock, GradientSource::Analytic);
    let crit = StopCriteria {
        max_iterations: 5000,
        ..Default::default()
    };
    // A loose f tolerance stops "either" while the simplex is still wide.
    let e = ev(());
    let either = run(
        &mut nm(NmStopRule::Either, false, 1e-3),
        &e,
        &[-1.2, 1.0],
        &crit,
    );
    assert_eq!(either.stop, StopReason::FunctionTolerance);
    assert!(either.last().extra("simplex_size").unwrap() > 1e-8);
    let e = ev(());
    let both = run(
        &mut nm(NmStopRule::Both, false, 1e-3),
        &e,
        &[-1.2, 1.0],
        &crit,
    );
    assert_eq!(both.stop, StopReason::StepTolerance);
    let last = both.last();
    assert!(last.extra("simplex_size").unwrap() <= 1e-8);
    assert!(last.extra("f_spread").unwrap() <= 1e-3);
    assert!(both.iterations() > either.iterations());
    assert!(last.f < 1e-12, "{}", last.f);
}

#[test]
fn nelder_mead_adaptive_coefficients() {
    let s = nm(NmStopRule::Both, true, 1e-15);
    assert_eq!(
        s.coefficients(2),
        (2.0, 0.5, 0.5),
        "n = 2: the standard ones"
    );
    assert_eq!(
        s.coefficients(1),
        (2.0, 0.5, 0.5),
        "n = 1: the standard ones"
    );
    assert_eq!(s.coefficients(10), (1.2, 0.7, 0.9));
    assert_eq!(
        nm(NmStopRule::Both, false, 1e-15).coefficients(10),
        (2.0, 0.5, 0.5)
    );
    // On the 20-D extended Rosenbrock function the standard coefficients are still far from x*
    // after 20 000 iterations; the adaptive ones reach it (Gao & Han's motivation).
    let p = MghProblem::new(MghKind::ExtendedRosenbrock, 20).unwrap();
    let crit = StopCriteria {
        max_iterations: 20_000,
        ..Default::default()
    };
    let f = |adaptive| {
        let e = Evaluator::new(&p, GradientSource::Automatic);
        run(
            &mut nm(NmStopRule::Both, adaptive, 1e-15),
            &e,
            &p.start(),
            &crit,
        )
        .last()
        .f
    };
    let (standard, adaptive) = (f(false), f(true));
    assert!(adaptive < 1e-10, "adaptive: {adaptive}");
    assert!(
        standard > 1e3 * adaptive,
        "standard {standard} vs adaptive {adaptive}"
    );
}

#[test]
fn nelder_mead_uses_and_validates_its_initial_size() {
    for h in [1e-3, 0.25, 2.0] {
        let mut s = NelderMead::new(h, 1e-8, 1e-15);
        let e = Evaluator::new(&Rosenbrock, GradientSource::Analytic);
        let crit = StopCriteria {
            max_iterations: 1,
            ..Default::default()
        };
        let t = run(&mut s, &e, &[-1.2, 1.0], &crit);
        // One reflection replaced one vertex; at least one of x₀ + h·eᵢ is still there.
        let simplex = t.last().simplex.clone().unwrap();
        let kept = [[-1.2 + h, 1.0], [-1.2, 1.0 + h]]
            .iter()
            .any(|v| simplex.iter().any(|w| w[..] == v[..]));
        assert!(kept, "h = {h}: {simplex:?}");
    }
    for bad in [0.0, -1.0, f64::NAN, 1e3] {
        let c: SolverConfig = serde_json::from_value(
            serde_json::json!({"method": "nelder_mead", "initial_size": bad}),
        )
        .unwrap_or(SolverConfig::NelderMead {
            initial_size: bad,
            x_tol: 1e-8,
            f_tol: 1e-15,
            stop_rule: NmStopRule::Both,
            adaptive: true,
            trace_gradient: false,
        });
        assert!(c.validate().unwrap_err().contains("initial size"), "{bad}");
    }
}

#[test]
fn nelder_mead_records_no_gradient_unless_asked() {
    let e = Experiment {
        surface: SurfaceId::Rosenbrock,
        start: [-1.2, 1.0],
        solvers: vec![SolverConfig::default_for("nelder_mead").unwrap()],
        gradient: GradientSource::FiniteDifference,
        ..Default::default()
    };
    let t = &e.run().unwrap()[0];
    assert_eq!(t.g_evals, 0);
    assert!(t
        .iterates
        .iter()
        .all(|r| r.grad_norm.is_nan() && r.vector("grad").is_none()));
    // Every convergence-plot and export consumer copes with the missing gradient.
    let csv = link::traces_csv(
        &link::run_traces(
            &link::PageState::new(link::LabConfig::Surfaces(e.clone())),
            None,
        )
        .unwrap(),
    );
    assert!(csv.lines().count() > 10);
    // The v2 setting evaluates ∇f for the trace again, and counts it (2n = 4 f evaluations per
    // finite-difference gradient).
    let mut legacy = e.clone();
    if let SolverConfig::NelderMead {
        trace_gradient,
        stop_rule,
        ..
    } = &mut legacy.solvers[0]
    {
        *trace_gradient = true;
        *stop_rule = NmStopRule::Either;
    }
    let old = &legacy.run().unwrap()[0];
    assert_eq!(old.g_evals, old.iterates.len());
    assert!(old.iterates.iter().all(|r| r.grad_norm.is_finite()));
    // Rosenbrock from (−1.2, 1), v2 rule: 209 evaluations of f by the method itself, and now the
    // 110 + 1 trace gradients' 4 each are counted too (v2 reported 209 for 653 made).
    assert_eq!((old.iterations(), old.f_evals), (110, 209 + 4 * 111));
}

/// An objective that counts what it is asked: values, gradients (analytic or AD, when one is
/// produced) and Hessians (analytic or AD, when produced).
struct Counting<'a> {
    inner: &'a dyn Objective,
    values: Cell<usize>,
    gradients: Cell<usize>,
    hessians: Cell<usize>,
}

impl<'a> Counting<'a> {
    fn new(inner: &'a dyn Objective) -> Self {
        Counting {
            inner,
            values: Cell::new(0),
            gradients: Cell::new(0),
            hessians: Cell::new(0),
        }
    }
    fn bump(c: &Cell<usize>, yes: bool) -> bool {
        if yes {
            c.set(c.get() + 1);
        }
        yes
    }
}

impl Objective for Counting<'_> {
    fn dim(&self) -> usize {
        self.inner.dim()
    }
    fn value(&self, x: &[f64]) -> f64 {
        self.values.set(self.values.get() + 1);
        self.inner.value(x)
    }
    fn gradient(&self, x: &[f64], g: &mut [f64]) -> bool {
        Self::bump(&self.gradients, self.inner.gradient(x, g))
    }
    fn automatic_gradient(&self, x: &[f64], g: &mut [f64]) -> bool {
        Self::bump(&self.gradients, self.inner.automatic_gradient(x, g))
    }
    fn hessian(&self, x: &[f64]) -> Option<DMatrix<f64>> {
        let h = self.inner.hessian(x);
        Self::bump(&self.hessians, h.is_some());
        h
    }
    fn automatic_hessian(&self, x: &[f64]) -> Option<DMatrix<f64>> {
        let h = self.inner.automatic_hessian(x);
        Self::bump(&self.hessians, h.is_some());
        h
    }
}

/// The counts reported equal the calls made, for every minimizer and gradient source.
///
/// How finite differences count: a finite-difference gradient is one gradient evaluation
/// (`g_evals`) whose 2n function values are also function evaluations (`f_evals`) — the objective
/// sees only those values. A finite-difference Hessian is one Hessian evaluation (`h_evals`)
/// whose 2n gradients are gradient evaluations (and, with finite differences, their values
/// function evaluations).
#[test]
fn reported_evaluations_equal_what_the_objective_saw() {
    let mgh = MghProblem::new(MghKind::HelicalValley, 3).unwrap();
    let problems: [(&str, &dyn Objective, Vec<f64>); 3] = [
        ("rosenbrock", &Rosenbrock, vec![-1.2, 1.0]),
        ("helical valley", &mgh, mgh.start()),
        ("offset quadratic", &Offset, vec![2.0, 1.0]),
    ];
    let crit = StopCriteria {
        max_iterations: 300,
        grad_tol: 1e-10,
        ..Default::default()
    };
    for (name, inner, x0) in &problems {
        for m in METHODS {
            for source in [
                GradientSource::Analytic,
                GradientSource::Automatic,
                GradientSource::FiniteDifference,
            ] {
                // Exact sources only where the problem has them (else they fall back to finite
                // differences, checked on their own below).
                let mut g = vec![0.0; x0.len()];
                let exact = match source {
                    GradientSource::Analytic => {
                        inner.gradient(x0, &mut g) || inner.automatic_gradient(x0, &mut g)
                    }
                    GradientSource::Automatic => inner.automatic_gradient(x0, &mut g),
                    GradientSource::FiniteDifference => true,
                };
                if !exact {
                    continue;
                }
                let c = Counting::new(*inner);
                let t = solve(&c, m, source, x0, &crit);
                let what = format!("{name} {m} {source:?} ({:?})", t.stop);
                assert_eq!(t.f_evals, c.values.get(), "f: {what}");
                if source == GradientSource::FiniteDifference {
                    assert_eq!((c.gradients.get(), c.hessians.get()), (0, 0), "{what}");
                } else {
                    assert_eq!(t.g_evals, c.gradients.get(), "g: {what}");
                    assert_eq!(t.h_evals, c.hessians.get(), "h: {what}");
                }
                if m == "nelder_mead" {
                    assert_eq!(
                        (t.g_evals, t.h_evals, c.gradients.get()),
                        (0, 0, 0),
                        "{what}"
                    );
                }
            }
        }
    }
}
