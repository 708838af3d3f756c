//! gradlab's build tool (the *xtask* pattern): `cargo xtask build | serve | test`.
//!
//! Every command first installs what it needs, idempotently: the wasm32 target, the wasm-bindgen
//! CLI of exactly the version in Cargo.lock, the npm tools of `tests/e2e` (playwright-core, and
//! binaryen for wasm-opt), and Debian's chromium + chromium-driver for the browser tests.

mod serve;

use std::env;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

type Result<T> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("build") => build(args.iter().any(|a| a == "--dev")),
        Some("serve") => {
            let port = flag_value(&args, "--port")
                .or_else(|| env::var("PORT").ok())
                .map(|p| p.parse::<u16>().map_err(|_| format!("bad port {p:?}")))
                .transpose();
            port.and_then(|p| {
                build(args.iter().any(|a| a == "--dev"))
                    .and_then(|_| serve::serve_forever(&root().join("www"), p.unwrap_or(8000)))
            })
        }
        Some("test") => test(),
        _ => {
            eprintln!(
                "usage: cargo xtask <command>\n\n  build [--dev]              build the wasm module into www/pkg/ (--dev: fast debug build, no wasm-opt)\n  serve [--dev] [--port N]   build, then serve www/ on http://127.0.0.1:8000 (or PORT)\n  test                       run every test: native, wasm in headless Chromium, end-to-end"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn flag_value(args: &[String], flag: &str) -> Option<String> {
    args.iter()
        .position(|a| a == flag)
        .and_then(|i| args.get(i + 1).cloned())
}

/// The repository root (the parent of `xtask/`).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits in the repo root")
        .to_path_buf()
}

fn step(msg: &str) {
    eprintln!("\n==> {msg}");
}

/// Runs a command in the repository root, failing with its name when it fails.
fn run(cmd: &mut Command) -> Result<()> {
    let shown = format!("{cmd:?}");
    let status = cmd
        .current_dir(root())
        .status()
        .map_err(|e| format!("cannot start {shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed ({status})"))
    }
}

fn output(cmd: &mut Command) -> Option<String> {
    let out = cmd.current_dir(root()).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn cargo() -> Command {
    Command::new(env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

fn cargo_bin(name: &str) -> PathBuf {
    let home = env::var("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env::var("HOME").unwrap_or_default()).join(".cargo"));
    let p = home.join("bin").join(name);
    if p.exists() {
        p
    } else {
        PathBuf::from(name)
    }
}

// ---------- set-up, idempotent ----------

fn ensure_wasm_target() -> Result<()> {
    let installed =
        output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        return Ok(());
    }
    step("installing the wasm32-unknown-unknown target");
    run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

/// The `wasm-bindgen` version pinned in Cargo.lock.
fn locked_wasm_bindgen_version() -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(l) = lines.next() {
        if l.trim() == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines
                .next()
                .and_then(|v| v.trim().strip_prefix("version = \""))
            {
                return Ok(v.trim_end_matches('"').to_string());
            }
        }
    }
    Err("wasm-bindgen not found in Cargo.lock".into())
}

fn ensure_wasm_bindgen_cli() -> Result<()> {
    let want = locked_wasm_bindgen_version()?;
    let have =
        |bin: &str| output(Command::new(cargo_bin(bin)).arg("--version")).unwrap_or_default();
    if have("wasm-bindgen").split_whitespace().nth(1) == Some(want.as_str())
        && have("wasm-bindgen-test-runner").split_whitespace().nth(1) == Some(want.as_str())
    {
        return Ok(());
    }
    step(&format!(
        "installing wasm-bindgen-cli {want} (the version in Cargo.lock; takes ~2 minutes once)"
    ));
    // Not --locked: its lockfile pins a crate version the registry mirror here may lack.
    run(cargo().args(["install", "wasm-bindgen-cli", "--version", &want]))
}

fn e2e_dir() -> PathBuf {
    root().join("tests").join("e2e")
}

fn ensure_npm_tools() -> Result<()> {
    let dir = e2e_dir();
    if dir.join("node_modules/playwright-core").exists()
        && dir.join("node_modules/binaryen").exists()
    {
        return Ok(());
    }
    step("installing npm tools for tests/e2e (playwright-core, binaryen)");
    run(Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--prefix"])
        .arg(&dir))
}

/// A CJK font, so Chinese plot titles are drawn with glyphs (issue 16's tofu test).
const CJK_FONT: &str = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";

fn have_chromium() -> bool {
    Path::new("/usr/bin/chromium").exists()
        && Path::new("/usr/bin/chromedriver").exists()
        && Path::new(CJK_FONT).exists()
}

fn ensure_chromium() -> Result<()> {
    if have_chromium() {
        return Ok(());
    }
    step("installing chromium, chromium-driver and a CJK font (fonts-wqy-microhei) from Debian's packages");
    let is_root = output(Command::new("id").arg("-u"))
        .map(|s| s.trim() == "0")
        .unwrap_or(false);
    let apt = |args: &[&str]| {
        let mut c = if is_root {
            Command::new("apt-get")
        } else {
            Command::new("sudo")
        };
        if !is_root {
            c.arg("apt-get");
        }
        c.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        run(&mut c)
    };
    apt(&["update", "-qq"])?;
    apt(&[
        "install",
        "-y",
        "-qq",
        "chromium",
        "chromium-driver",
        "fonts-wqy-microhei",
    ])?;
    if have_chromium() {
        Ok(())
    } else {
        Err(format!(
            "chromium installed but /usr/bin/chromium, /usr/bin/chromedriver or {CJK_FONT} is missing"
        )
        .into())
    }
}

// ---------- commands ----------

/// Builds the wasm module into `www/pkg/` (release, LTO), then shrinks it with wasm-opt.
/// `dev`: a debug build without wasm-opt, for quick iterations.
fn build(dev: bool) -> Result<()> {
    ensure_wasm_target()?;
    ensure_wasm_bindgen_cli()?;
    let profile = if dev { "debug" } else { "release" };
    step(&format!("building gradlab for wasm32 ({profile})"));
    let mut cmd = cargo();
    cmd.args([
        "build",
        "--lib",
        "--target",
        "wasm32-unknown-unknown",
        "-p",
        "gradlab",
    ]);
    if !dev {
        cmd.arg("--release");
    }
    run(&mut cmd)?;
    let target_dir = env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| root().join("target"));
    let wasm = target_dir.join(format!("wasm32-unknown-unknown/{profile}/gradlab.wasm"));
    let pkg = root().join("www").join("pkg");
    step("wasm-bindgen --target web → www/pkg/");
    run(Command::new(cargo_bin("wasm-bindgen"))
        .args(["--target", "web", "--no-typescript", "--out-dir"])
        .arg(&pkg)
        .arg(&wasm))?;
    // Optional: wasm-opt from the npm package binaryen (never Debian's binaryen, whose output
    // fails in the browser). Installed with the e2e tools when npm is present.
    let opt = e2e_dir().join("node_modules/.bin/wasm-opt");
    if !opt.exists() && Command::new("npm").arg("--version").output().is_ok() {
        ensure_npm_tools()?;
    }
    let bg = pkg.join("gradlab_bg.wasm");
    if dev {
        eprintln!("(--dev: skipping wasm-opt)");
    } else if opt.exists() {
        step("wasm-opt -Oz (npm binaryen)");
        run(Command::new(&opt).arg("-Oz").arg(&bg).arg("-o").arg(&bg))?;
    } else {
        eprintln!("(npm not found: skipping wasm-opt; the module is larger but works)");
    }
    copy_nist(&pkg)?;
    let size = std::fs::metadata(&bg).map(|m| m.len()).unwrap_or(0);
    eprintln!("built www/pkg/gradlab_bg.wasm ({} KB)", size / 1024);
    Ok(())
}

/// Copies the NIST StRD nonlinear problems (read from `$NIST_STRD_DIR` or `../shared/nist-strd`,
/// never committed) into `www/pkg/nist/` with an `index.json` of their names, so the curve-fitting
/// lab can offer them; without the data the index is `[]` and the page hides the option.
fn copy_nist(pkg: &Path) -> Result<()> {
    let src = env::var("NIST_STRD_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| root().join("../shared/nist-strd"))
        .join("nonlinear");
    let dst = pkg.join("nist");
    std::fs::create_dir_all(&dst).map_err(|e| format!("{}: {e}", dst.display()))?;
    let mut names = Vec::new();
    if let Ok(entries) = std::fs::read_dir(&src) {
        for e in entries.flatten() {
            let p = e.path();
            if p.extension().and_then(|x| x.to_str()) == Some("dat") {
                let stem = p
                    .file_stem()
                    .and_then(|x| x.to_str())
                    .unwrap_or_default()
                    .to_string();
                std::fs::copy(&p, dst.join(format!("{stem}.dat")))
                    .map_err(|e| format!("{}: {e}", p.display()))?;
                names.push(stem);
            }
        }
    }
    names.sort();
    let index = format!(
        "[{}]",
        names
            .iter()
            .map(|n| format!("{n:?}"))
            .collect::<Vec<_>>()
            .join(",")
    );
    std::fs::write(dst.join("index.json"), index).map_err(|e| e.to_string())?;
    eprintln!(
        "NIST nonlinear problems for the page: {} (from {})",
        names.len(),
        src.display()
    );
    Ok(())
}

/// Runs every test, failing on the first failure.
fn test() -> Result<()> {
    ensure_chromium()?;
    ensure_npm_tools()?;
    step("1/3 native tests: cargo test --workspace");
    run(cargo().args(["test", "--workspace"]))?;

    step("2/3 wasm tests in headless Chromium: cargo test --target wasm32-unknown-unknown --test wasm");
    ensure_wasm_target()?;
    ensure_wasm_bindgen_cli()?;
    let runner_dir = cargo_bin("wasm-bindgen-test-runner");
    let mut path = env::var("PATH").unwrap_or_default();
    if let Some(dir) = runner_dir.parent().filter(|d| d.is_absolute()) {
        path = format!("{}:{path}", dir.display());
    }
    run(cargo()
        .args([
            "test",
            "--target",
            "wasm32-unknown-unknown",
            "-p",
            "gradlab",
            "--test",
            "wasm",
        ])
        .env("PATH", &path)
        .env("CHROMEDRIVER", "/usr/bin/chromedriver")
        .env("WASM_BINDGEN_TEST_ONLY_WEB", "1")
        .env("WASM_BINDGEN_TEST_TIMEOUT", "120")
        .env(
            "WASM_BINDGEN_TEST_WEBDRIVER_JSON",
            root().join("tests/webdriver.json"),
        ))?;

    step("3/3 end-to-end: the built page in headless Chromium (Playwright)");
    build(false)?;
    let server = serve::spawn(&root().join("www"), 0)?;
    let url = format!("http://127.0.0.1:{}/", server.port);
    eprintln!("serving www/ on {url}");
    let mut files: Vec<PathBuf> = std::fs::read_dir(e2e_dir())
        .map_err(|e| format!("tests/e2e: {e}"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".test.mjs"))
        .collect();
    files.sort();
    run(Command::new("node")
        .args(["--test", "--test-reporter=spec", "--test-concurrency=1"])
        .args(&files)
        .env("GRADLAB_URL", &url))?;
    eprintln!("\nall tests passed");
    Ok(())
}
