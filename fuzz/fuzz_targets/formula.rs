//! Fuzz target: arbitrary bytes → parse (surface and curve modes) → evaluate value, gradient and
//! Hessian at a few points. Must never panic, overflow the stack or hang.
#![no_main]

use gradlab::problem::formula::{check, CurveFormula, Mode, Scratch, SurfaceFormula};
use gradlab::problem::Objective;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut s = Scratch::new();
    for mode in [Mode::Surface, Mode::Curve] {
        if let Err(e) = check(&text, mode) {
            // Columns point inside the text or one past its end (or at the length limit).
            assert!(e.column >= 1);
            let _ = e.caret(&text);
        }
    }
    if let Ok(f) = SurfaceFormula::parse(&text) {
        for &(x, y) in &[(0.0, 0.0), (1.5, -0.5), (-3.0, 2.0), (1e300, -1e-300)] {
            let v = f.eval(x, y);
            let (v2, _g, _h) = f.eval_hessian(x, y, &mut s);
            let (v3, _g) = f.eval_gradient(x, y, &mut s);
            // The three evaluation paths compute the same value.
            assert!(v.to_bits() == v2.to_bits() || (v.is_nan() && v2.is_nan()));
            assert!(v.to_bits() == v3.to_bits() || (v.is_nan() && v3.is_nan()));
            let _ = f.hessian(&[x, y]);
        }
        let mut out = Vec::new();
        f.eval_grid(&gradlab::problem::surfaces::Peaks::VIEW, 4, 3, &mut out);
    }
    if let Ok(m) = CurveFormula::parse(&text) {
        let p: Vec<f64> = (0..m.n_params()).map(|i| 0.5 + i as f64).collect();
        let mut g = vec![0.0; m.n_params()];
        let v = m.model_eval(1.25, &p, &mut g);
        let w = m.model_value(1.25, &p);
        assert!(v.to_bits() == w.to_bits() || (v.is_nan() && w.is_nan()));
        let _ = m.model_eval_with(-2.0, &p, &mut g, &mut s);
    }
});
