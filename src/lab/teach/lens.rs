//! The curvature lens: the local quadratic model of a 2-D surface at one iterate.
//!
//! f(x + p) ≈ f(x) + gᵀp + ½ pᵀHp. Its Hessian H has eigenvalues λ₁ ≤ λ₂ with eigenvectors v₁, v₂
//! (the principal curvatures and their directions); κ = λ₂/λ₁ when both are positive; gradient
//! descent with a fixed step α is stable along vᵢ only while α < 2/λᵢ, so 2/λmax is the largest
//! stable step here. The Newton step p = −H⁻¹g jumps to the model's minimum; where H is not
//! positive definite the model has none, and the step shown is the shifted one
//! p = −(H + τI)⁻¹g that gradlab's Newton solver takes ([`shifted_newton_direction`]).

use crate::diff::{Evaluator, GradientSource};
use crate::lab::explain::{num, vec};
use crate::problem::Objective;
use crate::solver::newton::shifted_newton_direction;
use serde::Serialize;

/// What the local quadratic model looks like.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Curvature {
    /// Both eigenvalues > 0: a bowl; the model has a minimum.
    PositiveDefinite,
    /// One eigenvalue < 0 < the other: a saddle.
    Indefinite,
    /// Both < 0: a cap; the model has a maximum.
    NegativeDefinite,
    /// An eigenvalue is (numerically) zero: a trough or a plateau.
    Flat,
}

/// The lens at one point.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Lens {
    /// The point x.
    pub x: [f64; 2],
    /// f(x).
    pub f: f64,
    /// ∇f(x).
    pub gradient: [f64; 2],
    /// H as rows.
    pub hessian: [[f64; 2]; 2],
    /// λ₁ ≤ λ₂.
    pub eigenvalues: [f64; 2],
    /// Unit eigenvectors of λ₁ and λ₂.
    pub eigenvectors: [[f64; 2]; 2],
    /// Bowl, saddle, cap or flat.
    pub curvature: Curvature,
    /// λ₂/λ₁ for a bowl, else `None`.
    pub condition: Option<f64>,
    /// 2/λmax when λmax > 0: the largest stable fixed step of gradient descent here.
    pub stable_step: Option<f64>,
    /// The Newton step p (shifted when H is not positive definite).
    pub newton_step: Option<[f64; 2]>,
    /// The shift τ used (0 for a plain Newton step).
    pub shift: f64,
    /// Semi-axes of the model's level set through x, along v₁ and v₂ (a bowl only), centred at
    /// x + p: the ellipse {x + p + a·v₁ cos t + b·v₂ sin t}.
    pub ellipse: Option<[f64; 2]>,
}

/// Eigen-decomposition of a symmetric 2×2 matrix: (λ₁ ≤ λ₂, [v₁, v₂]) with unit vectors.
pub fn eig2(h: [[f64; 2]; 2]) -> ([f64; 2], [[f64; 2]; 2]) {
    let (a, b, d) = (h[0][0], 0.5 * (h[0][1] + h[1][0]), h[1][1]);
    let mean = 0.5 * (a + d);
    let r = (0.25 * (a - d) * (a - d) + b * b).sqrt();
    let (l1, l2) = (mean - r, mean + r);
    // v₂ from the better-conditioned row of (H − λ₂I); v₁ ⟂ v₂.
    let v2 = if b == 0.0 {
        if a >= d {
            [1.0, 0.0]
        } else {
            [0.0, 1.0]
        }
    } else {
        let (p, q) = if (l2 - a).abs() >= (l2 - d).abs() {
            (b, l2 - a)
        } else {
            (l2 - d, b)
        };
        let n = p.hypot(q);
        [p / n, q / n]
    };
    let v1 = [-v2[1], v2[0]];
    ([l1, l2], [v1, v2])
}

impl Lens {
    /// The lens of `objective` at `x` (gradients and Hessian from `source`, as the run used them).
    pub fn at(objective: &dyn Objective, source: GradientSource, x: [f64; 2]) -> Option<Lens> {
        let ev = Evaluator::new(objective, source);
        let f = ev.value(&x);
        let mut g = [0.0; 2];
        ev.gradient(&x, &mut g);
        let hm = ev.hessian(&x);
        let h = [[hm[(0, 0)], hm[(0, 1)]], [hm[(1, 0)], hm[(1, 1)]]];
        if !(f.is_finite() && g.iter().chain(h.iter().flatten()).all(|v| v.is_finite())) {
            return None;
        }
        let (lambda, v) = eig2(h);
        let scale = lambda[0].abs().max(lambda[1].abs());
        let tiny = 1e-9 * scale.max(1e-300);
        let curvature = if scale == 0.0 || lambda[0].abs() <= tiny || lambda[1].abs() <= tiny {
            Curvature::Flat
        } else if lambda[0] > 0.0 {
            Curvature::PositiveDefinite
        } else if lambda[1] < 0.0 {
            Curvature::NegativeDefinite
        } else {
            Curvature::Indefinite
        };
        let condition = (curvature == Curvature::PositiveDefinite).then(|| lambda[1] / lambda[0]);
        let stable_step = (lambda[1] > 0.0).then(|| 2.0 / lambda[1]);
        let newton = shifted_newton_direction(&hm, &g, crate::lab::surfaces::defaults::MIN_SHIFT);
        let (newton_step, shift) = match newton {
            Some((p, tau)) => (Some([p[0], p[1]]), tau),
            None => (None, 0.0),
        };
        // Level set of q(p) = gᵀp + ½pᵀHp through p = 0, around its minimum p*: ½(p−p*)ᵀH(p−p*) = c
        // with c = ½ p*ᵀHp*; semi-axis along vᵢ is √(2c/λᵢ).
        let ellipse = match (curvature, newton_step) {
            (Curvature::PositiveDefinite, Some(p)) if shift == 0.0 => {
                let hp = [
                    h[0][0] * p[0] + h[0][1] * p[1],
                    h[1][0] * p[0] + h[1][1] * p[1],
                ];
                let c = 0.5 * (p[0] * hp[0] + p[1] * hp[1]);
                (c > 0.0).then(|| [(2.0 * c / lambda[0]).sqrt(), (2.0 * c / lambda[1]).sqrt()])
            }
            _ => None,
        };
        Some(Lens {
            x,
            f,
            gradient: g,
            hessian: h,
            eigenvalues: lambda,
            eigenvectors: v,
            curvature,
            condition,
            stable_step,
            newton_step,
            shift,
            ellipse,
        })
    }

    /// What the lens says, in lines of plain text; `alpha` is the chosen fixed step, if any.
    pub fn lines(&self, alpha: Option<f64>) -> Vec<String> {
        let [l1, l2] = self.eigenvalues;
        let mut out = vec![format!(
            "Hessian at {}: eigenvalues λ₁ = {}, λ₂ = {} along v₁ = {}, v₂ = {}",
            vec(&self.x),
            num(l1),
            num(l2),
            vec(&self.eigenvectors[0]),
            vec(&self.eigenvectors[1]),
        )];
        out.push(match self.curvature {
            Curvature::PositiveDefinite => format!(
                "a bowl: condition number κ = λ₂/λ₁ = {} (the level sets are ellipses {} times longer than wide)",
                num(self.condition.unwrap_or(f64::NAN)),
                num(self.condition.unwrap_or(f64::NAN).sqrt()),
            ),
            Curvature::Indefinite => "a saddle: the Hessian is indefinite (λ₁ < 0 < λ₂); the quadratic model has no minimum, f falls along v₁".into(),
            Curvature::NegativeDefinite => "a cap: both curvatures are negative; the quadratic model has a maximum here, not a minimum".into(),
            Curvature::Flat => "flat: a curvature is (numerically) zero — a trough or a plateau; κ is infinite".into(),
        });
        if let Some(s) = self.stable_step {
            let cmp = match alpha {
                Some(a) if a >= s => format!(
                    "; your α = {} ≥ 2/λmax: a fixed step overshoots along v₂ and grows",
                    num(a)
                ),
                Some(a) => format!(
                    "; your α = {} is below it (α·λmax = {}{})",
                    num(a),
                    num(a * l2),
                    if a * l2 > 1.0 {
                        ": each step overshoots along v₂ and flips sign, but shrinks"
                    } else {
                        ""
                    }
                ),
                None => String::new(),
            };
            out.push(format!(
                "largest stable fixed step here: 2/λmax = {}{cmp}",
                num(s)
            ));
        }
        if let Some(p) = self.newton_step {
            let to = [self.x[0] + p[0], self.x[1] + p[1]];
            out.push(if self.shift == 0.0 {
                format!(
                    "Newton step p = −H⁻¹∇f = {} → {} (the quadratic model's minimum; dashed ghost on the map)",
                    vec(&p),
                    vec(&to)
                )
            } else {
                format!(
                    "H is not positive definite, so −H⁻¹∇f would not go downhill: shifted Newton step p = −(H + τI)⁻¹∇f with τ = {} → {} (dashed ghost)",
                    num(self.shift),
                    vec(&to)
                )
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::surfaces::SurfaceId;
    use crate::problem::surfaces::Quadratic;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * b.abs().max(1.0)
    }

    #[test]
    fn quadratic_lens_is_the_closed_form() {
        // ½(x² + κy²): H = diag(1, κ); v₁ = ±e_x, v₂ = ±e_y; κ; 2/λmax = 2/κ; Newton lands on 0.
        let q = Quadratic { condition: 10.0 };
        let lens = Lens::at(&q, GradientSource::Analytic, [2.5, 1.5]).unwrap();
        assert!(close(lens.eigenvalues[0], 1.0, 1e-12) && close(lens.eigenvalues[1], 10.0, 1e-12));
        assert!(
            close(lens.eigenvectors[0][0].abs(), 1.0, 1e-12)
                && lens.eigenvectors[0][1].abs() < 1e-12
        );
        assert!(
            close(lens.eigenvectors[1][1].abs(), 1.0, 1e-12)
                && lens.eigenvectors[1][0].abs() < 1e-12
        );
        assert_eq!(lens.curvature, Curvature::PositiveDefinite);
        assert!(close(lens.condition.unwrap(), 10.0, 1e-12));
        assert!(close(lens.stable_step.unwrap(), 0.2, 1e-12));
        let p = lens.newton_step.unwrap();
        assert!(close(lens.x[0] + p[0], 0.0, 1e-12) && close(lens.x[1] + p[1], 0.0, 1e-12));
        assert_eq!(lens.shift, 0.0);
        // The ellipse through x centred at 0: (x/a)² + (y/b)² = 1.
        let [a, b] = lens.ellipse.unwrap();
        assert!(close((2.5 / a).powi(2) + (1.5 / b).powi(2), 1.0, 1e-12));
        assert!(close(a / b, 10f64.sqrt(), 1e-12));
        let text = lens.lines(Some(0.21)).join("\n");
        assert!(text.contains("κ = λ₂/λ₁ = 10"), "{text}");
        assert!(
            text.contains("2/λmax = 0.2") && text.contains("α = 0.21 ≥ 2/λmax"),
            "{text}"
        );
    }

    #[test]
    fn rosenbrock_lens_at_the_minimum_is_the_closed_form() {
        // H(1, 1) = [[802, −400], [−400, 200]]: λ = 501 ∓ √(301² + 400²) = 501 ∓ √250601.
        let r = SurfaceId::Rosenbrock.objective();
        let lens = Lens::at(r.as_ref(), GradientSource::Analytic, [1.0, 1.0]).unwrap();
        let root = 250601f64.sqrt();
        assert!(
            close(lens.eigenvalues[0], 501.0 - root, 1e-12),
            "{:?}",
            lens.eigenvalues
        );
        assert!(close(lens.eigenvalues[1], 501.0 + root, 1e-12));
        assert!(close(
            lens.condition.unwrap(),
            (501.0 + root) / (501.0 - root),
            1e-9
        ));
        // Hv = λv for both.
        for i in 0..2 {
            let v = lens.eigenvectors[i];
            let hv = [802.0 * v[0] - 400.0 * v[1], -400.0 * v[0] + 200.0 * v[1]];
            assert!(
                close(hv[0], lens.eigenvalues[i] * v[0], 1e-9)
                    && close(hv[1], lens.eigenvalues[i] * v[1], 1e-9)
            );
        }
        assert_eq!(lens.newton_step, Some([0.0, 0.0]));
    }

    #[test]
    fn a_saddle_says_so_and_shows_the_shifted_step() {
        let s = SurfaceId::Saddle.objective();
        let lens = Lens::at(s.as_ref(), GradientSource::Analytic, [0.5, 0.25]).unwrap();
        assert_eq!(lens.curvature, Curvature::Indefinite);
        assert!(lens.condition.is_none() && lens.ellipse.is_none());
        assert!(
            lens.shift > 2.0,
            "the shift makes H + τI positive definite: {}",
            lens.shift
        );
        let p = lens.newton_step.unwrap();
        // Downhill: ∇fᵀp < 0.
        assert!(lens.gradient[0] * p[0] + lens.gradient[1] * p[1] < 0.0);
        assert!(lens.lines(None).join(" ").contains("shifted Newton step"));
    }
}
