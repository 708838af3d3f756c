//! Times formula evaluation on a 100×100 grid (what the page redraws while dragging).
//!
//! `cargo run --release --example formula_bench`

use gradlab::problem::formula::{Scratch, SurfaceFormula};
use gradlab::problem::surfaces::Peaks;
use std::hint::black_box;
use std::time::Instant;

const PEAKS: &str = "3*(1-x)**2*np.exp(-(x**2)-(y+1)**2) - 10*(x/5 - x**3 - y**5)*np.exp(-x**2-y**2) - 1/3*np.exp(-(x+1)**2 - y**2)";

/// Best-of-`reps` time in milliseconds of `f`.
fn best_ms(reps: usize, mut f: impl FnMut()) -> f64 {
    let mut best = f64::INFINITY;
    for _ in 0..reps {
        let t = Instant::now();
        f();
        best = best.min(t.elapsed().as_secs_f64() * 1e3);
    }
    best
}

fn main() {
    let f = SurfaceFormula::parse(PEAKS).expect("peaks parses");
    let n = 100;
    let mut out = Vec::with_capacity(n * n);
    let t_parse = best_ms(200, || {
        black_box(SurfaceFormula::parse(black_box(PEAKS)).unwrap());
    });
    let t_grid = best_ms(50, || f.eval_grid(&Peaks::VIEW, n, n, &mut out));
    let t_native = best_ms(50, || {
        out.clear();
        for j in 0..n {
            for i in 0..n {
                let x = -3.0 + 6.0 * i as f64 / 99.0;
                let y = -3.0 + 6.0 * j as f64 / 99.0;
                out.push(Peaks::eval(black_box(x), y));
            }
        }
    });
    let mut s = Scratch::new();
    let grid = |g: &mut dyn FnMut(f64, f64)| {
        for j in 0..n {
            for i in 0..n {
                g(-3.0 + 6.0 * i as f64 / 99.0, -3.0 + 6.0 * j as f64 / 99.0);
            }
        }
    };
    let t_grad = best_ms(20, || {
        grid(&mut |x, y| {
            black_box(f.eval_gradient(x, y, &mut s));
        })
    });
    let t_hess = best_ms(20, || {
        grid(&mut |x, y| {
            black_box(f.eval_hessian(x, y, &mut s));
        })
    });
    println!("peaks formula, 100x100 grid (best of runs):");
    println!("  parse + compile            {:8.4} ms", t_parse);
    println!("  values (eval_grid)         {:8.3} ms", t_grid);
    println!("  values (hand-written Rust) {:8.3} ms", t_native);
    println!("  value + gradient           {:8.3} ms", t_grad);
    println!("  value + gradient + Hessian {:8.3} ms", t_hess);
}
