//! Line searches shared by the solvers: backtracking (Armijo) and strong Wolfe.
//!
//! Along a descent direction p from x, φ(α) = f(x + αp), φ′(0) = ∇f(x)ᵀp < 0.
//! * Armijo (sufficient decrease): φ(α) ≤ φ(0) + c₁ α φ′(0).
//! * Strong Wolfe: Armijo and |φ′(α)| ≤ c₂ |φ′(0)|, 0 < c₁ < c₂ < 1.
//!
//! Reference: Nocedal & Wright, *Numerical Optimization* (2nd ed.), Alg. 3.1 (backtracking),
//! Alg. 3.5–3.6 (strong-Wolfe bracketing and zoom) with the cubic interpolation of eq. (3.59).
//! A non-finite φ(α) is treated as "too far" (the step is shortened), so a line search never
//! returns a non-finite point. When φ keeps decreasing with ever steeper slope (f unbounded below
//! along p) the strong-Wolfe search returns its last, longest sufficient-decrease step instead of
//! failing, so the run ends with `Diverged` rather than `LineSearchFailed`.
//!
//! **Why a search failed.** A failed search always ends with tiny trial steps, so the size of the
//! last step says nothing. What tells round-off from a real failure is the evidence of the failed
//! trials: for each, the quadratic q(t) = φ(0) + φ′(0)t + ct² through φ(0), φ′(0) and φ(α) has a
//! minimum of depth D(α) = (αφ′(0))² / (4(φ(α) − φ(0) − αφ′(0))) below φ(0) — the most decrease
//! that data point lets any step promise. The resolution of f is taken as
//! τ = max([`RESOLUTION`]·ε·|φ(0)|, σ), where σ is the largest |φ(α) − φ(0)| seen at trials whose
//! predicted change |αφ′(0)| is below ε·|φ(0)| (there any change of f is round-off: σ measures the
//! noise of an f computed with cancellation, which can exceed ε·|f| by orders of magnitude). When
//! every failed trial has D(α) ≤ τ, the decrease sought is below what f resolves in floating
//! point ([`LineSearch::precision_limited`], reported as `PrecisionLimit`); when some trial
//! promised more (e.g. f rose along p although φ′(0) < 0 said it should fall: a wrong gradient),
//! or p is not a descent direction, it is a real failure (`LineSearchFailed`).

use super::{State, StepInfo};
use crate::diff::{norm, Evaluator};
use crate::trace::StopReason;

/// Result of a line search.
#[derive(Clone, Debug)]
pub struct LineSearch {
    /// Accepted step length α (0 when it failed).
    pub alpha: f64,
    /// x + αp.
    pub x: Vec<f64>,
    /// f(x + αp).
    pub f: f64,
    /// ∇f(x + αp) (strong Wolfe only; empty after backtracking).
    pub grad: Vec<f64>,
    /// Function evaluations spent (trial steps).
    pub trials: usize,
    /// `false` when no acceptable step was found.
    pub ok: bool,
    /// Set on failure when no failed trial promised a decrease above the resolution of f (see
    /// the module doc): the search failed because of round-off.
    pub precision_limited: bool,
}

/// The least resolution of f assumed by the precision-limit test, in units of ε·|f(x)|: a decrease
/// smaller than 100 rounding errors of f cannot be told from the rounding of a sum of a few dozen
/// terms, so a search that can promise no more has hit the precision limit. (The noise measured
/// along the search raises it; module doc.)
pub const RESOLUTION: f64 = 100.0;

/// The deepest decrease promised by the failed trials of one search, and the noise of f seen
/// (module doc).
#[derive(Clone, Copy, Debug)]
struct Promise {
    f0: f64,
    d0: f64,
    deepest: f64,
    noise: f64,
}

impl Promise {
    fn new(f0: f64, d0: f64) -> Self {
        Promise {
            f0,
            d0,
            deepest: 0.0,
            noise: 0.0,
        }
    }

    /// Records the failed trial φ(α) = `fa`. A non-finite φ(α) promises nothing.
    fn failed(&mut self, alpha: f64, fa: f64) {
        if !fa.is_finite() {
            return;
        }
        let linear = alpha * self.d0;
        if linear.abs() <= f64::EPSILON * self.f0.abs() {
            self.noise = self.noise.max((fa - self.f0).abs());
        }
        let excess = fa - self.f0 - linear;
        let depth = if excess > 0.0 {
            linear * linear / (4.0 * excess)
        } else {
            f64::INFINITY
        };
        self.deepest = self.deepest.max(depth);
    }

    /// `true` when p was a descent direction and no failed trial promised more than round-off.
    fn below_resolution(&self) -> bool {
        let resolution = (RESOLUTION * f64::EPSILON * self.f0.abs()).max(self.noise);
        self.d0 < 0.0 && self.deepest <= resolution
    }
}

impl LineSearch {
    /// Why a failed search failed: [`StopReason::PrecisionLimit`] when
    /// [`LineSearch::precision_limited`], else [`StopReason::LineSearchFailed`].
    pub fn failure(&self) -> StopReason {
        if self.precision_limited {
            StopReason::PrecisionLimit
        } else {
            StopReason::LineSearchFailed
        }
    }
}

fn point(x: &[f64], p: &[f64], alpha: f64) -> Vec<f64> {
    x.iter().zip(p).map(|(a, b)| a + alpha * b).collect()
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(p, q)| p * q).sum()
}

/// Backtracking line search: α = α₀, ρα₀, ρ²α₀, … until the Armijo condition holds
/// (at most `max_trials` trials).
#[allow(clippy::too_many_arguments)]
pub fn backtracking(
    ev: &Evaluator,
    x: &[f64],
    f: f64,
    g: &[f64],
    p: &[f64],
    alpha0: f64,
    c1: f64,
    rho: f64,
    max_trials: usize,
) -> LineSearch {
    let slope = dot(g, p);
    let mut promise = Promise::new(f, slope);
    let mut alpha = alpha0;
    for trial in 1..=max_trials {
        let xa = point(x, p, alpha);
        let fa = ev.value(&xa);
        if fa.is_finite() && fa <= f + c1 * alpha * slope {
            return LineSearch {
                alpha,
                x: xa,
                f: fa,
                grad: Vec::new(),
                trials: trial,
                ok: true,
                precision_limited: false,
            };
        }
        promise.failed(alpha, fa);
        alpha *= rho;
    }
    LineSearch {
        alpha: 0.0,
        x: x.to_vec(),
        f,
        grad: Vec::new(),
        trials: max_trials,
        ok: false,
        precision_limited: max_trials > 0 && promise.below_resolution(),
    }
}

/// Minimizer of the cubic interpolating φ, φ′ at a and b (N&W eq. 3.59), or `None`.
fn cubic_min(a: f64, fa: f64, da: f64, b: f64, fb: f64, db: f64) -> Option<f64> {
    let d1 = da + db - 3.0 * (fa - fb) / (a - b);
    let disc = d1 * d1 - da * db;
    if disc < 0.0 {
        return None;
    }
    let d2 = (b - a).signum() * disc.sqrt();
    let den = db - da + 2.0 * d2;
    if den == 0.0 {
        return None;
    }
    let t = b - (b - a) * (db + d2 - d1) / den;
    t.is_finite().then_some(t)
}

/// Minimizer of the quadratic through φ(a), φ′(a), φ(b), or `None`.
fn quadratic_min(a: f64, fa: f64, da: f64, b: f64, fb: f64) -> Option<f64> {
    let w = b - a;
    let c = (fb - fa - da * w) / (w * w);
    if c.is_nan() || c <= 0.0 {
        return None;
    }
    let t = a - da / (2.0 * c);
    t.is_finite().then_some(t)
}

/// Strong-Wolfe line search from α₀ (N&W Alg. 3.5 with zoom, Alg. 3.6). Needs ∇f(x)ᵀp < 0.
///
/// `max_trials` bounds the function evaluations. The accepted point's gradient is returned.
#[allow(clippy::too_many_arguments)]
pub fn strong_wolfe(
    ev: &Evaluator,
    x: &[f64],
    f0: f64,
    g0: &[f64],
    p: &[f64],
    alpha0: f64,
    c1: f64,
    c2: f64,
    max_trials: usize,
) -> LineSearch {
    let n = x.len();
    let d0 = dot(g0, p);
    let mut trials = 0;
    let mut promise = Promise::new(f0, d0);
    let fail = |trials, precision_limited| LineSearch {
        alpha: 0.0,
        x: x.to_vec(),
        f: f0,
        grad: g0.to_vec(),
        trials,
        ok: false,
        precision_limited,
    };
    if d0.is_nan() || d0 >= 0.0 {
        return fail(0, false);
    }
    let mut g = vec![0.0; n];
    // Bracketing phase.
    let (mut a_prev, mut f_prev, mut d_prev) = (0.0, f0, d0);
    let mut a = alpha0;
    // Bracket [lo, hi] for the zoom; hi's slope may be unknown.
    let (mut lo, mut f_lo, mut d_lo, mut hi, mut f_hi, mut d_hi);
    loop {
        if trials >= max_trials {
            return fail(trials, false);
        }
        let xa = point(x, p, a);
        let fa = ev.value(&xa);
        trials += 1;
        if !fa.is_finite() || fa > f0 + c1 * a * d0 || (trials > 1 && fa >= f_prev) {
            promise.failed(a, fa);
            (lo, f_lo, d_lo, hi, f_hi, d_hi) = (a_prev, f_prev, d_prev, a, fa, None);
            break;
        }
        ev.gradient(&xa, &mut g);
        let da = dot(&g, p);
        if !da.is_finite() {
            (lo, f_lo, d_lo, hi, f_hi, d_hi) = (a_prev, f_prev, d_prev, a, f64::INFINITY, None);
            break;
        }
        if da.abs() <= -c2 * d0 {
            return LineSearch {
                alpha: a,
                x: xa,
                f: fa,
                grad: g,
                trials,
                ok: true,
                precision_limited: false,
            };
        }
        if da >= 0.0 {
            (lo, f_lo, d_lo, hi, f_hi, d_hi) = (a, fa, da, a_prev, f_prev, Some(d_prev));
            break;
        }
        (a_prev, f_prev, d_prev) = (a, fa, da);
        a *= 2.0;
        if a > 1e12 || trials >= max_trials {
            // Still descending steeply with no bracket: f looks unbounded below along p. Return
            // the last (sufficient-decrease) point; the driver's divergence test decides.
            return LineSearch {
                alpha: a_prev,
                x: xa,
                f: fa,
                grad: g,
                trials,
                ok: true,
                precision_limited: false,
            };
        }
    }
    // Zoom phase: φ(lo) satisfies Armijo and is the lowest so far; the bracket holds a Wolfe point.
    loop {
        if trials >= max_trials || (hi - lo).abs() <= 1e-16 * lo.abs().max(1e-16) {
            break;
        }
        let (left, right) = if lo < hi { (lo, hi) } else { (hi, lo) };
        let w = right - left;
        let guess = if f_hi.is_finite() {
            match d_hi {
                Some(dh) => cubic_min(lo, f_lo, d_lo, hi, f_hi, dh),
                None => quadratic_min(lo, f_lo, d_lo, hi, f_hi),
            }
        } else {
            None
        };
        let aj = match guess {
            Some(t) if t > left + 0.1 * w && t < right - 0.1 * w => t,
            _ => 0.5 * (lo + hi),
        };
        let xj = point(x, p, aj);
        let fj = ev.value(&xj);
        trials += 1;
        if !fj.is_finite() || fj > f0 + c1 * aj * d0 || fj >= f_lo {
            promise.failed(aj, fj);
            (hi, f_hi, d_hi) = (aj, fj, None);
            continue;
        }
        ev.gradient(&xj, &mut g);
        let dj = dot(&g, p);
        if dj.abs() <= -c2 * d0 {
            return LineSearch {
                alpha: aj,
                x: xj,
                f: fj,
                grad: g,
                trials,
                ok: true,
                precision_limited: false,
            };
        }
        if dj * (hi - lo) >= 0.0 {
            (hi, f_hi, d_hi) = (lo, f_lo, Some(d_lo));
        }
        (lo, f_lo, d_lo) = (aj, fj, dj);
    }
    // No Wolfe point within budget: accept the best Armijo point found, if it moved.
    if lo > 0.0 {
        let xl = point(x, p, lo);
        ev.gradient(&xl, &mut g);
        return LineSearch {
            alpha: lo,
            x: xl,
            f: f_lo,
            grad: g,
            trials,
            ok: true,
            precision_limited: false,
        };
    }
    fail(trials, promise.below_resolution())
}

/// What one quasi-Newton iteration (BFGS, L-BFGS) needs from its line search: the search, the
/// trials it took, whether the model had to be dropped, and the pair s = x₊ − x, y = ∇f₊ − ∇f.
pub(crate) struct QuasiNewtonSearch {
    pub ls: LineSearch,
    pub trials: usize,
    /// The search along the model's direction failed and steepest descent was tried instead:
    /// the caller resets its model (H = I, or an empty memory).
    pub restarted: bool,
    pub s: Vec<f64>,
    pub y: Vec<f64>,
    /// yᵀs.
    pub ys: f64,
}

impl QuasiNewtonSearch {
    /// The record shared by both methods: α, the line-search trials, and a named stop when the
    /// search failed.
    pub fn info(&self) -> StepInfo {
        StepInfo {
            extra: vec![
                ("alpha".into(), self.ls.alpha),
                ("line_search_trials".into(), self.trials as f64),
            ],
            stop: (!self.ls.ok).then(|| self.ls.failure()),
            ..Default::default()
        }
    }

    /// Moves `state` to the accepted point.
    pub fn accept(self, state: &mut State) {
        state.x = self.ls.x;
        state.f = self.ls.f;
        state.grad = self.ls.grad;
    }
}

/// The strong-Wolfe search of a quasi-Newton step along `p` (a descent direction). `fresh`: the
/// model holds no curvature yet, so the first trial is α = min(1, 1/‖∇f‖) instead of 1. When the
/// search fails along a model's direction it is tried once more along −∇f (N&W §6.1).
pub(crate) fn quasi_newton_search(
    ev: &Evaluator,
    state: &State,
    p: &[f64],
    fresh: bool,
    c1: f64,
    c2: f64,
) -> QuasiNewtonSearch {
    let a0 = |fresh: bool| {
        if fresh {
            (1.0 / norm(&state.grad)).min(1.0)
        } else {
            1.0
        }
    };
    let search = |p: &[f64], fresh: bool| {
        strong_wolfe(ev, &state.x, state.f, &state.grad, p, a0(fresh), c1, c2, 60)
    };
    let mut ls = search(p, fresh);
    let mut trials = ls.trials;
    let restarted = !ls.ok && !fresh;
    if restarted {
        let steepest: Vec<f64> = state.grad.iter().map(|v| -v).collect();
        ls = search(&steepest, true);
        trials += ls.trials;
    }
    let s: Vec<f64> = ls.x.iter().zip(&state.x).map(|(a, b)| a - b).collect();
    let y: Vec<f64> = ls
        .grad
        .iter()
        .zip(&state.grad)
        .map(|(a, b)| a - b)
        .collect();
    let ys = dot(&y, &s);
    QuasiNewtonSearch {
        ls,
        trials,
        restarted,
        s,
        y,
        ys,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::GradientSource;
    use crate::problem::surfaces::Rosenbrock;

    #[test]
    fn strong_wolfe_point_satisfies_both_conditions() {
        let ev = Evaluator::new(&Rosenbrock, GradientSource::Analytic);
        let x = [-1.2, 1.0];
        let mut g = [0.0; 2];
        ev.gradient(&x, &mut g);
        let f0 = ev.value(&x);
        let p = [-g[0], -g[1]];
        let (c1, c2) = (1e-4, 0.9);
        for alpha0 in [1e-4, 1e-3, 1.0, 10.0] {
            let ls = strong_wolfe(&ev, &x, f0, &g, &p, alpha0, c1, c2, 60);
            assert!(ls.ok, "α₀ = {alpha0}");
            let d0 = dot(&g, &p);
            assert!(ls.f <= f0 + c1 * ls.alpha * d0);
            assert!(dot(&ls.grad, &p).abs() <= c2 * d0.abs());
        }
    }

    #[test]
    fn backtracking_satisfies_armijo() {
        let ev = Evaluator::new(&Rosenbrock, GradientSource::Analytic);
        let x = [-1.2, 1.0];
        let mut g = [0.0; 2];
        ev.gradient(&x, &mut g);
        let f0 = ev.value(&x);
        let p = [-g[0], -g[1]];
        let ls = backtracking(&ev, &x, f0, &g, &p, 1.0, 1e-4, 0.5, 60);
        assert!(ls.ok && ls.trials > 1);
        assert!(ls.f <= f0 + 1e-4 * ls.alpha * dot(&g, &p));
        // The previous trial (2α) must have failed Armijo.
        let x2 = point(&x, &p, 2.0 * ls.alpha);
        assert!(ev.value(&x2) > f0 + 1e-4 * 2.0 * ls.alpha * dot(&g, &p));
    }
}
