//! Parser: an iterative operator-precedence (shunting-yard) parser that emits postfix code
//! directly. It does not recurse, so no input can overflow the stack; nesting is limited anyway
//! ([`MAX_DEPTH`]) for readable formulas and bounded evaluation stacks.
//!
//! Grammar it accepts (Python's precedence; `^` and `**` are the same operator):
//!
//! ```text
//! expr    := term (('+' | '-') term)*
//! term    := unary (('*' | '/') unary)*
//! unary   := ('+' | '-') unary | power
//! power   := primary (('^' | '**') unary)?      // right-associative; -x^2 = -(x^2); 2^-1 = 0.5
//! primary := number | name | name '(' expr (',' expr)* ')' | '(' expr ')'
//! ```
//!
//! Nesting depth counts the open parentheses, function calls, signs and exponents pending on the
//! operator stack (Dijkstra's shunting-yard algorithm, with prefix signs ranked between `*` and `^`).

use super::compile::{Builder, Fn1, Fn2, Op, Program};
use super::echo;
use super::lexer::{tokenize, Tok, Token};
use super::{FormulaError, Mode, MAX_DEPTH, MAX_LEN};

/// The functions, in the order they are listed in error messages.
pub(crate) const FUNCTIONS: &[&str] = &[
    "exp", "log", "ln", "log10", "sqrt", "abs", "sin", "cos", "tan", "asin", "acos", "atan",
    "atan2", "sinh", "cosh", "tanh", "min", "max", "pow",
];

/// Every function name the language knows, NumPy aliases included (for "did you mean …?").
const ALL_FUNCTIONS: &[&str] = &[
    "exp", "log", "ln", "log10", "sqrt", "abs", "sin", "cos", "tan", "asin", "acos", "atan",
    "atan2", "sinh", "cosh", "tanh", "min", "max", "pow", "fabs", "absolute", "arcsin", "arccos",
    "arctan", "arctan2", "power", "minimum", "maximum", "square",
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
    /// NumPy's `square(u)` = u².
    Square,
}

impl Func {
    /// The name the echo prints (see [`echo::call`]).
    fn display(self) -> &'static str {
        use Fn1::*;
        match self {
            Func::One(f) => match f {
                Exp => "exp",
                Ln => "ln",
                Log10 => "log10",
                Sqrt => "sqrt",
                Abs => "abs",
                Sin => "sin",
                Cos => "cos",
                Tan => "tan",
                Asin => "arcsin",
                Acos => "arccos",
                Atan => "arctan",
                Sinh => "sinh",
                Cosh => "cosh",
                Tanh => "tanh",
            },
            Func::Log => "log",
            Func::Two(Fn2::Atan2) | Func::Chain(Fn2::Atan2) => "atan2",
            Func::Two(Fn2::Min) | Func::Chain(Fn2::Min) => "min",
            Func::Two(Fn2::Max) | Func::Chain(Fn2::Max) => "max",
            Func::Two(Fn2::LogBase) | Func::Chain(Fn2::LogBase) => "log",
            Func::Pow => "pow",
            Func::Square => "square",
        }
    }
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
        "square" => Func::Square,
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
        Tok::Num(..) => "a number".into(),
        Tok::Ident(s) => format!("'{s}'"),
        Tok::Plus => "'+'".into(),
        Tok::Minus => "'-'".into(),
        Tok::Star => "'*'".into(),
        Tok::Slash => "'/'".into(),
        Tok::Pow => "'^'".into(),
        Tok::LParen => "'('".into(),
        Tok::RParen => "')'".into(),
        Tok::Comma => "','".into(),
        Tok::Eq => "'='".into(),
        Tok::Colon => "':'".into(),
        Tok::Semi => "';'".into(),
        Tok::End => "the end of the formula".into(),
    }
}

#[cold]
#[inline(never)]
fn not_an_operand(tok: &Tok, col: usize) -> FormulaError {
    FormulaError::new(
        format!("expected a number, a name or '(', found {}", describe(tok)),
        col,
    )
}

fn function_list() -> String {
    FUNCTIONS.join(", ")
}

/// Where a stray `=`, `:` or `;` may go.
#[cold]
#[inline(never)]
fn misplaced(tok: &Tok, col: usize) -> FormulaError {
    let m = match tok {
        Tok::Eq => {
            "'=' may only follow a leading name such as y =, z =, f(x, y) = or y(x) = \
             (the formula is the right-hand side)"
        }
        Tok::Colon => "':' may only end a leading lambda x, y: or def f(x, y):",
        _ => "';' may only end the formula (one expression only)",
    };
    FormulaError::new(m, col)
}

/// " did you mean …?" for a misspelt name, or "".
fn did_you_mean(name: &str, known: &[&str]) -> String {
    let bare = name.rsplit('.').next().unwrap_or(name);
    if bare == "log2" {
        return " did you mean log(…, 2)?".into();
    }
    let near = echo::closest(name, known);
    if near.is_empty() {
        String::new()
    } else {
        format!(" did you mean {}?", near.join(" or "))
    }
}

/// A function or constant name (with or without a NumPy prefix): cannot be declared.
pub(crate) fn reserved(name: &str) -> bool {
    strip_prefix(name).is_some_and(|b| lookup_function(b).is_some() || lookup_constant(b).is_some())
}

/// The result of a successful parse.
pub(crate) struct Parsed {
    pub program: Program,
    /// The formula printed back with explicit grouping (see [`echo`]).
    pub echo: String,
    /// A leading `return`, `lambda x, y:` … that was skipped, in a normalized spelling.
    pub lead: Option<String>,
    /// The formula ended with `;`.
    pub semicolon: bool,
    /// It used NumPy's `square`.
    pub square: bool,
    /// Curve mode: parameter names in order of first appearance.
    pub params: Vec<String>,
    pub uses_x: bool,
    pub uses_y: bool,
}

/// An entry of the operator stack.
enum Item {
    /// A binary operator waiting for its right operand.
    Bin { op: Op, prec: u8 },
    /// A prefix sign (`true` for minus).
    Sign { neg: bool },
    /// An open parenthesis.
    Paren,
    /// An open function call.
    Call {
        func: Func,
        name: String,
        col: usize,
        n_args: usize,
    },
}

/// Precedence of prefix signs: below `^` (so -x^2 = -(x^2)), above `*` and `/`.
const SIGN_PREC: u8 = 3;
const POW_PREC: u8 = 4;

impl Item {
    /// Counts toward the nesting depth.
    fn nests(&self) -> bool {
        match self {
            Item::Bin { op, .. } => *op == Op::Pow,
            _ => true,
        }
    }
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
    ops: Vec<Item>,
    /// The echo of each pending operand (parallel to the evaluation stack of the code).
    echo: Vec<echo::Item>,
    semicolon: bool,
    square: bool,
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
    let lead = echo::lead(&toks, mode, &reserved)?;
    let mut p = Parser {
        toks,
        pos: lead.start,
        depth: 0,
        mode,
        params: Vec::new(),
        uses_x: false,
        uses_y: false,
        b: Builder::default(),
        ops: Vec::new(),
        echo: Vec::new(),
        semicolon: false,
        square: false,
    };
    p.run()?;
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
        echo: p.echo.pop().map(|e| e.0).unwrap_or_default(),
        lead: lead.text,
        semicolon: p.semicolon,
        square: p.square,
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

    /// Pushes an operator-stack item, enforcing the nesting limit.
    fn push(&mut self, item: Item, col: usize) -> Result<(), FormulaError> {
        if item.nests() {
            self.depth += 1;
            if self.depth > MAX_DEPTH {
                return Err(FormulaError::new(
                    format!("the formula is nested too deeply (more than {MAX_DEPTH} levels)"),
                    col,
                ));
            }
        }
        self.ops.push(item);
        Ok(())
    }

    /// Pops operators (binary and signs) while they bind at least as tightly as `prec` requires:
    /// `Bin` with precedence > `prec`, or = `prec` when left-associative; signs with
    /// [`SIGN_PREC`] > `prec`. Stops at parentheses and calls.
    fn reduce(&mut self, prec: u8, right_assoc: bool) {
        while let Some(top) = self.ops.last() {
            let pop = match top {
                Item::Bin { prec: p, .. } => *p > prec || (*p == prec && !right_assoc),
                Item::Sign { .. } => SIGN_PREC > prec,
                Item::Paren | Item::Call { .. } => false,
            };
            if !pop {
                return;
            }
            match self.ops.pop() {
                Some(Item::Bin { op, .. }) => {
                    if op == Op::Pow {
                        self.depth -= 1;
                    }
                    self.b.emit(op);
                    let r = self.echo.pop().unwrap_or_default();
                    let l = self.echo.pop().unwrap_or_default();
                    let e = match op {
                        Op::Add => echo::bin(echo::Bin::Add, l, r),
                        Op::Sub => echo::bin(echo::Bin::Sub, l, r),
                        Op::Mul => echo::bin(echo::Bin::Mul, l, r),
                        Op::Div => echo::bin(echo::Bin::Div, l, r),
                        _ => echo::pow(l, r),
                    };
                    self.echo.push(e);
                }
                Some(Item::Sign { neg }) => {
                    self.depth -= 1;
                    if neg {
                        self.b.emit(Op::Neg);
                        let u = self.echo.pop().unwrap_or_default();
                        self.echo.push(echo::neg(u));
                    }
                }
                _ => {}
            }
        }
    }

    /// The innermost open parenthesis or call, if any.
    fn open_group(&self) -> Option<&Item> {
        self.ops
            .iter()
            .rev()
            .find(|i| matches!(i, Item::Paren | Item::Call { .. }))
    }

    /// What to say when a group is still open where `)` (or `,`) was needed.
    #[cold]
    #[inline(never)]
    fn unclosed(&self, col: usize) -> FormulaError {
        let want = match self.open_group() {
            Some(Item::Call {
                func: Func::One(_) | Func::Square,
                ..
            }) => "expected ')'",
            Some(Item::Call { .. }) => "expected ',' or ')'",
            _ => "expected ')'",
        };
        FormulaError::new(want, col)
    }

    /// The whole parse: alternates between expecting an operand and expecting an operator.
    fn run(&mut self) -> Result<(), FormulaError> {
        let mut want_operand = true;
        // Set right after the `(` of a call: a `)` then closes a call with no arguments.
        let mut just_opened_call = false;
        loop {
            let t = self.bump();
            if want_operand {
                let opened = std::mem::take(&mut just_opened_call);
                match t.tok {
                    Tok::Num(v, text) => {
                        self.b.emit(Op::Const(v));
                        self.echo.push(echo::number(&text));
                        want_operand = false;
                    }
                    Tok::Ident(name) => {
                        if self.peek().tok == Tok::LParen {
                            let func = self.resolve_call(&name, t.col)?;
                            let open = self.bump().col;
                            let item = Item::Call {
                                func,
                                name,
                                col: t.col,
                                n_args: 0,
                            };
                            self.push(item, open)?;
                            just_opened_call = true;
                        } else {
                            self.name(&name, t.col)?;
                            want_operand = false;
                        }
                    }
                    Tok::LParen => self.push(Item::Paren, t.col)?,
                    Tok::Minus => self.push(Item::Sign { neg: true }, t.col)?,
                    Tok::Plus => self.push(Item::Sign { neg: false }, t.col)?,
                    Tok::RParen if opened => {
                        self.close_call(0)?;
                        want_operand = false;
                    }
                    Tok::Eq | Tok::Colon => return Err(misplaced(&t.tok, t.col)),
                    other => return Err(not_an_operand(&other, t.col)),
                }
                continue;
            }
            match t.tok {
                Tok::Plus | Tok::Minus | Tok::Star | Tok::Slash | Tok::Pow => {
                    let (op, prec, right) = match t.tok {
                        Tok::Plus => (Op::Add, 1, false),
                        Tok::Minus => (Op::Sub, 1, false),
                        Tok::Star => (Op::Mul, 2, false),
                        Tok::Slash => (Op::Div, 2, false),
                        _ => (Op::Pow, POW_PREC, true),
                    };
                    self.reduce(prec, right);
                    self.push(Item::Bin { op, prec }, t.col)?;
                    want_operand = true;
                }
                Tok::RParen => {
                    self.reduce(0, false);
                    match self.ops.pop() {
                        Some(Item::Paren) => self.depth -= 1,
                        Some(call @ Item::Call { .. }) => {
                            self.ops.push(call);
                            self.close_call(1)?;
                        }
                        _ => return Err(FormulaError::new("unmatched ')'", t.col)),
                    }
                }
                Tok::Comma => {
                    self.reduce(0, false);
                    match self.ops.last_mut() {
                        Some(Item::Call { func, n_args, .. }) => {
                            *n_args += 1;
                            if let (Func::Chain(f), 2..) = (*func, *n_args) {
                                self.b.emit(Op::F2(f));
                            }
                            want_operand = true;
                        }
                        Some(_) => return Err(self.unclosed(t.col)),
                        None => return Err(FormulaError::new("unexpected ','", t.col)),
                    }
                }
                Tok::Semi if self.peek().tok != Tok::End => return Err(misplaced(&t.tok, t.col)),
                Tok::Eq | Tok::Colon => return Err(misplaced(&t.tok, t.col)),
                Tok::End | Tok::Semi => {
                    self.semicolon = t.tok == Tok::Semi;
                    self.reduce(0, false);
                    if !self.ops.is_empty() {
                        return Err(self.unclosed(t.col));
                    }
                    return Ok(());
                }
                Tok::Num(..) | Tok::Ident(_) | Tok::LParen => {
                    return Err(FormulaError::new(
                        format!(
                            "expected an operator before {} (write 2*x, not 2x)",
                            describe(&t.tok)
                        ),
                        t.col,
                    ))
                }
            }
        }
    }

    /// Closes the call on top of the operator stack; `last` is 1 when an argument precedes the
    /// `)`, 0 for `f()`.
    fn close_call(&mut self, last: usize) -> Result<(), FormulaError> {
        let Some(Item::Call {
            func,
            name,
            col,
            n_args,
        }) = self.ops.pop()
        else {
            return Ok(());
        };
        self.depth -= 1;
        let n_args = n_args + last;
        if let (Func::Chain(f), 2..) = (func, n_args) {
            self.b.emit(Op::F2(f));
        }
        self.finish_call(func, &name, n_args, col)
    }

    /// A name not followed by `(`: a variable, parameter or constant.
    fn name(&mut self, name: &str, col: usize) -> Result<(), FormulaError> {
        let bare = strip_prefix(name);
        if let Some(c) = bare.and_then(lookup_constant) {
            self.b.emit(Op::Const(c));
            self.echo
                .push(echo::name(if bare == Some("pi") { "π" } else { "e" }));
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
                    "unknown name '{name}';{} allowed constants: pi, e; allowed functions: {} \
                     (optionally written np., numpy. or math.)",
                    did_you_mean(name, &["pi", "e"]),
                    function_list()
                ),
                col,
            ));
        }
        self.echo.push(echo::name(name));
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
                        "variable '{name}' is not allowed in a surface formula;{} allowed names: \
                         x, y, pi, e and the functions {}",
                        did_you_mean(name, &["x", "y", "pi", "e"]),
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

    #[inline(never)]
    fn resolve_call(&self, name: &str, col: usize) -> Result<Func, FormulaError> {
        let bare = strip_prefix(name);
        if let Some(f) = bare.and_then(lookup_function) {
            return Ok(f);
        }
        let what = if bare.and_then(lookup_constant).is_some() {
            format!("'{name}' is a constant, not a function")
        } else if self.is_variable(name) {
            format!("'{name}' is a variable, not a function (write {name}*(…) to multiply)")
        } else {
            format!(
                "unknown function '{name}';{} allowed functions: {}",
                did_you_mean(name, ALL_FUNCTIONS),
                function_list()
            )
        };
        Err(FormulaError::new(what, col))
    }

    /// Checks the argument count and emits the operation (min/max are emitted per argument).
    #[inline(never)]
    fn finish_call(
        &mut self,
        func: Func,
        name: &str,
        n_args: usize,
        col: usize,
    ) -> Result<(), FormulaError> {
        let op = match (func, n_args) {
            (Func::One(f), 1) => Ok(Some(Op::F1(f))),
            (Func::One(_), _) => Err("1 argument"),
            (Func::Log, 1) => Ok(Some(Op::F1(Fn1::Ln))),
            (Func::Log, 2) => Ok(Some(Op::F2(Fn2::LogBase))),
            (Func::Log, _) => Err("1 or 2 arguments"),
            (Func::Two(f), 2) => Ok(Some(Op::F2(f))),
            (Func::Pow, 2) => Ok(Some(Op::Pow)),
            (Func::Two(_) | Func::Pow, _) => Err("2 arguments"),
            (Func::Chain(_), n) if n >= 2 => Ok(None),
            (Func::Chain(_), _) => Err("at least 2 arguments"),
            (Func::Square, 1) => {
                self.b.emit(Op::Const(2.0));
                self.square = true;
                Ok(Some(Op::Pow))
            }
            (Func::Square, _) => Err("1 argument"),
        };
        let want = match op {
            Ok(op) => {
                if let Some(op) = op {
                    self.b.emit(op);
                }
                let at = self.echo.len().saturating_sub(n_args);
                let args = self.echo.split_off(at);
                self.echo.push(echo::call(func.display(), args));
                return Ok(());
            }
            Err(want) => want,
        };
        Err(FormulaError::new(
            format!("{name} takes {want}, got {n_args}"),
            col,
        ))
    }

    fn is_variable(&self, name: &str) -> bool {
        match self.mode {
            Mode::Surface => name == "x" || name == "y",
            Mode::Curve => name == "x" || self.params.iter().any(|p| p == name),
        }
    }
}
