//! The formula shown back ("echo"): the parse printed as readable maths with explicit grouping, the
//! optional leading `return` / `lambda x, y:` / `def f(x, y):` / `f(x, y) =` / `z =` that both labs
//! accept, and "did you mean …?" suggestions for unknown names.
//!
//! The echo is built by the parser as it reduces (a stack of printed operands, one entry per
//! operand of the postfix code, each with the [`Kind`] of its outermost operation), so it follows
//! the parse exactly and needs no recursion. Grouping rules, chosen so a student cannot misread
//! the precedence:
//! - a power's base is parenthesized unless it is a single name, number, call or bracket; its
//!   exponent is a superscript when it is an integer literal (`x²`, `x⁻²`), `^name` when a single
//!   name or number, else `^(…)`: `2**3**2` → `2^(3²)`, `1/3**np.exp(u)` → `1/3^(e^(u))`;
//! - a sign in front of a power, product, sum or sign is parenthesized: `-x**2` → `−(x²)`;
//! - a division's left operand is parenthesized when it is a product or quotient, and a product's
//!   left operand when it is a quotient: `a/b/c` → `(a/b)/c`, `1/3*u` → `(1/3)·u`;
//! - a right operand of `·`, `/` or `−` that is itself a product, sum or sign keeps its brackets:
//!   `a-(b-c)` → `a − (b − c)`; `a-b-c` → `a − b − c`.

use super::lexer::{Tok, Token};
use super::{FormulaError, Mode};

/// The outermost operation of a printed operand (decides where brackets are needed).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Kind {
    /// An integer literal (digits only): may become a superscript exponent.
    Int,
    /// A single name or plain number: may stand bare as an exponent.
    #[default]
    Simple,
    /// A call, `√(…)`, `|…|`: self-delimiting.
    Atom,
    Pow,
    /// A sign; `int` when its operand is an integer literal (`−2`, for `x⁻²`).
    Neg {
        int: bool,
    },
    /// A product or quotient (also numbers in e-notation, `1e-3`); `div` when its last operation
    /// is a division.
    Prod {
        div: bool,
    },
    Sum,
}

/// One printed operand.
pub(crate) type Item = (String, Kind);

fn wrap(s: &str) -> String {
    format!("({s})")
}

/// A number as typed (`.5` shown as `0.5`).
pub(crate) fn number(text: &str) -> Item {
    let t = if text.starts_with('.') {
        format!("0{text}")
    } else {
        text.to_string()
    };
    let kind = if t.bytes().all(|b| b.is_ascii_digit()) {
        Kind::Int
    } else if t.contains(['e', 'E']) {
        Kind::Prod { div: false }
    } else {
        Kind::Simple
    };
    (t, kind)
}

/// A name (variable, parameter or constant, already in its display form).
pub(crate) fn name(text: &str) -> Item {
    (text.to_string(), Kind::Simple)
}

fn superscript(digits: &str) -> String {
    digits
        .chars()
        .map(|c| match c {
            '0' => '⁰',
            '1' => '¹',
            '2' => '²',
            '3' => '³',
            '4' => '⁴',
            '5' => '⁵',
            '6' => '⁶',
            '7' => '⁷',
            '8' => '⁸',
            '9' => '⁹',
            '−' => '⁻',
            c => c,
        })
        .collect()
}

/// `−u`.
pub(crate) fn neg((s, k): Item) -> Item {
    let int = k == Kind::Int;
    let s = match k {
        Kind::Int | Kind::Simple | Kind::Atom => format!("−{s}"),
        _ => format!("−{}", wrap(&s)),
    };
    (s, Kind::Neg { int })
}

/// `base^exp`.
pub(crate) fn pow((b, bk): Item, (e, ek): Item) -> Item {
    let base = match bk {
        Kind::Int | Kind::Simple | Kind::Atom => b,
        _ => wrap(&b),
    };
    let exp = match ek {
        Kind::Int | Kind::Neg { int: true } => superscript(&e),
        Kind::Simple => format!("^{e}"),
        _ => format!("^{}", wrap(&e)),
    };
    (format!("{base}{exp}"), Kind::Pow)
}

/// The binary operators: `+ − · /`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Bin {
    Add,
    Sub,
    Mul,
    Div,
}

pub(crate) fn bin(op: Bin, (l, lk): Item, (r, rk): Item) -> Item {
    let is = |k: Kind, sum: bool, prod: bool, neg: bool| match k {
        Kind::Sum => sum,
        Kind::Prod { .. } => prod,
        Kind::Neg { .. } => neg,
        _ => false,
    };
    match op {
        Bin::Add | Bin::Sub => {
            let r = if is(rk, true, false, true) {
                wrap(&r)
            } else {
                r
            };
            let sym = if op == Bin::Add { '+' } else { '−' };
            (format!("{l} {sym} {r}"), Kind::Sum)
        }
        Bin::Mul | Bin::Div => {
            let div = op == Bin::Div;
            let wrap_l = match lk {
                Kind::Sum => true,
                Kind::Prod { div: d } => div || d,
                _ => false,
            };
            let l = if wrap_l { wrap(&l) } else { l };
            let r = if is(rk, true, true, true) {
                wrap(&r)
            } else {
                r
            };
            let sym = if div { "/" } else { "·" };
            (format!("{l}{sym}{r}"), Kind::Prod { div })
        }
    }
}

/// A function call in maths notation (`exp` as `e^…`, `sqrt` as `√(…)`, `abs` as `|…|`, …).
/// `args` holds exactly the arguments the function takes (the parser checked the count).
pub(crate) fn call(func: &str, args: Vec<Item>) -> Item {
    let text = |a: &[Item]| {
        a.iter()
            .map(|(s, _)| s.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    // The first two arguments (empty if missing: never a panic, whatever the parser passes).
    let arg = |i: usize| args.get(i).cloned().unwrap_or_default();
    match func {
        "exp" => pow(name("e"), arg(0)),
        "pow" => pow(arg(0), arg(1)),
        "square" => pow(arg(0), ("2".into(), Kind::Int)),
        "sqrt" => (format!("√({})", text(&args)), Kind::Atom),
        "abs" => (format!("|{}|", text(&args)), Kind::Atom),
        "log" if args.len() == 2 => (format!("log({}, base {})", arg(0).0, arg(1).0), Kind::Atom),
        "log" | "ln" => (format!("ln({})", text(&args)), Kind::Atom),
        "log10" => (format!("log₁₀({})", text(&args)), Kind::Atom),
        f => (format!("{f}({})", text(&args)), Kind::Atom),
    }
}

/// What preceded the formula proper: a leading `return`, `lambda …:`, `def …:`, `name(…) =` or
/// `name =`.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Lead {
    /// Index of the first token of the formula proper.
    pub start: usize,
    /// The prefix in a normalized spelling (`lambda x, y:`), `None` without one.
    pub text: Option<String>,
}

fn ident(t: &Token) -> Option<&str> {
    match &t.tok {
        Tok::Ident(s) => Some(s),
        _ => None,
    }
}

/// Reads `( name, name, … )` from `toks[i]` (a `(`), or `name, name, …` when `paren` is false;
/// returns the names with their columns and the index after. `None` if it is not such a list.
fn arg_list(toks: &[Token], mut i: usize, paren: bool) -> Option<(Vec<(String, usize)>, usize)> {
    if paren {
        if toks.get(i)?.tok != Tok::LParen {
            return None;
        }
        i += 1;
    }
    let mut args = Vec::new();
    loop {
        let t = toks.get(i)?;
        match &t.tok {
            Tok::Ident(s) => {
                args.push((s.clone(), t.col));
                i += 1;
                match toks.get(i)?.tok {
                    Tok::Comma => i += 1,
                    Tok::RParen if paren => return Some((args, i + 1)),
                    _ if !paren => return Some((args, i)),
                    _ => return None,
                }
            }
            Tok::RParen if paren && args.is_empty() => return Some((args, i + 1)),
            _ if !paren && args.is_empty() => return Some((args, i)),
            _ => return None,
        }
    }
}

fn list(args: &[(String, usize)]) -> String {
    args.iter()
        .map(|(a, _)| a.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Finds the optional prefix (the same rules in both modes; only the names allowed as arguments
/// depend on the mode: x and y for a surface; x first, then parameter names, for a curve).
///
/// `reserved` tells the names that cannot be declared (functions and constants).
pub(crate) fn lead(
    toks: &[Token],
    mode: Mode,
    reserved: &dyn Fn(&str) -> bool,
) -> Result<Lead, FormulaError> {
    let is = |i: usize, t: Tok| toks.get(i).is_some_and(|k| k.tok == t);
    let word = |i: usize| toks.get(i).and_then(ident);
    let not_end = |i: usize| toks.get(i).is_some_and(|t| t.tok != Tok::End);
    let with_return = |i: usize, text: String| {
        if word(i) == Some("return") {
            Lead {
                start: i + 1,
                text: Some(format!("{text} return")),
            }
        } else {
            Lead {
                start: i,
                text: Some(text),
            }
        }
    };
    let found = match word(0) {
        Some("return") if not_end(1) => Some((
            Lead {
                start: 1,
                text: Some("return".into()),
            },
            None,
        )),
        Some("lambda") => {
            let bad = || {
                let col = toks.get(1).map_or(1, |t| t.col);
                FormulaError::new(
                    "expected the arguments and ':' of a lambda, e.g. lambda x, y: …",
                    col,
                )
            };
            let (args, i) = arg_list(toks, 1, false).ok_or_else(bad)?;
            if !is(i, Tok::Colon) {
                return Err(FormulaError::new(
                    "expected ':' after the lambda's arguments",
                    toks.get(i).map_or(1, |t| t.col),
                ));
            }
            let text = format!("lambda {}:", list(&args)).replace("lambda :", "lambda:");
            Some((with_return(i + 1, text), Some(args)))
        }
        Some("def") => {
            let fname = word(1).filter(|_| is(2, Tok::LParen));
            let parsed = fname.and_then(|f| arg_list(toks, 2, true).map(|a| (f, a)));
            let Some((f, (args, i))) = parsed.filter(|(_, (_, i))| is(*i, Tok::Colon)) else {
                return Err(FormulaError::new(
                    "expected a definition such as def f(x, y): return …",
                    toks.get(1).map_or(1, |t| t.col),
                ));
            };
            let text = format!("def {f}({}):", list(&args));
            Some((with_return(i + 1, text), Some(args)))
        }
        Some(f) if !f.contains('.') && !reserved(f) && is(1, Tok::LParen) => {
            match arg_list(toks, 1, true) {
                Some((args, i)) if is(i, Tok::Eq) => Some((
                    Lead {
                        start: i + 1,
                        text: Some(format!("{f}({}) =", list(&args))),
                    },
                    Some(args),
                )),
                _ => None,
            }
        }
        Some(f @ ("y" | "z" | "f")) if is(1, Tok::Eq) => Some((
            Lead {
                start: 2,
                text: Some(format!("{f} =")),
            },
            None,
        )),
        _ => None,
    };
    let Some((lead, args)) = found else {
        return Ok(Lead::default());
    };
    if let Some(args) = args {
        check_args(&args, mode, reserved)?;
    }
    if !not_end(lead.start) {
        return Err(FormulaError::new(
            "the formula is empty",
            toks.get(lead.start).map_or(1, |t| t.col),
        ));
    }
    Ok(lead)
}

/// The names a prefix declares: x and y for a surface; x first, then parameters, for a curve.
fn check_args(
    args: &[(String, usize)],
    mode: Mode,
    reserved: &dyn Fn(&str) -> bool,
) -> Result<(), FormulaError> {
    for (i, (a, col)) in args.iter().enumerate() {
        if args[..i].iter().any(|(b, _)| b == a) {
            return Err(FormulaError::new(format!("'{a}' is listed twice"), *col));
        }
        let ok = match mode {
            Mode::Surface => a == "x" || a == "y",
            Mode::Curve => (i == 0) == (a == "x") && !a.contains('.') && !reserved(a),
        };
        if !ok {
            let why = match mode {
                Mode::Surface => format!(
                    "'{a}' cannot be an argument of a surface formula: its variables are x and y"
                ),
                Mode::Curve if i == 0 => {
                    format!("the first argument must be the variable x, not '{a}'")
                }
                Mode::Curve => format!("'{a}' cannot be a parameter name"),
            };
            return Err(FormulaError::new(why, *col));
        }
    }
    if mode == Mode::Curve && args.is_empty() {
        return Err(FormulaError::new(
            "the model's first argument must be the variable x, e.g. lambda x, a, b: …",
            1,
        ));
    }
    Ok(())
}

/// Optimal-string-alignment distance (Levenshtein plus swaps of neighbours), case-insensitive.
pub(crate) fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for i in 0..=a.len() {
        for j in 0..=b.len() {
            d[i * w + j] = if i == 0 || j == 0 {
                i + j
            } else {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut v = (d[(i - 1) * w + j] + 1)
                    .min(d[i * w + j - 1] + 1)
                    .min(d[(i - 1) * w + j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    v = v.min(d[(i - 2) * w + j - 2] + 1);
                }
                v
            };
        }
    }
    d[a.len() * w + b.len()]
}

/// The known names closest to `name` (its part after the last dot), if close enough to be a typo:
/// distance ≤ 1 for names up to 4 letters, ≤ 2 for longer ones; a single letter only by case.
/// At most two, the one of the same length first (`arctan3` → arctan2, arctan).
pub(crate) fn closest<'a>(name: &str, known: &[&'a str]) -> Vec<&'a str> {
    let bare = name.rsplit('.').next().unwrap_or(name);
    let n = bare.chars().count();
    let limit = if n <= 4 { 1 } else { 2 };
    let mut near: Vec<(usize, usize, &str)> = known
        .iter()
        .map(|k| (distance(bare, k), k.chars().count().abs_diff(n), *k))
        .filter(|(d, _, k)| *d <= limit && (*d < n || bare.eq_ignore_ascii_case(k)))
        .collect();
    near.sort();
    let best = near.first().map_or(0, |t| t.0);
    near.into_iter()
        .filter(|t| t.0 == best)
        .take(2)
        .map(|t| t.2)
        .collect()
}
