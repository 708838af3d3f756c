//! The update rule of one iteration, written out with the trace's own numbers.
//!
//! [`update_rule`] turns step k → k+1 of a [`Trace`] into a few lines such as
//! `x₁₂ = x₁₁ − α∇f(x₁₁) = (0.21, −1.6) − 0.05·(0.4, −0.9) = (0.19, −1.56)`. Every number comes
//! from the recorded iterates (x, ∇f and the solver's extras), so what the page shows is what the
//! solver did.

use crate::lab::surfaces::SolverConfig;
use crate::trace::{Iterate, Trace};

/// The Unicode subscript of `k` (x₁₂).
pub fn sub(k: usize) -> String {
    k.to_string()
        .chars()
        .map(|c| char::from_u32(0x2080 + c.to_digit(10).unwrap_or(0)).unwrap_or(c))
        .collect()
}

/// A number with 4 significant digits, a real minus sign, no trailing zeros.
pub fn num(v: f64) -> String {
    if !v.is_finite() {
        return format!("{v}");
    }
    let a = v.abs();
    let s = if a != 0.0 && !(1e-3..1e5).contains(&a) {
        format!("{v:.3e}")
    } else {
        let decimals = if a == 0.0 {
            0
        } else {
            (3 - a.log10().floor() as i32).max(0) as usize
        };
        let s = format!("{v:.decimals$}");
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    };
    s.replace('-', "−")
}

/// A vector as `(a, b)`.
pub fn vec(v: &[f64]) -> String {
    format!(
        "({})",
        v.iter().map(|&a| num(a)).collect::<Vec<_>>().join(", ")
    )
}

fn diff(a: &[f64], b: &[f64]) -> Vec<f64> {
    a.iter().zip(b).map(|(x, y)| x - y).collect()
}

fn grad(r: &Iterate) -> Vec<f64> {
    r.vector("grad").unwrap_or_default()
}

/// The line searches the explanations name.
#[derive(Clone, Copy)]
enum Search {
    Armijo,
    Backtracking,
    Wolfe,
}

impl Search {
    fn english(self) -> &'static str {
        match self {
            Search::Armijo => "backtracking (Armijo)",
            Search::Backtracking => "backtracking",
            Search::Wolfe => "strong-Wolfe",
        }
    }
}

/// Lines explaining how `trace` went from iterate `k` to `k + 1` with `config`, or `None` when
/// there is no step k → k+1.
pub fn update_rule(config: &SolverConfig, trace: &Trace, k: usize) -> Option<Vec<String>> {
    let (a, b) = (trace.iterates.get(k)?, trace.iterates.get(k + 1)?);
    let (xk, xn, g) = (&a.x, &b.x, grad(a));
    let (s0, s1) = (sub(k), sub(k + 1));
    let delta = diff(xn, xk);
    let alpha = b.extra("alpha");
    let trials = b.extra("line_search_trials").map(|t| t as usize);
    // One whole sentence per line search (and per number of trials), so that each has its own
    // template in the catalogs (`say.ex.*`).
    let searched = |kind: Search| match (alpha, trials) {
        (Some(al), Some(t)) => {
            let (al, what) = (num(al), kind.english());
            if t == 1 {
                format!("α{s0} = {al} from the {what} line search (1 trial)")
            } else {
                format!("α{s0} = {al} from the {what} line search ({t} trials)")
            }
        }
        _ => String::new(),
    };
    let along = |al: f64| -> String {
        let d: Vec<f64> = delta.iter().map(|v| v / al).collect();
        format!(
            "x{s1} = x{s0} + α{s0}d{s0} = {} + {}·{} = {}",
            vec(xk),
            num(al),
            vec(&d),
            vec(xn)
        )
    };
    let mut lines = Vec::new();
    match *config {
        SolverConfig::GradientDescent { learning_rate } => {
            lines.push(format!(
                "x{s1} = x{s0} − α∇f(x{s0}) = {} − {}·{} = {}",
                vec(xk),
                num(alpha.unwrap_or(learning_rate)),
                vec(&g),
                vec(xn)
            ));
        }
        SolverConfig::GradientDescentArmijo { .. } => {
            lines.push(searched(Search::Armijo));
            let al = alpha.unwrap_or(f64::NAN);
            lines.push(format!(
                "x{s1} = x{s0} − α{s0}∇f(x{s0}) = {} − {}·{} = {}",
                vec(xk),
                num(al),
                vec(&g),
                vec(xn)
            ));
        }
        SolverConfig::Momentum {
            learning_rate,
            momentum,
        } => {
            let v_old = if k == 0 {
                vec![0.0; xk.len()]
            } else {
                a.vector("velocity").unwrap_or_default()
            };
            let v_new = b.vector("velocity").unwrap_or_else(|| delta.clone());
            lines.push(format!(
                "v{s1} = βv{s0} − α∇f(x{s0}) = {}·{} − {}·{} = {}",
                num(momentum),
                vec(&v_old),
                num(learning_rate),
                vec(&g),
                vec(&v_new)
            ));
            lines.push(format!(
                "x{s1} = x{s0} + v{s1} = {} + {} = {}",
                vec(xk),
                vec(&v_new),
                vec(xn)
            ));
        }
        SolverConfig::Nesterov {
            learning_rate,
            momentum,
        } => {
            let v_old = if k == 0 {
                vec![0.0; xk.len()]
            } else {
                a.vector("velocity").unwrap_or_default()
            };
            let v_new = b.vector("velocity").unwrap_or_else(|| delta.clone());
            let look: Vec<f64> = xk
                .iter()
                .zip(&v_old)
                .map(|(x, v)| x + momentum * v)
                .collect();
            // The look-ahead gradient, recovered exactly from v_{k+1} = βv_k − α∇f(look).
            let g_look: Vec<f64> = v_old
                .iter()
                .zip(&v_new)
                .map(|(vo, vn)| (momentum * vo - vn) / learning_rate)
                .collect();
            lines.push(format!(
                "look ahead: x{s0} + βv{s0} = {}, where ∇f = {}",
                vec(&look),
                vec(&g_look)
            ));
            lines.push(format!(
                "v{s1} = βv{s0} − α∇f(x{s0} + βv{s0}) = {}·{} − {}·{} = {}",
                num(momentum),
                vec(&v_old),
                num(learning_rate),
                vec(&g_look),
                vec(&v_new)
            ));
            lines.push(format!(
                "x{s1} = x{s0} + v{s1} = {} + {} = {}",
                vec(xk),
                vec(&v_new),
                vec(xn)
            ));
        }
        SolverConfig::Adagrad { .. } | SolverConfig::Rmsprop { .. } => {
            let rates: Vec<f64> = delta
                .iter()
                .zip(&g)
                .map(|(d, gi)| if *gi != 0.0 { -d / gi } else { 0.0 })
                .collect();
            let what = if matches!(config, SolverConfig::Adagrad { .. }) {
                "G = Σ∇f² (all past squared gradients)"
            } else {
                "G = running average of ∇f²"
            };
            lines.push(format!(
                "per-coordinate step α/(√G + ε) = {}   ({what})",
                vec(&rates)
            ));
            lines.push(format!(
                "x{s1} = x{s0} − α/(√G + ε) ⊙ ∇f(x{s0}) = {} − {}⊙{} = {}",
                vec(xk),
                vec(&rates),
                vec(&g),
                vec(xn)
            ));
        }
        SolverConfig::Adam {
            learning_rate,
            beta1,
            beta2,
            ..
        } => {
            let (m, v) = (
                b.vector("m").unwrap_or_default(),
                b.vector("v").unwrap_or_default(),
            );
            let (c1, c2) = (
                b.extra("bias1").unwrap_or(f64::NAN),
                b.extra("bias2").unwrap_or(f64::NAN),
            );
            let mh: Vec<f64> = m.iter().map(|x| x / c1).collect();
            let vh: Vec<f64> = v.iter().map(|x| x / c2).collect();
            lines.push(format!(
                "m{s1} = β₁m{s0} + (1−β₁)∇f(x{s0}) = {}   (β₁ = {})",
                vec(&m),
                num(beta1)
            ));
            lines.push(format!(
                "v{s1} = β₂v{s0} + (1−β₂)∇f(x{s0})² = {}   (β₂ = {})",
                vec(&v),
                num(beta2)
            ));
            lines.push(format!(
                "bias correction: m̂ = m/(1−β₁^{t}) = {}, v̂ = v/(1−β₂^{t}) = {}",
                vec(&mh),
                vec(&vh),
                t = k + 1
            ));
            lines.push(format!(
                "x{s1} = x{s0} − α m̂/(√v̂ + ε) = {} − {}·{} = {}",
                vec(xk),
                num(learning_rate),
                vec(&mh
                    .iter()
                    .zip(&vh)
                    .map(|(m, v)| m / (v.sqrt() + 1e-8))
                    .collect::<Vec<_>>()),
                vec(xn)
            ));
        }
        SolverConfig::Newton { .. } => {
            let lambda = b.extra("lambda").unwrap_or(0.0);
            lines.push(if lambda > 0.0 {
                format!(
                    "the Hessian is not positive definite here: shift it, H + λI with λ = {}",
                    num(lambda)
                )
            } else {
                "the Hessian is positive definite: the plain Newton direction".to_string()
            });
            lines.push(format!(
                "d{s0} = −(H + λI)⁻¹∇f(x{s0}), with ∇f = {}",
                vec(&g)
            ));
            lines.push(searched(Search::Backtracking));
            lines.push(along(alpha.unwrap_or(1.0)));
        }
        SolverConfig::Bfgs { .. } | SolverConfig::Lbfgs { .. } => {
            let memory = b
                .extra("memory_used")
                .map(|m| format!(" built from the last {} steps", m as usize))
                .unwrap_or_default();
            lines.push(format!(
                "d{s0} = −H̃{s0}∇f(x{s0}): the inverse-Hessian estimate{memory} times −∇f = −H̃·{}",
                vec(&g)
            ));
            lines.push(searched(Search::Wolfe));
            lines.push(along(alpha.unwrap_or(1.0)));
        }
        SolverConfig::CgFletcherReeves { .. } | SolverConfig::CgPolakRibiere { .. } => {
            let beta = b.extra("beta").unwrap_or(0.0);
            let restarted = b.extra("restarted").unwrap_or(0.0) > 0.0;
            lines.push(format!(
                "d{s0} = −∇f(x{s0}) + β{s0}d{} with β{s0} = {}{}",
                if k == 0 { sub(0) } else { sub(k - 1) },
                num(beta),
                if restarted {
                    " (restart: d = −∇f)"
                } else {
                    ""
                }
            ));
            lines.push(searched(Search::Wolfe));
            lines.push(along(alpha.unwrap_or(1.0)));
        }
        SolverConfig::NelderMead { .. } => {
            let op = match b.extra("operation").map(|o| o as i32) {
                Some(1) => "reflect the worst vertex through the centroid of the others",
                Some(2) => "expand: the reflection was the best point yet, go further",
                Some(3) => "contract outside: the reflection was only slightly better",
                Some(4) => "contract inside: the reflection was worse than every vertex",
                Some(5) => "shrink every vertex towards the best one",
                _ => "update the simplex",
            };
            lines.push(format!("step {}: {op}", k + 1));
            lines.push(format!(
                "best vertex x{s1} = {}, f = {}; simplex size {}, f spread {}",
                vec(xn),
                num(b.f),
                num(b.extra("simplex_size").unwrap_or(f64::NAN)),
                num(b.extra("f_spread").unwrap_or(f64::NAN))
            ));
        }
    }
    lines.retain(|l| !l.is_empty());
    // A gradient-free run records no gradient (NaN): say nothing about it.
    lines.push(if b.grad_norm.is_nan() {
        format!("f(x{s1}) = {}", num(b.f))
    } else {
        format!(
            "f(x{s1}) = {}, ‖∇f(x{s1})‖ = {}",
            num(b.f),
            num(b.grad_norm)
        )
    });
    Some(lines)
}

/// The page's first line for a run at its start: `start: x₀ = (…), f(x₀) = …, ∇f(x₀) = (…)` (a
/// gradient-free method records no ∇f, and nothing is said of it).
pub fn start_line(r: &Iterate) -> String {
    match r.vector("grad").filter(|g| !g.is_empty()) {
        Some(g) => format!(
            "start: x₀ = {}, f(x₀) = {}, ∇f(x₀) = {}",
            vec(&r.x),
            num(r.f),
            vec(&g)
        ),
        None => format!("start: x₀ = {}, f(x₀) = {}", vec(&r.x), num(r.f)),
    }
}

/// The page's last line for a finished run: the coach's reading when there is one (a
/// "converged" far off the map on a plateau says so), else the solver's stop label.
pub fn ending_line(trace: &Trace, coach_headline: Option<&str>) -> String {
    match coach_headline {
        Some(h) => format!("ended: {h}"),
        None => format!("stopped: {}", trace.stop.label()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::surfaces::Experiment;

    #[test]
    fn subscripts_and_numbers() {
        assert_eq!(sub(12), "₁₂");
        assert_eq!(num(-1.6), "−1.6");
        assert_eq!(num(0.190_04), "0.19");
        assert_eq!(num(2.0e-6), "2.000e−6");
    }

    #[test]
    fn gradient_descent_rule_uses_the_trace_numbers() {
        let e = Experiment::default();
        let t = &e.run().unwrap()[0];
        let lines = update_rule(&e.solvers[0], t, 3).unwrap();
        let (a, b) = (&t.iterates[3], &t.iterates[4]);
        let g = a.vector("grad").unwrap();
        // x₄ = x₃ − 0.05·∇f(x₃): the numbers shown are the recorded ones.
        assert!(lines[0].starts_with("x₄ = x₃ − α∇f(x₃) = "), "{}", lines[0]);
        assert!(
            lines[0].contains(&vec(&a.x))
                && lines[0].contains(&vec(&g))
                && lines[0].ends_with(&vec(&b.x))
        );
        // And the arithmetic holds: x₄ = x₃ − αg exactly as the solver computed it.
        for i in 0..2 {
            assert_eq!(b.x[i], a.x[i] - 0.05 * g[i]);
        }
        assert!(update_rule(&e.solvers[0], t, t.iterations()).is_none());
    }

    #[test]
    fn every_solver_explains_its_steps() {
        use crate::lab::surfaces::{solver_catalog, SurfaceId};
        let mut e = Experiment::default();
        e.surface = SurfaceId::Rosenbrock;
        e.start = [-1.2, 1.0];
        e.solvers = solver_catalog()
            .iter()
            .map(|i| SolverConfig::default_for(&i.method).unwrap())
            .collect();
        let traces = e.run().unwrap();
        for (c, t) in e.solvers.iter().zip(&traces) {
            for k in 0..t.iterations().min(5) {
                let lines = update_rule(c, t, k).unwrap();
                assert!(lines.len() >= 2, "{}: {lines:?}", t.solver);
                assert!(
                    lines.iter().all(|l| !l.contains("NaN")),
                    "{}: {lines:?}",
                    t.solver
                );
            }
        }
    }

    #[test]
    fn momentum_velocity_matches_the_step() {
        let mut e = Experiment::default();
        e.solvers = vec![SolverConfig::default_for("momentum").unwrap()];
        let t = &e.run().unwrap()[0];
        let (a, b) = (&t.iterates[2], &t.iterates[3]);
        let v = b.vector("velocity").unwrap();
        for i in 0..2 {
            assert_eq!(b.x[i], a.x[i] + v[i], "x_{{k+1}} = x_k + v_{{k+1}}");
        }
    }
}

/// Lines explaining record `k` of a least-squares trace (Levenberg–Marquardt or Gauss–Newton):
/// the damping λ, the geodesic acceleration, the gain ratio ρ and whether the trial step was
/// accepted — or that it was rejected before being evaluated (acceleration too large: no ρ, no
/// trial SSR) — or the line-search step, with the trace's numbers. `acceleration_ratio` is the
/// Levenberg–Marquardt bound α on 2‖Da‖/‖Dv‖ (written as α when unknown).
pub fn least_squares_step(trace: &Trace, k: usize, acceleration_ratio: Option<f64>) -> Vec<String> {
    let Some(r) = trace.iterates.get(k) else {
        return Vec::new();
    };
    let ssr = r.extra("ssr").unwrap_or(2.0 * r.f);
    let s = sub(k);
    if k == 0 {
        return vec![format!(
            "start: p₀ = {}, SSR = {}, ‖Jᵀr‖ = {}",
            vec(&r.x),
            num(ssr),
            num(r.grad_norm)
        )];
    }
    let prev = &trace.iterates[k - 1];
    let mut lines = Vec::new();
    if let Some(lambda) = r.extra("lambda") {
        let rho = r.extra("rho").unwrap_or(f64::NAN);
        let accepted = r.extra("accepted").unwrap_or(0.0) > 0.0;
        let step_norm = r.extra("step_norm").unwrap_or(f64::NAN);
        let trial_ssr = r.extra("trial_ssr").unwrap_or(f64::NAN);
        let ratio = r.extra("accel_ratio").unwrap_or(0.0);
        // A trial that was never evaluated has no ρ, ‖h‖ or trial SSR (recorded as NaN).
        let evaluated = !step_norm.is_nan();
        let limit = match acceleration_ratio {
            Some(a) => num(a),
            None => "α".to_string(),
        };
        let here = format!(
            "p{s} = {}, SSR = {}, ‖Jᵀr‖ = {}",
            vec(&r.x),
            num(ssr),
            num(r.grad_norm)
        );
        let next_lambda = trace
            .iterates
            .get(k + 1)
            .and_then(|n| n.extra("lambda"))
            .filter(|l| *l > lambda)
            .map(|l| format!(" to {} for the next trial", num(l)))
            .unwrap_or_default();
        if ratio != 0.0 {
            // Geodesic acceleration: velocity v, acceleration a, step v + a/2 when allowed.
            lines.push(format!(
                "velocity v from (JᵀJ + λD²)v = −Jᵀr with λ = {}",
                num(lambda)
            ));
            if evaluated {
                lines.push(format!(
                    "geodesic acceleration a from (JᵀJ + λD²)a = −Jᵀr_vv: 2‖Da‖/‖Dv‖ = {} ≤ {limit} \
                     → trial step h = v + a/2, ‖h‖ = {}",
                    num(ratio),
                    num(step_norm)
                ));
            } else if ratio.is_finite() {
                lines.push(format!(
                    "geodesic acceleration too large: 2‖Da‖/‖Dv‖ = {} > {limit} \
                     → step rejected before it is evaluated",
                    num(ratio)
                ));
            } else {
                lines.push(
                    "geodesic acceleration not finite → step rejected before it is evaluated"
                        .to_string(),
                );
            }
        } else if let (true, Some(radius)) = (evaluated, r.extra("radius")) {
            // Trust region: λ is whatever makes ‖Dh‖ fit the radius Δ of the previous record.
            let delta = prev.extra("radius").unwrap_or(radius);
            if lambda == 0.0 {
                lines.push(format!(
                    "trial step h = the Gauss–Newton step (λ = 0): it fits in the trust region ‖Dh‖ ≤ Δ = {}, ‖h‖ = {}",
                    num(delta),
                    num(step_norm)
                ));
            } else {
                lines.push(format!(
                    "trial step h from (JᵀJ + λD²)h = −Jᵀr with λ = {} chosen so that ‖Dh‖ ≈ Δ = {}, ‖h‖ = {}",
                    num(lambda),
                    num(delta),
                    num(step_norm)
                ));
            }
            lines.push(format!(
                "gain ratio ρ = actual / predicted reduction = {} → {}; Δ becomes {}",
                num(rho),
                if accepted {
                    "accepted"
                } else {
                    "rejected, p stays"
                },
                num(radius)
            ));
            lines.push(format!(
                "SSR at the trial point = {}; {here}",
                num(trial_ssr)
            ));
            return lines;
        } else if evaluated {
            lines.push(format!(
                "trial step h from (JᵀJ + λD²)h = −Jᵀr with λ = {}, ‖h‖ = {}",
                num(lambda),
                num(step_norm)
            ));
        } else {
            lines.push(format!(
                "trial step h from (JᵀJ + λD²)h = −Jᵀr with λ = {}: no finite solution \
                 → step rejected before it is evaluated",
                num(lambda)
            ));
        }
        if evaluated {
            lines.push(format!(
                "gain ratio ρ = actual / predicted reduction = {} → {}",
                num(rho),
                if accepted {
                    "accepted: λ may shrink"
                } else {
                    "rejected: λ grows, p stays"
                }
            ));
            lines.push(format!(
                "SSR at the trial point = {}; {here}",
                num(trial_ssr)
            ));
        } else {
            lines.push(format!("λ is increased{next_lambda}; p stays: {here}"));
        }
    } else {
        let t = r.extra("t").unwrap_or(f64::NAN);
        let trials = r.extra("line_search_trials").unwrap_or(f64::NAN);
        lines.push("Gauss–Newton direction h = −(JᵀJ)⁻¹Jᵀr (least squares of Jh ≈ −r)".to_string());
        lines.push(format!(
            "line search: t = {} after {} trial(s)",
            num(t),
            num(trials)
        ));
        lines.push(format!(
            "p{s} = p{} + t·h = {}, SSR {} → {}, ‖Jᵀr‖ = {}",
            sub(k - 1),
            vec(&r.x),
            num(prev.extra("ssr").unwrap_or(2.0 * prev.f)),
            num(ssr),
            num(r.grad_norm)
        ));
    }
    lines
}

#[cfg(test)]
mod lsq_tests {
    use super::*;

    #[test]
    fn levenberg_marquardt_steps_are_explained_with_their_numbers() {
        let p = crate::lab::presets::presets()
            .into_iter()
            .find(|p| p.id == "gn-vs-lm-bad-start")
            .unwrap();
        let e: crate::lab::fit::FitExperiment = serde_json::from_value(p.config).unwrap();
        let r = crate::lab::fit::run(&e).unwrap();
        let lm = &r.runs[0].run.trace;
        let rejected = lm
            .iterates
            .iter()
            .position(|it| it.extra("accepted") == Some(0.0));
        for k in 1..lm.iterates.len().min(8) {
            let l = least_squares_step(lm, k, Some(0.75));
            assert!(
                l[0].contains(&num(lm.iterates[k].extra("lambda").unwrap())),
                "{l:?}"
            );
            assert!(l
                .iter()
                .any(|x| x.contains("gain ratio ρ") || x.contains("rejected before")));
        }
        if let Some(k) = rejected {
            assert!(least_squares_step(lm, k, Some(0.75))
                .iter()
                .any(|x| x.contains("rejected")));
        }
        let gn = &r.runs[1].run.trace;
        assert!(least_squares_step(gn, 1, None)[1].starts_with("line search: t = "));
        assert!(least_squares_step(gn, 0, None)[0].starts_with("start: p₀ = "));
    }

    /// The default fit of the page (Michaelis–Menten, generated data) with v2's LM: Nielsen
    /// damping and geodesic acceleration, α = 0.75.
    fn michaelis_menten() -> crate::lab::fit::FitResult {
        use crate::solver::least_squares::lm::{Damping, LmSettings};
        let mut e = crate::lab::fit::FitExperiment {
            model: crate::lab::fit::FitModel::Builtin {
                id: crate::problem::least_squares::ModelId::MichaelisMenten,
            },
            ..Default::default()
        };
        e.solvers[0] = crate::lab::fit::FitSolver::LevenbergMarquardt(LmSettings {
            damping: Damping::Nielsen,
            ..Default::default()
        });
        crate::lab::fit::run(&e).unwrap()
    }

    #[test]
    fn a_trust_region_step_names_its_radius_and_lambda() {
        let r = crate::lab::fit::run(&crate::lab::fit::FitExperiment {
            model: crate::lab::fit::FitModel::Builtin {
                id: crate::problem::least_squares::ModelId::MichaelisMenten,
            },
            ..Default::default()
        })
        .unwrap();
        let lm = &r.runs[0].run.trace;
        let texts: Vec<String> = (1..lm.iterates.len())
            .map(|k| least_squares_step(lm, k, Some(0.75)).join("\n"))
            .collect();
        for (k, t) in texts.iter().enumerate() {
            let it = &lm.iterates[k + 1];
            assert!(!t.contains("NaN"), "{t}");
            assert!(
                t.contains(&format!("Δ becomes {}", num(it.extra("radius").unwrap()))),
                "{t}"
            );
            if it.extra("lambda") == Some(0.0) {
                assert!(t.contains("Gauss–Newton step (λ = 0)"), "{t}");
            } else {
                assert!(t.contains("chosen so that ‖Dh‖ ≈ Δ"), "{t}");
            }
        }
    }

    #[test]
    fn a_step_rejected_for_its_acceleration_is_explained_without_nan() {
        let r = michaelis_menten();
        let lm = &r.runs[0].run.trace;
        // Recorded: the first trial's 2‖Da‖/‖Dv‖ = 3.404 > 0.75, so it was never evaluated.
        let it = &lm.iterates[1];
        let ratio = it.extra("accel_ratio").unwrap();
        assert_eq!(num(ratio), "3.404");
        assert!(it.extra("rho").unwrap().is_nan() && it.extra("trial_ssr").unwrap().is_nan());
        let lines = least_squares_step(lm, 1, Some(0.75));
        let text = lines.join("\n");
        assert!(!text.contains("NaN"), "{text}");
        assert!(
            text.contains("2‖Da‖/‖Dv‖ = 3.404 > 0.75 → step rejected before it is evaluated"),
            "{text}"
        );
        let next = lm.iterates[2].extra("lambda").unwrap();
        assert!(next > it.extra("lambda").unwrap());
        assert!(
            text.contains(&format!(
                "λ is increased to {} for the next trial",
                num(next)
            )),
            "{text}"
        );
        assert!(
            text.contains(&format!("p₁ = {}", vec(&lm.iterates[0].x))),
            "{text}"
        );
        assert!(!text.contains("gain ratio"), "{text}");
        // Without the bound the limit is named, not invented.
        assert!(least_squares_step(lm, 1, None)
            .join("\n")
            .contains("2‖Da‖/‖Dv‖ = 3.404 > α"));
    }

    #[test]
    fn a_step_with_geodesic_acceleration_names_the_ratio_and_its_gain() {
        let r = michaelis_menten();
        let lm = &r.runs[0].run.trace;
        let k = lm
            .iterates
            .iter()
            .position(|it| {
                it.extra("accel_ratio")
                    .is_some_and(|a| a > 0.0 && a <= 0.75)
                    && it.extra("accepted") == Some(1.0)
            })
            .expect("an accelerated, accepted step");
        let it = &lm.iterates[k];
        let text = least_squares_step(lm, k, Some(0.75)).join("\n");
        assert!(!text.contains("NaN"), "{text}");
        assert!(!text.contains("‖a‖/‖h‖"), "{text}");
        let ratio = num(it.extra("accel_ratio").unwrap());
        assert!(
            text.contains(&format!(
                "2‖Da‖/‖Dv‖ = {ratio} ≤ 0.75 → trial step h = v + a/2, ‖h‖ = {}",
                num(it.extra("step_norm").unwrap())
            )),
            "{text}"
        );
        assert!(
            text.contains(&format!(
                "gain ratio ρ = actual / predicted reduction = {} → accepted",
                num(it.extra("rho").unwrap())
            )),
            "{text}"
        );
        assert!(
            text.contains(&format!(
                "SSR at the trial point = {}",
                num(it.extra("trial_ssr").unwrap())
            )),
            "{text}"
        );
    }
}
