//! Text descriptions of the plots and of a finished run, for screen readers and for anyone who
//! asks for the plots as text (issue 16, accessibility). Plain Rust, built from the same run the
//! plots draw; the page only puts the text into the DOM.
//!
//! Numbers are written with two decimals (or in scientific notation when very large or small),
//! with a true minus sign, so a screen reader says "minus".

use crate::lab::fit::FitResult;
use crate::lab::regression::RegressionResult;
use crate::lab::surfaces::Experiment;
use crate::problem::surfaces::KnownMinimum;
use crate::trace::Trace;

/// A number as the descriptions write it: `1.47`, `−6.55`, `3.2e−7`, `1.5e6`.
pub fn num(v: f64) -> String {
    if v.is_nan() {
        return "undefined".into();
    }
    if v.is_infinite() {
        return if v > 0.0 {
            "∞".into()
        } else {
            "−∞".into()
        };
    }
    let a = v.abs();
    let s = if a != 0.0 && !(0.01..1e5).contains(&a) {
        let s = format!("{v:.1e}");
        s.replace(".0e", "e")
    } else {
        let s = format!("{v:.2}");
        if s == "-0.00" {
            "0.00".to_string()
        } else {
            s
        }
    };
    s.replace('-', "−")
}

/// A point `(x, y)` (or `(a, b, c)`): coordinates with two decimals (a rounding residue such as
/// 2e−16 reads as 0.00).
pub fn point(x: &[f64]) -> String {
    let coord = |v: f64| {
        if v.is_finite() && v.abs() < 1e5 {
            let s = format!("{v:.2}");
            if s == "-0.00" {
                "0.00".to_string()
            } else {
                s.replace('-', "−")
            }
        } else {
            num(v)
        }
    };
    let parts: Vec<String> = x.iter().map(|&v| coord(v)).collect();
    format!("({})", parts.join(", "))
}

/// `[a, b]²` for a square box, else `[a, b] × [c, d]`.
fn boxed(x: (f64, f64), y: (f64, f64)) -> String {
    if num(x.0) == num(y.0) && num(x.1) == num(y.1) {
        format!("[{}, {}]²", num(x.0), num(x.1))
    } else {
        format!(
            "[{}, {}] × [{}, {}]",
            num(x.0),
            num(x.1),
            num(y.0),
            num(y.1)
        )
    }
}

fn iterations(n: usize) -> String {
    if n == 1 {
        "1 iteration".into()
    } else {
        format!("{n} iterations")
    }
}

/// How a run ended, in a few words: "converged", "stopped at max iterations", "diverged", …
pub fn outcome(t: &Trace) -> String {
    use crate::trace::StopReason as S;
    match t.stop {
        _ if t.stop.is_converged() => "converged".into(),
        S::MaxIterations => "reached the iteration limit".into(),
        S::MaxEvaluations => "reached the evaluation limit".into(),
        S::Diverged => "diverged".into(),
        _ => format!("stopped ({})", t.stop.label()),
    }
}

/// "Run finished: gradient descent (α = 0.05) converged in 21 iterations" (runs joined by "; ").
pub fn announce(traces: &[Trace]) -> String {
    if traces.is_empty() {
        return "Run finished: nothing was run".into();
    }
    let parts: Vec<String> = traces
        .iter()
        .map(|t| {
            let o = outcome(t);
            let n = t.iterations();
            if o == "diverged" {
                format!("{} diverged after {}", t.solver, iterations(n))
            } else {
                format!("{} {o} in {}", t.solver, iterations(n))
            }
        })
        .collect();
    format!("Run finished: {}", parts.join("; "))
}

/// The known minimum closest to `x`, if one is within 2 % of the view's span.
fn minimum_near<'a>(minima: &'a [KnownMinimum], x: &[f64], span: f64) -> Option<&'a KnownMinimum> {
    if x.len() < 2 {
        return None;
    }
    minima
        .iter()
        .map(|m| (m, (m.x[0] - x[0]).hypot(m.x[1] - x[1])))
        .filter(|(_, d)| *d <= 0.02 * span)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(m, _)| m)
}

/// One run's path: "Gradient descent (α = 0.05) went from (−0.20, −0.60) to (0.23, −1.63) in 21
/// iterations, f from 1.47 to −6.55, converged at the global minimum near (0.23, −1.63)."
fn path_sentence(t: &Trace, minima: &[KnownMinimum], span: f64) -> String {
    let (first, last) = (&t.iterates[0], t.last());
    let head = format!(
        "{} went from {} to {} in {}, f from {} to {}",
        t.solver,
        point(&first.x),
        point(&last.x),
        iterations(t.iterations()),
        num(first.f),
        num(last.f),
    );
    if !t.stop.is_converged() {
        return format!("{head}, {}.", outcome(t));
    }
    match minimum_near(minima, &last.x, span) {
        Some(m) if m.global => format!(
            "{head}, converged at the global minimum near {}.",
            point(&m.x)
        ),
        Some(m) => format!(
            "{head}, converged at the local minimum near {}.",
            point(&m.x)
        ),
        None => format!(
            "{head}, converged at {}, not at a known minimum.",
            point(&last.x)
        ),
    }
}

fn shown_step(upto: Option<usize>) -> Option<String> {
    upto.map(|k| format!("Playback shows the paths up to iteration {k}."))
}

/// The surfaces lab's plots: `"contour"`, `"surface3d"` or `"convergence"` (the canvas ids).
pub fn surfaces(plot: &str, e: &Experiment, traces: &[Trace], upto: Option<usize>) -> String {
    surfaces_sentences(plot, e, traces, upto).join(" ")
}

/// [`surfaces`] as sentences, each one for [`crate::i18n::say_sentences`].
pub fn surfaces_sentences(
    plot: &str,
    e: &Experiment,
    traces: &[Trace],
    upto: Option<usize>,
) -> Vec<String> {
    let v = e.view.view_box;
    let name = if e.surface == crate::lab::surfaces::SurfaceId::Formula {
        format!("f(x, y) = {}", e.formula_text())
    } else {
        e.surface.name().to_string()
    };
    let minima = e.surface.minima();
    let span = (v.x_max - v.x_min).max(v.y_max - v.y_min);
    let paths = || {
        traces
            .iter()
            .filter(|t| !t.iterates.is_empty())
            .map(|t| path_sentence(t, &minima, span))
            .collect::<Vec<_>>()
    };
    let area = boxed((v.x_min, v.x_max), (v.y_min, v.y_max));
    let mut out = match plot {
        "contour" => {
            let mut out = vec![format!("Contour map of {name} on {area}, darker is lower.")];
            match minima.len() {
                0 => {}
                1 => out.push("The known minimum is marked.".into()),
                n => out.push(format!("{n} known minima are marked.")),
            }
            out.extend(paths());
            out
        }
        "surface3d" => {
            let mut out = vec![format!(
                "3-D surface of {name} over {area}, higher is brighter, with the same paths."
            )];
            out.extend(paths());
            out
        }
        "convergence" => {
            let f_star = e
                .refined_minima()
                .iter()
                .map(|m| m.f)
                .fold(f64::INFINITY, f64::min);
            let mut out = vec![if f_star.is_finite() {
                format!(
                    "Convergence plot, log scales: the gap of f to the known minimum f* = {} \
                     (solid) and the gradient norm (dashed) per iteration.",
                    num(f_star)
                )
            } else {
                "Convergence plot, log scales: the gap of f to the best f reached (solid) and \
                 the gradient norm (dashed) per iteration."
                    .to_string()
            }];
            out.extend(traces.iter().filter(|t| !t.iterates.is_empty()).map(|t| {
                let (a, b) = (&t.iterates[0], t.last());
                format!(
                    "{}: f {} from {} to {} and the gradient norm from {} to {} in {}, {}.",
                    t.solver,
                    if b.f > a.f { "rose" } else { "fell" },
                    num(a.f),
                    num(b.f),
                    num(a.grad_norm),
                    num(b.grad_norm),
                    iterations(t.iterations()),
                    outcome(t)
                )
            }));
            out
        }
        _ => return Vec::new(),
    };
    out.extend(shown_step(upto));
    out
}

/// A run's loss over epochs: "GD (α = 0.1): loss from 12.3 to 0.98 in 50 epochs, converged."
fn loss_sentence(t: &crate::solver::minibatch::RegressionTrace) -> String {
    let (Some(a), Some(b)) = (t.epochs.first(), t.epochs.last()) else {
        return format!("{}: no epochs.", t.steps.solver);
    };
    let ending = match t.steps.stop {
        // Epochs are the run's budget: running them all is how a regression run ends.
        crate::trace::StopReason::MaxIterations => "all epochs run".to_string(),
        _ => outcome(&t.steps),
    };
    format!(
        "{}: loss from {} to {} in {} epochs, {ending}.",
        t.steps.solver,
        num(a.f),
        num(b.f),
        t.epochs.len().saturating_sub(1),
    )
}

/// The regression lab's plots: `"rg-data"`, `"rg-contour"`, `"rg-surface"`, `"rg-predicted"`,
/// `"rg-residuals"` or `"rg-loss"`.
pub fn regression(plot: &str, r: &RegressionResult) -> String {
    regression_sentences(plot, r).join(" ")
}

/// [`regression`] as sentences, each one for [`crate::i18n::say_sentences`].
pub fn regression_sentences(plot: &str, r: &RegressionResult) -> Vec<String> {
    let m = r.data.y.len();
    let exact = match &r.exact {
        Ok(fit) => {
            let parts: Vec<String> = r
                .features
                .iter()
                .zip(&fit.w)
                .map(|(n, w)| format!("{n}: {}", num(*w)))
                .collect();
            if fit.intercept {
                format!(
                    "The exact least-squares answer has weights {}, intercept b = {}, residual \
                     standard deviation {}.",
                    parts.join(", "),
                    num(fit.b),
                    num(fit.resid_sd)
                )
            } else {
                format!(
                    "The exact least-squares answer has weights {}, residual standard deviation {}.",
                    parts.join(", "),
                    num(fit.resid_sd)
                )
            }
        }
        Err(e) => format!("No exact least-squares answer: {e}."),
    };
    let losses = || r.traces.iter().map(loss_sentence);
    let y = |v: &[f64]| {
        let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        (lo, hi)
    };
    let (ylo, yhi) = y(&r.data.y);
    match plot {
        "rg-data" => {
            let mut out = vec![
                format!(
                    "Scatter of {m} data points, {} from {} to {}, with the line of each run and \
                     the exact least-squares line.",
                    r.data.target_name,
                    num(ylo),
                    num(yhi)
                ),
                exact,
            ];
            out.extend(losses());
            out
        }
        "rg-contour" | "rg-surface" => {
            let theta = if r.intercept && r.features.len() == 1 {
                "(w, b)"
            } else {
                "θ"
            };
            let mut out = vec![
                if plot == "rg-contour" {
                    "Contour map of the loss over the parameters with the path of each run and \
                     the exact minimum."
                } else {
                    "3-D surface of the loss over the parameters with the path of each run and \
                     the exact minimum."
                }
                .to_string(),
                exact,
            ];
            out.extend(
                r.traces
                    .iter()
                    .filter(|t| !t.steps.iterates.is_empty())
                    .map(|t| {
                        format!(
                            "{} went from {theta} = {} to {}.",
                            t.steps.solver,
                            point(&t.steps.iterates[0].x),
                            point(&t.steps.last().x)
                        )
                    }),
            );
            out
        }
        "rg-predicted" => vec![
            format!(
                "Predicted against actual target values for {m} data points; a perfect fit lies \
                 on the line."
            ),
            exact,
        ],
        "rg-residuals" => vec![
            format!(
                "Residuals against fitted values for {m} data points; a perfect fit lies on the \
                 line."
            ),
            exact,
        ],
        "rg-loss" => {
            let mut out = vec!["Training loss per epoch (and per batch), log scale.".to_string()];
            out.extend(losses());
            out
        }
        _ => Vec::new(),
    }
}

/// The curve-fitting lab's plots: `"fit-curve-canvas"`, `"fit-residuals"`, `"fit-convergence"`
/// or `"fit-landscape"`.
pub fn fit(plot: &str, r: &FitResult) -> String {
    fit_sentences(plot, r).join(" ")
}

/// [`fit`] as sentences, each one for [`crate::i18n::say_sentences`].
pub fn fit_sentences(plot: &str, r: &FitResult) -> Vec<String> {
    let m = r.data.y.len();
    let runs = || {
        r.runs.iter().map(|f| {
            let params: Vec<String> = r
                .param_names
                .iter()
                .zip(&f.run.params)
                .map(|(n, v)| format!("{n} = {}", num(*v)))
                .collect();
            let head = format!(
                "{}: {} in {}; {}, SSR = {}",
                f.run.trace.solver,
                outcome(&f.run.trace),
                iterations(f.run.trace.iterations()),
                params.join(", "),
                num(f.run.ssr),
            );
            match f.statistics.r_squared {
                Some(v) => format!("{head}, R² = {v:.4}."),
                None => format!("{head}."),
            }
        })
    };
    let mut out: Vec<String> = match plot {
        "fit-curve-canvas" => vec![format!(
            "{m} data points with the fitted curve of each run, model {} ({}).",
            r.model_name, r.formula
        )],
        "fit-residuals" => {
            let mut out = vec![format!(
                "Residuals at each of the {m} data points; no pattern means a good fit."
            )];
            out.extend(r.runs.iter().map(|f| {
                let n = f.run.residuals.len().max(1) as f64;
                let rms = (f.run.residuals.iter().map(|v| v * v).sum::<f64>() / n).sqrt();
                format!(
                    "{}: root-mean-square residual {}.",
                    f.run.trace.solver,
                    num(rms)
                )
            }));
            return out;
        }
        "fit-convergence" => {
            let mut out = vec![
                "Convergence plot, log scale: SSR, gradient norm and damping per record."
                    .to_string(),
            ];
            out.extend(
                r.runs
                    .iter()
                    .filter(|f| !f.run.trace.iterates.is_empty())
                    .map(|f| {
                        let t = &f.run.trace;
                        format!(
                            "{}: half the SSR fell from {} to {} in {}, {}.",
                            t.solver,
                            num(t.iterates[0].f),
                            num(t.last().f),
                            iterations(t.iterations()),
                            outcome(t)
                        )
                    }),
            );
            return out;
        }
        "fit-landscape" => vec![format!(
            "Contour map of the SSR over two of the parameters, starting at {}, with each run's \
             path.",
            point(&r.start)
        )],
        _ => return Vec::new(),
    };
    out.extend(runs());
    out
}

/// The curve-fitting lab's run announcement.
pub fn announce_fit(r: &FitResult) -> String {
    let traces: Vec<Trace> = r.runs.iter().map(|f| f.run.trace.clone()).collect();
    announce(&traces)
}

/// The regression lab's run announcement.
pub fn announce_regression(r: &RegressionResult) -> String {
    let traces: Vec<Trace> = r.traces.iter().map(|t| t.steps.clone()).collect();
    announce(&traces)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_aloud() {
        assert_eq!(num(1.4712), "1.47");
        assert_eq!(num(-6.5511), "−6.55");
        assert_eq!(num(-0.0001), "−1e−4");
        assert_eq!(num(3.2e-7), "3.2e−7");
        assert_eq!(num(0.0), "0.00");
        assert_eq!(num(-0.001 * 0.0), "0.00");
        assert_eq!(num(f64::NAN), "undefined");
        assert_eq!(point(&[0.2, -0.6]), "(0.20, −0.60)");
    }

    use crate::lab::surfaces::{SolverConfig, SurfaceId};

    fn quadratic_newton(start: [f64; 2]) -> Experiment {
        let mut e = Experiment::default();
        e.surface = SurfaceId::Quadratic;
        e.view.view_box = e.surface.view();
        e.start = start;
        e.solvers = vec![SolverConfig::default_for("newton").unwrap()];
        e
    }

    #[test]
    fn default_peaks_run_is_described_with_its_own_numbers() {
        let e = Experiment::default();
        let traces = e.run().unwrap();
        let t = &traces[0];
        let d = surfaces("contour", &e, &traces, None);
        let expected = format!(
            "{} went from {} to {} in {} iterations, f from {} to {}, converged at the global \
             minimum near (0.23, −1.63).",
            t.solver,
            point(&e.start),
            point(&t.last().x),
            t.iterations(),
            num(t.iterates[0].f),
            num(t.last().f)
        );
        assert!(d.starts_with("Contour map of "), "{d}");
        assert!(d.contains("[−3.00, 3.00]²"), "{d}");
        assert!(d.contains(&expected), "{d}\n{expected}");
        assert!(d.contains("−6.55"), "{d}");
        assert_eq!(
            announce(&traces),
            format!(
                "Run finished: {} converged in {} iterations",
                t.solver,
                t.iterations()
            )
        );
        let c = surfaces("convergence", &e, &traces, None);
        let fell = format!("f fell from {} to −6.55", num(t.iterates[0].f));
        assert!(c.contains("f* = −6.55") && c.contains(&fell), "{c}");
    }

    #[test]
    fn newton_on_a_quadratic_is_described_as_one_step_to_the_origin() {
        // Newton minimizes a quadratic exactly in one step: the description says so.
        let e = quadratic_newton([1.5, -2.0]);
        let traces = e.run().unwrap();
        let d = surfaces("contour", &e, &traces, None);
        assert!(
            d.contains("went from (1.50, −2.00) to (0.00, 0.00) in 1 iteration, f from ")
                && d.contains(", converged at the global minimum near (0.00, 0.00)."),
            "{d}"
        );
        // The description follows the run: another start, another text.
        let e2 = quadratic_newton([-1.0, 0.5]);
        let d2 = surfaces("contour", &e2, &e2.run().unwrap(), None);
        assert!(
            d2.contains("went from (−1.00, 0.50) to (0.00, 0.00)"),
            "{d2}"
        );
        // Playback is said when it does not show the whole run.
        assert!(surfaces("surface3d", &e, &traces, Some(0)).ends_with("up to iteration 0."));
        assert_eq!(surfaces("nope", &e, &traces, None), "");
    }

    #[test]
    fn a_diverging_run_is_announced_as_diverged() {
        let mut e = quadratic_newton([1.0, 1.0]);
        e.solvers = vec![SolverConfig::GradientDescent { learning_rate: 5.0 }];
        let traces = e.run().unwrap();
        assert_eq!(traces[0].stop, crate::trace::StopReason::Diverged);
        let a = announce(&traces);
        assert!(
            a.starts_with("Run finished: Gradient descent (α = 5) diverged after "),
            "{a}"
        );
        let d = surfaces("contour", &e, &traces, None);
        assert!(
            d.contains(", diverged.") && !d.contains("minimum near"),
            "{d}"
        );
    }

    #[test]
    fn regression_and_fit_plots_are_described_from_their_runs() {
        let r = crate::lab::regression::run(&Default::default()).unwrap();
        let exact = r.exact.as_ref().unwrap();
        for id in [
            "rg-data",
            "rg-contour",
            "rg-surface",
            "rg-predicted",
            "rg-residuals",
        ] {
            let d = regression(id, &r);
            assert!(
                d.contains(&format!("intercept b = {}", num(exact.b))),
                "{id}: {d}"
            );
        }
        let d = regression("rg-data", &r);
        assert!(
            d.starts_with(&format!("Scatter of {} data points", r.data.y.len())),
            "{d}"
        );
        let l = regression("rg-loss", &r);
        for t in &r.traces {
            let last = t.epochs.last().unwrap();
            assert!(l.contains(&format!("to {} in", num(last.f))), "{l}");
        }
        assert!(announce_regression(&r).starts_with("Run finished: "));

        let f = crate::lab::fit::run(&Default::default()).unwrap();
        let d = fit("fit-curve-canvas", &f);
        let lm = &f.runs[0];
        assert!(
            d.contains(&format!("{} = {}", f.param_names[0], num(lm.run.params[0])))
                && d.contains(&format!("SSR = {}", num(lm.run.ssr))),
            "{d}"
        );
        for id in ["fit-residuals", "fit-convergence", "fit-landscape"] {
            assert!(!fit(id, &f).is_empty(), "{id}");
        }
        assert!(
            announce_fit(&f).contains(" converged in "),
            "{}",
            announce_fit(&f)
        );
    }
}
