//! Fits every NIST StRD linear dataset in a folder and prints one JSON line per set.
//!
//! `cargo run --release --example nist_linear -- <folder of .dat files>`
//! (default: $NIST_STRD_DIR/linear or ../shared/nist-strd/linear).
//! Each line: {"dataset": …, "params": [B0, B1, …], "sd": […], "resid_sd": …, "r2": …,
//! "lre": {"params": min, "sd": min, "resid_sd": …, "r2": …}}.

use gradlab::problem::regression::nist;

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| {
        let base = std::env::var("NIST_STRD_DIR")
            .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/nist-strd").into());
        format!("{base}/linear")
    });
    let mut paths: Vec<_> = match std::fs::read_dir(&dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "dat"))
            .collect(),
        Err(e) => {
            eprintln!("cannot read {dir}: {e}");
            std::process::exit(1);
        }
    };
    paths.sort();
    let mut failed = false;
    for path in paths {
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{}: {e}", path.display());
                failed = true;
                continue;
            }
        };
        let result = nist::parse(&text).and_then(|set| set.fit().map(|fit| (set, fit)));
        match result {
            Ok((set, fit)) => {
                let (lp, ls, lr, lq) = nist::lre_summary(&set, &fit);
                let line = serde_json::json!({
                    "dataset": set.name,
                    "params": fit.params,
                    "sd": fit.sd,
                    "resid_sd": fit.resid_sd,
                    "r2": fit.r2,
                    "lre": {"params": lp, "sd": ls, "resid_sd": lr, "r2": lq},
                });
                println!("{line}");
            }
            Err(e) => {
                eprintln!("{}: {e}", path.display());
                failed = true;
            }
        }
    }
    if failed {
        std::process::exit(1);
    }
}
