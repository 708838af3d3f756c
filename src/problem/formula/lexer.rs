//! Tokenizer: formula text → tokens, each with its 1-based character column.

use super::FormulaError;

/// One token kind.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Tok {
    /// A number literal such as `2`, `.5`, `1e-3`, with its text as typed (for the echo).
    Num(f64, String),
    /// A name, possibly dotted (`x`, `np.exp`).
    Ident(String),
    Plus,
    Minus,
    Star,
    Slash,
    /// `^` or `**`.
    Pow,
    LParen,
    RParen,
    Comma,
    /// `=`: only after a leading name such as `z =` or `f(x, y) =`.
    Eq,
    /// `:`: only after a leading `lambda x, y:` or `def f(x, y):`.
    Colon,
    /// `;`: only at the end.
    Semi,
    /// End of the input (column = length + 1).
    End,
}

/// A token and the 1-based character column where it starts.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Token {
    pub tok: Tok,
    pub col: usize,
}

fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Splits `text` into tokens; the last one is always [`Tok::End`].
///
/// A `#` starts a comment that runs to the end of its line (as in Python).
///
/// Accepts the typographic minus `−` (U+2212), `×`/`·` for `*` and `÷` for `/`, so text copied
/// from a rendered page works too.
pub(crate) fn tokenize(text: &str) -> Result<Vec<Token>, FormulaError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let col = i + 1;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c == '#' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            continue;
        }
        let single = match c {
            '+' => Some(Tok::Plus),
            '-' | '\u{2212}' => Some(Tok::Minus),
            '*' if chars.get(i + 1) == Some(&'*') => {
                i += 1;
                Some(Tok::Pow)
            }
            '*' | '\u{00d7}' | '\u{00b7}' => Some(Tok::Star),
            '/' | '\u{00f7}' => Some(Tok::Slash),
            '^' => Some(Tok::Pow),
            '(' => Some(Tok::LParen),
            ')' => Some(Tok::RParen),
            ',' => Some(Tok::Comma),
            '=' => Some(Tok::Eq),
            ':' => Some(Tok::Colon),
            ';' => Some(Tok::Semi),
            _ => None,
        };
        if let Some(tok) = single {
            out.push(Token { tok, col });
            i += 1;
            continue;
        }
        if c.is_ascii_digit() || (c == '.' && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit()))
        {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            if i < chars.len() && chars[i] == '.' {
                i += 1;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
            }
            // Exponent only when followed by an (optionally signed) digit; `2e` stays `2` then `e`.
            if i < chars.len() && (chars[i] == 'e' || chars[i] == 'E') {
                let mut j = i + 1;
                if j < chars.len() && (chars[j] == '+' || chars[j] == '-') {
                    j += 1;
                }
                if j < chars.len() && chars[j].is_ascii_digit() {
                    i = j;
                    while i < chars.len() && chars[i].is_ascii_digit() {
                        i += 1;
                    }
                }
            }
            let s: String = chars[start..i].iter().collect();
            let v: f64 = s
                .parse()
                .map_err(|_| FormulaError::new(format!("malformed number '{s}'"), col))?;
            out.push(Token {
                tok: Tok::Num(v, s),
                col,
            });
            continue;
        }
        if is_ident_start(c) {
            let start = i;
            loop {
                while i < chars.len() && is_ident_char(chars[i]) {
                    i += 1;
                }
                // A dotted name continues only when a name character follows the dot.
                if i + 1 < chars.len() && chars[i] == '.' && is_ident_start(chars[i + 1]) {
                    i += 1;
                    continue;
                }
                break;
            }
            let s: String = chars[start..i].iter().collect();
            out.push(Token {
                tok: Tok::Ident(s),
                col,
            });
            continue;
        }
        return Err(FormulaError::new(
            format!("unexpected character '{c}'"),
            col,
        ));
    }
    out.push(Token {
        tok: Tok::End,
        col: chars.len() + 1,
    });
    Ok(out)
}
