//! Built-in 2-D test surfaces.
//!
//! Each surface is written ONCE, generically over the number type ([`Surface::fxy`]), so the same
//! code gives f64 values, dual-number gradients and hyper-dual Hessians (see [`crate::diff::ad`]).
//! Some also carry a hand-derived gradient/Hessian, checked against AD and finite differences.
//!
//! Known minima: Wikipedia, "Test functions for optimization"; Surjanovic & Bingham, *Virtual
//! Library of Simulation Experiments* (<https://www.sfu.ca/~ssurjano/optimization.html>); Jamil &
//! Yang (2013), "A literature survey of benchmark functions for global optimization problems".

use super::Objective;
use crate::diff::ad::{self, GenericFunction, Scalar};
use crate::math::{cos, exp, sin};
use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};
use std::f64::consts::{E, PI};

/// A rectangle of the (x, y) plane: the default view of a surface.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ViewBox {
    /// Left edge.
    pub x_min: f64,
    /// Right edge.
    pub x_max: f64,
    /// Bottom edge.
    pub y_min: f64,
    /// Top edge.
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

/// A minimum of a surface as given in the literature (digits as published).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct KnownMinimum {
    /// Location (x, y).
    pub x: [f64; 2],
    /// Value f(x, y).
    pub f: f64,
    /// `true` for a global minimum.
    pub global: bool,
}

const fn global(x: f64, y: f64, f: f64) -> KnownMinimum {
    KnownMinimum {
        x: [x, y],
        f,
        global: true,
    }
}

/// A 2-D test surface f(x, y), written once over any [`Scalar`].
pub trait Surface {
    /// Display name.
    fn name(&self) -> &'static str;
    /// The formula as shown on the page (Unicode).
    fn formula(&self) -> &'static str;
    /// The default view box.
    fn view(&self) -> ViewBox;
    /// The default start point.
    fn start(&self) -> [f64; 2];
    /// Known minima (from the literature), the global ones first. Empty if unbounded below.
    fn minima(&self) -> Vec<KnownMinimum>;
    /// f(x, y) in any number type (f64, dual, hyper-dual).
    fn fxy<T: Scalar>(&self, x: T, y: T) -> T;
    /// f(x, y) in f64, as solvers and plots see it. Defaults to [`Surface::fxy`]; surfaces with
    /// transcendental functions override it with [`crate::math`] so runs are bit-identical
    /// natively and in wasm.
    fn value_f64(&self, x: f64, y: f64) -> f64 {
        self.fxy(x, y)
    }
    /// The hand-derived gradient, if written.
    fn analytic_gradient(&self, _x: f64, _y: f64) -> Option<[f64; 2]> {
        None
    }
    /// The hand-derived Hessian, if written.
    fn analytic_hessian(&self, _x: f64, _y: f64) -> Option<[[f64; 2]; 2]> {
        None
    }
}

impl<S: Surface> GenericFunction for S {
    fn eval<T: Scalar>(&self, x: &[T]) -> T {
        self.fxy(x[0], x[1])
    }
}

impl<S: Surface> Objective for S {
    fn dim(&self) -> usize {
        2
    }
    fn value(&self, x: &[f64]) -> f64 {
        self.value_f64(x[0], x[1])
    }
    fn gradient(&self, x: &[f64], g: &mut [f64]) -> bool {
        match self.analytic_gradient(x[0], x[1]) {
            Some(a) => {
                g.copy_from_slice(&a);
                true
            }
            None => false,
        }
    }
    fn hessian(&self, x: &[f64]) -> Option<DMatrix<f64>> {
        self.analytic_hessian(x[0], x[1])
            .map(|h| DMatrix::from_row_slice(2, 2, &[h[0][0], h[0][1], h[1][0], h[1][1]]))
    }
    fn automatic_gradient(&self, x: &[f64], g: &mut [f64]) -> bool {
        ad::gradient_into(self, x, g);
        true
    }
    fn automatic_hessian(&self, x: &[f64]) -> Option<DMatrix<f64>> {
        Some(ad::hessian(self, x))
    }
}

/// `T::from(c)`, short.
#[inline]
fn c<T: Scalar>(v: f64) -> T {
    T::from(v)
}

// ---------------------------------------------------------------------------------------------
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
        // libm's exp (crate::math), not the generic path: the same bits natively and in wasm.
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

impl Surface for Peaks {
    fn name(&self) -> &'static str {
        "peaks"
    }
    fn formula(&self) -> &'static str {
        Peaks::FORMULA
    }
    fn view(&self) -> ViewBox {
        Peaks::VIEW
    }
    fn start(&self) -> [f64; 2] {
        [-0.2, -0.6]
    }
    fn minima(&self) -> Vec<KnownMinimum> {
        // MATLAB peaks; located by Newton's method on the closed form (no published table).
        vec![
            global(0.228_279, -1.625_535, -6.551_133),
            KnownMinimum {
                x: [-1.347_396, 0.204_519],
                f: -3.049_849,
                global: false,
            },
            // A shallow third minimum between the peaks (Hessian positive definite there).
            KnownMinimum {
                x: [0.296_446, 0.320_196],
                f: -0.064_936,
                global: false,
            },
        ]
    }
    fn fxy<T: Scalar>(&self, x: T, y: T) -> T {
        let one = c::<T>(1.0);
        let e1 = (-x * x - (y + 1.0) * (y + 1.0)).exp();
        let e2 = (-x * x - y * y).exp();
        let e3 = (-(x + 1.0) * (x + 1.0) - y * y).exp();
        (one - x).powi(2) * e1 * 3.0 - (x / 5.0 - x.powi(3) - y.powi(5)) * e2 * 10.0 - e3 / 3.0
    }
    fn value_f64(&self, x: f64, y: f64) -> f64 {
        Peaks::eval(x, y)
    }
    fn analytic_gradient(&self, x: f64, y: f64) -> Option<[f64; 2]> {
        Some(Peaks::grad(x, y))
    }
}

/// Rosenbrock's banana valley, a = 1, b = 100: f = (1 − x)² + 100(y − x²)². Minimum 0 at (1, 1).
#[derive(Clone, Copy, Debug, Default)]
pub struct Rosenbrock;

impl Surface for Rosenbrock {
    fn name(&self) -> &'static str {
        "Rosenbrock"
    }
    fn formula(&self) -> &'static str {
        "(1 − x)² + 100(y − x²)²"
    }
    fn view(&self) -> ViewBox {
        ViewBox::new(-2.0, 2.0, -1.0, 3.0)
    }
    fn start(&self) -> [f64; 2] {
        [-1.2, 1.0]
    }
    fn minima(&self) -> Vec<KnownMinimum> {
        vec![global(1.0, 1.0, 0.0)]
    }
    fn fxy<T: Scalar>(&self, x: T, y: T) -> T {
        let a = c::<T>(1.0) - x;
        let b = y - x * x;
        a * a + b * b * 100.0
    }
    fn analytic_gradient(&self, x: f64, y: f64) -> Option<[f64; 2]> {
        let b = y - x * x;
        Some([-2.0 * (1.0 - x) - 400.0 * x * b, 200.0 * b])
    }
    fn analytic_hessian(&self, x: f64, y: f64) -> Option<[[f64; 2]; 2]> {
        Some([
            [1200.0 * x * x - 400.0 * y + 2.0, -400.0 * x],
            [-400.0 * x, 200.0],
        ])
    }
}

/// Himmelblau's function f = (x² + y − 11)² + (x + y² − 7)²: four global minima, all f = 0.
#[derive(Clone, Copy, Debug, Default)]
pub struct Himmelblau;

impl Surface for Himmelblau {
    fn name(&self) -> &'static str {
        "Himmelblau"
    }
    fn formula(&self) -> &'static str {
        "(x² + y − 11)² + (x + y² − 7)²"
    }
    fn view(&self) -> ViewBox {
        ViewBox::new(-5.0, 5.0, -5.0, 5.0)
    }
    fn start(&self) -> [f64; 2] {
        [0.0, 0.0]
    }
    fn minima(&self) -> Vec<KnownMinimum> {
        vec![
            global(3.0, 2.0, 0.0),
            global(-2.805_118, 3.131_312, 0.0),
            global(-3.779_310, -3.283_186, 0.0),
            global(3.584_428, -1.848_126, 0.0),
        ]
    }
    fn fxy<T: Scalar>(&self, x: T, y: T) -> T {
        let a = x * x + y - 11.0;
        let b = x + y * y - 7.0;
        a * a + b * b
    }
    fn analytic_gradient(&self, x: f64, y: f64) -> Option<[f64; 2]> {
        let a = x * x + y - 11.0;
        let b = x + y * y - 7.0;
        Some([4.0 * x * a + 2.0 * b, 2.0 * a + 4.0 * y * b])
    }
    fn analytic_hessian(&self, x: f64, y: f64) -> Option<[[f64; 2]; 2]> {
        let off = 4.0 * (x + y);
        Some([
            [12.0 * x * x + 4.0 * y - 42.0, off],
            [off, 4.0 * x + 12.0 * y * y - 26.0],
        ])
    }
}

/// Beale's function f = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)². Minimum 0 at (3, ½).
#[derive(Clone, Copy, Debug, Default)]
pub struct Beale;

impl Surface for Beale {
    fn name(&self) -> &'static str {
        "Beale"
    }
    fn formula(&self) -> &'static str {
        "(1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²"
    }
    fn view(&self) -> ViewBox {
        ViewBox::new(-4.5, 4.5, -4.5, 4.5)
    }
    fn start(&self) -> [f64; 2] {
        [1.0, 1.0]
    }
    fn minima(&self) -> Vec<KnownMinimum> {
        vec![global(3.0, 0.5, 0.0)]
    }
    fn fxy<T: Scalar>(&self, x: T, y: T) -> T {
        let a = c::<T>(1.5) - x + x * y;
        let b = c::<T>(2.25) - x + x * y * y;
        let d = c::<T>(2.625) - x + x * y * y * y;
        a * a + b * b + d * d
    }
}

/// Booth's function f = (x + 2y − 7)² + (2x + y − 5)². Minimum 0 at (1, 3).
#[derive(Clone, Copy, Debug, Default)]
pub struct Booth;

impl Surface for Booth {
    fn name(&self) -> &'static str {
        "Booth"
    }
    fn formula(&self) -> &'static str {
        "(x + 2y − 7)² + (2x + y − 5)²"
    }
    fn view(&self) -> ViewBox {
        ViewBox::new(-10.0, 10.0, -10.0, 10.0)
    }
    fn start(&self) -> [f64; 2] {
        [-6.0, -4.0]
    }
    fn minima(&self) -> Vec<KnownMinimum> {
        vec![global(1.0, 3.0, 0.0)]
    }
    fn fxy<T: Scalar>(&self, x: T, y: T) -> T {
        let a = x + y * 2.0 - 7.0;
        let b = x * 2.0 + y - 5.0;
        a * a + b * b
    }
    fn analytic_gradient(&self, x: f64, y: f64) -> Option<[f64; 2]> {
        Some([10.0 * x + 8.0 * y - 34.0, 8.0 * x + 10.0 * y - 38.0])
    }
    fn analytic_hessian(&self, _x: f64, _y: f64) -> Option<[[f64; 2]; 2]> {
        Some([[10.0, 8.0], [8.0, 10.0]])
    }
}

/// Matyas' function f = 0.26(x² + y²) − 0.48xy. Minimum 0 at (0, 0).
#[derive(Clone, Copy, Debug, Default)]
pub struct Matyas;

impl Surface for Matyas {
    fn name(&self) -> &'static str {
        "Matyas"
    }
    fn formula(&self) -> &'static str {
        "0.26(x² + y²) − 0.48xy"
    }
    fn view(&self) -> ViewBox {
        ViewBox::new(-10.0, 10.0, -10.0, 10.0)
    }
    fn start(&self) -> [f64; 2] {
        [8.0, 3.0]
    }
    fn minima(&self) -> Vec<KnownMinimum> {
        vec![global(0.0, 0.0, 0.0)]
    }
    fn fxy<T: Scalar>(&self, x: T, y: T) -> T {
        (x * x + y * y) * 0.26 - x * y * 0.48
    }
    fn analytic_gradient(&self, x: f64, y: f64) -> Option<[f64; 2]> {
        Some([0.52 * x - 0.48 * y, 0.52 * y - 0.48 * x])
    }
    fn analytic_hessian(&self, _x: f64, _y: f64) -> Option<[[f64; 2]; 2]> {
        Some([[0.52, -0.48], [-0.48, 0.52]])
    }
}

/// Three-hump camel f = 2x² − 1.05x⁴ + x⁶/6 + xy + y². Global minimum 0 at (0, 0).
#[derive(Clone, Copy, Debug, Default)]
pub struct ThreeHumpCamel;

impl Surface for ThreeHumpCamel {
    fn name(&self) -> &'static str {
        "three-hump camel"
    }
    fn formula(&self) -> &'static str {
        "2x² − 1.05x⁴ + x⁶/6 + xy + y²"
    }
    fn view(&self) -> ViewBox {
        ViewBox::new(-2.5, 2.5, -2.5, 2.5)
    }
    fn start(&self) -> [f64; 2] {
        [-2.0, 2.0]
    }
    fn minima(&self) -> Vec<KnownMinimum> {
        vec![global(0.0, 0.0, 0.0)]
    }
    fn fxy<T: Scalar>(&self, x: T, y: T) -> T {
        let x2 = x * x;
        x2 * 2.0 - x2 * x2 * 1.05 + x2 * x2 * x2 / 6.0 + x * y + y * y
    }
}

/// Six-hump camel f = (4 − 2.1x² + x⁴/3)x² + xy + (−4 + 4y²)y². Two global minima −1.0316 at
/// ±(0.0898, −0.7126).
#[derive(Clone, Copy, Debug, Default)]
pub struct SixHumpCamel;

impl Surface for SixHumpCamel {
    fn name(&self) -> &'static str {
        "six-hump camel"
    }
    fn formula(&self) -> &'static str {
        "(4 − 2.1x² + x⁴/3)x² + xy + (−4 + 4y²)y²"
    }
    fn view(&self) -> ViewBox {
        ViewBox::new(-3.0, 3.0, -2.0, 2.0)
    }
    fn start(&self) -> [f64; 2] {
        [-1.5, -1.0]
    }
    fn minima(&self) -> Vec<KnownMinimum> {
        vec![
            global(0.0898, -0.7126, -1.0316),
            global(-0.0898, 0.7126, -1.0316),
        ]
    }
    fn fxy<T: Scalar>(&self, x: T, y: T) -> T {
        let x2 = x * x;
        let y2 = y * y;
        (c::<T>(4.0) - x2 * 2.1 + x2 * x2 / 3.0) * x2 + x * y + (y2 * 4.0 - 4.0) * y2
    }
}

/// Goldstein–Price f = [1 + (x+y+1)²(19 − 14x + 3x² − 14y + 6xy + 3y²)]·[30 + (2x − 3y)²(18 − 32x +
/// 12x² + 48y − 36xy + 27y²)]. Global minimum 3 at (0, −1).
#[derive(Clone, Copy, Debug, Default)]
pub struct GoldsteinPrice;

impl Surface for GoldsteinPrice {
    fn name(&self) -> &'static str {
        "Goldstein–Price"
    }
    fn formula(&self) -> &'static str {
        "[1 + (x+y+1)²(19 − 14x + 3x² − 14y + 6xy + 3y²)] · [30 + (2x−3y)²(18 − 32x + 12x² + 48y − 36xy + 27y²)]"
    }
    fn view(&self) -> ViewBox {
        ViewBox::new(-2.0, 2.0, -2.0, 2.0)
    }
    fn start(&self) -> [f64; 2] {
        [-0.5, 0.5]
    }
    fn minima(&self) -> Vec<KnownMinimum> {
        vec![global(0.0, -1.0, 3.0)]
    }
    fn fxy<T: Scalar>(&self, x: T, y: T) -> T {
        let s = x + y + 1.0;
        let p = c::<T>(19.0) - x * 14.0 + x * x * 3.0 - y * 14.0 + x * y * 6.0 + y * y * 3.0;
        let d = x * 2.0 - y * 3.0;
        let q = c::<T>(18.0) - x * 32.0 + x * x * 12.0 + y * 48.0 - x * y * 36.0 + y * y * 27.0;
        (s * s * p + 1.0) * (d * d * q + 30.0)
    }
}

/// Rastrigin (2-D) f = 20 + x² − 10 cos 2πx + y² − 10 cos 2πy. Global minimum 0 at (0, 0) among a
/// lattice of local minima.
#[derive(Clone, Copy, Debug, Default)]
pub struct Rastrigin;

impl Surface for Rastrigin {
    fn name(&self) -> &'static str {
        "Rastrigin"
    }
    fn formula(&self) -> &'static str {
        "20 + x² − 10 cos(2πx) + y² − 10 cos(2πy)"
    }
    fn view(&self) -> ViewBox {
        ViewBox::new(-5.12, 5.12, -5.12, 5.12)
    }
    fn start(&self) -> [f64; 2] {
        [3.2, -2.1]
    }
    fn minima(&self) -> Vec<KnownMinimum> {
        vec![global(0.0, 0.0, 0.0)]
    }
    fn fxy<T: Scalar>(&self, x: T, y: T) -> T {
        x * x - (x * (2.0 * PI)).cos() * 10.0 + y * y - (y * (2.0 * PI)).cos() * 10.0 + 20.0
    }
    // The generic path in f64, operation for operation, with libm's cos (crate::math): the
    // same bits natively and in wasm.
    fn value_f64(&self, x: f64, y: f64) -> f64 {
        x * x - cos(x * (2.0 * PI)) * 10.0 + y * y - cos(y * (2.0 * PI)) * 10.0 + 20.0
    }
    /// ∂f/∂x = 2x + 20π sin(2πx) (and the same in y).
    fn analytic_gradient(&self, x: f64, y: f64) -> Option<[f64; 2]> {
        let d = |t: f64| 2.0 * t + 20.0 * PI * sin(2.0 * PI * t);
        Some([d(x), d(y)])
    }
}

/// Ackley (2-D) f = −20 exp(−0.2 √(½(x² + y²))) − exp(½(cos 2πx + cos 2πy)) + e + 20. Global
/// minimum 0 at (0, 0) (not differentiable there).
#[derive(Clone, Copy, Debug, Default)]
pub struct Ackley;

impl Surface for Ackley {
    fn name(&self) -> &'static str {
        "Ackley"
    }
    fn formula(&self) -> &'static str {
        "−20 exp(−0.2 √(½(x² + y²))) − exp(½(cos 2πx + cos 2πy)) + e + 20"
    }
    fn view(&self) -> ViewBox {
        ViewBox::new(-5.0, 5.0, -5.0, 5.0)
    }
    fn start(&self) -> [f64; 2] {
        [-3.3, 2.7]
    }
    fn minima(&self) -> Vec<KnownMinimum> {
        vec![global(0.0, 0.0, 0.0)]
    }
    fn fxy<T: Scalar>(&self, x: T, y: T) -> T {
        let r = ((x * x + y * y) * 0.5).sqrt();
        let cs = ((x * (2.0 * PI)).cos() + (y * (2.0 * PI)).cos()) * 0.5;
        -(r * -0.2).exp() * 20.0 - cs.exp() + E + 20.0
    }
    // The generic path in f64 with libm (crate::math): the same bits natively and in wasm.
    fn value_f64(&self, x: f64, y: f64) -> f64 {
        let r = ((x * x + y * y) * 0.5).sqrt();
        let cs = (cos(x * (2.0 * PI)) + cos(y * (2.0 * PI))) * 0.5;
        -exp(r * -0.2) * 20.0 - exp(cs) + E + 20.0
    }
    /// ∇f = 2·e^(−0.2r)·(x, y)/r + π·e^(cs)·(sin 2πx, sin 2πy), r = √(½(x² + y²)),
    /// cs = ½(cos 2πx + cos 2πy). At the origin f has a cone point (not differentiable); the first
    /// term is taken as 0 there, which is in the subdifferential — the minimum is stationary.
    fn analytic_gradient(&self, x: f64, y: f64) -> Option<[f64; 2]> {
        let r = ((x * x + y * y) * 0.5).sqrt();
        let cs = (cos(x * (2.0 * PI)) + cos(y * (2.0 * PI))) * 0.5;
        let a = if r > 0.0 {
            2.0 * exp(-0.2 * r) / r
        } else {
            0.0
        };
        let b = PI * exp(cs);
        Some([a * x + b * sin(2.0 * PI * x), a * y + b * sin(2.0 * PI * y)])
    }
}

/// Styblinski–Tang (2-D) f = ½ Σᵢ (xᵢ⁴ − 16xᵢ² + 5xᵢ). Global minimum ≈ −78.33234 at
/// (−2.903534, −2.903534).
#[derive(Clone, Copy, Debug, Default)]
pub struct StyblinskiTang;

impl Surface for StyblinskiTang {
    fn name(&self) -> &'static str {
        "Styblinski–Tang"
    }
    fn formula(&self) -> &'static str {
        "½(x⁴ − 16x² + 5x + y⁴ − 16y² + 5y)"
    }
    fn view(&self) -> ViewBox {
        ViewBox::new(-5.0, 5.0, -5.0, 5.0)
    }
    fn start(&self) -> [f64; 2] {
        [0.5, 4.0]
    }
    fn minima(&self) -> Vec<KnownMinimum> {
        vec![global(-2.903_534, -2.903_534, -78.332_34)]
    }
    fn fxy<T: Scalar>(&self, x: T, y: T) -> T {
        let t = |v: T| v.powi(4) - v * v * 16.0 + v * 5.0;
        (t(x) + t(y)) * 0.5
    }
}

/// An ill-conditioned quadratic f = ½(x² + κy²): Hessian diag(1, κ), condition number κ ≥ 1.
/// Minimum 0 at (0, 0).
#[derive(Clone, Copy, Debug)]
pub struct Quadratic {
    /// Condition number κ of the Hessian.
    pub condition: f64,
}

impl Default for Quadratic {
    fn default() -> Self {
        Quadratic {
            condition: Quadratic::DEFAULT_CONDITION,
        }
    }
}

impl Quadratic {
    /// The default condition number, κ = 10.
    pub const DEFAULT_CONDITION: f64 = 10.0;
}

impl Surface for Quadratic {
    fn name(&self) -> &'static str {
        "ill-conditioned quadratic"
    }
    fn formula(&self) -> &'static str {
        "½(x² + κ·y²)"
    }
    fn view(&self) -> ViewBox {
        ViewBox::new(-3.0, 3.0, -3.0, 3.0)
    }
    fn start(&self) -> [f64; 2] {
        [2.5, 1.5]
    }
    fn minima(&self) -> Vec<KnownMinimum> {
        vec![global(0.0, 0.0, 0.0)]
    }
    fn fxy<T: Scalar>(&self, x: T, y: T) -> T {
        (x * x + y * y * self.condition) * 0.5
    }
    fn analytic_gradient(&self, x: f64, y: f64) -> Option<[f64; 2]> {
        Some([x, self.condition * y])
    }
    fn analytic_hessian(&self, _x: f64, _y: f64) -> Option<[[f64; 2]; 2]> {
        Some([[1.0, 0.0], [0.0, self.condition]])
    }
}

/// The saddle f = x² − y²: a stationary point at the origin that is not a minimum; unbounded below.
#[derive(Clone, Copy, Debug, Default)]
pub struct Saddle;

impl Surface for Saddle {
    fn name(&self) -> &'static str {
        "saddle"
    }
    fn formula(&self) -> &'static str {
        "x² − y²"
    }
    fn view(&self) -> ViewBox {
        ViewBox::new(-2.0, 2.0, -2.0, 2.0)
    }
    fn start(&self) -> [f64; 2] {
        [1.5, 0.05]
    }
    fn minima(&self) -> Vec<KnownMinimum> {
        Vec::new()
    }
    fn fxy<T: Scalar>(&self, x: T, y: T) -> T {
        x * x - y * y
    }
    fn analytic_gradient(&self, x: f64, y: f64) -> Option<[f64; 2]> {
        Some([2.0 * x, -2.0 * y])
    }
    fn analytic_hessian(&self, _x: f64, _y: f64) -> Option<[[f64; 2]; 2]> {
        Some([[2.0, 0.0], [0.0, -2.0]])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{central_gradient, check_gradient, relative_error};
    use crate::lab::surfaces::SurfaceId;

    /// SplitMix64: a tiny deterministic generator for test points.
    struct Rng(u64);
    impl Rng {
        fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^= z >> 31;
            lo + (hi - lo) * (z >> 11) as f64 / (1u64 << 53) as f64
        }
    }

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

    /// Tolerance on f(x*) − f* implied by the digits the literature publishes for x* and f*.
    fn published_tolerance(id: SurfaceId) -> f64 {
        match id {
            // x* and f* given to 4 decimals (Surjanovic & Bingham; Wikipedia).
            SurfaceId::SixHumpCamel => 1e-4,
            // f* published to 5 decimals (−39.16617·2 from Wikipedia's per-dimension bound).
            SurfaceId::StyblinskiTang => 2e-5,
            // x* to 6 decimals; f* = 0 exactly (Himmelblau) or to 6 decimals (peaks).
            SurfaceId::Himmelblau => 1e-8,
            SurfaceId::Peaks => 1e-6,
            // Exact minimizers (integers/halves) with exact values.
            _ => 1e-12,
        }
    }

    #[test]
    fn every_surface_has_its_published_minima() {
        // Sources: Wikipedia "Test functions for optimization" (Rosenbrock, Himmelblau, Beale,
        // Booth, Matyas, three-hump camel, Goldstein–Price, Rastrigin, Ackley, Styblinski–Tang);
        // Surjanovic & Bingham, sfu.ca/~ssurjano (six-hump camel: ±(0.0898, −0.7126), −1.0316).
        for id in SurfaceId::ALL {
            let obj = id.objective();
            let tol = published_tolerance(id);
            for m in id.minima() {
                let f = obj.value(&m.x);
                assert!(
                    (f - m.f).abs() <= tol,
                    "{id:?}: f({:?}) = {f}, published {}",
                    m.x,
                    m.f
                );
                if id == SurfaceId::Ackley {
                    continue; // not differentiable at its minimum
                }
                // A minimum: the gradient vanishes (to the published digits) and the Hessian is
                // positive definite.
                let mut g = [0.0; 2];
                assert!(obj.automatic_gradient(&m.x, &mut g));
                assert!(
                    g[0].hypot(g[1]) < 1e4 * tol.sqrt().max(1e-12),
                    "{id:?} at {:?}: ∇f = {g:?}",
                    m.x
                );
                let h = obj.automatic_hessian(&m.x).unwrap();
                assert!(h.clone().cholesky().is_some(), "{id:?}: Hessian {h} not PD");
            }
        }
        assert!(SurfaceId::Saddle.minima().is_empty());
    }

    #[test]
    fn gradients_agree_analytic_vs_ad_vs_finite_differences() {
        let mut rng = Rng(20_240_601);
        for id in SurfaceId::ALL {
            let obj = id.objective_with(1000.0);
            let v = id.view();
            for _ in 0..50 {
                let x = [rng.uniform(v.x_min, v.x_max), rng.uniform(v.y_min, v.y_max)];
                let c = check_gradient(obj.as_ref(), &x);
                let ad = c.automatic.as_ref().expect("every surface supports AD");
                let fd_err = relative_error(ad, &c.finite_difference);
                assert!(fd_err < 1e-6, "{id:?} at {x:?}: AD vs FD {fd_err}");
                if let Some(e) = c.analytic_vs_automatic {
                    assert!(e < 1e-12, "{id:?} at {x:?}: analytic vs AD {e}");
                }
                assert!(c.max_rel_error < 1e-6);
            }
        }
    }

    #[test]
    fn the_required_surfaces_have_analytic_gradients() {
        use SurfaceId::*;
        for id in [
            Peaks, Rosenbrock, Himmelblau, Quadratic, Saddle, Booth, Matyas,
        ] {
            assert!(id.info().has_analytic_gradient, "{id:?}");
        }
    }

    #[test]
    fn ad_hessian_matches_differences_of_the_gradient_and_the_analytic_hessian() {
        let mut rng = Rng(7);
        for id in SurfaceId::ALL {
            let obj = id.objective_with(1000.0);
            let v = id.view();
            for _ in 0..30 {
                let x = [rng.uniform(v.x_min, v.x_max), rng.uniform(v.y_min, v.y_max)];
                let h = obj.automatic_hessian(&x).unwrap();
                // Central differences of the AD gradient, column by column.
                let mut fd = DMatrix::zeros(2, 2);
                for i in 0..2 {
                    let step = 1e-5 * x[i].abs().max(1.0);
                    let (mut xp, mut xm) = (x, x);
                    xp[i] += step;
                    xm[i] -= step;
                    let (mut gp, mut gm) = ([0.0; 2], [0.0; 2]);
                    obj.automatic_gradient(&xp, &mut gp);
                    obj.automatic_gradient(&xm, &mut gm);
                    for j in 0..2 {
                        fd[(j, i)] = (gp[j] - gm[j]) / (2.0 * step);
                    }
                }
                let err = (&h - &fd).amax() / h.amax().max(1.0);
                assert!(err < 1e-6, "{id:?} at {x:?}: {err}\n{h}\n{fd}");
                if let Some(a) = obj.hessian(&x) {
                    assert!((&a - &h).amax() <= 1e-12 * h.amax().max(1.0), "{id:?}");
                }
            }
        }
    }

    #[test]
    fn quadratic_condition_number_is_the_hessian_ratio() {
        let q = Quadratic { condition: 250.0 };
        let h = q.automatic_hessian(&[0.3, -0.2]).unwrap();
        let eig = h.symmetric_eigenvalues();
        let (lo, hi) = (eig.min(), eig.max());
        assert!((hi / lo - 250.0).abs() < 1e-9);
    }
}
