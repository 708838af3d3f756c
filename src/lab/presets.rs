//! Guided experiments: ready-made configs that each teach one thing, with a short explanation.
//!
//! A preset names its lab and holds that lab's config as JSON (the same JSON as the lab's
//! `getState()`), so the page applies it with the lab's own `setState` — and a preset is a
//! permalink like any other state. Every preset is validated and run by the tests.

use serde::Serialize;
use serde_json::{json, Value};

/// One guided experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Preset {
    /// Stable id (used in tests and links).
    pub id: &'static str,
    /// Menu title.
    pub title: &'static str,
    /// Which lab: `"surfaces"`, `"regression"` or `"fit"`.
    pub lab: &'static str,
    /// Two or three sentences shown beside the plots.
    pub text: &'static str,
    /// The lab's config.
    pub config: Value,
    /// Start the basin map after loading (surfaces lab).
    pub basin: bool,
}

fn surfaces(surface: &str, start: [f64; 2], solvers: Value, iters: usize, extra: Value) -> Value {
    let mut v = json!({
        "surface": surface,
        "start": start,
        "solvers": solvers,
        "stop": {"max_iterations": iters, "grad_tol": 1e-8},
        "view": {"view_box": crate::lab::surfaces::SurfaceId::Peaks.view(), "yaw": 0.6, "pitch": 0.45},
    });
    let id: crate::lab::surfaces::SurfaceId =
        serde_json::from_value(json!(surface)).unwrap_or_default();
    v["view"]["view_box"] = serde_json::to_value(id.view()).unwrap_or(Value::Null);
    if let (Some(obj), Some(more)) = (v.as_object_mut(), extra.as_object()) {
        for (k, val) in more {
            obj.insert(k.clone(), val.clone());
        }
    }
    v
}

/// Every guided experiment, in menu order.
pub fn presets() -> Vec<Preset> {
    vec![
        Preset {
            id: "too-large-step",
            title: "Learning rate too large → divergence",
            lab: "surfaces",
            text: "On f = ½(x² + 10y²) the steepest direction has curvature L = 10, so gradient descent is stable only for α < 2/L = 0.2. \
                   With α = 0.19 it zig-zags across the valley but converges; with α = 0.21 every step overshoots a little more and the run diverges — the solver says so and stops.",
            config: surfaces(
                "quadratic",
                [2.5, 1.5],
                json!([{"method": "gradient_descent", "learning_rate": 0.19}, {"method": "gradient_descent", "learning_rate": 0.21}]),
                300,
                json!({"quadratic_condition": 10.0}),
            ),
            basin: false,
        },
        Preset {
            id: "momentum-ill-conditioned",
            title: "Momentum on an ill-conditioned valley",
            lab: "surfaces",
            text: "With condition number κ = 100 plain gradient descent must keep α below 2/L = 0.02 and crawls along the flat direction. \
                   Heavy-ball momentum (α = 4/(√L+√μ)², β = ((√κ−1)/(√κ+1))²) and Nesterov's method (α = 1/L, β = (√κ−1)/(√κ+1)) reuse the previous step and need about √κ instead of κ iterations per digit.",
            config: surfaces(
                "quadratic",
                [2.5, 1.0],
                json!([
                    {"method": "gradient_descent", "learning_rate": 0.0198},
                    {"method": "momentum", "learning_rate": 0.033, "momentum": 0.67},
                    {"method": "nesterov", "learning_rate": 0.01, "momentum": 0.82}
                ]),
                1500,
                json!({"quadratic_condition": 100.0}),
            ),
            basin: false,
        },
        Preset {
            id: "adam-vs-gd-rosenbrock",
            title: "Adam vs gradient descent in Rosenbrock's valley",
            lab: "surfaces",
            text: "Rosenbrock's banana valley is steep across and nearly flat along. Gradient descent needs a tiny step not to bounce off the walls and then barely moves along the floor; \
                   Adam rescales each coordinate by its recent gradient size and makes steady progress toward (1, 1).",
            config: surfaces(
                "rosenbrock",
                [-1.2, 1.0],
                json!([{"method": "gradient_descent", "learning_rate": 0.001}, {"method": "adam", "learning_rate": 0.05}]),
                3000,
                json!({}),
            ),
            basin: false,
        },
        Preset {
            id: "newton-quadratic",
            title: "Newton's quadratic convergence",
            lab: "surfaces",
            text: "Near a minimum Newton's method doubles the number of correct digits every step: watch ‖∇f‖ in the convergence plot fall 1e-2, 1e-4, 1e-8… \
                   BFGS builds its curvature estimate on the way and ends superlinearly; gradient descent with a line search stays linear.",
            config: surfaces(
                "rosenbrock",
                [-1.2, 1.0],
                json!([{"method": "newton"}, {"method": "bfgs"}, {"method": "gradient_descent_armijo"}]),
                120,
                // 120 iterations: enough to see GD + Armijo's straight (linear) descent without
                // squeezing Newton's 21 and BFGS's 40 iterations against the axis.
                json!({"stop": {"max_iterations": 120, "grad_tol": 1e-12}}),
            ),
            basin: false,
        },
        Preset {
            id: "nelder-mead",
            title: "Nelder–Mead needs no gradient",
            lab: "surfaces",
            text: "Nelder–Mead only compares function values at the corners of a triangle (drawn on the map): it reflects, expands, contracts and shrinks it downhill. \
                   It never evaluates ∇f — count the evaluations in the results table — and still finds a minimum of Himmelblau's function, more slowly than BFGS.",
            config: surfaces(
                "himmelblau",
                [-0.5, -0.5],
                json!([{"method": "nelder_mead"}, {"method": "bfgs"}]),
                500,
                json!({}),
            ),
            basin: false,
        },
        Preset {
            id: "peaks-basins",
            title: "Where does each start end up? (basins of peaks)",
            lab: "surfaces",
            text: "Peaks has a global minimum, a shallower local one, and a very shallow third between the peaks. Gradient descent goes to whichever basin it starts in: the basin map runs it from 6,400 starts and colours each by the minimum it reached. \
                   Click anywhere on the map to try a start yourself.",
            config: surfaces("peaks", [-0.2, -0.6], json!([{"method": "gradient_descent", "learning_rate": 0.05}]), 300, json!({})),
            basin: true,
        },
        Preset {
            id: "minibatch-noise",
            title: "Mini-batch noise vs batch size",
            lab: "regression",
            text: "Stochastic gradient descent estimates the gradient from a few samples: batch size 1 gives a cheap but noisy step (the zig-zag on the loss map), batch size 32 a smoother one, full batch the exact gradient. \
                   All three use the same seed, so the paths are reproducible.",
            config: json!({
                "data": {"source": "generated", "n": 200, "slope": 2.0, "intercept": -1.0, "noise": 1.0, "seed": 7},
                "solvers": [
                    {"learning_rate": 0.02, "batch_size": 1, "epochs": 15, "seed": 1},
                    {"learning_rate": 0.05, "batch_size": 32, "epochs": 15, "seed": 1},
                    {"learning_rate": 0.1, "batch_size": 0, "epochs": 15, "seed": 1}
                ]
            }),
            basin: false,
        },
        Preset {
            id: "gn-vs-lm-bad-start",
            title: "Gauss–Newton vs Levenberg–Marquardt from a bad start",
            lab: "fit",
            text: "Gauss–Newton takes the full linearised step; far from the answer that step can be huge and wrong, so even with a line search it wanders or stalls. \
                   Levenberg–Marquardt damps the step (λ, on the convergence plot) until the model is trusted, then lets λ fall and converges like Gauss–Newton.",
            config: json!({
                "model": {"kind": "builtin", "id": "exponential_decay"},
                "data": {"kind": "generated", "n": 40, "noise": 0.05, "seed": 3},
                "start": {"kind": "values", "values": [1.0, 5.0, 0.0]},
                "solvers": [{"method": "levenberg_marquardt"}, {"method": "gauss_newton"}]
            }),
            basin: false,
        },
        Preset {
            id: "wrong-jacobian",
            title: "Why the Jacobian must be evaluated at the current point",
            lab: "fit",
            text: "A routine that keeps using the Jacobian of the starting point — a bug that is easy to write when J is computed once before the loop — solves the wrong linear model at every step: watch the frozen run's SSR creep down while the correct one drops in a few steps. \
                   With the Jacobian frozen at x₀ the method slows to a crawl or stalls; evaluated at the current point it converges in a few iterations.",
            config: json!({
                "model": {"kind": "builtin", "id": "exponential_decay"},
                "data": {"kind": "generated", "n": 30, "noise": 0.02, "seed": 5},
                "start": {"kind": "default"},
                "solvers": [
                    {"method": "levenberg_marquardt"},
                    // Capped: uncapped, the frozen run takes ~25 000 records and then stops on a
                    // tiny step as λ explodes (MINPACK's "converged" by xtol, but a stall).
                    {"method": "levenberg_marquardt", "frozen_jacobian": true, "max_evaluations": 400}
                ]
            }),
            basin: false,
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::surfaces::Experiment;
    use crate::trace::StopReason;

    fn surfaces_run(id: &str) -> Vec<crate::trace::Trace> {
        let p = presets().into_iter().find(|p| p.id == id).unwrap();
        let e: Experiment = serde_json::from_value(p.config).unwrap();
        e.run().unwrap()
    }

    #[test]
    fn every_preset_is_a_valid_config_of_its_lab_and_runs() {
        for p in presets() {
            match p.lab {
                "surfaces" => {
                    let e: Experiment = serde_json::from_value(p.config.clone())
                        .unwrap_or_else(|e| panic!("{}: {e}", p.id));
                    e.run().unwrap_or_else(|e| panic!("{}: {e}", p.id));
                }
                "regression" => {
                    let e: crate::lab::regression::RegressionExperiment =
                        serde_json::from_value(p.config.clone())
                            .unwrap_or_else(|e| panic!("{}: {e}", p.id));
                    crate::lab::regression::run(&e).unwrap_or_else(|e| panic!("{}: {e}", p.id));
                }
                "fit" => {
                    let e: crate::lab::fit::FitExperiment =
                        serde_json::from_value(p.config.clone())
                            .unwrap_or_else(|e| panic!("{}: {e}", p.id));
                    crate::lab::fit::run(&e).unwrap_or_else(|e| panic!("{}: {e}", p.id));
                }
                other => panic!("unknown lab {other}"),
            }
            assert!(p.text.len() > 100 && p.title.len() > 10);
        }
    }

    #[test]
    fn the_presets_show_what_they_say() {
        // α = 0.19 < 2/L converges, α = 0.21 > 2/L diverges (L = 10).
        let t = surfaces_run("too-large-step");
        assert!(t[0].stop.is_converged(), "{:?}", t[0].stop);
        assert_eq!(t[1].stop, StopReason::Diverged);
        // Momentum and Nesterov need far fewer iterations than GD at κ = 100.
        let t = surfaces_run("momentum-ill-conditioned");
        let iters: Vec<usize> = t.iter().map(|t| t.iterations()).collect();
        assert!(
            t.iter().all(|t| t.stop.is_converged()),
            "{:?}",
            t.iter().map(|t| &t.stop).collect::<Vec<_>>()
        );
        assert!(
            iters[1] * 3 < iters[0] && iters[2] * 3 < iters[0],
            "{iters:?}"
        );
        // Adam gets much closer to (1, 1) than GD in the same budget.
        let t = surfaces_run("adam-vs-gd-rosenbrock");
        let d = |t: &crate::trace::Trace| {
            ((t.last().x[0] - 1.0).powi(2) + (t.last().x[1] - 1.0).powi(2)).sqrt()
        };
        assert!(d(&t[1]) < 0.1 * d(&t[0]), "{} vs {}", d(&t[1]), d(&t[0]));
        // Newton converges in few iterations; the final ratios show quadratic convergence.
        let t = surfaces_run("newton-quadratic");
        assert!(t[0].stop.is_converged() && t[0].iterations() < 30);
        assert!(t[1].stop.is_converged(), "BFGS too");
        // GD + Armijo is still far from done: its linear rate is what the plot shows.
        assert_eq!(t[2].stop, crate::trace::StopReason::MaxIterations);
        // Nelder–Mead uses no gradient evaluations.
        let t = surfaces_run("nelder-mead");
        assert_eq!(t[0].g_evals, 0);
        assert!(t[0].last().f < 1e-6);
    }

    #[test]
    fn the_fit_presets_show_what_they_say() {
        // From a decay rate of 5 (true 0.8) Gauss–Newton runs away; LM damps and converges.
        let p = presets()
            .into_iter()
            .find(|p| p.id == "gn-vs-lm-bad-start")
            .unwrap();
        let e: crate::lab::fit::FitExperiment = serde_json::from_value(p.config).unwrap();
        let r = crate::lab::fit::run(&e).unwrap();
        let (lm, gn) = (&r.runs[0].run, &r.runs[1].run);
        assert!(
            lm.trace.stop.is_converged() && (lm.params[1] - 0.8).abs() < 0.05,
            "{:?}",
            lm.params
        );
        assert!(gn.ssr > 100.0 * lm.ssr, "GN {} vs LM {}", gn.ssr, lm.ssr);

        let p = presets()
            .into_iter()
            .find(|p| p.id == "wrong-jacobian")
            .unwrap();
        let e: crate::lab::fit::FitExperiment = serde_json::from_value(p.config).unwrap();
        let r = crate::lab::fit::run(&e).unwrap();
        let iters: Vec<usize> = r.runs.iter().map(|f| f.run.trace.iterations()).collect();
        assert!(
            iters[0] * 3 < iters[1],
            "frozen Jacobian is much slower: {iters:?}"
        );
        assert!(r.runs[0].run.stop().is_converged());
        assert_eq!(
            *r.runs[1].run.stop(),
            crate::trace::StopReason::MaxEvaluations,
            "the frozen run does not converge"
        );
    }
}
