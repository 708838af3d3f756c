//! Recursive-descent parser with an explicit nesting counter, emitting postfix code directly.
//!
//! Grammar (Python's precedence; `^` and `**` are the same operator):
//!
//! ```text
//! expr    := term (('+' | '-') term)*
//! term    := unary (('*' | '/') unary)*
//! unary   := ('+' | '-') unary | power
//! power   := primary (('^' | '**') unary)?      // right-associative; -x^2 = -(x^2); 2^-1 = 0.5
//! primary := number | name | name '(' expr (',' expr)* ')' | '(' expr ')'
//! ```
//!
//! Every recursion (a parenthesis, a function call, a sign, an exponent) passes through
//! [`Parser::enter`], which fails beyond [`MAX_DEPTH`] levels: deep input gives an error, never a
//! stack overflow.

use super::compile::{Builder, Fn1, Fn2, Op, Program};
use super::lexer::{tokenize, Tok, Token};
use super::{FormulaError, Mode, MAX_DEPTH, MAX_LEN};

/// The functions, in the order they are listed in error messages.
pub(crate) const FUNCTIONS: &[&str] = &[
    "exp", "log", "ln", "log10", "sqrt", "abs", "sin", "cos", "tan", "asin", "acos", "atan",
    "atan2", "sinh", "cosh", "tanh", "min", "max", "pow",
];

/// What a (prefix-stripped) function name means.
#[derive(Clone, Copy)]
enum Func {
    One(Fn1),
    /// `log`: natural log with one argument, log(a, base) with two.
    Log,
    Two(Fn2),
    Pow,
    /// min/max: two or more arguments, folded left.
    Chain(Fn2),
}

fn lookup_function(name: &str) -> Option<Func> {
    use Fn1::*;
    Some(match name {
        "exp" => Func::One(Exp),
        "log" => Func::Log,
        "ln" => Func::One(Ln),
        "log10" => Func::One(Log10),
        "sqrt" => Func::One(Sqrt),
        "abs" | "fabs" | "absolute" => Func::One(Abs),
        "sin" => Func::One(Sin),
        "cos" => Func::One(Cos),
        "tan" => Func::One(Tan),
        "asin" | "arcsin" => Func::One(Asin),
        "acos" | "arccos" => Func::One(Acos),
        "atan" | "arctan" => Func::One(Atan),
        "sinh" => Func::One(Sinh),
        "cosh" => Func::One(Cosh),
        "tanh" => Func::One(Tanh),
        "atan2" | "arctan2" => Func::Two(Fn2::Atan2),
        "pow" | "power" => Func::Pow,
        "min" | "minimum" => Func::Chain(Fn2::Min),
        "max" | "maximum" => Func::Chain(Fn2::Max),
        _ => return None,
    })
}

fn lookup_constant(name: &str) -> Option<f64> {
    match name {
        "pi" => Some(std::f64::consts::PI),
        "e" => Some(std::f64::consts::E),
        _ => None,
    }
}

/// Strips a `np.`, `numpy.` or `math.` prefix; `None` for any other dotted name.
fn strip_prefix(name: &str) -> Option<&str> {
    let rest = ["np.", "numpy.", "math."]
        .iter()
        .find_map(|p| name.strip_prefix(p))
        .unwrap_or(name);
    if rest.contains('.') {
        None
    } else {
        Some(rest)
    }
}

fn describe(tok: &Tok) -> String {
    match tok {
        Tok::Num(_) => "a number".into(),
        Tok::Ident(s) => format!("'{s}'"),
        Tok::Plus => "'+'".into(),
        Tok::Minus => "'-'".into(),
        Tok::Star => "'*'".into(),
        Tok::Slash => "'/'".into(),
        Tok::Pow => "'^'".into(),
        Tok::LParen => "'('".into(),
        Tok::RParen => "')'".into(),
        Tok::Comma => "','".into(),
        Tok::End => "the end of the formula".into(),
    }
}

fn function_list() -> String {
    FUNCTIONS.join(", ")
}

/// The result of a successful parse.
pub(crate) struct Parsed {
    pub program: Program,
    /// Curve mode: parameter names in order of first appearance.
    pub params: Vec<String>,
    pub uses_x: bool,
    pub uses_y: bool,
}

struct Parser {
    toks: Vec<Token>,
    pos: usize,
    depth: usize,
    mode: Mode,
    params: Vec<String>,
    uses_x: bool,
    uses_y: bool,
    b: Builder,
}

/// Parses and compiles `text` in `mode`.
pub(crate) fn parse(text: &str, mode: Mode) -> Result<Parsed, FormulaError> {
    // Length first, counting at most MAX_LEN + 1 characters, before any other work.
    let len = text.chars().take(MAX_LEN + 1).count();
    if len > MAX_LEN {
        let total = text.chars().count();
        return Err(FormulaError::new(
            format!("the formula is too long ({total} characters; the limit is {MAX_LEN})"),
            MAX_LEN + 1,
        ));
    }
    let toks = tokenize(text)?;
    if toks.len() == 1 {
        return Err(FormulaError::new("the formula is empty", 1));
    }
    let mut p = Parser {
        toks,
        pos: 0,
        depth: 0,
        mode,
        params: Vec::new(),
        uses_x: false,
        uses_y: false,
        b: Builder::default(),
    };
    p.expr()?;
    let t = p.peek().clone();
    match t.tok {
        Tok::End => {}
        Tok::RParen => return Err(FormulaError::new("unmatched ')'", t.col)),
        Tok::Num(_) | Tok::Ident(_) | Tok::LParen => {
            return Err(FormulaError::new(
                format!(
                    "expected an operator before {} (write 2*x, not 2x)",
                    describe(&t.tok)
                ),
                t.col,
            ))
        }
        other => {
            return Err(FormulaError::new(
                format!("unexpected {}", describe(&other)),
                t.col,
            ))
        }
    }
    if mode == Mode::Curve && p.params.is_empty() {
        return Err(FormulaError::new(
            "a curve model needs at least one parameter: any name other than x, e.g. a*exp(-b*x)",
            1,
        ));
    }
    let (n_inputs, first_active) = match mode {
        Mode::Surface => (2, 0),
        Mode::Curve => (1 + p.params.len(), 1),
    };
    Ok(Parsed {
        program: p.b.finish(n_inputs, first_active),
        params: p.params,
        uses_x: p.uses_x,
        uses_y: p.uses_y,
    })
}

impl Parser {
    fn peek(&self) -> &Token {
        // The last token is always End, and `pos` never moves past it.
        &self.toks[self.pos.min(self.toks.len() - 1)]
    }

    fn bump(&mut self) -> Token {
        let t = self.peek().clone();
        if self.pos < self.toks.len() - 1 {
            self.pos += 1;
        }
        t
    }

    fn enter(&mut self, col: usize) -> Result<(), FormulaError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(FormulaError::new(
                format!("the formula is nested too deeply (more than {MAX_DEPTH} levels)"),
                col,
            ));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    fn expr(&mut self) -> Result<(), FormulaError> {
        self.term()?;
        loop {
            let op = match self.peek().tok {
                Tok::Plus => Op::Add,
                Tok::Minus => Op::Sub,
                _ => return Ok(()),
            };
            self.bump();
            self.term()?;
            self.b.emit(op);
        }
    }

    fn term(&mut self) -> Result<(), FormulaError> {
        self.unary()?;
        loop {
            let op = match self.peek().tok {
                Tok::Star => Op::Mul,
                Tok::Slash => Op::Div,
                _ => return Ok(()),
            };
            self.bump();
            self.unary()?;
            self.b.emit(op);
        }
    }

    fn unary(&mut self) -> Result<(), FormulaError> {
        let t = self.peek().clone();
        match t.tok {
            Tok::Minus | Tok::Plus => {
                self.bump();
                self.enter(t.col)?;
                self.unary()?;
                self.leave();
                if t.tok == Tok::Minus {
                    self.b.emit(Op::Neg);
                }
                Ok(())
            }
            _ => self.power(),
        }
    }

    fn power(&mut self) -> Result<(), FormulaError> {
        self.primary()?;
        let t = self.peek().clone();
        if t.tok == Tok::Pow {
            self.bump();
            self.enter(t.col)?;
            self.unary()?;
            self.leave();
            self.b.emit(Op::Pow);
        }
        Ok(())
    }

    fn primary(&mut self) -> Result<(), FormulaError> {
        let t = self.bump();
        match t.tok {
            Tok::Num(v) => {
                self.b.emit(Op::Const(v));
                Ok(())
            }
            Tok::LParen => {
                self.enter(t.col)?;
                self.expr()?;
                self.expect_rparen()?;
                self.leave();
                Ok(())
            }
            Tok::Ident(name) => {
                if self.peek().tok == Tok::LParen {
                    self.call(&name, t.col)
                } else {
                    self.name(&name, t.col)
                }
            }
            other => {
                // Point at the offending token (for End: one past the text).
                Err(FormulaError::new(
                    format!(
                        "expected a number, a name or '(', found {}",
                        describe(&other)
                    ),
                    t.col,
                ))
            }
        }
    }

    fn expect_rparen(&mut self) -> Result<(), FormulaError> {
        let t = self.peek().clone();
        if t.tok == Tok::RParen {
            self.bump();
            Ok(())
        } else {
            Err(FormulaError::new("expected ')'", t.col))
        }
    }

    /// A name not followed by `(`: a variable, parameter or constant.
    fn name(&mut self, name: &str, col: usize) -> Result<(), FormulaError> {
        let bare = strip_prefix(name);
        if let Some(c) = bare.and_then(lookup_constant) {
            self.b.emit(Op::Const(c));
            return Ok(());
        }
        if let Some(f) = bare.filter(|f| lookup_function(f).is_some()) {
            return Err(FormulaError::new(
                format!("'{name}' is a function: call it as {f}(…)"),
                col,
            ));
        }
        if name.contains('.') {
            return Err(FormulaError::new(
                format!(
                    "unknown name '{name}'; allowed constants: pi, e; allowed functions: {} \
                     (optionally written np., numpy. or math.)",
                    function_list()
                ),
                col,
            ));
        }
        match self.mode {
            Mode::Surface => match name {
                "x" => {
                    self.uses_x = true;
                    self.b.emit(Op::Var(0));
                    Ok(())
                }
                "y" => {
                    self.uses_y = true;
                    self.b.emit(Op::Var(1));
                    Ok(())
                }
                _ => Err(FormulaError::new(
                    format!(
                        "variable '{name}' is not allowed in a surface formula; allowed names: \
                         x, y, pi, e and the functions {}",
                        function_list()
                    ),
                    col,
                )),
            },
            Mode::Curve => {
                if name == "x" {
                    self.uses_x = true;
                    self.b.emit(Op::Var(0));
                } else {
                    let i = match self.params.iter().position(|p| p == name) {
                        Some(i) => i,
                        None => {
                            self.params.push(name.to_string());
                            self.params.len() - 1
                        }
                    };
                    self.b.emit(Op::Var(1 + i));
                }
                Ok(())
            }
        }
    }

    /// `name(args…)`; the current token is the `(`.
    fn call(&mut self, name: &str, col: usize) -> Result<(), FormulaError> {
        let bare = strip_prefix(name);
        let func = match bare.and_then(lookup_function) {
            Some(f) => f,
            None => {
                let what = if bare.and_then(lookup_constant).is_some() {
                    format!("'{name}' is a constant, not a function")
                } else if self.is_variable(name) {
                    format!("'{name}' is a variable, not a function (write {name}*(…) to multiply)")
                } else {
                    format!(
                        "unknown function '{name}'; allowed functions: {}",
                        function_list()
                    )
                };
                return Err(FormulaError::new(what, col));
            }
        };
        let open = self.bump(); // '('
        self.enter(open.col)?;
        let mut n_args = 0usize;
        if self.peek().tok == Tok::RParen {
            // Zero arguments: reported below as an arity error.
        } else {
            loop {
                self.expr()?;
                n_args += 1;
                if let Func::Chain(f) = func {
                    if n_args >= 2 {
                        self.b.emit(Op::F2(f));
                    }
                }
                let t = self.peek().clone();
                match t.tok {
                    Tok::Comma => {
                        self.bump();
                    }
                    Tok::RParen => break,
                    _ => {
                        let want = match func {
                            Func::One(_) => "expected ')'",
                            _ => "expected ',' or ')'",
                        };
                        return Err(FormulaError::new(want, t.col));
                    }
                }
            }
        }
        self.expect_rparen()?;
        self.leave();
        let arity_err = |want: &str| {
            Err(FormulaError::new(
                format!("{name} takes {want}, got {n_args}"),
                col,
            ))
        };
        match func {
            Func::One(f) => {
                if n_args != 1 {
                    return arity_err("1 argument");
                }
                self.b.emit(Op::F1(f));
            }
            Func::Log => match n_args {
                1 => self.b.emit(Op::F1(Fn1::Ln)),
                2 => self.b.emit(Op::F2(Fn2::LogBase)),
                _ => return arity_err("1 or 2 arguments"),
            },
            Func::Two(f) => {
                if n_args != 2 {
                    return arity_err("2 arguments");
                }
                self.b.emit(Op::F2(f));
            }
            Func::Pow => {
                if n_args != 2 {
                    return arity_err("2 arguments");
                }
                self.b.emit(Op::Pow);
            }
            Func::Chain(_) => {
                if n_args < 2 {
                    return arity_err("at least 2 arguments");
                }
            }
        }
        Ok(())
    }

    fn is_variable(&self, name: &str) -> bool {
        match self.mode {
            Mode::Surface => name == "x" || name == "y",
            Mode::Curve => name == "x" || self.params.iter().any(|p| p == name),
        }
    }
}
