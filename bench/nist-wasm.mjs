// Benchmark (not a test): the 54 NIST StRD nonlinear problem-starts solved by gradlab's
// Levenberg–Marquardt compiled to wasm (release build, run under Node), side by side with the
// native build (JSON lines from `cargo run --release --example nist`) and with the npm package
// ml-levenberg-marquardt (its default options) on the same data, in the same process.
//
// Usage (from the repository root):
//   npm ci --prefix bench
//   cargo build --release --lib --target wasm32-unknown-unknown
//   cargo run --release --example nist -- ../shared/nist-strd/nonlinear > /tmp/native.jsonl
//   node bench/nist-wasm.mjs --native /tmp/native.jsonl [--jsonl /tmp/wasm.jsonl]
//
// Reads the .dat files from $NIST_STRD_DIR/nonlinear (default ../shared/nist-strd/nonlinear) and
// the wasm from $CARGO_TARGET_DIR (default ./target)/wasm32-unknown-unknown/release/gradlab.wasm,
// which it binds for Node with the installed `wasm-bindgen` CLI into a temporary directory.
// Prints a Markdown table and a summary. Accuracy is the LRE −log10(|x − c|/|c|), clipped to
// [0, 11], minimum over the parameters; time is the median of repeated solves (≥ 5, ≥ 0.2 s).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { levenbergMarquardt } from 'ml-levenberg-marquardt';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const nistDir = join(process.env.NIST_STRD_DIR || join(repo, '..', 'shared', 'nist-strd'), 'nonlinear');
const targetDir = process.env.CARGO_TARGET_DIR || join(repo, 'target');
const wasmFile = join(targetDir, 'wasm32-unknown-unknown', 'release', 'gradlab.wasm');
const args = process.argv.slice(2);
const nativeFile = args.includes('--native') ? args[args.indexOf('--native') + 1] : null;
// --jsonl FILE: also write one JSON line per problem-start in examples/nist.rs's format
// ({"solver": "gradlab-lm-wasm", "problem", "start", "params", "ssr", "time_s", "nfev"}).
const jsonlFile = args.includes('--jsonl') ? args[args.indexOf('--jsonl') + 1] : null;
const jsonl = [];

// ---------- the wasm build, bound for Node ----------
const out = mkdtempSync(join(tmpdir(), 'gradlab-bench-'));
execFileSync('wasm-bindgen', ['--target', 'nodejs', '--no-typescript', '--out-dir', out, wasmFile], { stdio: 'inherit' });
const gradlab = createRequire(import.meta.url)(join(out, 'gradlab.js'));

// ---------- the NIST models for ml-levenberg-marquardt (written from the .dat files) ----------
const { exp, cos, sin, atan, PI } = Math;
const MODELS = {
  Misra1a: ([b1, b2]) => (x) => b1 * (1 - exp(-b2 * x)),
  BoxBOD: ([b1, b2]) => (x) => b1 * (1 - exp(-b2 * x)),
  Misra1b: ([b1, b2]) => (x) => b1 * (1 - (1 + b2 * x / 2) ** -2),
  Misra1c: ([b1, b2]) => (x) => b1 * (1 - (1 + 2 * b2 * x) ** -0.5),
  Misra1d: ([b1, b2]) => (x) => b1 * b2 * x * (1 + b2 * x) ** -1,
  Chwirut1: ([b1, b2, b3]) => (x) => exp(-b1 * x) / (b2 + b3 * x),
  Chwirut2: ([b1, b2, b3]) => (x) => exp(-b1 * x) / (b2 + b3 * x),
  DanWood: ([b1, b2]) => (x) => b1 * x ** b2,
  Gauss1: gauss, Gauss2: gauss, Gauss3: gauss,
  Lanczos1: lanczos, Lanczos2: lanczos, Lanczos3: lanczos,
  Kirby2: ([b1, b2, b3, b4, b5]) => (x) => (b1 + b2 * x + b3 * x ** 2) / (1 + b4 * x + b5 * x ** 2),
  Hahn1: cubicRational, Thurber: cubicRational,
  MGH09: ([b1, b2, b3, b4]) => (x) => b1 * (x ** 2 + x * b2) / (x ** 2 + x * b3 + b4),
  MGH10: ([b1, b2, b3]) => (x) => b1 * exp(b2 / (x + b3)),
  MGH17: ([b1, b2, b3, b4, b5]) => (x) => b1 + b2 * exp(-x * b4) + b3 * exp(-x * b5),
  Eckerle4: ([b1, b2, b3]) => (x) => (b1 / b2) * exp(-0.5 * ((x - b3) / b2) ** 2),
  Rat42: ([b1, b2, b3]) => (x) => b1 / (1 + exp(b2 - b3 * x)),
  Rat43: ([b1, b2, b3, b4]) => (x) => b1 / (1 + exp(b2 - b3 * x)) ** (1 / b4),
  Bennett5: ([b1, b2, b3]) => (x) => b1 * (b2 + x) ** (-1 / b3),
  ENSO: ([b1, b2, b3, b4, b5, b6, b7, b8, b9]) => (x) => b1 + b2 * cos(2 * PI * x / 12) + b3 * sin(2 * PI * x / 12)
    + b5 * cos(2 * PI * x / b4) + b6 * sin(2 * PI * x / b4) + b8 * cos(2 * PI * x / b7) + b9 * sin(2 * PI * x / b7),
  Roszman1: ([b1, b2, b3, b4]) => (x) => b1 - b2 * x - atan(b3 / (x - b4)) / PI,
  // ln y = b1 − b2·x1·exp(−b3·x2); the parsed data already hold ln y and rows [x1, x2].
  Nelson: ([b1, b2, b3]) => ([x1, x2]) => b1 - b2 * x1 * exp(-b3 * x2),
};
function gauss([b1, b2, b3, b4, b5, b6, b7, b8]) {
  return (x) => b1 * exp(-b2 * x) + b3 * exp(-((x - b4) ** 2) / b5 ** 2) + b6 * exp(-((x - b7) ** 2) / b8 ** 2);
}
function lanczos([b1, b2, b3, b4, b5, b6]) {
  return (x) => b1 * exp(-b2 * x) + b3 * exp(-b4 * x) + b5 * exp(-b6 * x);
}
function cubicRational([b1, b2, b3, b4, b5, b6, b7]) {
  return (x) => (b1 + b2 * x + b3 * x ** 2 + b4 * x ** 3) / (1 + b5 * x + b6 * x ** 2 + b7 * x ** 3);
}

// ---------- helpers ----------
const lre = (x, c) => {
  if (!Number.isFinite(x)) return 0;
  if (x === c) return 11;
  const v = c === 0 ? -Math.log10(Math.abs(x)) : -Math.log10(Math.abs(x - c) / Math.abs(c));
  return Math.max(0, Math.min(11, v));
};
const minLre = (p, c) => Math.min(...c.map((ci, i) => lre(p[i], ci)));
function median(fn) {
  const times = [];
  const t0 = performance.now();
  while (times.length < 5 || (times.length < 200 && performance.now() - t0 < 200)) {
    const t = performance.now();
    fn();
    times.push((performance.now() - t) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const native = new Map();
if (nativeFile) {
  for (const line of readFileSync(nativeFile, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line);
    native.set(`${r.problem}/${r.start}`, r);
  }
}

// ---------- run ----------
const files = readdirSync(nistDir).filter((f) => f.endsWith('.dat')).sort();
const rows = [];
for (const f of files) {
  const text = readFileSync(join(nistDir, f), 'utf8');
  const d = gradlab.nist_dataset(text);
  const problem = new gradlab.NistProblem(text);
  const model = MODELS[d.name];
  const k = d.data.predictors;
  const xs = k === 1 ? d.data.x : d.data.y.map((_, i) => d.data.x.slice(i * k, (i + 1) * k));
  // Check the JS model against the certified SSR (catches a mistyped model).
  const fc = model(d.certified);
  const ssrCert = d.data.y.reduce((s, y, i) => s + (fc(xs[i]) - y) ** 2, 0);
  if (Math.abs(ssrCert - d.certified_ssr) > 1e-6 * Math.max(d.certified_ssr, 1e-20) && d.certified_ssr > 1e-20) {
    console.error(`warning: ${d.name}: JS model SSR at the certified values ${ssrCert} vs ${d.certified_ssr}`);
  }
  for (const start of [1, 2]) {
    const w = problem.solve(start);
    const wasmTime = median(() => problem.solve(start));
    let ml = null;
    let mlTime = NaN;
    let mlErr = '';
    try {
      const data = { x: xs, y: d.data.y };
      const opts = { initialValues: start === 1 ? d.start1 : d.start2 };
      ml = levenbergMarquardt(data, model, opts);
      mlTime = median(() => levenbergMarquardt(data, model, opts));
    } catch (e) {
      mlErr = String(e.message || e);
    }
    const n = native.get(`${d.name}/${start}`);
    jsonl.push(JSON.stringify({ solver: 'gradlab-lm-wasm', problem: d.name, start, params: w.params, ssr: w.ssr, time_s: wasmTime, nfev: w.nfev }));
    rows.push({
      problem: d.name, start,
      wasmLre: minLre(w.params, d.certified), wasmUs: wasmTime * 1e6, nfev: w.nfev,
      nativeUs: n ? n.time_s * 1e6 : NaN,
      nativeSame: n ? n.params.every((p, i) => p === w.params[i]) : null,
      mlLre: ml ? minLre(ml.parameterValues, d.certified) : 0, mlUs: mlTime * 1e6, mlIter: ml ? ml.iterations : NaN, mlErr,
    });
  }
}

const f1 = (v) => (Number.isFinite(v) ? v.toFixed(1) : '—');
const f0 = (v) => (Number.isFinite(v) ? v.toFixed(0) : '—');
console.log('| problem | start | wasm: min LRE | wasm µs | native µs | wasm/native | same params as native | ml-lm: min LRE | ml-lm µs | ml-lm iterations |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  const ratio = r.wasmUs / r.nativeUs;
  console.log(`| ${r.problem} | ${r.start} | ${f1(r.wasmLre)} | ${f0(r.wasmUs)} | ${f0(r.nativeUs)} | ${Number.isFinite(ratio) ? ratio.toFixed(2) : '—'} | ${r.nativeSame === null ? '—' : r.nativeSame ? 'yes' : 'no'} | ${f1(r.mlLre)}${r.mlErr ? ` (${r.mlErr})` : ''} | ${f0(r.mlUs)} | ${f0(r.mlIter)} |`);
}
const sum = (k) => rows.reduce((s, r) => s + (Number.isFinite(r[k]) ? r[k] : 0), 0);
const ratios = rows.map((r) => r.wasmUs / r.nativeUs).filter(Number.isFinite);
const geo = ratios.length ? Math.exp(ratios.reduce((s, v) => s + Math.log(v), 0) / ratios.length) : NaN;
console.log('');
console.log(`problem-starts: ${rows.length}`);
console.log(`gradlab wasm: ${rows.filter((r) => r.wasmLre >= 6).length}/${rows.length} with LRE ≥ 6; total median time ${(sum('wasmUs') / 1000).toFixed(1)} ms`);
if (ratios.length) {
  console.log(`gradlab native: total ${(sum('nativeUs') / 1000).toFixed(1)} ms; wasm/native: total ${(sum('wasmUs') / sum('nativeUs')).toFixed(2)}×, geometric mean ${geo.toFixed(2)}×, max ${Math.max(...ratios).toFixed(2)}×; identical parameters in ${rows.filter((r) => r.nativeSame).length}/${rows.length}`);
}
console.log(`ml-levenberg-marquardt (defaults): ${rows.filter((r) => r.mlLre >= 6).length}/${rows.length} with LRE ≥ 6, ${rows.filter((r) => r.mlLre >= 4).length} with LRE ≥ 4; total median time ${(sum('mlUs') / 1000).toFixed(1)} ms`);
console.log(`node ${process.version}`);
if (jsonlFile) writeFileSync(jsonlFile, jsonl.join('\n') + '\n');
