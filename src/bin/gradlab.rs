//! Native runner: runs a gradlab experiment from a permalink, a URL fragment or a config JSON file
//! and prints every solver's per-iteration records to stdout — the same numbers as the page.
//!
//! ```text
//! cargo run --release --bin gradlab -- '<link | #fragment | URL | config.json>' [--format csv|jsonl|json] [--fingerprint] [--encode]
//! ```
//!
//! A config file is the JSON of a page state (`{"lab": "surfaces", "config": {...}}`, as the page's
//! "Export config" writes it) or a file holding a link. NIST curve-fitting problems read their
//! `.dat` file from `$NIST_STRD_DIR/nonlinear/` (default `../shared/nist-strd`).

use gradlab::lab::link::{self, LabConfig, PageState};
use std::process::ExitCode;

const USAGE: &str = "usage: gradlab <link | #fragment | URL | config.json | -> [--format csv|jsonl|json] [--fingerprint] [--encode]\n\
  Runs the experiment and writes each solver's per-iteration records to stdout.\n\
  --format csv    (default) run,solver,series,k,f,grad_norm,step,x1..xn,extras\n\
  --format jsonl  one JSON object per record\n\
  --format json   one JSON document: [{run, solver, series, stop, fingerprint, iterates}]\n\
  --fingerprint   print only `run series fingerprint solver` per trace (bit-exact hash)\n\
  --encode        print the experiment's permalink fragment (#v3.…) instead of running it";

fn main() -> ExitCode {
    match real_main() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gradlab: {e}");
            ExitCode::FAILURE
        }
    }
}

fn real_main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut input = None;
    let mut format = "csv".to_string();
    let mut fingerprint = false;
    let mut encode = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            "--format" => format = it.next().ok_or("--format needs a value")?.clone(),
            f if f.starts_with("--format=") => format = f["--format=".len()..].to_string(),
            "--fingerprint" => fingerprint = true,
            "--encode" => encode = true,
            _ if input.is_none() => input = Some(a.clone()),
            _ => return Err(format!("unexpected argument “{a}”\n{USAGE}")),
        }
    }
    let input = input.ok_or(USAGE)?;
    let state = read_state(&input)?;
    if encode {
        let e = link::encode(&state)?;
        if let Some(n) = e.notice {
            eprintln!("gradlab: {n}");
        }
        println!("#{}", e.link);
        return Ok(());
    }
    let nist = nist_text(&state)?;
    let traces = link::run_traces(&state, nist.as_deref())?;
    let out = if fingerprint {
        traces
            .iter()
            .map(|t| format!("{} {} {} {}\n", t.run, t.series, t.fingerprint, t.solver))
            .collect()
    } else {
        match format.as_str() {
            "csv" => link::traces_csv(&traces),
            "jsonl" => link::traces_jsonl(&traces),
            "json" => link::traces_json(&traces) + "\n",
            f => return Err(format!("unknown format “{f}” (csv, jsonl or json)")),
        }
    };
    use std::io::Write;
    std::io::stdout()
        .write_all(out.as_bytes())
        .map_err(|e| e.to_string())
}

/// A link/fragment/URL, or a file holding a page state's JSON or a link (`-` = stdin).
fn read_state(input: &str) -> Result<PageState, String> {
    let looks_like_link = input.contains('#') || input.starts_with('v') && input.contains('.');
    let path = std::path::Path::new(input);
    let text = if input == "-" {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s).map_err(|e| e.to_string())?;
        s
    } else if path.is_file() {
        std::fs::read_to_string(path).map_err(|e| format!("cannot read {input}: {e}"))?
    } else if looks_like_link {
        input.to_string()
    } else {
        return Err(format!("“{input}” is neither a link nor a readable file"));
    };
    let t = text.trim();
    if t.starts_with('{') {
        PageState::from_json(t).map_err(|e| e.message)
    } else {
        link::decode(t).map_err(|e| e.message)
    }
}

/// The NIST `.dat` text when the state names a NIST curve-fitting problem.
fn nist_text(state: &PageState) -> Result<Option<String>, String> {
    let LabConfig::Fit(f) = &state.lab else {
        return Ok(None);
    };
    let gradlab::lab::fit::FitModel::Nist { name } = &f.model else {
        return Ok(None);
    };
    if !name.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(format!("“{name}” is not a NIST problem name"));
    }
    let dir = std::env::var("NIST_STRD_DIR")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/nist-strd").into());
    let file = format!("{dir}/nonlinear/{name}.dat");
    std::fs::read_to_string(&file)
        .map(Some)
        .map_err(|e| format!("cannot read {file}: {e} (set NIST_STRD_DIR)"))
}
