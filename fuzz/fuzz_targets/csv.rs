//! Fuzz target for the CSV readers of both data labs: the regression lab's parser
//! (`problem::regression::csv::parse`, every option: delimiter, decimal comma, header, target
//! column) and the curve-fitting lab's x,y reader (`lab::fit::parse_xy_csv`, and the fit form's
//! CSV path with its row limit), and the regression form's CSV path. The first two bytes choose
//! the options, the rest is the text.
//!
//! Asserts: nothing panics; a message that starts with a row or a column names one ≥ 1 (and a row
//! that exists in the text); a successful parse holds only finite numbers in rows of one length,
//! and the data written back as CSV read back to the same bits; whatever either lab's form accepts,
//! the link/`setState` validator accepts too (one validator).
#![no_main]

use gradlab::lab::fit::{parse_xy_csv, points_csv, FitData, FitExperiment, FitForm};
use gradlab::lab::link::{LabConfig, PageState};
use gradlab::lab::regression::{RegressionExperiment, RegressionForm};
use gradlab::problem::regression::csv::{parse, CsvOptions, Decimal, Delimiter, Header};
use libfuzzer_sys::fuzz_target;

/// The number after `prefix` at the start of `s`, and what follows it.
fn number_after<'a>(s: &'a str, prefix: &str) -> Option<(usize, &'a str)> {
    let rest = s.strip_prefix(prefix)?;
    let end = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    Some((rest[..end].parse().ok()?, &rest[end..]))
}

/// Row and column numbers where the parser's messages put them: "row R, column C …",
/// "[target ]column C (…) is constant", "only one data row (row R)", "row R has a single column".
fn check_error(message: &str, text: &str) {
    assert!(!message.is_empty());
    let lines = text.lines().count().max(1);
    let row = |r: usize| assert!(r >= 1 && r <= lines, "row {r} of {lines}: {message}");
    let column = |c: usize| assert!(c >= 1, "column {c}: {message}");
    if let Some((r, rest)) = number_after(message, "row ") {
        row(r);
        if let Some((c, _)) = number_after(rest, ", column ") {
            column(c);
        }
    }
    let m = message.strip_prefix("target ").unwrap_or(message);
    if let Some((c, _)) = number_after(m, "column ") {
        column(c);
    }
    if let Some((r, _)) = number_after(message, "only one data row (row ") {
        row(r);
    }
}

fn same_bits(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits())
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let (a, b) = (data[0], data[1]);
    let text = String::from_utf8_lossy(&data[2..]);
    let delimiter = [
        Delimiter::Auto,
        Delimiter::Comma,
        Delimiter::Semicolon,
        Delimiter::Tab,
    ][usize::from(a & 3)];
    let decimal = [Decimal::Point, Decimal::Comma][usize::from((a >> 2) & 1)];
    let header = [Header::Auto, Header::Yes, Header::No, Header::Auto][usize::from((a >> 3) & 3)];
    let target = match b % 8 {
        0..=3 => None,
        4 => Some(String::new()),
        5 | 6 => Some(((b >> 3) % 6).to_string()),
        // A name: the first field of the text's first line (or a name no column has).
        _ => Some(
            text.lines()
                .next()
                .and_then(|l| l.split([',', ';', '\t']).nth(usize::from(b >> 6)))
                .unwrap_or("nothing")
                .to_string(),
        ),
    };
    let opts = CsvOptions {
        delimiter,
        decimal,
        header,
        target,
    };

    // The regression lab's parser.
    match parse(&text, &opts) {
        Ok(d) => {
            let cols = d.feature_names.len();
            assert!(cols >= 1);
            assert!(d.y.len() >= 2);
            assert_eq!(d.x.len(), d.y.len() * cols, "rows of one length");
            assert!(d.x.iter().chain(&d.y).all(|v| v.is_finite()));
            // Written back (comma-separated, no header, target last) → the same numbers.
            let mut back = String::new();
            for (i, y) in d.y.iter().enumerate() {
                for x in &d.x[i * cols..(i + 1) * cols] {
                    back.push_str(&format!("{x},"));
                }
                back.push_str(&format!("{y}\n"));
            }
            let again = parse(
                &back,
                &CsvOptions {
                    delimiter: Delimiter::Comma,
                    header: Header::No,
                    ..CsvOptions::default()
                },
            )
            .expect("the data written back read back");
            assert!(same_bits(&again.x, &d.x) && same_bits(&again.y, &d.y));
        }
        Err(m) => check_error(&m, &text),
    }

    // The curve-fitting lab's x,y reader (it takes the delimiter and decimal options).
    let fit_opts = CsvOptions {
        delimiter,
        decimal,
        ..CsvOptions::default()
    };
    match parse_xy_csv(&text, &fit_opts) {
        Ok(d) => {
            assert_eq!(d.predictors, 1);
            assert_eq!(d.x.len(), d.y.len());
            assert!(d.x.iter().chain(&d.y).all(|v| v.is_finite()));
            let again = parse_xy_csv(&points_csv(&d.x, &d.y), &CsvOptions::default())
                .expect("the points written back read back");
            assert!(same_bits(&again.x, &d.x) && same_bits(&again.y, &d.y));
        }
        Err(m) => check_error(&m, &text),
    }

    // The fit form's CSV path (row limit first, then the reader), as the page's CSV box uses it.
    let mut form = FitForm::from_experiment(&FitExperiment::default(), None);
    form.data = "csv".into();
    form.csv = text.to_string();
    form.csv_delimiter = ["auto", "comma", "semicolon", "tab"][usize::from(a & 3)].into();
    form.csv_decimal = ["point", "comma"][usize::from((a >> 2) & 1)].into();
    match form.apply() {
        Ok(e) => {
            match &e.data {
                FitData::Points { x, y } => {
                    assert_eq!(x.len(), y.len());
                    assert!(x.iter().chain(y).all(|v| v.is_finite()));
                }
                other => panic!("CSV form gave {other:?}"),
            }
            if let Err(m) = PageState::new(LabConfig::Fit(e)).validate() {
                panic!("the fit form took data the validator refuses: {m}");
            }
        }
        Err(errors) => {
            for e in errors {
                assert!(!e.message.is_empty());
                if e.field == "csv" {
                    check_error(&e.message, &text);
                }
            }
        }
    }

    // The regression form's CSV path (the CSV box and its option menus), then the validator.
    let base = RegressionExperiment::default();
    let mut form = RegressionForm::from_experiment(&base);
    form.source = "csv".into();
    form.csv_text = text.to_string();
    form.delimiter = ["auto", "comma", "semicolon", "tab"][usize::from(a & 3)].into();
    form.decimal = ["point", "comma"][usize::from((a >> 2) & 1)].into();
    form.header = ["auto", "yes", "no", "auto"][usize::from((a >> 3) & 3)].into();
    form.target = opts.target.clone().unwrap_or_default();
    if b & 0x80 != 0 {
        form.degree = "2".into();
    }
    match form.apply(&base) {
        Ok(e) => {
            if let Err(m) = PageState::new(LabConfig::Regression(e)).validate() {
                panic!("the regression form took data the validator refuses: {m}");
            }
        }
        Err(errors) => {
            for e in errors {
                assert!(!e.message.is_empty());
                if e.field == "csv_text" {
                    check_error(&e.message, &text);
                }
            }
        }
    }
});
