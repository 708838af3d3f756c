//! Measures issue 17's stops: every minimizer on the MGH problems (grad_tol 1e-12, 100 000
//! iterations, AD gradients) and Nelder–Mead on Rosenbrock; prints iterations, evaluations and
//! the stop. `cargo run --release --example stops_sweep`.

use gradlab::diff::{Evaluator, GradientSource};
use gradlab::lab::surfaces::SolverConfig;
use gradlab::problem::mgh::{MghKind, MghProblem};
use gradlab::problem::surfaces::Rosenbrock;
use gradlab::solver::{run, StopCriteria};

const METHODS: [&str; 12] = [
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
];

fn main() {
    let problems = [
        (MghKind::ExtendedRosenbrock, 10),
        (MghKind::PowellSingular, 4),
        (MghKind::Wood, 4),
        (MghKind::BrownBadlyScaled, 2),
        (MghKind::HelicalValley, 3),
        (MghKind::Trigonometric, 10),
        (MghKind::Trigonometric, 2),
        (MghKind::Trigonometric, 5),
        (MghKind::ExtendedRosenbrock, 2),
    ];
    // STOPS_LEGACY=1: the v2 stops (no Stagnation, PrecisionLimit named LineSearchFailed) —
    // the same iterates as before issue 17 for every gradient-based method.
    let legacy = std::env::var("STOPS_LEGACY").is_ok_and(|v| v == "1");
    let crit = StopCriteria {
        max_iterations: 100_000,
        grad_tol: 1e-12,
        stagnation: !legacy,
        precision_limit: !legacy,
        ..Default::default()
    };
    // Optional filters: STOPS_SOURCE=automatic|finite_difference|analytic, STOPS_METHODS=a,b.
    let source: GradientSource = std::env::var("STOPS_SOURCE")
        .ok()
        .map(|s| serde_json::from_value(serde_json::Value::String(s)).unwrap())
        .unwrap_or(GradientSource::Automatic);
    let only = std::env::var("STOPS_METHODS").unwrap_or_default();
    for (kind, n) in problems {
        let p = MghProblem::new(kind, n).unwrap();
        for m in METHODS.iter().chain(["nelder_mead"].iter()) {
            if !only.is_empty() && !only.split(',').any(|o| o == *m) {
                continue;
            }
            let mut s = SolverConfig::default_for(m).unwrap().build().unwrap();
            let ev = Evaluator::new(&p, source);
            let t = run(s.as_mut(), &ev, &p.start(), &crit);
            println!(
                "{kind:?}/{n} {m} {source:?}: iters {} f_evals {} g_evals {} h_evals {} f {:.3e} |g| {:.2e} stop {:?}",
                t.iterations(),
                t.f_evals,
                t.g_evals,
                t.h_evals,
                t.last().f,
                t.last().grad_norm,
                t.stop
            );
        }
    }
    for source in [GradientSource::Analytic, GradientSource::FiniteDifference] {
        let mut s = SolverConfig::default_for("nelder_mead")
            .unwrap()
            .build()
            .unwrap();
        let ev = Evaluator::new(&Rosenbrock, source);
        let t = run(s.as_mut(), &ev, &[-1.2, 1.0], &StopCriteria::default());
        println!(
            "Rosenbrock nelder_mead {source:?}: iters {} f_evals {} g_evals {} stop {:?} f {:.3e}",
            t.iterations(),
            t.f_evals,
            t.g_evals,
            t.stop,
            t.last().f
        );
    }
}
