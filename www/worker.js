// The compute side of gradlab: a module Web Worker running the same wasm module as the page.
// Glue only — the runs are Rust (src/web/engine.rs). Messages:
//   page → worker  {type: 'init', module}            the compiled WebAssembly.Module (shared, not refetched)
//                  {type: 'run', id, lab, config, nist?}
//   worker → page  {type: 'ready'} | {type: 'failed', error}
//                  {type: 'progress', id, fraction, bytes?} (bytes: a partial result, e.g. basin rows)
//                  {type: 'result', id, ok: true, bytes} (bytes' buffer transferred)
//                  {type: 'result', id, ok: false, error, fatal} (fatal: the wasm instance trapped;
//                  the page replaces this worker)
import init, { engine_run } from './pkg/gradlab.js';

let ready = null;

self.onmessage = async (ev) => {
  const d = ev.data || {};
  if (d.type === 'init') {
    ready = init({ module_or_path: d.module }).then(
      () => { self.postMessage({ type: 'ready' }); return true; },
      (e) => { self.postMessage({ type: 'failed', error: String(e?.message ?? e) }); return false; });
    return;
  }
  if (d.type !== 'run') return;
  if (!(await ready)) return;
  try {
    const progress = (fraction, bytes) => {
      if (bytes) self.postMessage({ type: 'progress', id: d.id, fraction, bytes }, [bytes.buffer]);
      else self.postMessage({ type: 'progress', id: d.id, fraction });
    };
    const bytes = engine_run(d.lab, d.config, d.nist ?? undefined, progress);
    self.postMessage({ type: 'result', id: d.id, ok: true, bytes }, [bytes.buffer]);
  } catch (e) {
    self.postMessage({
      type: 'result', id: d.id, ok: false,
      error: String(e?.message ?? e),
      fatal: e instanceof WebAssembly.RuntimeError,
    });
  }
};
