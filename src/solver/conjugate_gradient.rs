//! Nonlinear conjugate gradient: Fletcher–Reeves and Polak–Ribière+, with restarts.
//!
//! p₀ = −∇f₀; p_{k+1} = −∇f_{k+1} + β_{k+1} p_k with
//! * Fletcher–Reeves: β = ‖∇f_{k+1}‖² / ‖∇f_k‖²;
//! * Polak–Ribière+: β = max(0, ∇f_{k+1}ᵀ(∇f_{k+1} − ∇f_k) / ‖∇f_k‖²).
//!
//! α_k from a strong-Wolfe search with c₂ = 0.1 (N&W recommend c₂ < ½ for CG). Restarts (β = 0):
//! every `restart_every` iterations (0 means n), when |∇f_{k+1}ᵀ∇f_k| ≥ 0.1‖∇f_{k+1}‖² (Powell's
//! test, N&W eq. 5.52), and whenever p is not a descent direction. First trial step of each line
//! search: α_{k−1} ∇f_{k−1}ᵀp_{k−1} / ∇f_kᵀp_k (N&W eq. 3.60).
//! Reference: Nocedal & Wright, *Numerical Optimization* (2nd ed.), §5.2, Alg. 5.4.

use super::line_search::strong_wolfe;
use super::{dot, Solver, State, StepInfo};
use crate::diff::{norm, Evaluator};

/// The β formula.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CgFormula {
    /// Fletcher–Reeves.
    FletcherReeves,
    /// Polak–Ribière, clipped at 0 (PR+).
    PolakRibierePlus,
}

/// Nonlinear conjugate gradient.
#[derive(Clone, Debug)]
pub struct ConjugateGradient {
    /// The β formula.
    pub formula: CgFormula,
    /// Restart every this many iterations (0 = every n).
    pub restart_every: usize,
    /// Sufficient-decrease constant c₁.
    pub c1: f64,
    /// Curvature constant c₂ (c₁ < c₂ < ½ recommended).
    pub c2: f64,
    p: Vec<f64>,
    since_restart: usize,
    prev_alpha_slope: Option<f64>,
}

impl ConjugateGradient {
    /// A CG solver with the given β formula.
    pub fn new(formula: CgFormula, restart_every: usize, c1: f64, c2: f64) -> Self {
        ConjugateGradient {
            formula,
            restart_every,
            c1,
            c2,
            p: Vec::new(),
            since_restart: 0,
            prev_alpha_slope: None,
        }
    }
}

impl Solver for ConjugateGradient {
    fn name(&self) -> String {
        match self.formula {
            CgFormula::FletcherReeves => "CG (Fletcher–Reeves)".to_string(),
            CgFormula::PolakRibierePlus => "CG (Polak–Ribière+)".to_string(),
        }
    }

    fn init(&mut self, _ev: &Evaluator, state: &State) {
        self.p = state.grad.iter().map(|v| -v).collect();
        self.since_restart = 0;
        self.prev_alpha_slope = None;
        if self.restart_every == 0 {
            self.restart_every = state.x.len();
        }
    }

    fn step(&mut self, ev: &Evaluator, state: &mut State) -> StepInfo {
        let mut restarted = false;
        let mut slope = dot(&self.p, &state.grad);
        if slope.is_nan() || slope >= 0.0 {
            self.p = state.grad.iter().map(|v| -v).collect();
            slope = dot(&self.p, &state.grad);
            restarted = true;
        }
        let alpha0 = match self.prev_alpha_slope {
            Some(prev) if !restarted => (prev / slope).clamp(1e-10, 1e10),
            _ => (1.0 / norm(&state.grad)).min(1.0),
        };
        let ls = strong_wolfe(
            ev,
            &state.x,
            state.f,
            &state.grad,
            &self.p,
            alpha0,
            self.c1,
            self.c2,
            60,
        );
        let mut info = StepInfo {
            extra: vec![
                ("alpha".into(), ls.alpha),
                ("line_search_trials".into(), ls.trials as f64),
            ],
            ..Default::default()
        };
        if !ls.ok {
            info.stop = Some(ls.failure());
            return info;
        }
        self.prev_alpha_slope = Some(ls.alpha * slope);
        let gg = dot(&state.grad, &state.grad);
        let gn = &ls.grad;
        let mut beta = match self.formula {
            CgFormula::FletcherReeves => dot(gn, gn) / gg,
            CgFormula::PolakRibierePlus => {
                let num: f64 = gn.iter().zip(&state.grad).map(|(a, b)| a * (a - b)).sum();
                (num / gg).max(0.0)
            }
        };
        self.since_restart += 1;
        if self.since_restart >= self.restart_every
            || dot(gn, &state.grad).abs() >= 0.1 * dot(gn, gn)
            || !beta.is_finite()
        {
            beta = 0.0;
            self.since_restart = 0;
            restarted = true;
        }
        for (pi, gi) in self.p.iter_mut().zip(gn) {
            *pi = -gi + beta * *pi;
        }
        info.extra.push(("beta".into(), beta));
        info.extra
            .push(("restarted".into(), restarted as u8 as f64));
        state.x = ls.x;
        state.f = ls.f;
        state.grad = ls.grad;
        info
    }
}
