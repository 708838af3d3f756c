//! Stack-machine evaluation: values only, or values with exact first and second derivatives by
//! forward-mode automatic differentiation over the instruction list.
//!
//! Each stack slot carries (v, ∇v, ∇²v) over the active inputs. For a one-argument operation
//! w = f(u) the chain rule gives ∇w = f′(u)∇u and ∇²w = f′(u)∇²u + f″(u)∇u∇uᵀ; for a two-argument
//! one w = f(a, b), ∇w = f_a∇a + f_b∇b and
//! ∇²w = f_a∇²a + f_b∇²b + f_aa∇a∇aᵀ + f_ab(∇a∇bᵀ + ∇b∇aᵀ) + f_bb∇b∇bᵀ
//! (Griewank & Walther, *Evaluating Derivatives*, 2nd ed., ch. 13 — second-order forward mode).

use super::compile::{Fn1, Fn2, Op, Program};
use crate::math::Det;

/// Value of a one-operand instruction.
pub(crate) fn apply1(op: Op, u: f64) -> f64 {
    match op {
        Op::Neg => -u,
        Op::PowI(n) => u.powi(n),
        Op::PowC(c) => u.dpowf(c),
        Op::F1(f) => fn1(f, u),
        _ => f64::NAN,
    }
}

fn fn1(f: Fn1, u: f64) -> f64 {
    match f {
        Fn1::Exp => u.dexp(),
        Fn1::Ln => u.dln(),
        Fn1::Log10 => u.dlog10(),
        Fn1::Sqrt => u.sqrt(),
        Fn1::Abs => u.abs(),
        Fn1::Sin => u.dsin(),
        Fn1::Cos => u.dcos(),
        Fn1::Tan => u.dtan(),
        Fn1::Asin => u.dasin(),
        Fn1::Acos => u.dacos(),
        Fn1::Atan => u.datan(),
        Fn1::Sinh => u.dsinh(),
        Fn1::Cosh => u.dcosh(),
        Fn1::Tanh => u.dtanh(),
    }
}

/// min/max that propagate NaN (NumPy's `minimum`/`maximum`), unlike `f64::min`.
fn nan_min(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else {
        a.min(b)
    }
}

fn nan_max(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else {
        a.max(b)
    }
}

/// Value of a two-operand instruction.
pub(crate) fn apply2(op: Op, a: f64, b: f64) -> f64 {
    match op {
        Op::Add => a + b,
        Op::Sub => a - b,
        Op::Mul => a * b,
        Op::Div => a / b,
        Op::Pow => a.dpowf(b),
        Op::F2(Fn2::Atan2) => a.datan2(b),
        Op::F2(Fn2::Min) => nan_min(a, b),
        Op::F2(Fn2::Max) => nan_max(a, b),
        Op::F2(Fn2::LogBase) => a.dln() / b.dln(),
        _ => f64::NAN,
    }
}

/// Value with first and second derivative of a one-operand instruction: (f, f′, f″).
fn d1(op: Op, u: f64) -> (f64, f64, f64) {
    match op {
        Op::Neg => (-u, -1.0, 0.0),
        Op::PowI(n) => match n {
            0 => (1.0, 0.0, 0.0),
            1 => (u, 1.0, 0.0),
            2 => (u * u, 2.0 * u, 2.0),
            _ => {
                let nf = n as f64;
                let p2 = u.powi(n - 2);
                (u.powi(n), nf * u.powi(n - 1), nf * (nf - 1.0) * p2)
            }
        },
        Op::PowC(c) => (
            u.dpowf(c),
            c * u.dpowf(c - 1.0),
            c * (c - 1.0) * u.dpowf(c - 2.0),
        ),
        Op::F1(f) => match f {
            Fn1::Exp => {
                let v = u.dexp();
                (v, v, v)
            }
            Fn1::Ln => (u.dln(), 1.0 / u, -1.0 / (u * u)),
            Fn1::Log10 => {
                let k = std::f64::consts::LN_10;
                (u.dlog10(), 1.0 / (u * k), -1.0 / (u * u * k))
            }
            Fn1::Sqrt => {
                let s = u.sqrt();
                (s, 0.5 / s, -0.25 / (s * u))
            }
            // Derivative of |u| taken as sign(u), 0 at u = 0 (a subgradient).
            Fn1::Abs => {
                let s = if u > 0.0 {
                    1.0
                } else if u < 0.0 {
                    -1.0
                } else {
                    0.0
                };
                (u.abs(), s, 0.0)
            }
            Fn1::Sin => {
                let (s, c) = (u.dsin(), u.dcos());
                (s, c, -s)
            }
            Fn1::Cos => {
                let (s, c) = (u.dsin(), u.dcos());
                (c, -s, -c)
            }
            Fn1::Tan => {
                let t = u.dtan();
                let sec2 = 1.0 + t * t;
                (t, sec2, 2.0 * t * sec2)
            }
            Fn1::Asin => {
                let r = 1.0 - u * u;
                let d = 1.0 / r.sqrt();
                (u.dasin(), d, u * d / r)
            }
            Fn1::Acos => {
                let r = 1.0 - u * u;
                let d = 1.0 / r.sqrt();
                (u.dacos(), -d, -u * d / r)
            }
            Fn1::Atan => {
                let r = 1.0 / (1.0 + u * u);
                (u.datan(), r, -2.0 * u * r * r)
            }
            Fn1::Sinh => (u.dsinh(), u.dcosh(), u.dsinh()),
            Fn1::Cosh => (u.dcosh(), u.dsinh(), u.dcosh()),
            Fn1::Tanh => {
                let t = u.dtanh();
                let s = 1.0 - t * t;
                (t, s, -2.0 * t * s)
            }
        },
        _ => (f64::NAN, f64::NAN, f64::NAN),
    }
}

/// Value and partials of a two-operand instruction: (f, f_a, f_b, f_aa, f_ab, f_bb).
fn d2(op: Op, a: f64, b: f64) -> [f64; 6] {
    match op {
        Op::Add => [a + b, 1.0, 1.0, 0.0, 0.0, 0.0],
        Op::Sub => [a - b, 1.0, -1.0, 0.0, 0.0, 0.0],
        Op::Mul => [a * b, b, a, 0.0, 1.0, 0.0],
        Op::Div => {
            let r = 1.0 / b;
            let v = a * r;
            [a / b, r, -v * r, 0.0, -r * r, 2.0 * v * r * r]
        }
        Op::Pow => {
            let v = a.dpowf(b);
            let la = a.dln();
            let pm1 = a.dpowf(b - 1.0);
            let mut d = [
                v,
                b * pm1,
                v * la,
                b * (b - 1.0) * a.dpowf(b - 2.0),
                pm1 * (1.0 + b * la),
                v * la * la,
            ];
            // Where aᵇ is exactly 0 (a = 0 with b > 0, or underflow) the exponent terms aᵇ·ln a
            // and aᵇ·ln²a are 0 in the limit, not 0·(−∞) = NaN; so is the mixed term
            // aᵇ⁻¹(1 + b ln a) when aᵇ⁻¹ is 0 as well (b > 1). Only those NaNs are replaced:
            // every other value keeps its bits.
            if v == 0.0 {
                for k in [2, 4, 5] {
                    if d[k].is_nan() {
                        d[k] = 0.0;
                    }
                }
            }
            d
        }
        Op::F2(Fn2::Atan2) => {
            let r = a * a + b * b;
            let r2 = r * r;
            [
                a.datan2(b),
                b / r,
                -a / r,
                -2.0 * a * b / r2,
                (a * a - b * b) / r2,
                2.0 * a * b / r2,
            ]
        }
        // The derivative follows the selected operand (the first one on ties).
        Op::F2(Fn2::Min) => {
            let v = nan_min(a, b);
            if a <= b || v.is_nan() {
                [v, 1.0, 0.0, 0.0, 0.0, 0.0]
            } else {
                [v, 0.0, 1.0, 0.0, 0.0, 0.0]
            }
        }
        Op::F2(Fn2::Max) => {
            let v = nan_max(a, b);
            if a >= b || v.is_nan() {
                [v, 1.0, 0.0, 0.0, 0.0, 0.0]
            } else {
                [v, 0.0, 1.0, 0.0, 0.0, 0.0]
            }
        }
        Op::F2(Fn2::LogBase) => {
            let la = a.dln();
            let lb = b.dln();
            [
                la / lb,
                1.0 / (a * lb),
                -la / (b * lb * lb),
                -1.0 / (a * a * lb),
                -1.0 / (a * b * lb * lb),
                la * (lb + 2.0) / (b * b * lb * lb * lb),
            ]
        }
        _ => [f64::NAN; 6],
    }
}

/// Scratch length [`value`] needs.
pub(crate) fn value_len(prog: &Program) -> usize {
    prog.max_stack
}

/// Scratch length [`derivs`] needs (with or without the Hessian).
pub(crate) fn derivs_len(prog: &Program, want_h: bool) -> usize {
    let n = prog.n_dirs();
    prog.max_stack * (1 + n + if want_h { n * n } else { 0 })
}

/// Evaluates the value only. `s` is scratch space of at least [`value_len`] entries.
///
/// `inputs.len()` must be `prog.n_inputs`.
pub(crate) fn value(prog: &Program, inputs: &[f64], s: &mut [f64]) -> f64 {
    let mut sp = 0usize;
    for ins in &prog.code {
        match ins.op {
            Op::Const(c) => {
                s[sp] = c;
                sp += 1;
            }
            Op::Var(i) => {
                s[sp] = inputs[i];
                sp += 1;
            }
            Op::Add => {
                sp -= 1;
                s[sp - 1] += s[sp];
            }
            Op::Sub => {
                sp -= 1;
                s[sp - 1] -= s[sp];
            }
            Op::Mul => {
                sp -= 1;
                s[sp - 1] *= s[sp];
            }
            Op::Div => {
                sp -= 1;
                s[sp - 1] /= s[sp];
            }
            Op::Neg => s[sp - 1] = -s[sp - 1],
            Op::PowI(n) => s[sp - 1] = s[sp - 1].powi(n),
            Op::F1(f) => s[sp - 1] = fn1(f, s[sp - 1]),
            Op::PowC(c) => s[sp - 1] = s[sp - 1].dpowf(c),
            op @ (Op::Pow | Op::F2(_)) => {
                sp -= 1;
                s[sp - 1] = apply2(op, s[sp - 1], s[sp]);
            }
        }
    }
    s[0]
}

/// Evaluates the value, the gradient over the active inputs (written to `grad`, length
/// `prog.n_dirs()`), and, when `hess` is `Some`, the Hessian (row-major, n_dirs²).
///
/// `buf` is scratch space of at least [`derivs_len`] entries.
pub(crate) fn derivs(
    prog: &Program,
    inputs: &[f64],
    buf: &mut [f64],
    grad: &mut [f64],
    hess: Option<&mut [f64]>,
) -> f64 {
    let n = prog.n_dirs();
    let want_h = hess.is_some();
    let nh = if want_h { n * n } else { 0 };
    let stride = 1 + n + nh;
    let mut sp = 0usize;
    for ins in &prog.code {
        match ins.op {
            Op::Const(c) => {
                let slot = &mut buf[sp * stride..(sp + 1) * stride];
                slot.fill(0.0);
                slot[0] = c;
                sp += 1;
            }
            Op::Var(i) => {
                let slot = &mut buf[sp * stride..(sp + 1) * stride];
                slot.fill(0.0);
                slot[0] = inputs[i];
                if i >= prog.first_active {
                    slot[1 + i - prog.first_active] = 1.0;
                }
                sp += 1;
            }
            op @ (Op::Neg | Op::PowI(_) | Op::PowC(_) | Op::F1(_)) => {
                let slot = &mut buf[(sp - 1) * stride..sp * stride];
                let (v, f1, f2) = d1(op, slot[0]);
                slot[0] = v;
                if ins.active & 1 != 0 {
                    let (g, h) = slot[1..].split_at_mut(n);
                    if want_h {
                        for r in 0..n {
                            for c in r..n {
                                let v = f1 * h[r * n + c] + f2 * g[r] * g[c];
                                h[r * n + c] = v;
                                h[c * n + r] = v;
                            }
                        }
                    }
                    for gi in g.iter_mut() {
                        *gi *= f1;
                    }
                }
            }
            op => {
                sp -= 1;
                let (lo, hi) = buf.split_at_mut(sp * stride);
                let a = &mut lo[(sp - 1) * stride..];
                let b = &hi[..stride];
                let [v, fa, fb, faa, fab, fbb] = d2(op, a[0], b[0]);
                a[0] = v;
                let act_a = ins.active & 1 != 0;
                let act_b = ins.active & 2 != 0;
                let (ga, ha) = a[1..].split_at_mut(n);
                let (gb, hb) = b[1..].split_at(n);
                match (act_a, act_b) {
                    (false, false) => {}
                    (true, false) => {
                        if want_h {
                            for r in 0..n {
                                for c in r..n {
                                    let v = fa * ha[r * n + c] + faa * ga[r] * ga[c];
                                    ha[r * n + c] = v;
                                    ha[c * n + r] = v;
                                }
                            }
                        }
                        for gi in ga.iter_mut() {
                            *gi *= fa;
                        }
                    }
                    (false, true) => {
                        // `a` is constant: its gradient and Hessian are zero.
                        if want_h {
                            for r in 0..n {
                                for c in r..n {
                                    let v = fb * hb[r * n + c] + fbb * gb[r] * gb[c];
                                    ha[r * n + c] = v;
                                    ha[c * n + r] = v;
                                }
                            }
                        }
                        for (gi, &gbi) in ga.iter_mut().zip(gb) {
                            *gi = fb * gbi;
                        }
                    }
                    (true, true) => {
                        if want_h {
                            for r in 0..n {
                                for c in r..n {
                                    let v = fa * ha[r * n + c]
                                        + fb * hb[r * n + c]
                                        + faa * ga[r] * ga[c]
                                        + fab * (ga[r] * gb[c] + gb[r] * ga[c])
                                        + fbb * gb[r] * gb[c];
                                    ha[r * n + c] = v;
                                    ha[c * n + r] = v;
                                }
                            }
                        }
                        for (gi, &gbi) in ga.iter_mut().zip(gb) {
                            *gi = fa * *gi + fb * gbi;
                        }
                    }
                }
            }
        }
    }
    grad.copy_from_slice(&buf[1..1 + n]);
    if let Some(h) = hess {
        h.copy_from_slice(&buf[1 + n..1 + n + nh]);
    }
    buf[0]
}
