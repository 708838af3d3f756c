//! Built-in 2-D test surfaces.

use super::Objective;
use crate::math::exp;
use serde::{Deserialize, Serialize};

/// A rectangle of the (x, y) plane: the default view of a surface.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ViewBox {
    pub x_min: f64,
    pub x_max: f64,
    pub y_min: f64,
    pub y_max: f64,
}

impl ViewBox {
    /// A box from its corners.
    pub const fn new(x_min: f64, x_max: f64, y_min: f64, y_max: f64) -> Self {
        ViewBox {
            x_min,
            x_max,
            y_min,
            y_max,
        }
    }

    /// `true` when the box has finite, strictly increasing bounds.
    pub fn is_valid(&self) -> bool {
        [self.x_min, self.x_max, self.y_min, self.y_max]
            .iter()
            .all(|v| v.is_finite())
            && self.x_min < self.x_max
            && self.y_min < self.y_max
    }
}

/// MATLAB's *peaks* function:
///
/// f(x, y) = 3(1−x)² e^{−x²−(y+1)²} − 10(x/5 − x³ − y⁵) e^{−x²−y²} − ⅓ e^{−(x+1)²−y²}
///
/// Three maxima and three minima; global minimum ≈ −6.551133 at (0.228279, −1.625535).
#[derive(Clone, Copy, Debug, Default)]
pub struct Peaks;

impl Peaks {
    /// The formula as shown on the page.
    pub const FORMULA: &'static str =
        "3(1−x)² e^(−x²−(y+1)²) − 10(x/5 − x³ − y⁵) e^(−x²−y²) − ⅓ e^(−(x+1)²−y²)";
    /// The default view box, [−3, 3]².
    pub const VIEW: ViewBox = ViewBox::new(-3.0, 3.0, -3.0, 3.0);

    /// f(x, y).
    pub fn eval(x: f64, y: f64) -> f64 {
        let e1 = exp(-x * x - (y + 1.0) * (y + 1.0));
        let e2 = exp(-x * x - y * y);
        let e3 = exp(-(x + 1.0) * (x + 1.0) - y * y);
        3.0 * (1.0 - x).powi(2) * e1 - 10.0 * (x / 5.0 - x.powi(3) - y.powi(5)) * e2 - e3 / 3.0
    }

    /// ∇f(x, y), derived by hand term by term.
    pub fn grad(x: f64, y: f64) -> [f64; 2] {
        let e1 = exp(-x * x - (y + 1.0) * (y + 1.0));
        let e2 = exp(-x * x - y * y);
        let e3 = exp(-(x + 1.0) * (x + 1.0) - y * y);
        let p = x / 5.0 - x.powi(3) - y.powi(5);
        // term 1: 3(1−x)² e1
        let t1x = 3.0 * e1 * (-2.0 * (1.0 - x) - 2.0 * x * (1.0 - x).powi(2));
        let t1y = 3.0 * (1.0 - x).powi(2) * e1 * (-2.0 * (y + 1.0));
        // term 2: −10 p e2
        let t2x = -10.0 * e2 * ((0.2 - 3.0 * x * x) - 2.0 * x * p);
        let t2y = -10.0 * e2 * (-5.0 * y.powi(4) - 2.0 * y * p);
        // term 3: −⅓ e3
        let t3x = (2.0 * (x + 1.0) / 3.0) * e3;
        let t3y = (2.0 * y / 3.0) * e3;
        [t1x + t2x + t3x, t1y + t2y + t3y]
    }
}

impl Objective for Peaks {
    fn dim(&self) -> usize {
        2
    }
    fn value(&self, x: &[f64]) -> f64 {
        Peaks::eval(x[0], x[1])
    }
    fn gradient(&self, x: &[f64], g: &mut [f64]) -> bool {
        g.copy_from_slice(&Peaks::grad(x[0], x[1]));
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::central_gradient;

    #[test]
    fn peaks_known_values() {
        // Values computed independently from MATLAB's peaks definition (e.g. peaks(1,1) in MATLAB/NumPy).
        assert!(
            (Peaks::eval(1.0, 1.0) - 2.433_789_6).abs() < 1e-6,
            "{}",
            Peaks::eval(1.0, 1.0)
        );
        assert!(
            (Peaks::eval(0.0, 0.0) - 0.981_011_6).abs() < 1e-6,
            "{}",
            Peaks::eval(0.0, 0.0)
        );
    }

    #[test]
    fn peaks_gradient_matches_central_differences() {
        let mut worst: f64 = 0.0;
        for i in 0..41 {
            for j in 0..41 {
                let x = [
                    -3.0 + 0.15 * i as f64 + 0.013,
                    -3.0 + 0.15 * j as f64 + 0.007,
                ];
                let g = Peaks::grad(x[0], x[1]);
                let fd = central_gradient(&Peaks, &x);
                for k in 0..2 {
                    let scale = g[k].abs().max(1e-2);
                    worst = worst.max((g[k] - fd[k]).abs() / scale);
                }
            }
        }
        assert!(worst < 1e-6, "worst relative error {worst}");
    }
}
