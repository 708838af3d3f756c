//! BFGS quasi-Newton with a strong-Wolfe line search.
//!
//! p_k = −H_k ∇f_k; α_k from the strong-Wolfe search (c₁, c₂); s = α_k p_k, y = ∇f_{k+1} − ∇f_k,
//! ρ = 1/(yᵀs), H_{k+1} = (I − ρ s yᵀ) H_k (I − ρ y sᵀ) + ρ s sᵀ (N&W eq. 6.17). Before the first
//! update H₀ = (yᵀs / yᵀy) I (N&W eq. 6.20). The update is skipped when yᵀs ≤ 10⁻¹⁰‖s‖‖y‖ (the
//! curvature condition failed); a failed line search resets H to I and tries steepest descent once.
//! Reference: Nocedal & Wright, *Numerical Optimization* (2nd ed.), Alg. 6.1.

use super::line_search::quasi_newton_search;
use super::{dot, Solver, State, StepInfo};
use crate::diff::{norm, Evaluator};
use nalgebra::{DMatrix, DVector};

/// BFGS.
#[derive(Clone, Debug)]
pub struct Bfgs {
    /// Sufficient-decrease constant c₁.
    pub c1: f64,
    /// Curvature constant c₂ (c₁ < c₂ < 1).
    pub c2: f64,
    h: DMatrix<f64>,
    first: bool,
}

impl Bfgs {
    /// BFGS with inverse-Hessian approximation H₀ = I.
    pub fn new(c1: f64, c2: f64) -> Self {
        Bfgs {
            c1,
            c2,
            h: DMatrix::zeros(0, 0),
            first: true,
        }
    }
}

impl Solver for Bfgs {
    fn name(&self) -> String {
        "BFGS".to_string()
    }

    fn init(&mut self, _ev: &Evaluator, state: &State) {
        let n = state.x.len();
        self.h = DMatrix::identity(n, n);
        self.first = true;
    }

    fn step(&mut self, ev: &Evaluator, state: &mut State) -> StepInfo {
        let n = state.x.len();
        let g = DVector::from_column_slice(&state.grad);
        let mut p: Vec<f64> = (-(&self.h * &g)).iter().copied().collect();
        if dot(&p, &state.grad) >= 0.0 {
            self.h = DMatrix::identity(n, n);
            self.first = true;
            p = state.grad.iter().map(|v| -v).collect();
        }
        let qn = quasi_newton_search(ev, state, &p, self.first, self.c1, self.c2);
        if qn.restarted {
            self.h = DMatrix::identity(n, n);
            self.first = true;
        }
        let mut info = qn.info();
        if info.stop.is_some() {
            return info;
        }
        let (s, y, ys) = (&qn.s, &qn.y, qn.ys);
        let skipped = ys.is_nan() || ys <= 1e-10 * norm(s) * norm(y);
        if !skipped {
            if self.first {
                self.h = DMatrix::identity(n, n) * (ys / dot(y, y));
                self.first = false;
            }
            let rho = 1.0 / ys;
            let sv = DVector::from_column_slice(s);
            let yv = DVector::from_column_slice(y);
            let hy = &self.h * &yv;
            let yhy = yv.dot(&hy);
            // Expanded form of (I − ρsyᵀ)H(I − ρysᵀ) + ρssᵀ.
            self.h += (&sv * sv.transpose()) * (rho * rho * yhy + rho)
                - (&hy * sv.transpose() + &sv * hy.transpose()) * rho;
        }
        info.extra
            .push(("update_skipped".into(), skipped as u8 as f64));
        qn.accept(state);
        info
    }
}
