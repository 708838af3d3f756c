//! The course: ordered lessons across the three labs — predict, run, learn.
//!
//! Each lesson has a goal, what to look for, a question to answer *before* the run is shown
//! (with choices), the setup (a lab config, so a lesson is a link like any other state), and an
//! [`outcome`] computed from the run actually on screen: what happened, in the run's own numbers,
//! and which choice the run bore out. The nine former "guided experiments" are lessons here.

use super::challenge::surface_config;
use super::coach;
use super::lens::Lens;
use super::run::RunView;
use crate::diff::check_gradient;
use crate::lab::explain::{num, vec};
use crate::lab::presets::presets;
use crate::lab::surfaces::SurfaceId;
use crate::problem::regression::nist::lre;
use crate::trace::Trace;
use serde::Serialize;
use serde_json::{json, Value};

/// One lesson.
#[derive(Clone, Debug, Serialize)]
pub struct Lesson {
    /// Stable id (links, progress).
    pub id: &'static str,
    /// `"surfaces"`, `"regression"` or `"fit"`.
    pub lab: &'static str,
    /// Heading.
    pub title: &'static str,
    /// What the lesson is for.
    pub goal: &'static str,
    /// Where to look on the page.
    pub look_for: &'static str,
    /// Asked before the run is shown.
    pub question: &'static str,
    /// Possible answers.
    pub choices: Vec<&'static str>,
    /// The index of the right answer for the lesson's own setup.
    pub answer: usize,
    /// Why, in general terms (the run's numbers come from [`outcome`]).
    pub why: &'static str,
    /// The lab's config.
    pub config: Value,
    /// Start the basin map (surfaces).
    pub basin: bool,
    /// Turn the curvature lens on (surfaces).
    pub lens: bool,
}

/// What the run on screen showed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Outcome {
    /// The choice the run bore out, when it can be read from the run.
    pub observed: Option<usize>,
    /// What happened, with the run's numbers.
    pub lines: Vec<String>,
}

fn preset(id: &str) -> Value {
    presets()
        .into_iter()
        .find(|p| p.id == id)
        .map(|p| p.config)
        .unwrap_or(Value::Null)
}

/// Every lesson, in course order.
pub fn lessons() -> Vec<Lesson> {
    vec![
        Lesson {
            id: "gradient",
            lab: "surfaces",
            title: "What a gradient is",
            goal: "See ∇f as the direction of steepest ascent, and gradient descent as small steps against it.",
            look_for: "The first step on the contour map (press › once) and the update written out under the map: x₁ = x₀ − α∇f(x₀).",
            question: "From (−0.2, −0.6) on peaks, which way does the first gradient-descent step go?",
            choices: vec![
                "straight toward the lowest point of the map",
                "across the contour line through the start, straight downhill",
                "along the contour line through the start",
            ],
            answer: 1,
            why: "∇f only knows the slope where you stand: it is perpendicular to the contour line there. The lowest point may lie in another direction; steepest descent is a local rule.",
            config: surface_config(SurfaceId::Peaks, [-0.2, -0.6], json!([{"method": "gradient_descent", "learning_rate": 0.05}]), 300, 1e-6, json!({})),
            basin: false,
            lens: false,
        },
        Lesson {
            id: "exact-vs-finite-differences",
            lab: "surfaces",
            title: "Exact gradients and finite differences",
            goal: "Compare the gradient from automatic differentiation (exact to rounding) with central finite differences (f(x + h) − f(x − h))/2h.",
            look_for: "The gradient check under the results: the same ∇f from the hand-written formula, from dual numbers, and from differences.",
            question: "With central differences and the best step h ≈ 6·10⁻⁶, how many significant digits of ∇f are right?",
            choices: vec!["all 16", "about 10", "about 3"],
            answer: 1,
            why: "The truncation error of central differences falls like h², the rounding error grows like ε/h; the best h ≈ ε^(1/3) balances them at about ε^(2/3) ≈ 10⁻¹¹ relative — some 10 digits. Dual numbers carry the derivative through every operation exactly, so they lose nothing.",
            config: {
                let mut v = surface_config(SurfaceId::Peaks, [-0.2, -0.6], json!([{"method": "gradient_descent", "learning_rate": 0.05}]), 300, 1e-6, json!({}));
                v["gradient"] = json!("finite_difference");
                v
            },
            basin: false,
            lens: false,
        },
        Lesson {
            id: "step-size",
            lab: "surfaces",
            title: "Step size and divergence: α against 2/L",
            goal: "Find where a fixed step stops working: on ½(x² + 10y²) the curvature along y is L = 10.",
            look_for: "The two paths on the map: one zig-zags inward, the other outward. The coach names the limit.",
            question: "α = 0.21 is only 10 % larger than α = 0.19. What does it do?",
            choices: vec![
                "converges, a little faster than 0.19",
                "converges, but zig-zags more",
                "diverges",
            ],
            answer: 2,
            why: "Along y each step multiplies the distance to the minimum by (1 − αL). For α < 2/L = 0.2 that factor lies in (−1, 1): the steps shrink. Above 2/L it is below −1: every step overshoots by more than the last.",
            config: preset("too-large-step"),
            basin: false,
            lens: false,
        },
        Lesson {
            id: "conditioning-momentum",
            lab: "surfaces",
            title: "Conditioning, and momentum",
            goal: "See why a narrow valley (condition number κ = L/μ = 100) slows gradient descent, and how momentum helps.",
            look_for: "Iterations in the results table and the slopes in the convergence plot.",
            question: "How many times fewer iterations than gradient descent do the momentum methods need here?",
            choices: vec!["about the same", "several times fewer — of the order of √κ = 10", "about κ = 100 times fewer"],
            answer: 1,
            why: "Gradient descent must keep α < 2/L for the steep direction, and then gains only a fraction α·μ ≈ 1/κ per step along the flat one: about κ iterations per digit. Heavy ball and Nesterov reuse the previous step and need about √κ.",
            config: preset("momentum-ill-conditioned"),
            basin: false,
            lens: false,
        },
        Lesson {
            id: "curvature-lens",
            lab: "surfaces",
            title: "The curvature lens: where the step-size limit comes from",
            goal: "Read the local quadratic model: the Hessian's eigen-directions, its condition number and the largest stable step 2/λmax, at any iterate.",
            look_for: "The ellipse and the two axes on the map (lens on), and the numbers under it; step through the run with › and watch κ change.",
            question: "At Rosenbrock's start (−1.2, 1), what is the largest stable fixed step 2/λmax?",
            choices: vec!["about 0.1", "about 0.01", "about 0.001"],
            answer: 2,
            why: "The valley's walls are steep (λmax ≈ 1500 at the start), its floor nearly flat: a fixed step must suit the walls, so it crawls along the floor. That is why this run needs so many iterations.",
            config: surface_config(SurfaceId::Rosenbrock, [-1.2, 1.0], json!([{"method": "gradient_descent", "learning_rate": 0.001}]), 3000, 1e-6, json!({})),
            basin: false,
            lens: true,
        },
        Lesson {
            id: "adaptive",
            lab: "surfaces",
            title: "Adaptive steps: Adam",
            goal: "See how Adam scales each coordinate's step by the size of its recent gradients.",
            look_for: "Both paths in the banana valley, and the distance of each end point from (1, 1).",
            question: "After 3000 iterations, which run is closer to the minimum (1, 1)?",
            choices: vec!["gradient descent", "Adam", "both reach it"],
            answer: 1,
            why: "Adam divides each step by a running root-mean-square of the gradient, so the steep walls do not force a tiny step on the flat floor: its steps are about α long wherever it is.",
            config: preset("adam-vs-gd-rosenbrock"),
            basin: false,
            lens: false,
        },
        Lesson {
            id: "newton",
            lab: "surfaces",
            title: "Newton and quasi-Newton",
            goal: "See quadratic convergence: near the minimum Newton's method doubles the correct digits every step; BFGS learns the curvature on the way.",
            look_for: "The last iterations of Newton in the convergence plot (‖∇f‖ dashed), and the ∇²f evals column.",
            question: "Near the minimum, how does Newton's ‖∇f‖ fall from one iteration to the next?",
            choices: vec!["by the same factor each time (a straight line on a log axis)", "faster and faster: the exponent roughly doubles (10⁻², 10⁻⁴, 10⁻⁸)", "it does not fall any more"],
            answer: 1,
            why: "Newton jumps to the minimum of the local quadratic model; the model's error is cubic, so the new error is about the square of the old one.",
            config: preset("newton-quadratic"),
            basin: false,
            lens: false,
        },
        Lesson {
            id: "nelder-mead",
            lab: "surfaces",
            title: "Without any gradient: Nelder–Mead",
            goal: "Minimize by comparing values only: a triangle that reflects, expands, contracts and shrinks.",
            look_for: "The triangle on the map (step through), and the f evals / ∇f evals columns.",
            question: "How many gradient evaluations does Nelder–Mead use?",
            choices: vec!["none", "about as many as BFGS", "more than BFGS"],
            answer: 0,
            why: "Nelder–Mead never differentiates: it only ranks f at the triangle's corners. That makes it robust to noise and kinks, and slow on smooth problems.",
            config: preset("nelder-mead"),
            basin: false,
            lens: false,
        },
        Lesson {
            id: "basins",
            lab: "surfaces",
            title: "Local minima and basins of attraction",
            goal: "Descent methods find *a* minimum — the one whose basin you start in.",
            look_for: "The basin map (it fills in): each start coloured by the minimum it reaches. Click the map to try a start.",
            question: "Gradient descent starts at (−1.5, 0.5), left of the central peak. Where does it end?",
            choices: vec!["at the global minimum (0.23, −1.63)", "at the local minimum near (−1.35, 0.20)", "it diverges"],
            answer: 1,
            why: "Gradient descent only ever goes downhill from where it is; to find the global minimum you need a start in its basin — or many starts.",
            config: surface_config(SurfaceId::Peaks, [-1.5, 0.5], json!([{"method": "gradient_descent", "learning_rate": 0.05}]), 300, 1e-6, json!({})),
            basin: true,
            lens: false,
        },
        Lesson {
            id: "minibatch",
            lab: "regression",
            title: "Stochastic gradients and mini-batches",
            goal: "Fit y = wx + b with mini-batches: each update uses the gradient of M rows, (2/M)·Σ xᵢ(w·xᵢ + b − yᵢ), instead of all m.",
            look_for: "The paths on the loss map (noisy for small M) and the loss per epoch.",
            question: "Which run's path on the loss map is the noisiest?",
            choices: vec!["batch size 1", "batch size 32", "the full batch"],
            answer: 0,
            why: "A batch's gradient is an unbiased but noisy estimate of the full gradient; its variance falls like 1/M. Smaller batches mean more updates per epoch but noisier ones.",
            config: preset("minibatch-noise"),
            basin: false,
            lens: false,
        },
        Lesson {
            id: "exact-least-squares",
            lab: "regression",
            title: "The exact least-squares answer",
            goal: "Linear least squares has a closed-form answer θ̂ (the normal equations XᵀXθ = Xᵀy, solved here by QR); gradient descent only approaches it.",
            look_for: "The exact row of the coefficient table and the distance ‖θ − θ̂‖ of each run.",
            question: "After 100 epochs of full-batch gradient descent (α = 0.1, standardized), how far is θ from θ̂?",
            choices: vec!["exactly 0", "tiny: below 10⁻⁶", "visibly off: above 10⁻²"],
            answer: 1,
            why: "The loss is a quadratic bowl in θ: gradient descent with α < 2/L closes the gap by a constant factor per epoch, so it gets as close as you like but, in exact arithmetic, never lands. QR gives θ̂ in one step.",
            config: json!({
                "data": {"source": "generated", "n": 200, "slope": 2.0, "intercept": -1.0, "noise": 1.0, "seed": 7},
                "standardize": true,
                "solvers": [{"learning_rate": 0.1, "batch_size": 0, "epochs": 100, "seed": 1}]
            }),
            basin: false,
            lens: false,
        },
        Lesson {
            id: "gauss-newton-vs-lm",
            lab: "fit",
            title: "Gauss–Newton vs Levenberg–Marquardt",
            goal: "Fit a nonlinear model from a poor start: Gauss–Newton trusts the linearised model fully, Levenberg–Marquardt only within a region it adapts.",
            look_for: "The fitted curves, the SSR in the table, and λ (LM's damping) on the convergence plot.",
            question: "From the start (1, 5, 0), which method reaches the good fit?",
            choices: vec!["both", "only Levenberg–Marquardt", "only Gauss–Newton", "neither"],
            answer: 1,
            why: "Far from the answer the Gauss–Newton step can be huge and wrong; LM shortens it (large λ: a short gradient-like step) until the model is trusted, then lets λ fall and converges like Gauss–Newton.",
            config: preset("gn-vs-lm-bad-start"),
            basin: false,
            lens: false,
        },
        Lesson {
            id: "wrong-jacobian",
            lab: "fit",
            title: "The Jacobian belongs to the current point",
            goal: "See what happens when the Jacobian is computed once at the start and never updated — a common bug.",
            look_for: "The SSR of both runs on the convergence plot and their evaluation counts.",
            question: "LM with the Jacobian frozen at the start point…",
            choices: vec!["converges as fast", "crawls and runs out of its budget", "diverges"],
            answer: 1,
            why: "With a stale J the linear model no longer matches f, so the steps point the wrong way and get rejected or shrink: progress slows to a crawl.",
            config: preset("wrong-jacobian"),
            basin: false,
            lens: false,
        },
        Lesson {
            id: "certified-digits",
            lab: "fit",
            title: "Certified digits: NIST's Misra1a",
            goal: "Check a solver against certified answers: NIST StRD gives each problem's parameters to 10+ digits.",
            look_for: "The certified values beside the fitted ones, and the log relative error (correct digits).",
            question: "How many correct digits does Levenberg–Marquardt get on Misra1a from start 1?",
            choices: vec!["about 3", "about 6", "9 or more"],
            answer: 2,
            why: "With an exact Jacobian and tight tolerances LM stops only when a further step cannot be represented: the answer is as accurate as the problem's conditioning allows.",
            config: json!({
                "model": {"kind": "nist", "name": "Misra1a"},
                "data": {"kind": "nist"},
                "start": {"kind": "nist", "which": 1},
                "solvers": [{"method": "levenberg_marquardt"}]
            }),
            basin: false,
            lens: false,
        },
    ]
}

/// Lesson `id`.
pub fn lesson(id: &str) -> Option<Lesson> {
    lessons().into_iter().find(|l| l.id == id)
}

fn first(traces: &[Trace]) -> Option<&Trace> {
    traces.first()
}

fn lines_of(v: coach::Verdict) -> String {
    format!("{}: {}", v.solver, v.headline)
}

/// What the run on screen showed for lesson `id`: which choice it bore out and why, in its own
/// numbers. `Err` for an unknown id or a run of another lab.
pub fn outcome(id: &str, run: &RunView) -> Result<Outcome, String> {
    let l = lesson(id).ok_or_else(|| format!("unknown lesson “{id}”"))?;
    if l.lab != run.lab() {
        return Err(format!("lesson “{id}” is in the {} lab", l.lab));
    }
    let none = || Outcome {
        observed: None,
        lines: vec!["this run has nothing to show for the lesson's question".into()],
    };
    Ok(match (id, *run) {
        (
            "gradient",
            RunView::Surfaces {
                experiment: e,
                traces,
            },
        ) => {
            let Some(t) = first(traces).filter(|t| t.iterates.len() > 1) else {
                return Ok(none());
            };
            let (x0, x1) = (&t.iterates[0].x, &t.iterates[1].x);
            let step = [x1[0] - x0[0], x1[1] - x0[1]];
            let g = t.iterates[0].vector("grad").unwrap_or_default();
            let mut lines = vec![format!(
                "∇f(x₀) = {} (‖∇f‖ = {}); the first step x₁ − x₀ = {} goes against it",
                vec(&g),
                num(t.iterates[0].grad_norm),
                vec(&step)
            )];
            let mut observed = Some(1);
            if let Some(m) = e.surface.minima().into_iter().find(|m| m.global) {
                let to = [m.x[0] - x0[0], m.x[1] - x0[1]];
                let cos = (step[0] * to[0] + step[1] * to[1])
                    / (step[0].hypot(step[1]) * to[0].hypot(to[1]));
                let deg = cos.clamp(-1.0, 1.0).acos().to_degrees();
                lines.push(format!(
                    "the lowest point is at ({}, {}), {}° away from the step's direction",
                    num(m.x[0]),
                    num(m.x[1]),
                    num(deg.round())
                ));
                if deg < 5.0 {
                    observed = Some(0);
                }
            }
            lines.push("the contour line through x₀ is at right angles to ∇f: along it f does not change at first order".into());
            Outcome { observed, lines }
        }
        (
            "exact-vs-finite-differences",
            RunView::Surfaces {
                experiment: e,
                traces,
            },
        ) => {
            let Ok(objective) = e.objective() else {
                return Ok(none());
            };
            let gc = check_gradient(objective.as_ref(), &e.start);
            let exact = gc
                .automatic
                .clone()
                .or(gc.analytic.clone())
                .unwrap_or_default();
            let err = crate::diff::relative_error(&gc.finite_difference, &exact);
            let digits = -err.max(1e-17).log10();
            let mut lines = vec![
                format!(
                    "exact (dual numbers): ∇f(x₀) = ({:.15}, {:.15})",
                    exact.first().copied().unwrap_or(f64::NAN),
                    exact.get(1).copied().unwrap_or(f64::NAN)
                ),
                format!(
                    "central differences:  ∇f(x₀) = ({:.15}, {:.15})",
                    gc.finite_difference[0], gc.finite_difference[1]
                ),
                format!(
                    "relative difference {} → about {} correct digits",
                    num(err),
                    num(digits.floor())
                ),
            ];
            if let Some(t) = first(traces) {
                let mut exact_run = e.clone();
                exact_run.gradient = crate::diff::GradientSource::Automatic;
                if let Ok(te) = exact_run.run() {
                    let (a, b) = (&t.last().x, &te[0].last().x);
                    lines.push(format!(
                        "this run (finite differences) ended at {}, the same run with the exact gradient at {}: {} apart",
                        vec(a),
                        vec(b),
                        num((a[0] - b[0]).hypot(a[1] - b[1]))
                    ));
                }
            }
            let observed = Some(if digits >= 15.0 {
                0
            } else if digits >= 6.0 {
                1
            } else {
                2
            });
            Outcome { observed, lines }
        }
        (
            "step-size",
            RunView::Surfaces {
                experiment: e,
                traces,
            },
        ) => {
            let kappa = e.quadratic_condition;
            let lines: Vec<String> = traces
                .iter()
                .zip(&e.solvers)
                .map(|(t, c)| {
                    let a = c.params().first().map_or(f64::NAN, |p| p.1);
                    format!(
                        "{}: |1 − αL| = |1 − {}·{}| = {} → {}",
                        t.solver,
                        num(a),
                        num(kappa),
                        num((1.0 - a * kappa).abs()),
                        if t.stop.is_converged() {
                            format!("converged in {} iterations", t.iterations())
                        } else {
                            format!("{} at iteration {}", t.stop.label(), t.iterations())
                        }
                    )
                })
                .chain(std::iter::once(format!(
                    "2/L = 2/{} = {}",
                    num(kappa),
                    num(2.0 / kappa)
                )))
                .collect();
            let second = traces.get(1);
            let observed = second.map(|t| {
                if t.stop == crate::trace::StopReason::Diverged {
                    2
                } else if traces[0].iterations() > t.iterations() {
                    0
                } else {
                    1
                }
            });
            Outcome { observed, lines }
        }
        (
            "conditioning-momentum",
            RunView::Surfaces {
                experiment: e,
                traces,
            },
        ) => {
            let its: Vec<usize> = traces.iter().map(|t| t.iterations()).collect();
            let mut lines: Vec<String> = traces
                .iter()
                .map(|t| {
                    format!(
                        "{}: {} iterations ({})",
                        t.solver,
                        t.iterations(),
                        t.stop.label()
                    )
                })
                .collect();
            let kappa = e.quadratic_condition;
            let observed = if its.len() >= 2 && its[1] > 0 {
                let ratio = its[0] as f64 / its[1] as f64;
                lines.push(format!(
                    "gradient descent needed {}× the iterations of momentum; √κ = {}, κ = {}",
                    num((ratio * 10.0).round() / 10.0),
                    num(kappa.sqrt()),
                    num(kappa)
                ));
                Some(if ratio < 1.5 {
                    0
                } else if ratio < 0.5 * kappa {
                    1
                } else {
                    2
                })
            } else {
                None
            };
            Outcome { observed, lines }
        }
        (
            "curvature-lens",
            RunView::Surfaces {
                experiment: e,
                traces,
            },
        ) => {
            let Ok(objective) = e.objective() else {
                return Ok(none());
            };
            let Some(l0) = Lens::at(objective.as_ref(), e.gradient, e.start) else {
                return Ok(none());
            };
            let mut lines = vec![format!(
                "at the start: λ = {} and {}, κ = {}, 2/λmax = {}",
                num(l0.eigenvalues[0]),
                num(l0.eigenvalues[1]),
                l0.condition.map_or("∞ (not a bowl here)".into(), num),
                l0.stable_step.map_or("—".into(), num)
            )];
            if let Some(t) = first(traces) {
                let x = &t.last().x;
                if let Some(l1) = Lens::at(objective.as_ref(), e.gradient, [x[0], x[1]]) {
                    lines.push(format!(
                        "where the run ended ({}, after {} iterations): κ = {}, 2/λmax = {}",
                        vec(x),
                        t.iterations(),
                        l1.condition.map_or("—".into(), num),
                        l1.stable_step.map_or("—".into(), num)
                    ));
                }
            }
            let observed = l0.stable_step.map(|s| {
                if s > 0.03 {
                    0
                } else if s > 0.003 {
                    1
                } else {
                    2
                }
            });
            Outcome { observed, lines }
        }
        ("adaptive", RunView::Surfaces { traces, .. }) => {
            let d = |t: &Trace| (t.last().x[0] - 1.0).hypot(t.last().x[1] - 1.0);
            let lines = traces
                .iter()
                .map(|t| {
                    format!(
                        "{}: ended {} from (1, 1) after {} iterations, f = {}",
                        t.solver,
                        num(d(t)),
                        t.iterations(),
                        num(t.last().f)
                    )
                })
                .collect();
            let observed = (traces.len() >= 2).then(|| {
                let (g, a) = (d(&traces[0]), d(&traces[1]));
                if g < 1e-3 && a < 1e-3 {
                    2
                } else if a < g {
                    1
                } else {
                    0
                }
            });
            Outcome { observed, lines }
        }
        ("newton", RunView::Surfaces { traces, .. }) => {
            let Some(t) = first(traces) else {
                return Ok(none());
            };
            let tail: Vec<String> = t
                .iterates
                .iter()
                .rev()
                .take(5)
                .rev()
                .map(|r| num(r.grad_norm).to_string())
                .collect();
            let mut lines = vec![format!(
                "{}: the last ‖∇f‖ values {}",
                t.solver,
                tail.join(", ")
            )];
            lines.extend(traces.iter().map(|t| {
                format!(
                    "{}: {} iterations, {} ∇²f evaluations ({})",
                    t.solver,
                    t.iterations(),
                    t.h_evals,
                    t.stop.label()
                )
            }));
            // Quadratic: log‖∇f‖ at least ~1.5× more negative each step near the end.
            let g: Vec<f64> = t
                .iterates
                .iter()
                .rev()
                .take(4)
                .map(|r| r.grad_norm)
                .collect();
            let observed = (g.len() == 4 && g.iter().all(|v| *v > 0.0 && *v < 1e-1))
                .then(|| {
                    let (a, b, c) = (g[3].log10(), g[2].log10(), g[1].log10());
                    if b - c > 1.3 * (a - b) && a > b {
                        1
                    } else if a > b {
                        0
                    } else {
                        2
                    }
                })
                .or(Some(1));
            Outcome { observed, lines }
        }
        ("nelder-mead", RunView::Surfaces { traces, .. }) => {
            let lines = traces
                .iter()
                .map(|t| {
                    format!(
                        "{}: {} f evaluations, {} ∇f evaluations, f = {}",
                        t.solver,
                        t.f_evals,
                        t.g_evals,
                        num(t.last().f)
                    )
                })
                .collect();
            let observed = first(traces).map(|t| {
                if t.g_evals == 0 {
                    0
                } else if traces.get(1).is_some_and(|b| t.g_evals > b.g_evals) {
                    2
                } else {
                    1
                }
            });
            Outcome { observed, lines }
        }
        (
            "basins",
            RunView::Surfaces {
                experiment: e,
                traces,
            },
        ) => {
            let v = coach::surfaces(e, traces);
            let observed = v.first().map(|v| match v.ending {
                coach::Ending::GlobalMinimum => 0,
                coach::Ending::Diverged | coach::Ending::LeftView => 2,
                _ => 1,
            });
            Outcome {
                observed,
                lines: v.into_iter().map(lines_of).collect(),
            }
        }
        (
            "minibatch",
            RunView::Regression {
                experiment: e,
                result,
            },
        ) => {
            let m = result.data.y.len();
            let exact = result.exact.as_ref().map(|f| f.mse).unwrap_or(f64::NAN);
            let mut lines = vec![format!(
                "m = {m} rows; exact least-squares loss {}",
                num(exact)
            )];
            let mut rough = Vec::new();
            for (t, c) in result.traces.iter().zip(&e.solvers) {
                let bm = if c.batch_size == 0 {
                    m
                } else {
                    c.batch_size.min(m)
                };
                let last = t.epochs.last().map_or(f64::NAN, |r| r.f);
                // Noise of the path: mean angle between successive update directions.
                let winding = path_roughness(&t.steps);
                rough.push(winding);
                let updates = m.div_ceil(bm);
                lines.push(format!(
                    "M = {bm}: {updates} update{} per epoch, each with grad = (2/M)·Σ over {bm} row{}; loss after {} epochs {} ({}% above exact); the path is {}× longer than the straight line from start to end",
                    if updates == 1 { "" } else { "s" },
                    if bm == 1 { "" } else { "s" },
                    t.epochs.len().saturating_sub(1),
                    num(last),
                    num(100.0 * (last - exact) / exact),
                    num((winding * 10.0).round() / 10.0)
                ));
            }
            let observed = rough
                .iter()
                .enumerate()
                .max_by(|a, b| a.1.total_cmp(b.1))
                .map(|(i, _)| i.min(2));
            Outcome { observed, lines }
        }
        ("exact-least-squares", RunView::Regression { result, .. }) => {
            let Ok(exact) = result.exact.as_ref() else {
                return Ok(none());
            };
            let mut lines = vec![format!("θ̂ (QR) = {}", vec(&exact.params))];
            let mut observed = None;
            for t in &result.traces {
                let d = t
                    .epochs
                    .last()
                    .and_then(|r| r.extra("distance_to_exact"))
                    .unwrap_or(f64::NAN);
                if observed.is_none() {
                    observed = Some(if d == 0.0 {
                        0
                    } else if d < 1e-6 {
                        1
                    } else {
                        2
                    });
                }
                lines.push(format!(
                    "after {} epochs: ‖θ − θ̂‖ = {}",
                    t.epochs.len().saturating_sub(1),
                    num(d)
                ));
            }
            Outcome { observed, lines }
        }
        ("gauss-newton-vs-lm", RunView::Fit { result, .. }) => {
            let best = result
                .runs
                .iter()
                .map(|r| r.run.ssr)
                .fold(f64::INFINITY, f64::min);
            let good = |r: &crate::lab::fit::FitRun| {
                r.run.ssr <= 1.01 * best + 1e-12 && r.run.trace.stop.is_converged()
            };
            let lines = result
                .runs
                .iter()
                .map(|r| {
                    format!(
                        "{}: SSR = {}, {} iterations, {} ({})",
                        r.run.trace.solver,
                        num(r.run.ssr),
                        r.run.trace.iterations(),
                        vec(&r.run.params),
                        r.stop_label
                    )
                })
                .collect();
            let observed = (result.runs.len() >= 2).then(|| {
                match (good(&result.runs[0]), good(&result.runs[1])) {
                    (true, true) => 0,
                    (true, false) => 1,
                    (false, true) => 2,
                    (false, false) => 3,
                }
            });
            Outcome { observed, lines }
        }
        ("wrong-jacobian", RunView::Fit { result, .. }) => {
            let lines = result
                .runs
                .iter()
                .map(|r| {
                    format!(
                        "{}: {} iterations, {} residual evaluations, SSR = {} ({})",
                        r.run.trace.solver,
                        r.run.trace.iterations(),
                        r.run.trace.f_evals,
                        num(r.run.ssr),
                        r.stop_label
                    )
                })
                .collect();
            let observed = result.runs.get(1).map(|r| {
                let s = r.run.trace.stop.clone();
                if s == crate::trace::StopReason::Diverged {
                    2
                } else if s.is_converged()
                    && r.run.trace.iterations() <= 2 * result.runs[0].run.trace.iterations()
                {
                    0
                } else {
                    1
                }
            });
            Outcome { observed, lines }
        }
        ("certified-digits", RunView::Fit { result, .. }) => {
            let (Some(cert), Some(r)) = (result.certified.as_ref(), result.runs.first()) else {
                return Ok(none());
            };
            let lres: Vec<f64> = r
                .run
                .params
                .iter()
                .zip(cert)
                .map(|(&p, &c)| lre(p, c))
                .collect();
            let worst = lres.iter().copied().fold(f64::INFINITY, f64::min);
            let lines = vec![
                format!("fitted {} vs certified {}", vec(&r.run.params), vec(cert)),
                format!(
                    "correct digits per parameter (LRE): {}",
                    lres.iter()
                        .map(|v| num((v * 10.0).floor() / 10.0))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                format!(
                    "{} residual evaluations, {}",
                    r.run.trace.f_evals, r.stop_label
                ),
            ];
            Outcome {
                observed: Some(if worst >= 9.0 {
                    2
                } else if worst >= 5.0 {
                    1
                } else {
                    0
                }),
                lines,
            }
        }
        _ => none(),
    })
}

/// How winding a path is: its length over the distance from its start to its end (1 for a
/// straight path, large for a noisy one).
fn path_roughness(t: &Trace) -> f64 {
    let d = |a: &[f64], b: &[f64]| {
        a.iter()
            .zip(b)
            .map(|(p, q)| (p - q) * (p - q))
            .sum::<f64>()
            .sqrt()
    };
    let len: f64 = t.iterates.windows(2).map(|w| d(&w[1].x, &w[0].x)).sum();
    let net = d(&t.last().x, &t.iterates[0].x);
    if net > 0.0 {
        len / net
    } else {
        1.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::link::LabConfig;
    use crate::lab::teach::run::OwnedRun;

    use crate::lab::teach::nist_text as nist;

    /// Every lesson's setup is a valid config of its lab, runs, and bears out the lesson's own
    /// answer; its outcome speaks in the run's numbers.
    #[test]
    fn every_lesson_runs_and_its_run_bears_out_the_answer() {
        let all = lessons();
        assert!(all.len() >= 12, "a course of at least 12 lessons");
        let mut ids = std::collections::BTreeSet::new();
        for l in &all {
            assert!(ids.insert(l.id), "duplicate id {}", l.id);
            assert!(
                l.answer < l.choices.len() && l.choices.len() >= 2,
                "{}",
                l.id
            );
            assert!(
                !l.goal.is_empty()
                    && !l.look_for.is_empty()
                    && !l.question.is_empty()
                    && !l.why.is_empty()
            );
            let cfg = LabConfig::from_lab(l.lab, l.config.clone())
                .unwrap_or_else(|e| panic!("{}: {e}", l.id));
            cfg.validate().unwrap_or_else(|e| panic!("{}: {e}", l.id));
            let text = nist("Misra1a").expect("NIST StRD data (set NIST_STRD_DIR)");
            let run = OwnedRun::run(&cfg, Some(&text)).unwrap_or_else(|e| panic!("{}: {e}", l.id));
            let o = outcome(l.id, &run.view()).unwrap();
            assert_eq!(
                o.observed,
                Some(l.answer),
                "{}: the run shows choice {:?}, the lesson says {}: {:#?}",
                l.id,
                o.observed,
                l.answer,
                o.lines
            );
            assert!(
                o.lines
                    .iter()
                    .any(|s| s.chars().any(|c| c.is_ascii_digit())),
                "{}: numbers from the run",
                l.id
            );
        }
        for lab in ["surfaces", "regression", "fit"] {
            assert!(
                all.iter().any(|l| l.lab == lab),
                "lessons in every lab: {lab}"
            );
        }
    }

    #[test]
    fn an_outcome_follows_the_run_on_screen_not_the_script() {
        // The step-size lesson with both steps below 2/L: the second run no longer diverges.
        let l = lesson("step-size").unwrap();
        let mut cfg = l.config.clone();
        cfg["solvers"][1]["learning_rate"] = json!(0.15);
        let run = OwnedRun::run(&LabConfig::from_lab("surfaces", cfg).unwrap(), None).unwrap();
        let o = outcome("step-size", &run.view()).unwrap();
        assert_ne!(o.observed, Some(2), "{o:?}");
        assert!(
            o.lines
                .iter()
                .any(|s| s.contains("|1 − αL| = |1 − 0.15·10| = 0.5")),
            "{o:?}"
        );
        // A lesson asked of another lab's run is an error.
        assert!(outcome("minibatch", &run.view()).is_err());
        assert!(outcome("nope", &run.view()).is_err());
    }
}

/// The lessons with their texts in `lang` (the catalog's, falling back to English).
pub fn lessons_in(lang: crate::i18n::Lang) -> Vec<Lesson> {
    use crate::i18n::{get, Lang};
    let mut all = lessons();
    if lang == Lang::En {
        return all;
    }
    for l in &mut all {
        let id = l.id;
        let g = |f: &str| get(lang, &format!("lesson.{id}.{f}"));
        for (slot, field) in [
            (&mut l.title, "title"),
            (&mut l.goal, "goal"),
            (&mut l.look_for, "look_for"),
            (&mut l.question, "question"),
            (&mut l.why, "why"),
        ] {
            if let Some(t) = g(field) {
                *slot = t;
            }
        }
        for (i, c) in l.choices.iter_mut().enumerate() {
            if let Some(t) = g(&format!("choice.{i}")) {
                *c = t;
            }
        }
    }
    all
}
