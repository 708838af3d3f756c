//! The coach: every run ends with a verdict in plain words, read from its trace.
//!
//! Converged (and where: a known minimum, a saddle, a plateau), ran out of budget (with the rate
//! it was going at and how much more it would need), stalled, or diverged (with the cause and a
//! concrete fix computed from the run: the step size against 2/L, the curvature along the way).

use super::lens::{Curvature, Lens};
use crate::diff::GradientSource;
use crate::lab::explain::{num, vec};
use crate::lab::surfaces::{Experiment, SolverConfig};
use crate::problem::Objective;
use crate::trace::{StopReason, Trace};
use serde::Serialize;

/// What kind of ending it was.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Ending {
    /// At the global minimum the surface is known to have.
    GlobalMinimum,
    /// At a known local (not global) minimum.
    LocalMinimum,
    /// Converged at a minimum the surface's list does not name (typed formulas, other labs).
    Converged,
    /// ‖∇f‖ is small at a saddle point.
    Saddle,
    /// ‖∇f‖ is small because the surface is flat, far from any minimum.
    Plateau,
    /// The run ended outside the map's view.
    LeftView,
    /// The iteration or evaluation budget ran out.
    OutOfBudget,
    /// Tiny steps while the gradient is still large, or no downhill step found.
    Stalled,
    /// Blew up.
    Diverged,
    /// f is not defined at the start.
    Undefined,
}

impl Ending {
    /// A good ending (shown green on the page).
    pub fn is_success(&self) -> bool {
        matches!(
            self,
            Ending::GlobalMinimum | Ending::LocalMinimum | Ending::Converged
        )
    }
}

/// The coach's verdict on one run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Verdict {
    /// Which solver.
    pub solver: String,
    /// The kind of ending.
    pub ending: Ending,
    /// One sentence.
    pub headline: String,
    /// Why, and what to try, with the run's numbers.
    pub advice: Vec<String>,
}

/// The fixed step α and the momentum β of a solver whose stability has a closed form on a
/// quadratic: the largest stable α·λmax is 2 (GD), 2(1 + β) (heavy ball), (2 + 2β)/(1 + 2β)
/// (Nesterov). `None` for the other methods.
fn fixed_step(config: &SolverConfig) -> Option<(f64, f64, &'static str)> {
    match *config {
        SolverConfig::GradientDescent { learning_rate } => Some((learning_rate, 2.0, "2/L")),
        SolverConfig::Momentum {
            learning_rate,
            momentum,
        } => Some((learning_rate, 2.0 * (1.0 + momentum), "2(1 + β)/L")),
        SolverConfig::Nesterov {
            learning_rate,
            momentum,
        } => Some((
            learning_rate,
            (2.0 + 2.0 * momentum) / (1.0 + 2.0 * momentum),
            "(2 + 2β)/((1 + 2β)L)",
        )),
        _ => None,
    }
}

fn is_adaptive(config: &SolverConfig) -> bool {
    matches!(
        config,
        SolverConfig::Adagrad { .. } | SolverConfig::Rmsprop { .. } | SolverConfig::Adam { .. }
    )
}

/// Slope of log₁₀ y against k over the last half of the records (least squares), in decades per
/// iteration, with the number of iterations it spans; `None` when fewer than 6 usable points.
pub fn decay_rate(points: &[(f64, f64)]) -> Option<(f64, f64)> {
    let pts: Vec<(f64, f64)> = points
        .iter()
        .filter(|(_, y)| y.is_finite() && *y > 0.0)
        .map(|&(k, y)| (k, y.log10()))
        .collect();
    let tail = &pts[pts.len() / 2..];
    if tail.len() < 6 {
        return None;
    }
    let n = tail.len() as f64;
    let mk = tail.iter().map(|p| p.0).sum::<f64>() / n;
    let my = tail.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = tail.iter().map(|p| (p.0 - mk) * (p.0 - mk)).sum();
    let sxy: f64 = tail.iter().map(|p| (p.0 - mk) * (p.1 - my)).sum();
    (sxx > 0.0).then(|| (sxy / sxx, tail[tail.len() - 1].0 - tail[0].0))
}

/// Rounds a suggested step down to two significant digits (a number a person would type).
pub fn round_down(v: f64) -> f64 {
    if !(v.is_finite() && v > 0.0) {
        return v;
    }
    let p = 10f64.powf(v.log10().floor() - 1.0);
    (v / p).floor() * p
}

fn out_of_view(e: &Experiment, x: &[f64]) -> bool {
    let v = e.view.view_box;
    x.len() < 2 || !(v.x_min..=v.x_max).contains(&x[0]) || !(v.y_min..=v.y_max).contains(&x[1])
}

/// A plateau: the curvature at `x` is below 10⁻⁴ of the curvature where the run started (or
/// numerically zero).
fn is_flat(objective: &dyn Objective, source: GradientSource, x: &[f64], start: &[f64]) -> bool {
    let size = |l: &Lens| l.eigenvalues[0].abs().max(l.eigenvalues[1].abs());
    match lens_at(objective, source, x) {
        Some(l) if l.curvature == Curvature::Flat => true,
        Some(l) => {
            let reference = lens_at(objective, source, start).map_or(1.0, |s| size(&s).max(1e-12));
            size(&l) < 1e-4 * reference
        }
        None => false,
    }
}

fn lens_at(objective: &dyn Objective, source: GradientSource, x: &[f64]) -> Option<Lens> {
    (x.len() == 2 && x.iter().all(|v| v.is_finite()))
        .then(|| Lens::at(objective, source, [x[0], x[1]]))
        .flatten()
}

/// The coach's verdict on one surfaces run (`objective` is the experiment's, `config` the
/// solver's).
pub fn surface_verdict(
    e: &Experiment,
    objective: &dyn Objective,
    config: &SolverConfig,
    trace: &Trace,
) -> Verdict {
    let last = trace.last();
    let k = trace.iterations();
    let source = e.gradient;
    let verdict = |ending, headline: String, advice: Vec<String>| Verdict {
        solver: trace.solver.clone(),
        ending,
        headline,
        advice,
    };
    let minima = e.surface.minima();
    let global = minima
        .iter()
        .filter(|m| m.global)
        .map(|m| m.f)
        .fold(f64::INFINITY, f64::min);
    let view = e.view.view_box;
    let near_tol = 0.01 * (view.x_max - view.x_min).hypot(view.y_max - view.y_min);
    match trace.stop {
        StopReason::UndefinedAtStart => verdict(
            Ending::Undefined,
            format!("f is not defined at the start {}: nothing ran", vec(&e.start)),
            vec!["Click the map (or type a start) inside the function's domain.".into()],
        ),
        StopReason::Diverged => diverged(e, objective, config, trace, verdict),
        StopReason::MaxIterations | StopReason::MaxEvaluations => {
            let what = if trace.stop == StopReason::MaxIterations {
                format!("ran out of iterations (k = {k})")
            } else {
                format!("ran out of evaluations ({} f, {} ∇f)", trace.f_evals, trace.g_evals)
            };
            let mut advice = Vec::new();
            let g_pts: Vec<(f64, f64)> =
                trace.iterates.iter().map(|r| (r.k as f64, r.grad_norm)).collect();
            let tol = e.stop.grad_tol;
            match decay_rate(&g_pts) {
                Some((slope, span)) if slope < -1e-9 => {
                    let per_decade = -1.0 / slope;
                    let mut s = format!(
                        "‖∇f‖ = {} and falling: over the last {} iterations it fell 10× every ~{} iterations",
                        num(last.grad_norm),
                        num(span),
                        num(per_decade.round().max(1.0)),
                    );
                    if tol > 0.0 && last.grad_norm > tol {
                        let more = (last.grad_norm / tol).log10() * per_decade;
                        s.push_str(&format!(
                            "; about {} more to reach the tolerance {} — raise max iterations",
                            num(more.ceil()),
                            num(tol)
                        ));
                    }
                    advice.push(s);
                }
                Some(_) => advice.push(format!(
                    "‖∇f‖ = {} is not falling any more: the run oscillates or creeps",
                    num(last.grad_norm)
                )),
                None => {}
            }
            // Why slow: a fixed step against the curvature where the run is.
            if let (Some((alpha, _, _)), Some(lens)) =
                (fixed_step(config), lens_at(objective, source, &last.x))
            {
                if lens.curvature == Curvature::PositiveDefinite {
                    let [l1, l2] = lens.eigenvalues;
                    advice.push(format!(
                        "here κ = {}: a fixed α must stay below 2/λmax = {} for the steep direction, and then each step removes only α·λmin ≈ {}% of the gap along the flat one. Momentum, a line search or (L-)BFGS/Newton handle this",
                        num(l2 / l1),
                        num(2.0 / l2),
                        num((100.0 * alpha * l1).min(100.0))
                    ));
                }
            }
            if is_adaptive(config) && last.step > 0.0 && last.grad_norm < 1e-3 {
                advice.push(format!(
                    "an adaptive method with a fixed α keeps taking steps of about α (the last was {}): it hovers around the minimum; lower α or use a decay schedule",
                    num(last.step)
                ));
            }
            verdict(
                Ending::OutOfBudget,
                format!("{what} before converging; f = {}", num(last.f)),
                advice,
            )
        }
        StopReason::LineSearchFailed => verdict(
            Ending::Stalled,
            format!(
                "stalled at {}: the line search found no downhill step while ‖∇f‖ = {}",
                vec(&last.x),
                num(last.grad_norm)
            ),
            vec![if source == GradientSource::FiniteDifference {
                "the finite-difference gradient may be too inaccurate here; try the analytic or automatic gradient".into()
            } else {
                "f may not be smooth here (a kink or a cusp), or the gradient does not match f".into()
            }],
        ),
        StopReason::Stagnation if last.grad_norm > 1e-3_f64.max(100.0 * e.stop.grad_tol) => {
            verdict(
                Ending::Stalled,
                format!(
                    "stalled: the last steps were {} long while ‖∇f‖ = {} is far from zero",
                    num(last.step),
                    num(last.grad_norm)
                ),
                vec![match fixed_step(config) {
                    Some((alpha, _, _)) => format!(
                        "the step α = {} (after the schedule) is too small to make progress; raise α or drop the decay",
                        num(alpha)
                    ),
                    None => "the method cannot find a decrease from here; try another method or start".into(),
                }],
            )
        }
        _ => {
            // A converged stop (or stagnation/precision at a small gradient): where did it end?
            if out_of_view(e, &last.x) {
                let flat = is_flat(objective, source, &last.x, &e.start);
                let mut advice = vec![format!(
                    "ended at {} with f = {}, outside the view; the map cannot show it",
                    vec(&last.x),
                    num(last.f)
                )];
                if flat {
                    advice.push(format!(
                        "‖∇f‖ = {} is small because the surface is flat out there, not because it is a minimum (a plateau)",
                        num(last.grad_norm)
                    ));
                }
                if let Some((alpha, _, _)) = fixed_step(config) {
                    if let Some(first) = trace.iterates.get(1) {
                        advice.push(format!(
                            "the first step already jumped {} (α = {} times ‖∇f(x₀)‖ = {}); a smaller α stays on the map",
                            num(first.step),
                            num(alpha),
                            num(trace.iterates[0].grad_norm)
                        ));
                    }
                }
                return verdict(
                    Ending::LeftView,
                    format!("left the map: {}", trace.stop.label()),
                    advice,
                );
            }
            if let Some(m) = minima.iter().find(|m| {
                (m.x[0] - last.x[0]).hypot(m.x[1] - last.x[1]) <= near_tol
            }) {
                let at = format!("({}, {})", num(m.x[0]), num(m.x[1]));
                return if m.global || m.f <= global {
                    verdict(
                        Ending::GlobalMinimum,
                        format!(
                            "converged to the global minimum f* = {} at {} (× on the map) in {k} iterations",
                            num(m.f),
                            at
                        ),
                        vec![format!(
                            "final f − f* = {}, ‖∇f‖ = {}",
                            num(last.f - m.f),
                            num(last.grad_norm)
                        )],
                    )
                } else {
                    let best = minima.iter().find(|m| m.global);
                    verdict(
                        Ending::LocalMinimum,
                        format!(
                            "converged to a local minimum at {at}, f = {} — not the global one",
                            num(m.f)
                        ),
                        vec![match best {
                            Some(b) => format!(
                                "the global minimum is f* = {} at ({}, {}): try another start (the basin map shows which starts reach it)",
                                num(b.f),
                                num(b.x[0]),
                                num(b.x[1])
                            ),
                            None => "try another start".into(),
                        }],
                    )
                };
            }
            let flat = is_flat(objective, source, &last.x, &e.start);
            match lens_at(objective, source, &last.x) {
                Some(l) if flat => {
                    verdict(
                        Ending::Plateau,
                        format!(
                            "stopped on a plateau at {}: {}",
                            vec(&last.x),
                            trace.stop.label()
                        ),
                        vec![format!(
                            "‖∇f‖ = {} is small because the surface is flat here (curvatures {} and {}), not because this is a minimum{}",
                            num(last.grad_norm),
                            num(l.eigenvalues[0]),
                            num(l.eigenvalues[1]),
                            if global.is_finite() {
                                format!("; the global minimum has f* = {}", num(global))
                            } else {
                                String::new()
                            }
                        )],
                    )
                }
                Some(l) if l.curvature == Curvature::Indefinite => verdict(
                    Ending::Saddle,
                    format!("stopped at a saddle point {} (f = {})", vec(&last.x), num(last.f)),
                    vec![format!(
                        "the Hessian has eigenvalues {} < 0 < {}: f still falls along {}; a start off the symmetry line, or Newton with its shifted step, leaves it",
                        num(l.eigenvalues[0]),
                        num(l.eigenvalues[1]),
                        vec(&l.eigenvectors[0])
                    )],
                ),
                _ => verdict(
                    Ending::Converged,
                    format!(
                        "converged in {k} iterations to {} with f = {}",
                        vec(&last.x),
                        num(last.f)
                    ),
                    vec![format!(
                        "{}; ‖∇f‖ = {}",
                        trace.stop.label(),
                        num(last.grad_norm)
                    )],
                ),
            }
        }
    }
}

fn diverged(
    e: &Experiment,
    objective: &dyn Objective,
    config: &SolverConfig,
    trace: &Trace,
    verdict: impl Fn(Ending, String, Vec<String>) -> Verdict,
) -> Verdict {
    let k = trace.iterations();
    let finite: Vec<_> = trace
        .iterates
        .iter()
        .filter(|r| r.f.is_finite() && r.x.iter().all(|v| v.is_finite()))
        .collect();
    let last_ok = finite.last().copied().unwrap_or(&trace.iterates[0]);
    let headline = format!(
        "diverged at iteration {k}: {} after x = {}, f = {}",
        if trace.last().f.is_finite() {
            "|x| grew past the divergence bound"
        } else {
            "f became infinite or undefined"
        },
        vec(&last_ok.x),
        num(last_ok.f)
    );
    let mut advice = Vec::new();
    if let Some((alpha, limit, rule)) = fixed_step(config) {
        // The curvature at the start, then along the way until the step stopped being stable.
        let mut found = false;
        for r in finite.iter().take(200) {
            if let Some(l) = lens_at(objective, e.gradient, &r.x) {
                let lmax = l.eigenvalues[1];
                if lmax > 0.0 && alpha * lmax >= limit {
                    let safe = round_down(0.9 * limit / lmax);
                    advice.push(if r.k == 0 {
                        format!(
                            "α = {} > {rule} ≈ {} at the start (L = λmax of the Hessian = {}): every step overshoots along {} and grows; try α ≤ {}",
                            num(alpha),
                            num(limit / lmax),
                            num(lmax),
                            vec(&l.eigenvectors[1]),
                            num(safe)
                        )
                    } else {
                        format!(
                            "at iteration {} (x = {}) the curvature reached L = {}, so α = {} > {rule} ≈ {} there: the steps started to overshoot and grow; try α ≤ {}",
                            r.k,
                            vec(&r.x),
                            num(lmax),
                            num(alpha),
                            num(limit / lmax),
                            num(safe)
                        )
                    });
                    found = true;
                    break;
                }
            }
        }
        if !found {
            advice.push(format!(
                "α = {} is within {rule} wherever the run was, so the surface itself falls away: f has no lower bound in that direction (x ran off to {})",
                num(alpha),
                vec(&last_ok.x)
            ));
        }
    } else if is_adaptive(config) {
        advice.push("an adaptive method steps about α per coordinate whatever the gradient's size: if f falls away without bound (no minimum in that direction) it follows it off the map; lower α or start elsewhere".into());
    } else {
        advice.push(format!(
            "the iterates ran off to {}: f decreases without bound in that direction, or the step (line search/Hessian) was unreliable there",
            vec(&last_ok.x)
        ));
    }
    verdict(Ending::Diverged, headline, advice)
}

/// The coach's verdicts for every run of a surfaces experiment.
pub fn surfaces(e: &Experiment, traces: &[Trace]) -> Vec<Verdict> {
    let Ok(objective) = e.objective() else {
        return Vec::new();
    };
    traces
        .iter()
        .zip(&e.solvers)
        .map(|(t, c)| surface_verdict(e, objective.as_ref(), c, t))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::surfaces::SurfaceId;

    fn run(e: &Experiment) -> Vec<Verdict> {
        let traces = e.run().unwrap();
        surfaces(e, &traces)
    }

    fn gd(alpha: f64) -> Vec<SolverConfig> {
        vec![SolverConfig::GradientDescent {
            learning_rate: alpha,
        }]
    }

    #[test]
    fn the_default_run_reaches_peaks_global_minimum() {
        let v = run(&Experiment::default());
        assert_eq!(v[0].ending, Ending::GlobalMinimum, "{v:?}");
        assert!(v[0].headline.contains("−6.551"), "{}", v[0].headline);
    }

    #[test]
    fn peaks_with_alpha_1_leaves_the_map_onto_a_plateau_and_says_so() {
        let e = Experiment {
            solvers: gd(1.0),
            ..Experiment::default()
        };
        let traces = e.run().unwrap();
        assert!(
            traces[0].stop.is_converged(),
            "the solver itself calls it converged"
        );
        let v = surfaces(&e, &traces);
        assert_eq!(v[0].ending, Ending::LeftView, "{v:?}");
        let text = v[0].advice.join(" ");
        assert!(text.contains("plateau"), "{text}");
        assert!(text.contains("smaller α"), "{text}");
    }

    #[test]
    fn divergence_names_alpha_against_2_over_l_and_a_fix() {
        let e = Experiment {
            surface: SurfaceId::Quadratic,
            start: [2.5, 1.5],
            quadratic_condition: 10.0,
            solvers: gd(0.21),
            view: crate::lab::surfaces::View {
                view_box: SurfaceId::Quadratic.view(),
                ..Default::default()
            },
            ..Experiment::default()
        };
        let v = run(&e);
        assert_eq!(v[0].ending, Ending::Diverged, "{v:?}");
        let text = v[0].advice.join(" ");
        // L = 10: 2/L = 0.2; 0.9·0.2 = 0.18.
        assert!(text.contains("α = 0.21 > 2/L ≈ 0.2 at the start"), "{text}");
        assert!(text.contains("try α ≤ 0.18"), "{text}");
        // …and the suggested α converges.
        let fixed = Experiment {
            solvers: gd(0.18),
            ..e
        };
        assert!(run(&fixed)[0].ending.is_success());
    }

    #[test]
    fn out_of_iterations_gives_the_rate_and_what_is_left() {
        // GD on Rosenbrock with α = 0.001 from (−1.2, 1): 3000 iterations are not enough.
        let e = Experiment {
            surface: SurfaceId::Rosenbrock,
            start: [-1.2, 1.0],
            solvers: gd(0.001),
            stop: crate::solver::StopCriteria {
                max_iterations: 3000,
                grad_tol: 1e-6,
                ..Default::default()
            },
            view: crate::lab::surfaces::View {
                view_box: SurfaceId::Rosenbrock.view(),
                ..Default::default()
            },
            ..Experiment::default()
        };
        let v = run(&e);
        assert_eq!(v[0].ending, Ending::OutOfBudget, "{v:?}");
        let text = v[0].advice.join(" ");
        assert!(text.contains("fell 10× every ~"), "{text}");
        assert!(text.contains("more to reach the tolerance"), "{text}");
        assert!(text.contains("κ = "), "{text}");
    }

    #[test]
    fn a_local_minimum_and_a_saddle_are_named() {
        // Peaks from (−1.5, 0.5) with Newton: the local minimum near (−1.35, 0.20).
        let e = Experiment {
            start: [-1.5, 0.5],
            solvers: vec![SolverConfig::default_for("bfgs").unwrap()],
            ..Experiment::default()
        };
        let v = run(&e);
        assert_eq!(v[0].ending, Ending::LocalMinimum, "{v:?}");
        assert!(
            v[0].advice[0].contains("global minimum is f* = −6.551"),
            "{v:?}"
        );
        // x² − y² from (1, 0): GD walks the x axis into the saddle.
        let s = Experiment {
            surface: SurfaceId::Saddle,
            start: [1.0, 0.0],
            solvers: gd(0.1),
            view: crate::lab::surfaces::View {
                view_box: SurfaceId::Saddle.view(),
                ..Default::default()
            },
            ..Experiment::default()
        };
        let v = run(&s);
        assert_eq!(v[0].ending, Ending::Saddle, "{v:?}");
    }

    #[test]
    fn decay_rate_of_a_geometric_sequence() {
        let pts: Vec<(f64, f64)> = (0..40).map(|k| (k as f64, 0.5f64.powi(k))).collect();
        let (slope, _) = decay_rate(&pts).unwrap();
        assert!((slope - 0.5f64.log10()).abs() < 1e-12);
        assert_eq!(round_down(0.18000000000000002), 0.18);
        assert_eq!(round_down(0.0347), 0.034);
    }
}

/// The coach's verdicts for the runs of a regression experiment (from the per-epoch records).
pub fn regression(
    e: &crate::lab::regression::RegressionExperiment,
    result: &crate::lab::regression::RegressionResult,
) -> Vec<Verdict> {
    let p = result.data.feature_names.len().max(1);
    let n = result.data.y.len();
    // Spread of each raw feature: a ratio of 100 or more makes a fixed α fit one and crawl on
    // the other (unless standardized).
    // Root-mean-square size of each column of the design (the intercept's column of ones
    // included): the loss's curvatures scale with their squares.
    let mut spread: Vec<f64> = (0..p)
        .map(|j| {
            let col = result.data.x.iter().skip(j).step_by(p);
            (col.map(|v| v * v).sum::<f64>() / n.max(1) as f64).sqrt()
        })
        .collect();
    if result.intercept {
        spread.push(1.0);
    }
    let ratio = spread.iter().copied().fold(0.0, f64::max)
        / spread
            .iter()
            .copied()
            .filter(|s| *s > 0.0)
            .fold(f64::INFINITY, f64::min);
    result
        .traces
        .iter()
        .zip(&e.solvers)
        .map(|(t, c)| {
            let last = t.epochs.last();
            let d = last.and_then(|r| r.extra("distance_to_exact"));
            let epochs = t.epochs.len().saturating_sub(1);
            let mut advice = Vec::new();
            let scale_note = (!e.standardize && ratio >= 100.0).then(|| {
                format!(
                    "turn standardization on: the design's columns differ in size by a factor {} (about 10^{}), so one α cannot suit them all",
                    num(ratio.round()),
                    num(ratio.log10().round())
                )
            });
            let (ending, headline) = match &t.steps.stop {
                crate::trace::StopReason::Diverged => {
                    advice.push(format!(
                        "the loss is a quadratic bowl in (w, b): gradient descent is stable only while α < 2/L, L its largest curvature. α = {} is past it — halve α until the loss falls",
                        num(c.learning_rate)
                    ));
                    if let Some(s) = scale_note.clone() {
                        advice.push(s);
                    }
                    (Ending::Diverged, format!("diverged in epoch {epochs}: the loss grew without bound"))
                }
                s if s.is_converged() => (
                    Ending::Converged,
                    format!(
                        "converged after {epochs} epochs{}",
                        d.map_or(String::new(), |d| format!(": ‖θ − θ̂‖ = {} from the exact answer", num(d)))
                    ),
                ),
                _ => {
                    let pts: Vec<(f64, f64)> = t
                        .epochs
                        .iter()
                        .filter_map(|r| r.extra("distance_to_exact").map(|v| (r.k as f64, v)))
                        .collect();
                    match (d, decay_rate(&pts)) {
                        (Some(d), _) if d < 1e-6 => {
                            (Ending::Converged, format!("{epochs} epochs: θ is within {} of the exact answer θ̂", num(d)))
                        }
                        (Some(d), Some((slope, _))) if slope < -1e-9 && c.batch_size == 0 => {
                            let per = -1.0 / slope;
                            advice.push(format!(
                                "‖θ − θ̂‖ falls 10× every ~{} epochs: about {} more epochs for 10⁻⁶",
                                num(per.round().max(1.0)),
                                num(((d / 1e-6).log10() * per).ceil())
                            ));
                            if let Some(s) = scale_note.clone() {
                                advice.push(s);
                            }
                            (Ending::OutOfBudget, format!("after {epochs} epochs θ is still {} from the exact answer", num(d)))
                        }
                        (Some(d), _) => {
                            if c.batch_size > 0 {
                                advice.push(format!(
                                    "with mini-batches of {} the gradient is noisy: a fixed α leaves θ wandering about θ̂ at a distance set by α and the noise; lower α (or use a decay) to settle closer",
                                    c.batch_size
                                ));
                            } else if let Some(s) = scale_note.clone() {
                                advice.push(s);
                            }
                            (Ending::OutOfBudget, format!("after {epochs} epochs θ is {} from the exact answer", num(d)))
                        }
                        (None, _) => (
                            Ending::OutOfBudget,
                            format!("{epochs} epochs; loss {}", num(last.map_or(f64::NAN, |r| r.f))),
                        ),
                    }
                }
            };
            Verdict {
                solver: t.steps.solver.clone(),
                ending,
                headline,
                advice,
            }
        })
        .collect()
}

/// The coach's verdicts for the runs of a curve fit.
pub fn fit(result: &crate::lab::fit::FitResult) -> Vec<Verdict> {
    let best = result
        .runs
        .iter()
        .map(|r| r.run.ssr)
        .fold(f64::INFINITY, f64::min);
    result
        .runs
        .iter()
        .map(|r| {
            let t = &r.run.trace;
            let ssr0 = t.iterates.first().map_or(f64::NAN, |i| 2.0 * i.f);
            let mut advice = vec![format!(
                "SSR {} → {} in {} iterations ({} residual evaluations)",
                num(ssr0),
                num(r.run.ssr),
                t.iterations(),
                t.f_evals
            )];
            if let Some(c) = &result.certified {
                let lres: Vec<f64> = r
                    .run
                    .params
                    .iter()
                    .zip(c)
                    .map(|(&p, &q)| crate::problem::regression::nist::lre(p, q))
                    .collect();
                let worst = lres.iter().copied().fold(f64::INFINITY, f64::min);
                advice.push(format!(
                    "{} correct digits in the worst parameter (certified values)",
                    num((worst.max(0.0) * 10.0).floor() / 10.0)
                ));
            }
            let worse = r.run.ssr > 1.01 * best + 1e-300;
            let (ending, headline) = if t.stop.is_converged() && !worse {
                (Ending::Converged, r.stop_label.clone())
            } else if t.stop.is_converged() {
                advice.push(format!(
                    "another run found SSR = {}: this one stopped at a worse local minimum or a flat region; a better start (or LM's damping) avoids it",
                    num(best)
                ));
                (Ending::LocalMinimum, format!("stopped at a worse fit: {}", r.stop_label))
            } else {
                match t.stop {
                    crate::trace::StopReason::MaxEvaluations | crate::trace::StopReason::MaxIterations => {
                        advice.push(if worse {
                            format!("another run reached SSR = {}: this one crawled (short or rejected steps) — from a poor start Gauss–Newton's full step is unreliable; Levenberg–Marquardt damps it", num(best))
                        } else {
                            "raise the evaluation budget, or start closer: the SSR was still falling".into()
                        });
                        (Ending::OutOfBudget, format!("ran out of budget: {}", r.stop_label))
                    }
                    crate::trace::StopReason::Diverged => {
                        advice.push("the full Gauss–Newton step overshot: Levenberg–Marquardt damps it until the linear model can be trusted".into());
                        (Ending::Diverged, format!("diverged: {}", r.stop_label))
                    }
                    _ => {
                        advice.push("no step along the linearised model reduced the SSR: far from the answer the Gauss–Newton step can point the wrong way; Levenberg–Marquardt shortens it".into());
                        (Ending::Stalled, format!("stalled: {}", r.stop_label))
                    }
                }
            };
            Verdict {
                solver: t.solver.clone(),
                ending,
                headline,
                advice,
            }
        })
        .collect()
}

/// The coach's verdicts for any lab's run.
pub fn any(run: &super::run::RunView) -> Vec<Verdict> {
    match *run {
        super::run::RunView::Surfaces { experiment, traces } => surfaces(experiment, traces),
        super::run::RunView::Regression { experiment, result } => regression(experiment, result),
        super::run::RunView::Fit { result, .. } => fit(result),
    }
}

#[cfg(test)]
mod lab_tests {
    use super::*;
    use crate::lab::link::LabConfig;
    use crate::lab::teach::run::OwnedRun;
    use serde_json::json;

    fn coach_of(lab: &str, config: serde_json::Value) -> Vec<Verdict> {
        let run = OwnedRun::run(&LabConfig::from_lab(lab, config).unwrap(), None).unwrap();
        any(&run.view())
    }

    #[test]
    fn regression_verdicts_diverged_out_of_epochs_and_converged() {
        let data = json!({"source": "generated", "n": 200, "slope": 2.0, "intercept": -1.0, "noise": 1.0, "seed": 7});
        let v = coach_of(
            "regression",
            json!({"data": data, "solvers": [
                {"learning_rate": 5.0, "batch_size": 0, "epochs": 20, "seed": 1},
                {"learning_rate": 0.01, "batch_size": 0, "epochs": 20, "seed": 1},
                {"learning_rate": 0.5, "batch_size": 0, "epochs": 100, "seed": 1}
            ]}),
        );
        assert_eq!(v[0].ending, Ending::Diverged, "{v:?}");
        assert!(v[0].advice[0].contains("α < 2/L"), "{v:?}");
        assert_eq!(v[1].ending, Ending::OutOfBudget, "{v:?}");
        assert!(
            v[1].advice
                .iter()
                .any(|a| a.contains("more epochs for 10⁻⁶")),
            "{v:?}"
        );
        assert!(v[2].ending.is_success(), "{v:?}");
        // Unstandardized features of very different spread: the coach says to standardize.
        let v = coach_of(
            "regression",
            json!({"data": {"source": "generated", "n": 200, "slope": 2.0, "intercept": -1.0, "noise": 1.0, "seed": 7, "x_min": 0.0, "x_max": 1000.0},
            "standardize": false, "solvers": [{"learning_rate": 1e-7, "batch_size": 0, "epochs": 20, "seed": 1}]}),
        );
        assert!(
            v[0].advice
                .iter()
                .any(|a| a.contains("turn standardization on")),
            "{v:?}"
        );
    }

    #[test]
    fn fit_verdicts_converged_and_stalled_gauss_newton() {
        // The GN-vs-LM lesson: LM converges, GN from the bad start does not reach the good fit.
        let l = crate::lab::teach::course::lesson("gauss-newton-vs-lm").unwrap();
        let v = coach_of("fit", l.config);
        assert_eq!(v[0].ending, Ending::Converged, "{v:?}");
        assert!(v[0].advice[0].starts_with("SSR "), "{v:?}");
        assert!(!v[1].ending.is_success(), "{v:?}");
        assert!(
            v[1].advice
                .iter()
                .any(|a| a.contains("Levenberg–Marquardt") || a.contains("another run found SSR")),
            "{v:?}"
        );
    }
}
