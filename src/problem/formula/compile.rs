//! The compiled form: a flat postfix instruction list for a stack machine.
//!
//! The parser emits instructions directly (no syntax tree). [`Builder::emit`] folds operations
//! whose operands are all constants and turns powers with a constant exponent into
//! [`Op::PowI`]/[`Op::PowC`], so `x^2` is exact for negative `x` and its derivative needs no `ln x`.

/// A one-argument function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Fn1 {
    Exp,
    Ln,
    Log10,
    Sqrt,
    Abs,
    Sin,
    Cos,
    Tan,
    Asin,
    Acos,
    Atan,
    Sinh,
    Cosh,
    Tanh,
}

/// A two-argument function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Fn2 {
    /// atan2(y, x).
    Atan2,
    Min,
    Max,
    /// log(a, base) = ln a / ln base (Python's `math.log(a, base)`).
    LogBase,
}

/// One stack-machine instruction.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Op {
    /// Push a constant.
    Const(f64),
    /// Push input number `i` (surface: 0 = x, 1 = y; curve: 0 = x, 1.. = parameters).
    Var(usize),
    Neg,
    Add,
    Sub,
    Mul,
    Div,
    /// aᵇ, both operands on the stack.
    Pow,
    /// uⁿ for a constant integer n.
    PowI(i32),
    /// uᶜ for a constant non-integer c.
    PowC(f64),
    F1(Fn1),
    F2(Fn2),
}

impl Op {
    /// (operands popped, results pushed).
    fn arity(self) -> usize {
        match self {
            Op::Const(_) | Op::Var(_) => 0,
            Op::Neg | Op::PowI(_) | Op::PowC(_) | Op::F1(_) => 1,
            Op::Add | Op::Sub | Op::Mul | Op::Div | Op::Pow | Op::F2(_) => 2,
        }
    }
}

/// An instruction plus, for derivative evaluation, which operands depend on the differentiation
/// variables (an operand that does not has a zero gradient and Hessian, so its terms are skipped).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Instr {
    pub op: Op,
    /// Bit 0: first (or only) operand is active; bit 1: second operand is active.
    pub active: u8,
}

/// A compiled formula: postfix code over `n_inputs` inputs.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Program {
    pub code: Vec<Instr>,
    pub n_inputs: usize,
    /// Inputs `first_active..n_inputs` are the differentiation directions.
    pub first_active: usize,
    /// Largest stack depth reached.
    pub max_stack: usize,
}

impl Program {
    /// Number of differentiation directions.
    pub fn n_dirs(&self) -> usize {
        self.n_inputs - self.first_active
    }
}

/// Largest |n| compiled to [`Op::PowI`]; bigger integer exponents use `powf` (so n − 2 in the
/// second derivative cannot overflow).
const MAX_POWI: f64 = 1_048_576.0;

/// Accumulates postfix code with constant folding.
#[derive(Default)]
pub(crate) struct Builder {
    pub code: Vec<Op>,
}

impl Builder {
    fn last_const(&self, k: usize) -> Option<f64> {
        // The k-th instruction from the end (k = 0: last) if it is a constant; consecutive
        // trailing constants are exactly the top stack entries.
        let n = self.code.len();
        if k >= n {
            return None;
        }
        for j in 0..=k {
            if !matches!(self.code[n - 1 - j], Op::Const(_)) {
                return None;
            }
        }
        match self.code[n - 1 - k] {
            Op::Const(c) => Some(c),
            _ => None,
        }
    }

    /// Appends `op`, folding it when all operands are constants.
    pub fn emit(&mut self, op: Op) {
        let ar = op.arity();
        if ar == 1 {
            if let Some(u) = self.last_const(0) {
                self.code.pop();
                self.code.push(Op::Const(super::eval::apply1(op, u)));
                return;
            }
        } else if ar == 2 {
            if let (Some(a), Some(b)) = (self.last_const(1), self.last_const(0)) {
                self.code.pop();
                self.code.pop();
                self.code.push(Op::Const(super::eval::apply2(op, a, b)));
                return;
            }
            if op == Op::Pow {
                if let Some(b) = self.last_const(0) {
                    self.code.pop();
                    if b.fract() == 0.0 && b.abs() <= MAX_POWI {
                        self.code.push(Op::PowI(b as i32));
                    } else {
                        self.code.push(Op::PowC(b));
                    }
                    return;
                }
            }
        }
        self.code.push(op);
    }

    /// Finishes: computes the stack size and operand activity.
    pub fn finish(self, n_inputs: usize, first_active: usize) -> Program {
        let mut act: Vec<bool> = Vec::new();
        let mut max_stack = 0;
        let mut code = Vec::with_capacity(self.code.len());
        for op in self.code {
            let ar = op.arity();
            let mut bits = 0u8;
            let mut any = false;
            for j in 0..ar {
                // Operand j (0 = first) sits at depth ar-1-j from the top.
                let a = act[act.len() - ar + j];
                if a {
                    bits |= 1 << j;
                    any = true;
                }
            }
            act.truncate(act.len() - ar);
            let res = match op {
                Op::Const(_) => false,
                Op::Var(i) => i >= first_active,
                _ => any,
            };
            act.push(res);
            max_stack = max_stack.max(act.len());
            code.push(Instr { op, active: bits });
        }
        Program {
            code,
            n_inputs,
            first_active,
            max_stack,
        }
    }
}
