//! Tests of the formula language. Expected values come from closed forms written out in Rust
//! (Python semantics for precedence), Rust's own `f64` functions, the built-in peaks, and
//! finite differences — never from this module's own output.

use super::compile::Op;
use super::*;
use crate::problem::surfaces::Peaks;

/// Deterministic pseudo-random numbers in [lo, hi) (64-bit LCG, Knuth's MMIX constants).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, lo: f64, hi: f64) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        lo + (hi - lo) * ((self.0 >> 11) as f64 / (1u64 << 53) as f64)
    }
}

fn surf(text: &str) -> SurfaceFormula {
    SurfaceFormula::parse(text).unwrap_or_else(|e| panic!("{text}: {e}\n{}", e.caret(text)))
}

fn err(text: &str, mode: Mode) -> FormulaError {
    match check(text, mode) {
        Ok(i) => panic!("{text:?} parsed: {i:?}"),
        Err(e) => e,
    }
}

fn same(a: f64, b: f64) -> bool {
    a == b || (a.is_nan() && b.is_nan())
}

#[test]
fn precedence_and_associativity_table() {
    let (x, y) = (1.7_f64, -0.6_f64);
    // Expected: the same expression with Python's precedence written out with explicit parentheses.
    let table: &[(&str, f64)] = &[
        ("-x^2", -(x * x)),
        ("-x**2", -(x * x)),
        ("(-x)^2", x * x),
        ("2^3^2", 512.0),
        ("2**3**2", 512.0),
        ("(2^3)^2", 64.0),
        ("2^-1", 0.5),
        ("2**-1", 0.5),
        ("-2^-2", -0.25),
        ("-2**2", -4.0),
        ("x^-y^2", x.powf(-(y * y))),
        ("x**2**-1", x.sqrt()),
        ("2^2*3", 12.0),
        ("2*3^2", 18.0),
        ("1+2*3", 7.0),
        ("(1+2)*3", 9.0),
        ("x-y-1", (x - y) - 1.0),
        ("8/2/2", 2.0),
        ("x/y/2", (x / y) / 2.0),
        ("x/y*2", (x / y) * 2.0),
        ("-x*y", -(x * y)),
        ("--x", x),
        ("+x", x),
        ("x - -y", x + y),
        ("2*-x", -2.0 * x),
        ("x*y^2", x * y * y),
        ("1e-3*x", 0.001 * x),
        ("1E3", 1000.0),
        ("2.5e+2", 250.0),
        (".5", 0.5),
        ("2.", 2.0),
        ("2.e3", 2000.0),
        ("pi", std::f64::consts::PI),
        ("e", std::f64::consts::E),
        ("np.pi*math.e", std::f64::consts::PI * std::f64::consts::E),
        ("2*e^x", 2.0 * std::f64::consts::E.powf(x)),
        ("x \u{2212} y \u{00d7} 2", x - y * 2.0),
        ("  x\t+\ny ", x + y),
    ];
    for &(text, want) in table {
        let got = surf(text).eval(x, y);
        assert!(
            (got - want).abs() <= 1e-15 * want.abs().max(1.0),
            "{text}: got {got}, want {want}"
        );
    }
}

#[test]
fn compiles_to_flat_folded_code() {
    // -x^2 is Var, square, negate; 1/3 folds to one constant; x^2.5 keeps a constant exponent.
    let f = surf("-x^2");
    let ops: Vec<Op> = f.prog.code.iter().map(|i| i.op).collect();
    assert_eq!(ops, vec![Op::Var(0), Op::PowI(2), Op::Neg]);
    let f = surf("1/3*x");
    let ops: Vec<Op> = f.prog.code.iter().map(|i| i.op).collect();
    assert_eq!(ops, vec![Op::Const(1.0 / 3.0), Op::Var(0), Op::Mul]);
    let f = surf("x^2.5");
    let ops: Vec<Op> = f.prog.code.iter().map(|i| i.op).collect();
    assert_eq!(ops, vec![Op::Var(0), Op::PowC(2.5)]);
    // Huge integer exponents stay finite-arithmetic-safe (no i32 overflow in n − 2).
    let f = surf("x^-2147483647 + y^3e9");
    let (v, g, _) = f.eval_hessian(1.0, 1.0, &mut Scratch::new());
    assert_eq!(v, 2.0);
    assert_eq!(g, [-2147483647.0, 3e9]);
}

#[test]
fn each_function_matches_libm_bit_for_bit() {
    type F1 = fn(f64) -> f64;
    let one: &[(&str, F1)] = &[
        ("exp", libm::exp),
        ("log", libm::log),
        ("ln", libm::log),
        ("log10", libm::log10),
        ("sqrt", f64::sqrt),
        ("abs", f64::abs),
        ("fabs", f64::abs),
        ("sin", libm::sin),
        ("cos", libm::cos),
        ("tan", libm::tan),
        ("asin", libm::asin),
        ("arcsin", libm::asin),
        ("acos", libm::acos),
        ("arccos", libm::acos),
        ("atan", libm::atan),
        ("arctan", libm::atan),
        ("sinh", libm::sinh),
        ("cosh", libm::cosh),
        ("tanh", libm::tanh),
    ];
    let points = [-2.5, -0.7, -0.0, 0.0, 0.3, 0.99, 1.0, 4.2, 30.0];
    for &(name, f) in one {
        for prefix in ["", "np.", "numpy.", "math."] {
            let text = format!("{prefix}{name}(x)");
            let g = surf(&text);
            for &p in &points {
                assert!(same(g.eval(p, 0.0), f(p)), "{text} at {p}");
            }
        }
    }
    type F2 = fn(f64, f64) -> f64;
    let two: &[(&str, F2)] = &[
        ("atan2", libm::atan2),
        ("arctan2", libm::atan2),
        ("pow", libm::pow),
        ("power", libm::pow),
        ("min", f64::min),
        ("minimum", f64::min),
        ("max", f64::max),
        ("maximum", f64::max),
        ("log", |a, b| libm::log(a) / libm::log(b)),
    ];
    let pairs = [
        (-2.5, 1.5),
        (0.3, -0.7),
        (2.0, 3.0),
        (4.0, 0.5),
        (-1.0, -1.0),
        (0.0, 2.0),
    ];
    for &(name, f) in two {
        let text = format!("np.{name}(y, x)");
        let g = surf(&text);
        for &(a, b) in &pairs {
            // pow(y, x) with a non-integer exponent from a variable goes through powf.
            assert!(same(g.eval(b, a), f(a, b)), "{text} at y={a}, x={b}");
        }
    }
    // min/max with more than two arguments fold left; NaN propagates (NumPy's minimum/maximum).
    assert_eq!(surf("min(x, y, 0.5, 3)").eval(2.0, 1.0), 0.5);
    assert_eq!(surf("max(x, y, 0.5, -3)").eval(2.0, 1.0), 2.0);
    assert!(surf("min(sqrt(x), y)").eval(-1.0, 1.0).is_nan());
}

/// Central difference of the value: gradient; of the exact gradient: Hessian.
fn check_derivs(text: &str, lo: f64, hi: f64, seed: u64) {
    let f = surf(text);
    let mut rng = Lcg(seed);
    let mut s = Scratch::new();
    for _ in 0..40 {
        let (x, y) = (rng.next(lo, hi), rng.next(lo, hi));
        let (v, g, hm) = f.eval_hessian(x, y, &mut s);
        let (v2, g2) = f.eval_gradient(x, y, &mut s);
        assert!(
            same(v, f.eval(x, y)) && same(v2, v),
            "{text}: value mismatch"
        );
        assert_eq!(g, g2, "{text}");
        let h = 1e-5;
        let fd = [
            (f.eval(x + h, y) - f.eval(x - h, y)) / (2.0 * h),
            (f.eval(x, y + h) - f.eval(x, y - h)) / (2.0 * h),
        ];
        let gx = [
            f.eval_gradient(x + h, y, &mut s).1,
            f.eval_gradient(x - h, y, &mut s).1,
        ];
        let gy = [
            f.eval_gradient(x, y + h, &mut s).1,
            f.eval_gradient(x, y - h, &mut s).1,
        ];
        let fdh = [
            [
                (gx[0][0] - gx[1][0]) / (2.0 * h),
                (gx[0][1] - gx[1][1]) / (2.0 * h),
            ],
            [
                (gy[0][0] - gy[1][0]) / (2.0 * h),
                (gy[0][1] - gy[1][1]) / (2.0 * h),
            ],
        ];
        for i in 0..2 {
            let tol = 1e-6 * (1.0 + g[i].abs() + v.abs());
            assert!(
                (g[i] - fd[i]).abs() < tol,
                "{text} at ({x},{y}): grad[{i}] {} vs fd {}",
                g[i],
                fd[i]
            );
            for j in 0..2 {
                let tol = 1e-5 * (1.0 + hm[i][j].abs() + g[0].abs() + g[1].abs());
                assert!(
                    (hm[i][j] - fdh[j][i]).abs() < tol,
                    "{text} at ({x},{y}): H[{i}][{j}] {} vs fd {}",
                    hm[i][j],
                    fdh[j][i]
                );
            }
        }
        assert_eq!(hm[0][1], hm[1][0], "{text}: Hessian not symmetric");
    }
}

#[test]
fn derivatives_match_finite_differences() {
    let cases: &[(&str, f64, f64)] = &[
        ("x^2*y + sin(y)", -2.0, 2.0),
        ("-x^3 + x*y^-2", 0.5, 2.0),
        ("exp(x*y) / (1 + y^2)", -1.0, 1.0),
        ("log(x) + ln(y) + log10(x*y)", 0.5, 3.0),
        ("sqrt(x^2 + y^2 + 1)", -2.0, 2.0),
        ("abs(x - 10) * y", -2.0, 2.0),
        ("tan(x/3) * cos(y) - sin(x*y)", -2.0, 2.0),
        ("asin(x/3) + acos(y/3) + atan(x*y)", -2.0, 2.0),
        ("atan2(y, x) + atan2(x + 3, y - 3)", 0.5, 2.0),
        ("sinh(x) * cosh(y) + tanh(x*y)", -1.5, 1.5),
        ("x^y + y^x + pow(x, 2.5) + 2^x", 0.5, 2.0),
        ("x**y**0.5", 0.5, 2.0),
        ("log(x*y, y + 1)", 1.5, 3.0),
        ("min(x^2, y + 3) + max(x*y, -10)", -1.0, 1.0),
        ("(x - y)/(x + y + 5)", -1.0, 1.0),
        ("x^0 + x^1 + y^-3 + (x*y)^4", 0.5, 1.5),
        ("3*(1-x)**2*np.exp(-(x**2)-(y+1)**2) - 10*(x/5 - x**3 - y**5)*np.exp(-x**2-y**2) - 1/3*np.exp(-(x+1)**2 - y**2)", -3.0, 3.0),
    ];
    for (k, &(text, lo, hi)) in cases.iter().enumerate() {
        check_derivs(text, lo, hi, 17 + k as u64);
    }
}

const PEAKS_NUMPY: &str = "3*(1-x)**2*np.exp(-(x**2)-(y+1)**2) - 10*(x/5 - x**3 - y**5)*np.exp(-x**2-y**2) - 1/3*np.exp(-(x+1)**2 - y**2)";

#[test]
fn numpy_peaks_line_equals_builtin_peaks() {
    let f = surf(PEAKS_NUMPY);
    let mut s = Scratch::new();
    let mut worst: f64 = 0.0;
    let mut worst_g: f64 = 0.0;
    for i in 0..=120 {
        for j in 0..=120 {
            let (x, y) = (-3.0 + 0.05 * i as f64, -3.0 + 0.05 * j as f64);
            worst = worst.max((f.eval(x, y) - Peaks::eval(x, y)).abs());
            let (_, g) = f.eval_gradient(x, y, &mut s);
            let pg = Peaks::grad(x, y);
            worst_g = worst_g.max((g[0] - pg[0]).abs().max((g[1] - pg[1]).abs()));
        }
    }
    assert!(worst < 1e-12, "worst |formula − peaks| = {worst}");
    // Peaks::grad is hand-derived; AD must agree with it to rounding.
    assert!(worst_g < 1e-12, "worst gradient difference = {worst_g}");
    // Far outside the view too.
    for &(x, y) in &[(10.0, -7.0), (-25.0, 0.1), (1e3, 1e3)] {
        assert!((f.eval(x, y) - Peaks::eval(x, y)).abs() < 1e-12);
    }
}

#[test]
fn grid_matches_pointwise_and_objective_trait() {
    let f = surf(PEAKS_NUMPY);
    let view = Peaks::VIEW;
    let mut out = Vec::new();
    f.eval_grid(&view, 7, 5, &mut out);
    assert_eq!(out.len(), 35);
    for j in 0..5 {
        for i in 0..7 {
            let x = -3.0 + 6.0 * i as f64 / 6.0;
            let y = -3.0 + 6.0 * j as f64 / 4.0;
            assert_eq!(out[j * 7 + i], f.eval(x, y));
        }
    }
    // Objective: f = x²y + sin y has ∇f = (2xy, x² + cos y), ∇²f = [[2y, 2x], [2x, −sin y]].
    let f = surf("x^2*y + sin(y)");
    let (x, y) = (0.7, -1.3);
    let obj: &dyn Objective = &f;
    assert_eq!(obj.dim(), 2);
    assert_eq!(obj.value(&[x, y]), x * x * y + y.sin());
    let mut g = [0.0; 2];
    assert!(obj.gradient(&[x, y], &mut g));
    assert!((g[0] - 2.0 * x * y).abs() < 1e-15 && (g[1] - (x * x + y.cos())).abs() < 1e-15);
    let h = obj.hessian(&[x, y]).unwrap();
    let want = [[2.0 * y, 2.0 * x], [2.0 * x, -y.sin()]];
    for r in 0..2 {
        for c in 0..2 {
            assert!((h[(r, c)] - want[r][c]).abs() < 1e-15, "H[{r}][{c}]");
        }
    }
}

#[test]
fn solver_minimizes_a_typed_formula_and_diverges_on_nan() {
    use crate::diff::{Evaluator, GradientSource};
    use crate::solver::gradient_descent::GradientDescent;
    use crate::solver::{run, StopCriteria};
    use crate::trace::StopReason;
    // Minimum of (x−1)² + 2(y+0.5)² is at (1, −0.5) by inspection.
    let f = surf("(x-1)^2 + 2*(y+0.5)^2");
    let ev = Evaluator::new(&f, GradientSource::Analytic);
    let crit = StopCriteria {
        max_iterations: 5000,
        grad_tol: 1e-10,
        ..Default::default()
    };
    let t = run(
        &mut GradientDescent { learning_rate: 0.1 },
        &ev,
        &[3.0, 2.0],
        &crit,
    );
    assert_eq!(t.stop, StopReason::GradientTolerance);
    let last = &t.iterates.last().unwrap().x;
    assert!((last[0] - 1.0).abs() < 1e-9 && (last[1] + 0.5).abs() < 1e-9);
    // sqrt(x) descends towards x < 0, where f is NaN: the driver reports Diverged.
    let f = surf("sqrt(x) + y^2");
    let ev = Evaluator::new(&f, GradientSource::Analytic);
    let t = run(
        &mut GradientDescent { learning_rate: 1.0 },
        &ev,
        &[0.2, 1.0],
        &crit,
    );
    assert_eq!(t.stop, StopReason::Diverged);
}

#[test]
fn non_finite_results_are_values_not_panics() {
    let mut s = Scratch::new();
    assert!(surf("sqrt(x)").eval(-1.0, 0.0).is_nan());
    assert_eq!(surf("1/x").eval(0.0, 0.0), f64::INFINITY);
    assert_eq!(surf("log(x)").eval(0.0, 0.0), f64::NEG_INFINITY);
    assert_eq!(surf("1e999").eval(0.0, 0.0), f64::INFINITY);
    let (v, g, _) = surf("sqrt(x) * y").eval_hessian(-1.0, 2.0, &mut s);
    assert!(v.is_nan() && g[0].is_nan());
    let (v, g) = surf("asin(x)").eval_gradient(2.0, 0.0, &mut s);
    assert!(v.is_nan() && g[0].is_nan());
}

#[test]
fn curve_models_find_parameters_in_order_with_exact_gradients() {
    let info = check("a*exp(-b*x) + c", Mode::Curve).unwrap();
    assert_eq!(info.params, ["a", "b", "c"]);
    assert_eq!(info.variables, ["x"]);
    let info = check("b*x + a + b*np.exp(k)", Mode::Curve).unwrap();
    assert_eq!(info.params, ["b", "a", "k"]);
    // y and z are ordinary parameters in a curve; pi and e are constants.
    let info = check("y + z*x + pi + e", Mode::Curve).unwrap();
    assert_eq!(info.params, ["y", "z"]);

    let m = CurveFormula::parse("a*exp(-b*x) + c").unwrap();
    assert_eq!(m.param_names(), ["a", "b", "c"]);
    let (x, p) = (0.8, [2.0, 1.5, -0.3]);
    let mut g = [0.0; 3];
    let v = m.model_eval(x, &p, &mut g);
    // Closed form: ∂/∂a = e^{−bx}, ∂/∂b = −a x e^{−bx}, ∂/∂c = 1.
    let e = (-p[1] * x).exp();
    assert!((v - (p[0] * e + p[2])).abs() < 1e-15);
    assert!((g[0] - e).abs() < 1e-15 && (g[1] + p[0] * x * e).abs() < 1e-15 && g[2] == 1.0);
    assert_eq!(m.model_value(x, &p), v);
    let mut s = Scratch::new();
    let mut g2 = [0.0; 3];
    assert_eq!(m.model_eval_with(x, &p, &mut g2, &mut s), v);
    assert_eq!(g, g2);
    // Wrong lengths give NaN, not a panic.
    assert!(m.model_value(x, &[1.0]).is_nan());
    assert!(m.model_eval(x, &p, &mut [0.0; 2]).is_nan());

    // Parameter gradient against central differences on random points.
    let m = CurveFormula::parse("b1*(1 - exp(-b2*x)) + sin(b3*x)^2 / (1 + b1^2) + x^b2").unwrap();
    let mut rng = Lcg(5);
    for _ in 0..50 {
        let x = rng.next(0.1, 3.0);
        let p = [rng.next(-2.0, 2.0), rng.next(0.1, 2.0), rng.next(-1.0, 1.0)];
        let mut g = [0.0; 3];
        m.model_eval_with(x, &p, &mut g, &mut s);
        for k in 0..3 {
            let h = 1e-6;
            let (mut pp, mut pm) = (p, p);
            pp[k] += h;
            pm[k] -= h;
            let fd = (m.model_value(x, &pp) - m.model_value(x, &pm)) / (2.0 * h);
            assert!(
                (g[k] - fd).abs() < 1e-6 * (1.0 + fd.abs()),
                "param {k}: {} vs {fd}",
                g[k]
            );
        }
    }
}

#[test]
fn every_error_class_has_its_message_and_column() {
    use Mode::*;
    let fns = "exp, log, ln, log10, sqrt, abs, sin, cos, tan, asin, acos, atan, atan2, sinh, cosh, tanh, min, max, pow";
    let cases: Vec<(&str, Mode, String, usize)> = vec![
        ("sin(x + y * 2", Surface, "expected ')'".into(), 14),
        ("", Surface, "the formula is empty".into(), 1),
        ("   ", Surface, "the formula is empty".into(), 1),
        ("x $ y", Surface, "unexpected character '$'".into(), 3),
        ("x +", Surface, "expected a number, a name or '(', found the end of the formula".into(), 4),
        ("x * )", Surface, "expected a number, a name or '(', found ')'".into(), 5),
        ("()", Surface, "expected a number, a name or '(', found ')'".into(), 2),
        ("(x))", Surface, "unmatched ')'".into(), 4),
        ("2x", Surface, "expected an operator before 'x' (write 2*x, not 2x)".into(), 2),
        ("2 (y)", Surface, "expected an operator before '(' (write 2*x, not 2x)".into(), 3),
        ("x (y)", Surface, "'x' is a variable, not a function (write x*(…) to multiply)".into(), 1),
        ("x, y", Surface, "unexpected ','".into(), 2),
        ("z + x", Surface, format!("variable 'z' is not allowed in a surface formula; allowed names: x, y, pi, e and the functions {fns}"), 1),
        ("x + foo(y)", Surface, format!("unknown function 'foo'; allowed functions: {fns}"), 5),
        ("scipy.exp(x)", Surface, format!("unknown function 'scipy.exp'; did you mean exp? allowed functions: {fns}"), 1),
        ("np.z", Surface, format!("unknown name 'np.z'; allowed constants: pi, e; allowed functions: {fns} (optionally written np., numpy. or math.)"), 1),
        ("sin + 1", Surface, "'sin' is a function: call it as sin(…)".into(), 1),
        ("1 + np.exp", Surface, "'np.exp' is a function: call it as exp(…)".into(), 5),
        ("pi(2)", Surface, "'pi' is a constant, not a function".into(), 1),
        ("x(2)", Surface, "'x' is a variable, not a function (write x*(…) to multiply)".into(), 1),
        ("sin(x, y)", Surface, "sin takes 1 argument, got 2".into(), 1),
        ("2*np.sin()", Surface, "np.sin takes 1 argument, got 0".into(), 3),
        ("atan2(x)", Surface, "atan2 takes 2 arguments, got 1".into(), 1),
        ("pow(x, y, 2)", Surface, "pow takes 2 arguments, got 3".into(), 1),
        ("min(x)", Surface, "min takes at least 2 arguments, got 1".into(), 1),
        ("log(x, y, 2)", Surface, "log takes 1 or 2 arguments, got 3".into(), 1),
        ("atan2(x", Surface, "expected ',' or ')'".into(), 8),
        ("atan2(x y)", Surface, "expected an operator before 'y' (write 2*x, not 2x)".into(), 9),
        ("(x, y)", Surface, "expected ')'".into(), 3),
        ("f(x,)", Surface, format!("unknown function 'f'; allowed functions: {fns}"), 1),
        ("max(x,)", Surface, "expected a number, a name or '(', found ')'".into(), 7),
        ("max(x,,y)", Surface, "expected a number, a name or '(', found ','".into(), 7),
        ("x*", Surface, "expected a number, a name or '(', found the end of the formula".into(), 3),
        ("x^*2", Surface, "expected a number, a name or '(', found '*'".into(), 3),
        ("exp(-x) + 1", Curve, "a curve model needs at least one parameter: any name other than x, e.g. a*exp(-b*x)".into(), 1),
        ("a*k(x)", Curve, format!("unknown function 'k'; allowed functions: {fns}"), 3),
    ];
    for (text, mode, msg, col) in cases {
        let e = err(text, mode);
        assert_eq!(
            (e.message.as_str(), e.column),
            (msg.as_str(), col),
            "{text:?}"
        );
    }
    let e = err("sin(x + y * 2", Surface);
    assert_eq!(e.to_string(), "expected ')' at column 14");
    assert_eq!(e.caret("sin(x + y * 2"), "sin(x + y * 2\n             ^");
}

#[test]
fn length_and_depth_limits() {
    use Mode::Surface;
    // 100,000 characters: the length error, before any parsing.
    let e = err(&"(".repeat(100_000), Surface);
    assert_eq!(
        e.message,
        "the formula is too long (100000 characters; the limit is 2000)"
    );
    assert_eq!(e.column, 2001);
    // Exactly the limit is fine.
    let ok = format!("{}x", "+".repeat(MAX_LEN - 1));
    assert_eq!(ok.chars().count(), 2000);
    assert!(matches!(check(&ok, Surface), Err(e) if e.message.contains("nested too deeply")));
    let ok = format!("{}x", " ".repeat(MAX_LEN - 1));
    assert!(check(&ok, Surface).is_ok());
    let e = err(&format!("{ok} "), Surface);
    assert_eq!(
        (e.message.as_str(), e.column),
        (
            "the formula is too long (2001 characters; the limit is 2000)",
            2001
        )
    );
    // Characters, not bytes: 2,000 '−' (3 bytes each in UTF-8) are within the limit.
    let e = err(&"\u{2212}".repeat(MAX_LEN), Surface);
    assert!(e.message.contains("nested too deeply"), "{e}");
    // 250-deep parentheses: the depth error at the 201st '('.
    let deep = format!("{}x{}", "(".repeat(250), ")".repeat(250));
    let e = err(&deep, Surface);
    assert_eq!(
        e.message,
        "the formula is nested too deeply (more than 200 levels)"
    );
    assert_eq!(e.column, 201);
    // 200 levels are accepted.
    let d200 = format!("{}x{}", "(".repeat(200), ")".repeat(200));
    assert_eq!(surf(&d200).eval(1.5, 0.0), 1.5);
    // Unclosed nesting and sign/exponent chains hit the same limit.
    assert_eq!(err(&"sin(".repeat(300), Surface).column, 4 * 200 + 4);
    assert_eq!(err(&format!("{}x", "-".repeat(1000)), Surface).column, 201);
    let pows = format!("x{}", "^x".repeat(400));
    assert_eq!(err(&pows, Surface).column, 2 * 200 + 2);
}

#[test]
fn random_inputs_never_panic() {
    // A deterministic mini-fuzz over the grammar's alphabet (the cargo-fuzz target goes further).
    let alphabet: Vec<char> =
        "xyab()^*+-/,.e1 2.5np.exp(sin(min(pow(atan2(log(**=:;#\nf(y)z=lambda return def square("
            .chars()
            .collect();
    let mut rng = Lcg(99);
    let mut s = Scratch::new();
    for _ in 0..20_000 {
        let len = rng.next(0.0, 30.0) as usize;
        let text: String = (0..len)
            .map(|_| alphabet[rng.next(0.0, alphabet.len() as f64) as usize])
            .collect();
        if let Ok(f) = SurfaceFormula::parse(&text) {
            let _ = f.eval_hessian(0.3, -0.7, &mut s);
        }
        if let Ok(m) = CurveFormula::parse(&text) {
            let mut g = vec![0.0; m.n_params()];
            let p = vec![0.5; m.n_params()];
            let _ = m.model_eval(1.2, &p, &mut g);
        }
        for mode in [Mode::Surface, Mode::Curve] {
            match check(&text, mode) {
                Err(e) => assert!(
                    e.column >= 1 && e.column <= text.chars().count() + 1,
                    "{text:?}: {e}"
                ),
                Ok(i) => assert!(!i.shown.is_empty(), "{text:?}"),
            }
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn deepest_accepted_formulas_fit_in_a_small_stack() {
    // wasm32's default stack is 1 MiB; parsing at the depth limit must fit well inside it, even
    // unoptimized. The parser does not recurse: 64 KiB of stack is plenty.
    let h = std::thread::Builder::new()
        .stack_size(64 * 1024)
        .spawn(|| {
            let n = MAX_DEPTH - 1;
            let calls = format!("{}x{}", "atan2(1, ".repeat(n), ")".repeat(n));
            let parens = format!("{}x{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
            let mixed = format!(
                "{}x{}",
                "-(".repeat(MAX_DEPTH / 2),
                ")".repeat(MAX_DEPTH / 2)
            );
            for t in [calls, parens, mixed] {
                let f = SurfaceFormula::parse(&t).unwrap_or_else(|e| panic!("{e}"));
                assert!(f.eval(0.5, 0.5).is_finite());
            }
        })
        .unwrap();
    h.join().unwrap();
}

#[test]
fn surface_examples_parse_and_have_their_known_minima() {
    // Known minimizers from the standard test-function literature (Jamil & Yang 2013, "A
    // literature survey of benchmark functions for global optimization problems").
    let minima: &[(&str, f64, f64)] = &[
        ("Rosenbrock", 1.0, 1.0),
        ("Himmelblau", 3.0, 2.0),
        ("Booth", 1.0, 3.0),
        ("Beale", 3.0, 0.5),
        ("Rastrigin", 0.0, 0.0),
        ("Matyas", 0.0, 0.0),
    ];
    let mut s = Scratch::new();
    for &(name, text) in SURFACE_EXAMPLES {
        let f = surf(text);
        if let Some(&(_, x, y)) = minima.iter().find(|m| m.0 == name) {
            let (v, g) = f.eval_gradient(x, y, &mut s);
            assert!(
                v.abs() < 1e-12 && g[0].abs() < 1e-10 && g[1].abs() < 1e-10,
                "{name}: f={v}, g={g:?}"
            );
        }
    }
    // The saddle's Hessian is diag(2, −2) everywhere.
    let (_, _, h) = surf("x^2 - y^2").eval_hessian(0.3, 0.4, &mut s);
    assert_eq!(h, [[2.0, 0.0], [0.0, -2.0]]);
}

#[test]
fn power_derivatives_are_zero_not_nan_where_the_power_is_zero() {
    // a·x^b at x = 0 (b > 0): the value is 0 and so is every derivative, in the limit:
    // ∂/∂b = a·x^b·ln x → 0, although 0·ln 0 = 0·(−∞) is NaN in floating point.
    let m = CurveFormula::parse("a*x^b").unwrap();
    for b in [0.5, 1.0, 2.0, 3.5] {
        let mut g = [f64::NAN; 2];
        let v = m.model_eval(0.0, &[1.5, b], &mut g);
        assert_eq!(v, 0.0);
        assert_eq!(g, [0.0, 0.0], "b = {b}");
    }
    // Away from 0 the rule is unchanged: ∂/∂b = a·x^b·ln x.
    let mut g = [0.0; 2];
    m.model_eval(2.0, &[1.5, 0.5], &mut g);
    let p = 2.0f64.powf(0.5);
    assert!((g[0] - p).abs() < 1e-15 && (g[1] - 1.5 * p * 2.0f64.ln()).abs() < 1e-15);

    // Second derivatives of x^y at x = 0: ∂²/∂y² = x^y·ln²x → 0 and, for y > 1,
    // ∂²/∂x∂y = x^(y−1)(1 + y ln x) → 0; ∂²/∂x² = y(y−1)x^(y−2) = 2 at y = 2.
    let f = surf("x^y");
    let mut s = Scratch::new();
    let (v, g) = f.eval_gradient(0.0, 2.0, &mut s);
    assert_eq!((v, g), (0.0, [0.0, 0.0]));
    let h = f.hessian(&[0.0, 2.0]).unwrap();
    assert_eq!(h.as_slice(), &[2.0, 0.0, 0.0, 0.0]);
}

#[test]
fn bare_constant_names_are_found() {
    assert!(uses_bare_name("a*exp(-b*x)+c+e*x", "e", Mode::Curve));
    assert!(uses_bare_name("e^x", "e", Mode::Curve));
    assert!(!uses_bare_name("np.e*x + a", "e", Mode::Curve));
    assert!(!uses_bare_name("exp(-b*x) + beta", "e", Mode::Curve));
    assert!(!uses_bare_name("1e-3*x + a", "e", Mode::Curve));
    assert!(
        !uses_bare_name("a $ e", "e", Mode::Curve),
        "untokenizable text"
    );
}

fn shown(text: &str, mode: Mode) -> String {
    check(text, mode)
        .unwrap_or_else(|e| panic!("{text}: {e}"))
        .shown
}

#[test]
fn echo_shows_the_grouping_the_parser_used() {
    use Mode::Surface;
    // Expected strings are written out by hand from Python's precedence (the table above).
    let table: &[(&str, &str)] = &[
        // The pair: a power of e^… versus a third times e^….
        (
            "1/3**np.exp(-(x+1)**2 - y**2)",
            "1/3^(e^(−((x + 1)²) − y²))",
        ),
        ("1/3*np.exp(-(x+1)**2 - y**2)", "(1/3)·e^(−((x + 1)²) − y²)"),
        // A sign binds looser than a power.
        ("-x**2", "−(x²)"),
        ("-x^2", "−(x²)"),
        ("(-x)**2", "(−x)²"),
        ("-2**2", "−(2²)"),
        ("x**-2", "x⁻²"),
        ("-x**-2", "−(x⁻²)"),
        ("x^-y^2", "x^(−(y²))"),
        ("2^-x", "2^(−x)"),
        // Powers are right-associative.
        ("2**3**2", "2^(3²)"),
        ("(2**3)**2", "(2³)²"),
        ("x**y**2", "x^(y²)"),
        // Left-associative chains: quotients are bracketed, differences read left to right.
        ("x/y/2", "(x/y)/2"),
        ("x/(y/2)", "x/(y/2)"),
        ("x*y/2", "(x·y)/2"),
        ("x/y*2", "(x/y)·2"),
        ("x*y*2", "x·y·2"),
        ("x/(y*2)", "x/(y·2)"),
        ("x-y-1", "x − y − 1"),
        ("x-(y-1)", "x − (y − 1)"),
        ("x - -y", "x − (−y)"),
        ("-(x*y)", "−(x·y)"),
        ("2*-x", "2·(−x)"),
        // Functions by their maths names.
        ("np.exp(x)", "e^x"),
        ("exp(x)**2", "(e^x)²"),
        ("sqrt(x**2 + y**2)", "√(x² + y²)"),
        ("np.abs(x - y)", "|x − y|"),
        ("np.log(x) + math.log10(y)", "ln(x) + log₁₀(y)"),
        ("log(x, 2)", "log(x, base 2)"),
        ("np.arcsin(x)", "arcsin(x)"),
        ("np.power(x, 3)", "x³"),
        ("np.square(x + y)", "(x + y)²"),
        ("np.arctan2(y, x)", "atan2(y, x)"),
        ("max(x, y, 1)", "max(x, y, 1)"),
        ("sin(x)**2", "sin(x)²"),
        ("np.pi*x", "π·x"),
        ("np.e**x", "e^x"),
        (".5*x + 1e-3", "0.5·x + 1e-3"),
        ("x**0.5", "x^0.5"),
        ("x**1e-3", "x^(1e-3)"),
        ("+x", "x"),
    ];
    for (text, want) in table {
        assert_eq!(shown(text, Surface), *want, "{text}");
    }
    // The same printer in the fit lab.
    assert_eq!(shown("a*np.exp(-b*x) + c", Mode::Curve), "a·e^(−b·x) + c");
    assert_eq!(shown("a/b/x", Mode::Curve), "(a/b)/x");
}

#[test]
fn echo_of_a_long_chain_needs_no_recursion() {
    // 999 additions: printed from the postfix stack in a 64 KiB thread.
    let text = format!("x{}", "+x".repeat(999));
    let h = std::thread::Builder::new()
        .stack_size(64 * 1024)
        .spawn(move || check(&text, Mode::Surface).map(|i| i.shown.chars().count()))
        .unwrap();
    assert_eq!(h.join().unwrap(), Ok(1000 + 999 * 3));
}

#[test]
fn both_modes_accept_the_same_prefixes_and_say_so() {
    // (text, read_as in the surface lab, read_as in the fit lab).
    let table: &[(&str, &str, &str)] = &[
        ("return x*x", "f(x, y) = x·x (the leading “return” was ignored)", "y = x·x (the leading “return” was ignored)"),
        ("lambda x: 2*x", "f(x, y) = 2·x (the leading “lambda x:” was ignored)", "y = 2·x (the leading “lambda x:” was ignored)"),
        ("f(x) = x/2", "f(x, y) = x/2 (the leading “f(x) =” was ignored)", "y = x/2 (the leading “f(x) =” was ignored)"),
        ("y(x) = x**2", "f(x, y) = x² (the leading “y(x) =” was ignored)", "y = x² (the leading “y(x) =” was ignored)"),
        ("z = x - 1", "f(x, y) = x − 1 (the leading “z =” was ignored)", "y = x − 1 (the leading “z =” was ignored)"),
        ("y = x - 1", "f(x, y) = x − 1 (the leading “y =” was ignored)", "y = x − 1 (the leading “y =” was ignored)"),
        ("def f(x):\n    return x + 1", "f(x, y) = x + 1 (the leading “def f(x): return” was ignored)", "y = x + 1 (the leading “def f(x): return” was ignored)"),
        ("x**2;", "f(x, y) = x² (the trailing “;” was ignored)", "y = x² (the trailing “;” was ignored)"),
        ("x + 1  # a line", "f(x, y) = x + 1 (the comment was ignored)", "y = x + 1 (the comment was ignored)"),
        ("return np.square(x);", "f(x, y) = x² (the leading “return” was ignored; the trailing “;” was ignored; square(u) is read as u²)", "y = x² (the leading “return” was ignored; the trailing “;” was ignored; square(u) is read as u²)"),
    ];
    // A curve needs a parameter: the same texts with `+ a` appended (and `+ a` in the echo).
    for (text, surface, curve) in table {
        let s = check(text, Mode::Surface).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(s.read_as, format!("read as: {surface}"), "{text}");
        let with_a = match text.find([';', '#']) {
            Some(i) => format!("{} + a{}", &text[..i], &text[i..]),
            None => format!("{text} + a"),
        };
        let c = check(&with_a, Mode::Curve).unwrap_or_else(|e| panic!("{with_a}: {e}"));
        let (head, notes) = curve.split_once(" (").unwrap_or((curve, ""));
        let want = if notes.is_empty() {
            format!("read as: {head} + a")
        } else {
            format!("read as: {head} + a ({notes}")
        };
        assert_eq!(c.read_as, want, "{with_a}");
        // The prefix changes nothing about the compiled formula.
        let bare = SurfaceFormula::parse(
            &s.shown
                .replace('·', "*")
                .replace('²', "^2")
                .replace('−', "-"),
        );
        assert_eq!(
            bare.map(|f| f.eval(1.5, 0.0)),
            Ok(surf(text).eval(1.5, 0.0)),
            "{text}"
        );
    }
    // A typed model with a declared variable list (scipy's curve_fit style).
    let c = CurveFormula::parse("lambda x, a, b: a*np.exp(-b*x)").unwrap();
    assert_eq!(c.param_names(), ["a", "b"]);
    assert_eq!(c.model_value(2.0, &[3.0, 0.5]), 3.0 * (-1.0_f64).exp());
    // The same verdict from both labs on the names a prefix may declare.
    let refused: &[(&str, Mode, &str, usize)] = &[
        ("lambda x, a: a*x", Mode::Surface, "'a' cannot be an argument of a surface formula: its variables are x and y", 11),
        ("lambda a, x: a*x", Mode::Curve, "the first argument must be the variable x, not 'a'", 8),
        ("lambda x, e: e*x", Mode::Curve, "'e' cannot be a parameter name", 11),
        ("f(x, x) = x", Mode::Surface, "'x' is listed twice", 6),
        ("lambda x x: x", Mode::Surface, "expected ':' after the lambda's arguments", 10),
        ("def f(x) x", Mode::Curve, "expected a definition such as def f(x, y): return …", 5),
        ("return", Mode::Surface, "variable 'return' is not allowed in a surface formula; allowed names: x, y, pi, e and the functions exp, log, ln, log10, sqrt, abs, sin, cos, tan, asin, acos, atan, atan2, sinh, cosh, tanh, min, max, pow", 1),
        ("y =", Mode::Curve, "the formula is empty", 4),
        ("x = 3", Mode::Surface, "'=' may only follow a leading name such as y =, z =, f(x, y) = or y(x) = (the formula is the right-hand side)", 3),
        ("a*x = 3", Mode::Curve, "'=' may only follow a leading name such as y =, z =, f(x, y) = or y(x) = (the formula is the right-hand side)", 5),
        ("x: 3", Mode::Surface, "':' may only end a leading lambda x, y: or def f(x, y):", 2),
        ("x; y", Mode::Surface, "';' may only end the formula (one expression only)", 2),
    ];
    for (text, mode, message, column) in refused {
        let e = err(text, *mode);
        assert_eq!(
            (e.message.as_str(), e.column),
            (*message, *column),
            "{text}"
        );
    }
    // Every prefix gives one verdict in both modes when its names suit both.
    for text in [
        "return x",
        "lambda x: x",
        "f(x) = x",
        "y = x",
        "z = x",
        "x;",
        "x # c",
        "lambda x: return x",
    ] {
        // The read-as line after its head (`f(x, y) =` or `y =`).
        let rest = |i: Info| i.read_as.split_once(" = ").map(|r| r.1.to_string());
        let s = check(text, Mode::Surface).map(rest);
        let curve_text = format!("{text} + a")
            .replace("; + a", " + a;")
            .replace("# c + a", "+ a # c");
        let c = check(&curve_text, Mode::Curve).map(|i| rest(i).map(|r| r.replacen(" + a", "", 1)));
        assert_eq!(s, c, "{text}");
    }
    // Error columns count from the start of the text, prefix included.
    assert_eq!(err("y = a*(x + 1", Mode::Curve).column, 13);
    assert_eq!(err("f(x, y) = (x + 1", Mode::Surface).column, 17);
}

#[test]
fn unknown_names_get_the_closest_known_one() {
    let fns = parser::FUNCTIONS.join(", ");
    let table: &[(&str, Mode, &str)] = &[
        (
            "np.sqr(x)",
            Mode::Surface,
            "unknown function 'np.sqr'; did you mean sqrt?",
        ),
        (
            "sine(x)",
            Mode::Surface,
            "unknown function 'sine'; did you mean sinh or sin?",
        ),
        (
            "np.sqaure(x)",
            Mode::Surface,
            "unknown function 'np.sqaure'; did you mean square?",
        ),
        (
            "Exp(x)",
            Mode::Surface,
            "unknown function 'Exp'; did you mean exp?",
        ),
        (
            "np.arctan3(y, x)",
            Mode::Surface,
            "unknown function 'np.arctan3'; did you mean arctan2 or arctan?",
        ),
        (
            "a*np.log2(x)",
            Mode::Curve,
            "unknown function 'np.log2'; did you mean log(…, 2)?",
        ),
        ("a*foo(x)", Mode::Curve, "unknown function 'foo';"),
    ];
    for (text, mode, start) in table {
        let e = err(text, *mode);
        assert!(e.message.starts_with(start), "{text}: {}", e.message);
        assert!(
            e.message.ends_with(&format!("allowed functions: {fns}")),
            "{text}: {}",
            e.message
        );
    }
    assert!(err("pii*x", Mode::Surface)
        .message
        .contains("'pii' is not allowed in a surface formula; did you mean pi?"));
    assert!(err("X*y", Mode::Surface)
        .message
        .contains("did you mean x?"));
    assert!(err("np.pie*a", Mode::Curve)
        .message
        .starts_with("unknown name 'np.pie'; did you mean pi?"));
    // A single letter is never "close" to another (z is not a typo of x).
    assert!(!err("z*x", Mode::Surface).message.contains("did you mean"));
    // np.square is supported: the same code as **2.
    assert_eq!(surf("np.square(x - y)").eval(3.0, 1.0), 4.0);
    let p = |t: &str| parser::parse(t, Mode::Surface).map(|p| p.program.code);
    assert_eq!(p("np.square(x - y)"), p("(x - y)**2"));
    // Distance: substitutions, insertions, deletions and swaps each cost 1.
    assert_eq!(echo::distance("sqaure", "square"), 1);
    assert_eq!(echo::distance("exp", "EXP"), 0);
    assert_eq!(echo::distance("sin", "tanh"), 3);
}
