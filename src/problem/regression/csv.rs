//! CSV text → [`Dataset`], with errors that name the row and the column.
//!
//! * Delimiter: comma, semicolon or tab, chosen or auto-detected from the first line (tab, then
//!   semicolon, then comma; never comma when the decimal separator is a comma).
//! * Decimal separator: point (`1.5`) or comma (`1,5`).
//! * Header: auto-detected (the first line is a header when one of its fields is not a number),
//!   or forced on/off.
//! * Target: a column name or 1-based column number; the last column by default. Every other
//!   column is a feature.
//!
//! "Row" in messages is the line number in the text (1-based, header and blank lines counted), so
//! it matches what an editor shows.

use super::Dataset;
use serde::{Deserialize, Serialize};

/// The largest magnitude a CSV value may have: its square summed over 10⁶ rows (about 1e206)
/// stays far from overflow, while 1e300 (accepted before, as any finite number) made every loss,
/// gradient and SSR infinite without a word.
pub const MAX_ABS: f64 = 1e100;

/// Field separator.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Delimiter {
    /// Detect from the first line.
    #[default]
    Auto,
    /// `,`
    Comma,
    /// `;`
    Semicolon,
    /// Tab.
    Tab,
}

/// Decimal separator.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decimal {
    /// `1.5`
    #[default]
    Point,
    /// `1,5`
    Comma,
}

/// Whether the first line holds column names.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Header {
    /// A header iff some field of the first line is not a number.
    #[default]
    Auto,
    /// The first line is a header.
    Yes,
    /// No header: columns are named x, y (two columns) or col1, col2, ….
    No,
}

/// How to read the text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CsvOptions {
    /// Field separator.
    pub delimiter: Delimiter,
    /// Decimal separator.
    pub decimal: Decimal,
    /// Header line.
    pub header: Header,
    /// Target column: a header name or a 1-based number; `None` = the last column.
    pub target: Option<String>,
}

fn detect(first: &str, decimal: Decimal) -> char {
    if first.contains('\t') {
        '\t'
    } else if first.contains(';') {
        ';'
    } else if decimal == Decimal::Point && first.contains(',') {
        ','
    } else {
        // One column, or decimal commas separated by something unexpected: the checks below
        // report it.
        if decimal == Decimal::Comma {
            ';'
        } else {
            ','
        }
    }
}

fn split_fields(line: &str, delim: char) -> Vec<String> {
    line.split(delim)
        .map(|f| {
            let t = f.trim();
            let t = t
                .strip_prefix('"')
                .and_then(|s| s.strip_suffix('"'))
                .unwrap_or(t);
            t.trim().to_string()
        })
        .collect()
}

fn parse_number(s: &str, decimal: Decimal) -> Option<f64> {
    match decimal {
        Decimal::Point => s.parse::<f64>().ok(),
        Decimal::Comma => {
            if s.contains('.') {
                None
            } else {
                s.replace(',', ".").parse::<f64>().ok()
            }
        }
    }
}

/// The number of columns [`parse`] reads in `text` (those of its first non-blank line, with the
/// delimiter chosen or detected the same way), without reading the rest: cheap enough for a
/// link's validator. 0 for empty text.
pub fn columns(text: &str, opts: &CsvOptions) -> usize {
    let Some(first) = text
        .lines()
        .map(|l| l.trim_end_matches('\r'))
        .find(|l| !l.trim().is_empty())
    else {
        return 0;
    };
    let delim = match opts.delimiter {
        Delimiter::Auto => detect(first, opts.decimal),
        Delimiter::Comma => ',',
        Delimiter::Semicolon => ';',
        Delimiter::Tab => '\t',
    };
    first.split(delim).count()
}

/// Parses CSV text into a dataset (target = the chosen column, features = the others).
pub fn parse(text: &str, opts: &CsvOptions) -> Result<Dataset, String> {
    parse_reporting(text, opts, &mut |_| {})
}

/// [`parse`], calling `progress(fraction of the data rows read)` every 65 536 rows (a worker
/// reports it to the page: 10⁶ rows take seconds).
pub fn parse_reporting(
    text: &str,
    opts: &CsvOptions,
    progress: &mut dyn FnMut(f64),
) -> Result<Dataset, String> {
    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .map(|(k, l)| (k + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.trim().is_empty())
        .collect();
    let Some(&(first_row, first)) = lines.first() else {
        return Err("the input is empty: no rows to read".into());
    };
    let delim = match opts.delimiter {
        Delimiter::Auto => detect(first, opts.decimal),
        Delimiter::Comma => ',',
        Delimiter::Semicolon => ';',
        Delimiter::Tab => '\t',
    };
    if delim == ',' && opts.decimal == Decimal::Comma {
        return Err(
            "comma cannot be both the delimiter and the decimal separator: choose semicolon or tab"
                .into(),
        );
    }
    let first_fields = split_fields(first, delim);
    let ncols = first_fields.len();
    if ncols < 2 {
        return Err(format!(
            "row {first_row} has a single column: need a target and at least one feature \
             (is the delimiter right?)"
        ));
    }
    let has_header = match opts.header {
        Header::Yes => true,
        Header::No => false,
        Header::Auto => first_fields
            .iter()
            .any(|f| parse_number(f, opts.decimal).is_none()),
    };
    let names: Vec<String> = if has_header {
        first_fields
            .iter()
            .enumerate()
            .map(|(j, f)| {
                if f.is_empty() {
                    format!("col{}", j + 1)
                } else {
                    f.clone()
                }
            })
            .collect()
    } else if ncols == 2 {
        vec!["x".into(), "y".into()]
    } else {
        (1..=ncols).map(|j| format!("col{j}")).collect()
    };
    let col_label = |j: usize| format!("column {} (\"{}\")", j + 1, names[j]);
    let data_lines = if has_header { &lines[1..] } else { &lines[..] };
    if data_lines.is_empty() {
        return Err("no data rows: only a header line".into());
    }
    if data_lines.len() == 1 {
        return Err(format!(
            "only one data row (row {}): a fit needs at least 2 rows",
            data_lines[0].0
        ));
    }
    // Target column.
    let target = match &opts.target {
        None => ncols - 1,
        Some(t) => {
            let t = t.trim();
            if let Some(j) = names.iter().position(|n| n == t) {
                j
            } else if let Some(j) = names.iter().position(|n| n.eq_ignore_ascii_case(t)) {
                j
            } else if let Ok(k) = t.parse::<usize>() {
                if k == 0 || k > ncols {
                    return Err(format!(
                        "target column number {k} does not exist: the columns are numbered 1 to \
                         {ncols}"
                    ));
                }
                k - 1
            } else {
                return Err(format!(
                    "no column named \"{t}\" (columns: {})",
                    names.join(", ")
                ));
            }
        }
    };
    let n = data_lines.len();
    let d = ncols - 1;
    let mut x = Vec::with_capacity(n * d);
    let mut y = Vec::with_capacity(n);
    for (k, &(row, line)) in data_lines.iter().enumerate() {
        if k % 65_536 == 65_535 {
            progress(k as f64 / n as f64);
        }
        let fields = split_fields(line, delim);
        if fields.len() != ncols {
            let k = fields.len();
            let which = if k < ncols {
                format!("{} is missing", col_label(k))
            } else {
                format!("column {} is extra", ncols + 1)
            };
            return Err(format!(
                "row {row}, {which}: the row has {k} field{}, expected {ncols} as in row {first_row}",
                if k == 1 { "" } else { "s" }
            ));
        }
        for (j, f) in fields.iter().enumerate() {
            if f.is_empty() {
                return Err(format!("row {row}, {}: empty value", col_label(j)));
            }
            let v = match parse_number(f, opts.decimal) {
                Some(v) => v,
                None => {
                    let hint = match opts.decimal {
                        Decimal::Point if f.contains(',') => {
                            " (decimal comma? choose decimal: comma)"
                        }
                        Decimal::Comma if f.contains('.') => {
                            " (decimal point? choose decimal: point)"
                        }
                        _ => "",
                    };
                    return Err(format!(
                        "row {row}, {}: \"{f}\" is not a number{hint}",
                        col_label(j)
                    ));
                }
            };
            if !v.is_finite() {
                return Err(format!(
                    "row {row}, {}: \"{f}\" is not a finite number (NaN and infinity are not allowed)",
                    col_label(j)
                ));
            }
            if v.abs() > MAX_ABS {
                return Err(format!(
                    "row {row}, {}: \"{f}\" is too large: values must be at most 1e100 in magnitude (their squares, summed over a million rows, must stay finite)",
                    col_label(j)
                ));
            }
            if j == target {
                y.push(v);
            } else {
                x.push(v);
            }
        }
    }
    // Constant columns carry no information (and make the design rank-deficient).
    for j in 0..ncols {
        let value = |i: usize| {
            if j == target {
                y[i]
            } else {
                x[i * d + j - usize::from(j > target)]
            }
        };
        let v0 = value(0);
        if (1..n).all(|i| value(i) == v0) {
            let what = if j == target { "target " } else { "" };
            return Err(format!(
                "{what}{} is constant (every value is {v0}): it carries no information",
                col_label(j)
            ));
        }
    }
    let feature_names = (0..ncols)
        .filter(|&j| j != target)
        .map(|j| names[j].clone())
        .collect();
    Dataset::new(x, y, feature_names, names[target].clone())
}

/// What a text holds, found without parsing it (a few ms for 25 MB): its size, its non-empty
/// lines and the first of them. The page names a size limit from this before any work starts.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Census {
    /// Bytes of text (UTF-8).
    pub bytes: usize,
    /// Non-empty lines (the header, if any, included).
    pub lines: usize,
    /// The first non-empty lines (at most [`CENSUS_LINES`], each cut at 120 characters).
    pub first_lines: Vec<String>,
}

/// Lines a [`Census`] shows.
pub const CENSUS_LINES: usize = 5;

/// The [`Census`] of `text`.
pub fn census(text: &str) -> Census {
    let mut lines = 0;
    let mut first_lines = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            continue;
        }
        lines += 1;
        if first_lines.len() < CENSUS_LINES {
            let l = line.trim_end_matches('\r');
            let cut: String = l.chars().take(120).collect();
            first_lines.push(if cut.len() < l.len() {
                format!("{cut}…")
            } else {
                cut
            });
        }
    }
    Census {
        bytes: text.len(),
        lines,
        first_lines,
    }
}

/// The prefix of `text` holding its first `lines` non-empty lines (all of it when it has fewer).
pub fn head(text: &str, lines: usize) -> &str {
    let mut seen = 0;
    let mut end = 0;
    for line in text.split_inclusive('\n') {
        if seen == lines {
            break;
        }
        end += line.len();
        if !line.trim().is_empty() {
            seen += 1;
        }
    }
    &text[..end]
}

/// Whether the first non-empty line of `text` reads as a header with these options (a field
/// that is not a number, or `Header::Yes`) — so the page can keep it when it cuts the data.
pub fn has_header(text: &str, opts: &CsvOptions) -> bool {
    match opts.header {
        Header::Yes => true,
        Header::No => false,
        Header::Auto => {
            let Some(first) = text
                .lines()
                .map(|l| l.trim_end_matches('\r'))
                .find(|l| !l.trim().is_empty())
            else {
                return false;
            };
            let delim = match opts.delimiter {
                Delimiter::Auto => detect(first, opts.decimal),
                Delimiter::Comma => ',',
                Delimiter::Semicolon => ';',
                Delimiter::Tab => '\t',
            };
            split_fields(first, delim)
                .iter()
                .any(|f| parse_number(f, opts.decimal).is_none())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Result<Dataset, String> {
        parse(text, &CsvOptions::default())
    }

    #[test]
    fn reads_header_and_autodetects() {
        let d = p("size,rooms,price\n50,2,100\n70,3,150\n90,3,180\n").unwrap();
        assert_eq!(d.feature_names, vec!["size", "rooms"]);
        assert_eq!(d.target_name, "price");
        assert_eq!(d.x, vec![50.0, 2.0, 70.0, 3.0, 90.0, 3.0]);
        assert_eq!(d.y, vec![100.0, 150.0, 180.0]);
        // No header, semicolons, decimal comma, CRLF, blank line.
        let opts = CsvOptions {
            decimal: Decimal::Comma,
            ..Default::default()
        };
        let d = parse("1,5;2\r\n\r\n2,5;4,25\r\n", &opts).unwrap();
        assert_eq!((d.x, d.y), (vec![1.5, 2.5], vec![2.0, 4.25]));
        assert_eq!(d.feature_names, vec!["x"]);
        // Tabs, target chosen by name and by number.
        let t = "a\tb\tc\n1\t2\t3\n4\t6\t5\n";
        let opts = CsvOptions {
            target: Some("a".into()),
            ..Default::default()
        };
        let d = parse(t, &opts).unwrap();
        assert_eq!(
            (d.y, d.feature_names),
            (vec![1.0, 4.0], vec!["b".into(), "c".into()])
        );
        let opts = CsvOptions {
            target: Some("2".into()),
            ..Default::default()
        };
        assert_eq!(parse(t, &opts).unwrap().y, vec![2.0, 6.0]);
    }

    #[test]
    fn every_error_names_row_and_column() {
        let cases: [(&str, &str); 9] = [
            ("", "the input is empty"),
            ("  \n\n", "the input is empty"),
            (
                "x,y\n1,2\n3\n",
                "row 3, column 2 (\"y\") is missing: the row has 1 field, expected 2 as in row 1",
            ),
            (
                "x,y\n1,2\n3,abc\n",
                "row 3, column 2 (\"y\"): \"abc\" is not a number",
            ),
            (
                "x;y\n1;2\n3,5;4\n",
                "row 3, column 1 (\"x\"): \"3,5\" is not a number (decimal comma?",
            ),
            ("x,y\n1,2\n", "only one data row (row 2)"),
            ("x,y\n", "no data rows"),
            (
                "x,c,y\n1,5,2\n2,5,3\n3,5,1\n",
                "column 2 (\"c\") is constant (every value is 5)",
            ),
            (
                "x,y\n1,2\nNaN,3\n4,5\n",
                "row 3, column 1 (\"x\"): \"NaN\" is not a finite number",
            ),
        ];
        for (text, msg) in cases {
            let e = p(text).unwrap_err();
            assert!(e.contains(msg), "{text:?}: got {e:?}, want {msg:?}");
        }
        let e = p("x,y\n1,2\n3,\n").unwrap_err();
        assert!(e.contains("row 3, column 2 (\"y\"): empty value"), "{e}");
        let e = p("x,y\n1,7\n2,7\n").unwrap_err();
        assert!(e.contains("target column 2 (\"y\") is constant"), "{e}");
        let e = p("x,y\n1,inf\n2,7\n").unwrap_err();
        assert!(e.contains("row 2, column 2"), "{e}");
        let e = p("x,y\n1,2\n3,4,5\n").unwrap_err();
        assert!(e.contains("row 3, column 3 is extra"), "{e}");
        let e = p("justone\n1\n2\n").unwrap_err();
        assert!(e.contains("single column"), "{e}");
        let opts = CsvOptions {
            target: Some("price".into()),
            ..Default::default()
        };
        let e = parse("x,y\n1,2\n2,3\n", &opts).unwrap_err();
        assert!(
            e.contains("no column named \"price\" (columns: x, y)"),
            "{e}"
        );
    }

    #[test]
    fn census_head_and_progress() {
        let text = "x,y\n1,2\n\n3,4\r\n5,6\n7,8\n9,10\n";
        let c = census(text);
        assert_eq!((c.bytes, c.lines), (text.len(), 6));
        assert_eq!(c.first_lines, vec!["x,y", "1,2", "3,4", "5,6", "7,8"]);
        assert_eq!(head(text, 3), "x,y\n1,2\n\n3,4\r\n");
        assert_eq!(head(text, 0), "");
        assert_eq!(head(text, 99), text);
        assert!(has_header(text, &CsvOptions::default()));
        assert!(!has_header("1,2\n3,4\n", &CsvOptions::default()));
        // The first 3 data rows after the header parse as exactly those rows.
        let d = parse(head(text, 4), &CsvOptions::default()).unwrap();
        assert_eq!(d.y, vec![2.0, 4.0, 6.0]);
        // Progress: every 65 536 rows, increasing, below 1; the same data as without it.
        let rows: String = (0..200_000).map(|i| format!("{i},{}\n", i % 7)).collect();
        let mut seen = Vec::new();
        let d = parse_reporting(&rows, &CsvOptions::default(), &mut |f| seen.push(f)).unwrap();
        assert_eq!(seen.len(), 3);
        assert!(
            seen.windows(2).all(|w| w[0] < w[1]) && seen[2] < 1.0,
            "{seen:?}"
        );
        assert_eq!(d, parse(&rows, &CsvOptions::default()).unwrap());
        // A long line is cut in the census.
        let long = format!("{}\n", "1,".repeat(100) + "2");
        assert!(census(&long).first_lines[0].ends_with('…'));
    }

    #[test]
    fn values_beyond_1e100_are_named_by_row_and_column() {
        let o = CsvOptions::default();
        assert_eq!(
            parse("x,y\n1,2\n1e300,3\n3,4\n", &o).unwrap_err(),
            "row 3, column 1 (\"x\"): \"1e300\" is too large: values must be at most 1e100 in magnitude (their squares, summed over a million rows, must stay finite)"
        );
        assert!(parse("x,y\n1,2\n2,-1e101\n3,4\n", &o)
            .unwrap_err()
            .starts_with("row 3, column 2"));
        // The limit itself is a value.
        assert!(parse("x,y\n1,2\n1e100,-1e100\n3,4\n", &o).is_ok());
    }
}
