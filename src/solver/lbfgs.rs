//! Limited-memory BFGS with a strong-Wolfe line search.
//!
//! Keeps the last m pairs (s, y); the direction p = −H_k ∇f_k comes from the two-loop recursion
//! (N&W Alg. 7.4) with H⁰_k = γ_k I, γ_k = sᵀy / yᵀy of the newest pair (N&W eq. 7.20). Pairs with
//! yᵀs ≤ 10⁻¹⁰‖s‖‖y‖ are not stored. A failed line search clears the memory and retries once
//! along −∇f. Reference: Nocedal & Wright, *Numerical Optimization* (2nd ed.), Alg. 7.5;
//! Liu & Nocedal (1989), Math. Programming 45.

use super::line_search::quasi_newton_search;
use super::{dot, Solver, State, StepInfo};
use crate::diff::{norm, Evaluator};
use std::collections::VecDeque;

/// L-BFGS.
#[derive(Clone, Debug)]
pub struct Lbfgs {
    /// Memory m ≥ 1: number of (s, y) pairs kept.
    pub memory: usize,
    /// Sufficient-decrease constant c₁.
    pub c1: f64,
    /// Curvature constant c₂ (c₁ < c₂ < 1).
    pub c2: f64,
    pairs: VecDeque<(Vec<f64>, Vec<f64>, f64)>,
}

impl Lbfgs {
    /// L-BFGS with empty memory.
    pub fn new(memory: usize, c1: f64, c2: f64) -> Self {
        Lbfgs {
            memory,
            c1,
            c2,
            pairs: VecDeque::new(),
        }
    }

    /// −H_k g by the two-loop recursion.
    fn direction(&self, g: &[f64]) -> Vec<f64> {
        let mut q = g.to_vec();
        let mut alphas = Vec::with_capacity(self.pairs.len());
        for (s, y, rho) in self.pairs.iter().rev() {
            let a = rho * dot(s, &q);
            for (qi, yi) in q.iter_mut().zip(y) {
                *qi -= a * yi;
            }
            alphas.push(a);
        }
        if let Some((s, y, _)) = self.pairs.back() {
            let gamma = dot(s, y) / dot(y, y);
            q.iter_mut().for_each(|v| *v *= gamma);
        }
        for ((s, y, rho), a) in self.pairs.iter().zip(alphas.iter().rev()) {
            let b = rho * dot(y, &q);
            for (qi, si) in q.iter_mut().zip(s) {
                *qi += (a - b) * si;
            }
        }
        q.iter().map(|v| -v).collect()
    }
}

impl Solver for Lbfgs {
    fn name(&self) -> String {
        format!("L-BFGS (m = {})", self.memory)
    }

    fn init(&mut self, _ev: &Evaluator, _state: &State) {
        self.pairs.clear();
    }

    fn step(&mut self, ev: &Evaluator, state: &mut State) -> StepInfo {
        let mut p = self.direction(&state.grad);
        let slope = dot(&p, &state.grad);
        if slope.is_nan() || slope >= 0.0 {
            self.pairs.clear();
            p = state.grad.iter().map(|v| -v).collect();
        }
        let qn = quasi_newton_search(ev, state, &p, self.pairs.is_empty(), self.c1, self.c2);
        if qn.restarted {
            self.pairs.clear();
        }
        let mut info = qn.info();
        if info.stop.is_some() {
            return info;
        }
        if qn.ys > 1e-10 * norm(&qn.s) * norm(&qn.y) {
            if self.pairs.len() == self.memory {
                self.pairs.pop_front();
            }
            self.pairs
                .push_back((qn.s.clone(), qn.y.clone(), 1.0 / qn.ys));
        }
        info.extra
            .push(("memory_used".into(), self.pairs.len() as f64));
        qn.accept(state);
        info
    }
}
