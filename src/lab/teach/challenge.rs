//! Challenges: a goal checked by Rust on the run's result, with a verdict in numbers.
//!
//! A challenge is a starting setup (a lab config), a goal, and rules saying what is fixed and
//! what the learner may change. After each run the page asks [`check`] whether the goal is met;
//! a run that broke a rule is "not met" and says which rule. A challenge travels in a link
//! (`PageState::challenge`), so a teacher can send one.

use super::run::RunView;
use crate::lab::explain::{num, vec};
use crate::lab::surfaces::{Experiment, SolverConfig, SurfaceId};
use crate::problem::regression::nist::lre;
use crate::trace::Trace;
use serde::Serialize;
use serde_json::{json, Value};

/// One challenge.
#[derive(Clone, Debug, Serialize)]
pub struct Challenge {
    /// Stable id (links, progress).
    pub id: &'static str,
    /// `"surfaces"`, `"regression"` or `"fit"`.
    pub lab: &'static str,
    /// Menu title.
    pub title: &'static str,
    /// What to achieve.
    pub goal: &'static str,
    /// What is fixed and what you may change.
    pub rules: &'static str,
    /// A nudge, shown on request.
    pub hint: &'static str,
    /// The starting setup (does not meet the goal).
    pub config: Value,
}

/// Met or not, with the numbers.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChallengeVerdict {
    /// The goal is met.
    pub met: bool,
    /// One sentence.
    pub headline: String,
    /// The numbers behind it.
    pub lines: Vec<String>,
}

fn verdict(met: bool, headline: String, lines: Vec<String>) -> ChallengeVerdict {
    ChallengeVerdict {
        met,
        headline,
        lines,
    }
}

fn broken(rule: String) -> ChallengeVerdict {
    verdict(
        false,
        format!("not counted: {rule}"),
        vec!["restore the challenge's setup (open it again from the menu) and change only what the rules allow".into()],
    )
}

/// A surfaces config as JSON (the surface's own view box).
pub(crate) fn surface_config(
    surface: SurfaceId,
    start: [f64; 2],
    solvers: Value,
    max_iterations: usize,
    grad_tol: f64,
    extra: Value,
) -> Value {
    let mut v = json!({
        "surface": surface,
        "start": start,
        "solvers": solvers,
        "stop": {"max_iterations": max_iterations, "grad_tol": grad_tol},
        "view": {"view_box": surface.view(), "yaw": 0.6, "pitch": 0.45},
    });
    if let (Some(obj), Some(more)) = (v.as_object_mut(), extra.as_object()) {
        for (k, val) in more {
            obj.insert(k.clone(), val.clone());
        }
    }
    v
}

/// Every challenge, in menu order.
pub fn challenges() -> Vec<Challenge> {
    vec![
        Challenge {
            id: "peaks-in-8",
            lab: "surfaces",
            title: "The bottom of peaks in 8 steps",
            goal: "Reach f < −6.551 on peaks (the global minimum f* = −6.5511 to four digits) from (−0.2, −0.6) within 8 iterations of gradient descent.",
            rules: "Fixed: the surface, the start, the method (gradient descent, constant step). You choose: the learning rate α.",
            hint: "Too small an α crawls; too large jumps over the valley or off the map. The coach tells you which one happened.",
            config: surface_config(
                SurfaceId::Peaks,
                [-0.2, -0.6],
                json!([{"method": "gradient_descent", "learning_rate": 0.01}]),
                300,
                1e-6,
                json!({}),
            ),
        },
        Challenge {
            id: "largest-alpha",
            lab: "surfaces",
            title: "The largest step that still converges",
            goal: "Find (within 2.5 %) the largest learning rate α for which gradient descent still converges on ½(x² + 10y²).",
            rules: "Fixed: the surface (κ = 10), the start, gradient descent with a constant step. You choose: α (and max iterations, if a slow run needs more).",
            hint: "Turn on the curvature lens: it shows 2/λmax. What happens to the step along the steep direction when α·λmax passes 2?",
            config: surface_config(
                SurfaceId::Quadratic,
                [2.5, 1.5],
                json!([{"method": "gradient_descent", "learning_rate": 0.1}]),
                5000,
                1e-6,
                json!({"quadratic_condition": 10.0}),
            ),
        },
        Challenge {
            id: "heavy-ball-200",
            lab: "surfaces",
            title: "Heavy ball through a narrow valley",
            goal: "On ½(x² + 100y²) (κ = 100), get momentum to ‖∇f‖ < 10⁻⁶ within 200 iterations. Plain gradient descent needs about 900.",
            rules: "Fixed: the surface, the start, the method (heavy-ball momentum, constant step), the tolerance 10⁻⁶. You choose: α and β.",
            hint: "Theory for a quadratic with curvatures μ and L: α = 4/(√L + √μ)², β = ((√κ − 1)/(√κ + 1))². Here μ = 1 and L = 100.",
            config: surface_config(
                SurfaceId::Quadratic,
                [2.5, 1.0],
                json!([{"method": "momentum", "learning_rate": 0.01, "momentum": 0.5}]),
                1000,
                1e-6,
                json!({"quadratic_condition": 100.0}),
            ),
        },
        Challenge {
            id: "kappa-1000-in-10",
            lab: "surfaces",
            title: "κ = 1000 in ten iterations",
            goal: "On ½(x² + 1000y²), reach ‖∇f‖ < 10⁻⁶ within 10 iterations.",
            rules: "Fixed: the surface (κ = 1000), the start, the tolerance 10⁻⁶. You choose: the method(s) and their settings.",
            hint: "A fixed step must stay below 2/1000 and then needs thousands of steps along the flat direction. Which methods use curvature?",
            config: surface_config(
                SurfaceId::Quadratic,
                [2.5, 1.0],
                json!([{"method": "gradient_descent", "learning_rate": 0.0019}]),
                300,
                1e-6,
                json!({"quadratic_condition": 1000.0}),
            ),
        },
        Challenge {
            id: "momentum-beats-adam",
            lab: "surfaces",
            title: "Beat Adam on Rosenbrock",
            goal: "From (−1.2, 1), get heavy-ball momentum to f < 10⁻⁴ in fewer iterations than Adam (α = 0.05) needs.",
            rules: "Fixed: Rosenbrock, the start, Adam with α = 0.05 and default β₁, β₂ in the race. You choose: momentum's α and β (and max iterations).",
            hint: "Rosenbrock's valley floor is flat and its walls steep: the largest stable step is set by the walls. Momentum lets small steps add up along the floor.",
            config: surface_config(
                SurfaceId::Rosenbrock,
                [-1.2, 1.0],
                json!([{"method": "momentum", "learning_rate": 0.0001, "momentum": 0.5}, {"method": "adam", "learning_rate": 0.05}]),
                10000,
                1e-8,
                json!({}),
            ),
        },
        Challenge {
            id: "sgd-5-epochs",
            lab: "regression",
            title: "Mini-batch SGD in five epochs",
            goal: "With mini-batches of at most 32 rows, reach a loss within 1 % of the exact least-squares loss in at most 5 epochs.",
            rules: "Fixed: the data (200 points, seed 7), standardization. You choose: the learning rate α, the batch size M ≤ 32, the seed.",
            hint: "With M = 16 there are 13 updates per epoch. Each uses the gradient (2/M)·Σ over its batch; how big may α be before the noise or the overshoot wins?",
            config: json!({
                "data": {"source": "generated", "n": 200, "slope": 2.0, "intercept": -1.0, "noise": 1.0, "seed": 7},
                "standardize": true,
                "solvers": [{"learning_rate": 0.001, "batch_size": 16, "epochs": 5, "seed": 1}]
            }),
        },
        Challenge {
            id: "regression-6-digits",
            lab: "regression",
            title: "Six digits of the exact answer by gradient descent",
            goal: "Get full-batch gradient descent within ‖θ − θ̂‖ < 10⁻⁶ of the exact least-squares answer θ̂ in at most 100 epochs.",
            rules: "Fixed: the data (200 points, seed 7), full batch, at most 100 epochs. You choose: α, and whether the features are standardized.",
            hint: "The loss is a quadratic in θ: α must stay below 2/L, with L the largest eigenvalue of (2/m)·XᵀX — and standardization changes L.",
            config: json!({
                "data": {"source": "generated", "n": 200, "slope": 2.0, "intercept": -1.0, "noise": 1.0, "seed": 7},
                "standardize": true,
                "solvers": [{"learning_rate": 0.05, "batch_size": 0, "epochs": 100, "seed": 1}]
            }),
        },
        Challenge {
            id: "misra1a-6-digits",
            lab: "fit",
            title: "Misra1a to six certified digits",
            goal: "Fit NIST's Misra1a from its start 1 so that both parameters agree with the certified values to 6 significant digits (LRE ≥ 6).",
            rules: "Fixed: the model and data (Misra1a), start 1. You choose: the method, its settings, the Jacobian source.",
            hint: "The first solver's budget is tiny. Gauss–Newton or Levenberg–Marquardt, given enough evaluations, both get there; which needs fewer?",
            config: json!({
                "model": {"kind": "nist", "name": "Misra1a"},
                "data": {"kind": "nist"},
                "start": {"kind": "nist", "which": 1},
                "solvers": [{"method": "levenberg_marquardt", "max_evaluations": 6}]
            }),
        },
    ]
}

/// The challenge `id`.
pub fn challenge(id: &str) -> Option<Challenge> {
    challenges().into_iter().find(|c| c.id == id)
}

/// The first k at which `trace` had f < `below`.
fn first_below(trace: &Trace, below: f64) -> Option<usize> {
    trace.iterates.iter().find(|r| r.f < below).map(|r| r.k)
}

/// The first k at which `trace` had ‖∇f‖ < `tol`.
fn first_grad_below(trace: &Trace, tol: f64) -> Option<usize> {
    trace
        .iterates
        .iter()
        .find(|r| r.grad_norm < tol)
        .map(|r| r.k)
}

fn same_start(e: &Experiment, start: [f64; 2]) -> Result<(), ChallengeVerdict> {
    if e.start != start {
        return Err(broken(format!(
            "the start must be {}, not {}",
            vec(&start),
            vec(&e.start)
        )));
    }
    Ok(())
}

fn surface_is(e: &Experiment, s: SurfaceId, kappa: Option<f64>) -> Result<(), ChallengeVerdict> {
    if e.surface != s {
        return Err(broken(format!(
            "the surface must be {}, not {}",
            s.name(),
            e.surface.name()
        )));
    }
    if let Some(k) = kappa {
        if e.quadratic_condition != k {
            return Err(broken(format!(
                "κ must be {}, not {}",
                num(k),
                num(e.quadratic_condition)
            )));
        }
    }
    Ok(())
}

fn constant_schedule(e: &Experiment) -> Result<(), ChallengeVerdict> {
    if e.schedule != Default::default() {
        return Err(broken(
            "the learning rate must be constant (schedule: constant)".into(),
        ));
    }
    Ok(())
}

/// The data of regression challenge `id` as set up.
fn original_data(id: &str) -> crate::lab::regression::DataSource {
    challenge(id)
        .and_then(|c| {
            serde_json::from_value::<crate::lab::regression::RegressionExperiment>(c.config).ok()
        })
        .map(|e| e.data)
        .unwrap_or_default()
}

/// Is the goal of challenge `id` met by `run`? `Err` for an unknown id.
pub fn check(id: &str, run: &RunView) -> Result<ChallengeVerdict, String> {
    let c = challenge(id).ok_or_else(|| format!("unknown challenge “{id}”"))?;
    if c.lab != run.lab() {
        return Ok(broken(format!("this challenge is in the {} lab", c.lab)));
    }
    Ok(match check_rules(id, run) {
        Ok(v) | Err(v) => v,
    })
}

fn check_rules(id: &str, run: &RunView) -> Result<ChallengeVerdict, ChallengeVerdict> {
    match (id, *run) {
        (
            "peaks-in-8",
            RunView::Surfaces {
                experiment: e,
                traces,
            },
        ) => {
            surface_is(e, SurfaceId::Peaks, None)?;
            same_start(e, [-0.2, -0.6])?;
            constant_schedule(e)?;
            let (Some(SolverConfig::GradientDescent { learning_rate }), Some(t)) =
                (e.solvers.first(), traces.first())
            else {
                return Err(broken("the first solver must be gradient descent".into()));
            };
            let k = first_below(t, -6.551);
            let lowest = t.iterates.iter().map(|r| r.f).fold(f64::INFINITY, f64::min);
            Ok(match k {
                Some(k) if k <= 8 => verdict(
                    true,
                    format!("met: f < −6.551 at iteration {k} with α = {}", num(*learning_rate)),
                    vec![format!("f({k}) = {}", num(t.iterates[k].f))],
                ),
                Some(k) => verdict(
                    false,
                    format!("not met: f < −6.551 only at iteration {k} (needed ≤ 8) with α = {}", num(*learning_rate)),
                    vec!["a larger α moves faster — up to a point: past it, steps overshoot the valley and zig-zag".into()],
                ),
                None => verdict(
                    false,
                    format!("not met: f never went below −6.551 (lowest {}) with α = {}", num(lowest), num(*learning_rate)),
                    vec![format!("the run ended with: {}", t.stop.label())],
                ),
            })
        }
        (
            "largest-alpha",
            RunView::Surfaces {
                experiment: e,
                traces,
            },
        ) => {
            surface_is(e, SurfaceId::Quadratic, Some(10.0))?;
            same_start(e, [2.5, 1.5])?;
            constant_schedule(e)?;
            let (Some(SolverConfig::GradientDescent { learning_rate: a }), Some(t)) =
                (e.solvers.first(), traces.first())
            else {
                return Err(broken("the first solver must be gradient descent".into()));
            };
            let limit = 2.0 / 10.0;
            let converged = t.stop.is_converged();
            Ok(if converged && *a >= 0.975 * limit {
                verdict(
                    true,
                    format!("met: α = {} converges, within 2.5 % of the limit 2/L = 2/10 = 0.2", num(*a)),
                    vec![
                        format!("it took {} iterations: near the limit the steep direction shrinks by |1 − αL| = {} per step", t.iterations(), num((1.0 - a * 10.0).abs())),
                        "at α = 0.2 exactly the steep component flips sign forever; above it, it grows".into(),
                    ],
                )
            } else if converged {
                verdict(
                    false,
                    format!(
                        "not yet: α = {} converges — a larger α still would",
                        num(*a)
                    ),
                    vec![format!("{} iterations", t.iterations())],
                )
            } else {
                verdict(
                    false,
                    format!(
                        "not met: α = {} did not converge ({})",
                        num(*a),
                        t.stop.label()
                    ),
                    vec!["the largest stable α is smaller than this".into()],
                )
            })
        }
        (
            "heavy-ball-200",
            RunView::Surfaces {
                experiment: e,
                traces,
            },
        ) => {
            surface_is(e, SurfaceId::Quadratic, Some(100.0))?;
            same_start(e, [2.5, 1.0])?;
            constant_schedule(e)?;
            let (
                Some(SolverConfig::Momentum {
                    learning_rate: a,
                    momentum: b,
                }),
                Some(t),
            ) = (e.solvers.first(), traces.first())
            else {
                return Err(broken(
                    "the first solver must be heavy-ball momentum".into(),
                ));
            };
            let k = first_grad_below(t, 1e-6);
            let ab = format!("α = {}, β = {}", num(*a), num(*b));
            Ok(match k {
                Some(k) if k <= 200 => verdict(
                    true,
                    format!("met: ‖∇f‖ < 10⁻⁶ at iteration {k} with {ab}"),
                    vec![format!(
                        "the theory's best (α = 4/121 ≈ 0.0331, β = (9/11)² ≈ 0.669) shrinks the error by (√κ − 1)/(√κ + 1) = 9/11 per step: about {} iterations from this start",
                        num((100.03f64 / 1e-6).log10() / (11.0f64 / 9.0).log10()).split('.').next().unwrap_or("")
                    )],
                ),
                Some(k) => verdict(
                    false,
                    format!("not met: ‖∇f‖ < 10⁻⁶ only at iteration {k} (needed ≤ 200) with {ab}"),
                    vec![],
                ),
                None => verdict(
                    false,
                    format!("not met: ‖∇f‖ never fell below 10⁻⁶ with {ab} ({})", t.stop.label()),
                    vec![format!("final ‖∇f‖ = {}", num(t.last().grad_norm))],
                ),
            })
        }
        (
            "kappa-1000-in-10",
            RunView::Surfaces {
                experiment: e,
                traces,
            },
        ) => {
            surface_is(e, SurfaceId::Quadratic, Some(1000.0))?;
            same_start(e, [2.5, 1.0])?;
            if e.stop.grad_tol > 1e-6 {
                return Err(broken("the tolerance must stay at 10⁻⁶ or tighter".into()));
            }
            let best = traces
                .iter()
                .filter_map(|t| first_grad_below(t, 1e-6).map(|k| (k, &t.solver)))
                .min();
            let lines = traces
                .iter()
                .map(|t| match first_grad_below(t, 1e-6) {
                    Some(k) => format!("{}: ‖∇f‖ < 10⁻⁶ at iteration {k}", t.solver),
                    None => format!(
                        "{}: not within the run ({}; final ‖∇f‖ = {})",
                        t.solver,
                        t.stop.label(),
                        num(t.last().grad_norm)
                    ),
                })
                .collect();
            Ok(match best {
                Some((k, who)) if k <= 10 => {
                    verdict(true, format!("met: {who} in {k} iterations"), lines)
                }
                _ => verdict(
                    false,
                    "not met: no run reached ‖∇f‖ < 10⁻⁶ within 10 iterations".into(),
                    lines,
                ),
            })
        }
        (
            "momentum-beats-adam",
            RunView::Surfaces {
                experiment: e,
                traces,
            },
        ) => {
            surface_is(e, SurfaceId::Rosenbrock, None)?;
            same_start(e, [-1.2, 1.0])?;
            constant_schedule(e)?;
            let adam = e.solvers.iter().position(|s| {
                matches!(s, SolverConfig::Adam { learning_rate, beta1, beta2, .. }
                    if *learning_rate == 0.05 && *beta1 == 0.9 && *beta2 == 0.999)
            });
            let mom = e
                .solvers
                .iter()
                .position(|s| matches!(s, SolverConfig::Momentum { .. }));
            let (Some(ia), Some(im)) = (adam, mom) else {
                return Err(broken("the race must hold heavy-ball momentum and Adam with α = 0.05 (β₁ = 0.9, β₂ = 0.999)".into()));
            };
            let (ka, km) = (
                first_below(&traces[ia], 1e-4),
                first_below(&traces[im], 1e-4),
            );
            let show = |k: Option<usize>| {
                k.map_or("never (within the run)".to_string(), |k| {
                    format!("at iteration {k}")
                })
            };
            let lines = vec![
                format!("momentum: f < 10⁻⁴ {}", show(km)),
                format!("Adam: f < 10⁻⁴ {}", show(ka)),
            ];
            Ok(match (km, ka) {
                (Some(m), Some(a)) if m < a => verdict(
                    true,
                    format!("met: momentum {m} vs Adam {a} iterations"),
                    lines,
                ),
                (Some(m), None) => verdict(
                    true,
                    format!("met: momentum in {m}; Adam did not get there within the run"),
                    lines,
                ),
                _ => verdict(
                    false,
                    "not met: momentum was not faster than Adam to f < 10⁻⁴".into(),
                    lines,
                ),
            })
        }
        (
            "sgd-5-epochs",
            RunView::Regression {
                experiment: e,
                result,
            },
        ) => {
            if e.data != original_data(id) || !e.standardize || e.polynomial_degree != 1 {
                return Err(broken(
                    "the data (200 points, seed 7), degree 1 and standardization are fixed".into(),
                ));
            }
            let Some(s) = e.solvers.first() else {
                return Err(broken("one solver is needed".into()));
            };
            if s.batch_size == 0 || s.batch_size > 32 || s.epochs > 5 {
                return Err(broken(format!(
                    "the batch size must be 1…32 (is {}) and epochs ≤ 5 (is {})",
                    if s.batch_size == 0 {
                        "the full batch".to_string()
                    } else {
                        s.batch_size.to_string()
                    },
                    s.epochs
                )));
            }
            let exact = result.exact.as_ref().map_err(|m| broken(m.clone()))?.mse;
            let t = &result.traces[0];
            let last = t.epochs.last().map_or(f64::NAN, |r| r.f);
            let gap = (last - exact) / exact;
            let lines = vec![format!(
                "loss after {} epochs: {} vs the exact least-squares loss {} ({}% above)",
                t.epochs.len().saturating_sub(1),
                num(last),
                num(exact),
                num(100.0 * gap)
            )];
            Ok(if gap.is_finite() && gap <= 0.01 {
                verdict(
                    true,
                    format!(
                        "met with α = {}, M = {}",
                        num(s.learning_rate),
                        s.batch_size
                    ),
                    lines,
                )
            } else {
                verdict(
                    false,
                    format!(
                        "not met with α = {}, M = {}",
                        num(s.learning_rate),
                        s.batch_size
                    ),
                    lines,
                )
            })
        }
        (
            "regression-6-digits",
            RunView::Regression {
                experiment: e,
                result,
            },
        ) => {
            if e.data != original_data(id) || e.polynomial_degree != 1 {
                return Err(broken(
                    "the data (200 points, seed 7) and degree 1 are fixed".into(),
                ));
            }
            let Some(s) = e.solvers.first() else {
                return Err(broken("one solver is needed".into()));
            };
            if s.batch_size != 0 || s.epochs > 100 {
                return Err(broken(
                    "full batch (batch size 0 = all rows) and at most 100 epochs".into(),
                ));
            }
            let t = &result.traces[0];
            let d = t
                .epochs
                .last()
                .and_then(|r| r.extra("distance_to_exact"))
                .unwrap_or(f64::NAN);
            let lines = vec![format!(
                "‖θ − θ̂‖ = {} after {} epochs",
                num(d),
                t.epochs.len().saturating_sub(1)
            )];
            Ok(if d < 1e-6 {
                verdict(
                    true,
                    format!(
                        "met with α = {}{}",
                        num(s.learning_rate),
                        if e.standardize { ", standardized" } else { "" }
                    ),
                    lines,
                )
            } else {
                verdict(
                    false,
                    format!("not met with α = {}", num(s.learning_rate)),
                    lines,
                )
            })
        }
        (
            "misra1a-6-digits",
            RunView::Fit {
                experiment: e,
                result,
            },
        ) => {
            let is_misra =
                matches!(&e.model, crate::lab::fit::FitModel::Nist { name } if name == "Misra1a");
            if !is_misra || e.start != (crate::lab::fit::FitStart::Nist { which: 1 }) {
                return Err(broken("the model must be NIST Misra1a from start 1".into()));
            }
            let Some(cert) = result.certified.as_ref() else {
                return Err(broken("the certified values were not loaded".into()));
            };
            let Some(r) = result.runs.first() else {
                return Err(broken("one solver is needed".into()));
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
                format!(
                    "parameters {} vs certified {}",
                    vec(&r.run.params),
                    vec(cert)
                ),
                format!(
                    "correct digits (LRE) {}; {} residual evaluations",
                    lres.iter()
                        .map(|v| num((v * 10.0).floor() / 10.0))
                        .collect::<Vec<_>>()
                        .join(", "),
                    r.run.trace.f_evals
                ),
            ];
            Ok(if worst >= 6.0 {
                verdict(
                    true,
                    format!(
                        "met: at least {} correct digits in every parameter",
                        num((worst * 10.0).floor() / 10.0)
                    ),
                    lines,
                )
            } else {
                verdict(
                    false,
                    format!(
                        "not met: only {} correct digits in the worst parameter ({})",
                        num((worst.max(0.0) * 10.0).floor() / 10.0),
                        r.stop_label
                    ),
                    lines,
                )
            })
        }
        _ => Err(broken("this run is not of the challenge's lab".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::link::LabConfig;
    use crate::lab::teach::run::OwnedRun;

    use crate::lab::teach::nist_text as nist;

    fn config(c: &Challenge, edit: impl FnOnce(&mut Value)) -> LabConfig {
        let mut v = c.config.clone();
        edit(&mut v);
        LabConfig::from_lab(c.lab, v).unwrap()
    }

    fn judge(id: &str, edit: impl FnOnce(&mut Value)) -> ChallengeVerdict {
        let c = challenge(id).unwrap();
        let cfg = config(&c, edit);
        let text = nist("Misra1a");
        let run = OwnedRun::run(&cfg, text.as_deref()).unwrap();
        check(id, &run.view()).unwrap()
    }

    /// For every challenge: its starting setup does not meet the goal, a solution does, and a
    /// run that breaks a rule is not counted.
    #[test]
    fn every_challenge_is_not_met_at_the_start_and_met_by_a_solution() {
        let solutions: Vec<(&str, Box<dyn Fn(&mut Value)>)> = vec![
            (
                "peaks-in-8",
                Box::new(|v| v["solvers"][0]["learning_rate"] = json!(0.05)),
            ),
            (
                "largest-alpha",
                Box::new(|v| v["solvers"][0]["learning_rate"] = json!(0.199)),
            ),
            (
                "heavy-ball-200",
                Box::new(|v| {
                    v["solvers"][0] =
                        json!({"method": "momentum", "learning_rate": 0.0331, "momentum": 0.669})
                }),
            ),
            (
                "kappa-1000-in-10",
                Box::new(|v| v["solvers"] = json!([{"method": "newton"}])),
            ),
            (
                "momentum-beats-adam",
                Box::new(|v| {
                    v["solvers"][0] =
                        json!({"method": "momentum", "learning_rate": 0.0015, "momentum": 0.9})
                }),
            ),
            (
                "sgd-5-epochs",
                Box::new(|v| v["solvers"][0]["learning_rate"] = json!(0.05)),
            ),
            (
                "regression-6-digits",
                Box::new(|v| v["solvers"][0]["learning_rate"] = json!(0.5)),
            ),
            (
                "misra1a-6-digits",
                Box::new(|v| v["solvers"][0] = json!({"method": "levenberg_marquardt"})),
            ),
        ];
        assert_eq!(solutions.len(), challenges().len());
        for (id, solve) in solutions {
            if id == "misra1a-6-digits" && nist("Misra1a").is_none() {
                panic!("NIST StRD data not found: set NIST_STRD_DIR");
            }
            let start = judge(id, |_| {});
            assert!(
                !start.met,
                "{id}: the starting setup already meets the goal: {start:?}"
            );
            assert!(
                !start.headline.starts_with("not counted"),
                "{id}: {start:?}"
            );
            let solved = judge(id, |v| solve(v));
            assert!(
                solved.met,
                "{id}: the solution does not meet the goal: {solved:?}"
            );
        }
    }

    #[test]
    fn verdicts_say_what_happened_with_the_numbers() {
        // Too large an α on the quadratic: diverged, not met.
        let v = judge("largest-alpha", |v| {
            v["solvers"][0]["learning_rate"] = json!(0.21)
        });
        assert!(
            !v.met && v.headline.contains("α = 0.21 did not converge"),
            "{v:?}"
        );
        // Converging but far from the limit: "not yet".
        let v = judge("largest-alpha", |v| {
            v["solvers"][0]["learning_rate"] = json!(0.15)
        });
        assert!(!v.met && v.headline.contains("not yet"), "{v:?}");
        // The start moved: not counted, and says which rule.
        let v = judge("peaks-in-8", |v| v["start"] = json!([0.2, -1.5]));
        assert!(
            !v.met && v.headline.contains("the start must be (−0.2, −0.6)"),
            "{v:?}"
        );
        // The peaks challenge names the iteration.
        let v = judge("peaks-in-8", |v| {
            v["solvers"][0]["learning_rate"] = json!(0.05)
        });
        assert!(
            v.headline.starts_with("met: f < −6.551 at iteration 6"),
            "{v:?}"
        );
        // A challenge asked of another lab's run.
        let run = OwnedRun::run(&LabConfig::Surfaces(Experiment::default()), None).unwrap();
        assert!(!check("sgd-5-epochs", &run.view()).unwrap().met);
        assert!(check("no-such", &run.view()).is_err());
    }
}

/// The challenges with their texts in `lang` (the catalog's, falling back to English).
pub fn challenges_in(lang: crate::i18n::Lang) -> Vec<Challenge> {
    use crate::i18n::{get, Lang};
    let mut all = challenges();
    if lang == Lang::En {
        return all;
    }
    for c in &mut all {
        let id = c.id;
        for (slot, field) in [
            (&mut c.title, "title"),
            (&mut c.goal, "goal"),
            (&mut c.rules, "rules"),
            (&mut c.hint, "hint"),
        ] {
            if let Some(t) = get(lang, &format!("challenge.{id}.{field}")) {
                *slot = t;
            }
        }
    }
    all
}
