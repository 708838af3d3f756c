//! Nelder–Mead downhill simplex (derivative-free).
//!
//! Standard coefficients: reflection 1, expansion 2, contraction ½, shrink ½. Each iteration
//! orders the n+1 vertices, reflects the worst through the centroid of the others, then expands,
//! contracts (outside or inside) or shrinks toward the best vertex, as in Lagarias, Reeds, Wright &
//! Wright, "Convergence properties of the Nelder–Mead simplex method in low dimensions", SIAM J.
//! Optim. 9 (1998), §2. The initial simplex is x₀ and x₀ + h eᵢ (h = `initial_size`).
//!
//! With `adaptive` and n > 2 the coefficients depend on the dimension (Gao & Han, "Implementing
//! the Nelder–Mead simplex algorithm with adaptive parameters", Comput. Optim. Appl. 51 (2012)):
//! reflection 1, expansion 1 + 2/n, contraction ¾ − 1/(2n), shrink 1 − 1/n. For n = 2 these
//! equal the standard ones exactly, and for n = 1 they degenerate (shrink 0), so n ≤ 2 always
//! uses the standard coefficients.
//!
//! Stops by itself when the simplex is small — every vertex within `x_tol` of the best one (∞-norm)
//! — and flat — f_worst − f_best ≤ `f_tol`·max(1, |f_best|). With [`NmStopRule::Both`] (the
//! default, like scipy's `xatol` and `fatol` and Nelder & Mead's original test) both must hold
//! and the stop is `StepTolerance`; with [`NmStopRule::Either`] (v2) the first that holds stops
//! the run (`StepTolerance` or `FunctionTolerance`). The trace records the simplex after every
//! iteration; `state.x` is the best vertex. No gradient is evaluated (unless `trace_gradient`).

use super::{Solver, State, StepInfo};
use crate::diff::Evaluator;
use crate::trace::StopReason;
use serde::{Deserialize, Serialize};

/// Which of Nelder–Mead's two convergence tests must hold to stop (serde: `"both"`, `"either"`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NmStopRule {
    /// Simplex small and f flat over it (scipy's `xatol` and `fatol`).
    #[default]
    Both,
    /// Simplex small or f flat over it (v2: a flat but wide simplex stopped early).
    Either,
}

/// Nelder–Mead.
#[derive(Clone, Debug)]
pub struct NelderMead {
    /// Edge length h of the initial simplex.
    pub initial_size: f64,
    /// Simplex-size tolerance (max distance of a vertex from the best).
    pub x_tol: f64,
    /// Spread tolerance on f over the vertices (relative to max(1, |f_best|)).
    pub f_tol: f64,
    /// Which tests must hold to stop.
    pub stop_rule: NmStopRule,
    /// Gao–Han dimension-dependent coefficients for n > 2.
    pub adaptive: bool,
    /// Evaluate ∇f at every iterate for the trace (v2 did; counted). Off by default: the method
    /// never needs it.
    pub trace_gradient: bool,
    vertices: Vec<Vec<f64>>,
    values: Vec<f64>,
}

impl NelderMead {
    /// A Nelder–Mead solver with the default stop rule ([`NmStopRule::Both`]), adaptive
    /// coefficients for n > 2 and no gradient in the trace.
    pub fn new(initial_size: f64, x_tol: f64, f_tol: f64) -> Self {
        NelderMead {
            initial_size,
            x_tol,
            f_tol,
            stop_rule: NmStopRule::Both,
            adaptive: true,
            trace_gradient: false,
            vertices: Vec::new(),
            values: Vec::new(),
        }
    }

    /// (expansion, contraction, shrink) coefficients for dimension `n` (reflection is 1).
    pub fn coefficients(&self, n: usize) -> (f64, f64, f64) {
        if self.adaptive && n > 2 {
            let n = n as f64;
            (1.0 + 2.0 / n, 0.75 - 1.0 / (2.0 * n), 1.0 - 1.0 / n)
        } else {
            (2.0, 0.5, 0.5)
        }
    }

    fn order(&mut self) {
        let mut idx: Vec<usize> = (0..self.values.len()).collect();
        // NaN sorts last (treated as worst).
        idx.sort_by(|&a, &b| {
            let (fa, fb) = (self.values[a], self.values[b]);
            fa.partial_cmp(&fb)
                .unwrap_or_else(|| fa.is_nan().cmp(&fb.is_nan()))
        });
        self.vertices = idx.iter().map(|&i| self.vertices[i].clone()).collect();
        self.values = idx.iter().map(|&i| self.values[i]).collect();
    }
}

/// c + t (p − c).
fn toward(c: &[f64], p: &[f64], t: f64) -> Vec<f64> {
    c.iter().zip(p).map(|(ci, pi)| ci + t * (pi - ci)).collect()
}

/// Operation codes recorded as `"operation"`.
const REFLECT: f64 = 1.0;
const EXPAND: f64 = 2.0;
const CONTRACT_OUT: f64 = 3.0;
const CONTRACT_IN: f64 = 4.0;
const SHRINK: f64 = 5.0;

impl Solver for NelderMead {
    fn name(&self) -> String {
        "Nelder–Mead".to_string()
    }

    fn uses_gradient(&self) -> bool {
        false
    }

    fn records_gradient(&self) -> bool {
        self.trace_gradient
    }

    fn init(&mut self, ev: &Evaluator, state: &State) {
        let n = state.x.len();
        self.vertices = vec![state.x.clone()];
        self.values = vec![state.f];
        for i in 0..n {
            let mut v = state.x.clone();
            v[i] += self.initial_size;
            self.values.push(ev.value(&v));
            self.vertices.push(v);
        }
        self.order();
    }

    fn step(&mut self, ev: &Evaluator, state: &mut State) -> StepInfo {
        let n = state.x.len();
        let (expand, contract, shrink) = self.coefficients(n);
        let worst = self.vertices[n].clone();
        let (f_best, f_second, f_worst) = (self.values[0], self.values[n - 1], self.values[n]);
        let mut centroid = vec![0.0; n];
        for v in &self.vertices[..n] {
            for (c, vi) in centroid.iter_mut().zip(v) {
                *c += vi / n as f64;
            }
        }
        let xr = toward(&centroid, &worst, -1.0);
        let fr = ev.value(&xr);
        let mut op = REFLECT;
        let mut replace = None;
        if fr < f_best {
            let xe = toward(&centroid, &worst, -expand);
            let fe = ev.value(&xe);
            if fe < fr {
                op = EXPAND;
                replace = Some((xe, fe));
            } else {
                replace = Some((xr, fr));
            }
        } else if fr < f_second {
            replace = Some((xr, fr));
        } else if fr < f_worst {
            let xc = toward(&centroid, &xr, contract);
            let fc = ev.value(&xc);
            op = CONTRACT_OUT;
            if fc <= fr {
                replace = Some((xc, fc));
            }
        } else {
            let xc = toward(&centroid, &worst, contract);
            let fc = ev.value(&xc);
            op = CONTRACT_IN;
            if fc < f_worst {
                replace = Some((xc, fc));
            }
        }
        match replace {
            Some((x, f)) => {
                self.vertices[n] = x;
                self.values[n] = f;
            }
            None => {
                op = SHRINK;
                let best = self.vertices[0].clone();
                for i in 1..=n {
                    self.vertices[i] = toward(&best, &self.vertices[i], shrink);
                    self.values[i] = ev.value(&self.vertices[i]);
                }
            }
        }
        self.order();
        state.x = self.vertices[0].clone();
        state.f = self.values[0];
        let size = self.vertices[1..]
            .iter()
            .map(|v| {
                v.iter()
                    .zip(&self.vertices[0])
                    .map(|(a, b)| (a - b).abs())
                    .fold(0.0, f64::max)
            })
            .fold(0.0, f64::max);
        let spread = self.values[n] - self.values[0];
        let small = size <= self.x_tol;
        let flat = spread <= self.f_tol * self.values[0].abs().max(1.0);
        let stop = match self.stop_rule {
            NmStopRule::Both => (small && flat).then_some(StopReason::StepTolerance),
            NmStopRule::Either if small => Some(StopReason::StepTolerance),
            NmStopRule::Either if flat => Some(StopReason::FunctionTolerance),
            NmStopRule::Either => None,
        };
        StepInfo {
            extra: vec![
                ("operation".into(), op),
                ("simplex_size".into(), size),
                ("f_spread".into(), spread),
            ],
            simplex: Some(self.vertices.clone()),
            stop,
        }
    }
}
