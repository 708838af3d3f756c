// Runs experiments off the page thread. Glue only: the runs are Rust (src/web/engine.rs) in one
// module Web Worker (www/worker.js) that loads the same compiled wasm module as the page.
//
// - One request runs at a time; each lab is a "channel". A new request supersedes the channel's
//   queued one, and a running one of the same channel is stopped at once (the worker is terminated
//   and a fresh one started from the already compiled module), so the page always ends showing the
//   latest state and never a stale result.
// - A run that takes longer than SLOW_MS shows a bar in its lab (#busy-<lab>): the fraction done
//   (after each solver) and Cancel. A cancelled run leaves the previous result on screen, marked.
// - No worker (an old browser, a blocked worker, a worker that fails to start): the same function
//   runs on the page thread, and the page says so once.
import { engine_run } from './pkg/gradlab.js';

const SLOW_MS = 200;
let wasmModule = null;
let worker = null;
let workerReady = Promise.resolve(false);
let fallbackReason = null;
let onFallback = () => {};
let current = null; // {id, channel, request, resolve, reject, timer, started}
const queue = [];
let nextId = 1;
const idleWaiters = [];

/** Starts the worker with the page's compiled module; `fallback(reason)` is told if it cannot. */
export function start(module, fallback = () => {}) {
  wasmModule = module;
  onFallback = fallback;
  spawn();
}

/** Why runs happen on the page thread (null while a worker does them). */
export function fallback() {
  return fallbackReason;
}

function useFallback(why) {
  if (fallbackReason) return;
  fallbackReason = why || 'the worker could not be started';
  worker = null;
  onFallback(fallbackReason);
}

function spawn() {
  let w;
  try {
    if (typeof Worker !== 'function') throw new Error('this browser has no Web Workers');
    w = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  } catch (e) {
    useFallback(String(e?.message ?? e));
    workerReady = Promise.resolve(false);
    return;
  }
  worker = w;
  workerReady = new Promise((resolve) => {
    const fail = (why) => {
      clearTimeout(timer);
      w.terminate();
      if (worker === w) useFallback(why);
      resolve(false);
    };
    const timer = setTimeout(() => fail('the worker did not start within 10 s'), 10_000);
    w.onmessage = (ev) => {
      const d = ev.data || {};
      if (d.type === 'ready') { clearTimeout(timer); resolve(true); } else if (d.type === 'failed') fail(d.error);
      else if (w === worker) onWorkerMessage(d);
    };
    w.onerror = (e) => { e.preventDefault?.(); fail(e.message || 'the worker script could not be loaded'); };
    w.postMessage({ type: 'init', module: wasmModule });
  });
}

/** Stops the running worker (and its run) and starts a fresh one. */
function respawn() {
  worker?.terminate();
  worker = null;
  if (!fallbackReason) spawn();
}

function onWorkerMessage(d) {
  if (!current || d.id !== current.id) return;
  if (d.type === 'progress') {
    showBusy(current, d.fraction);
    current.progress?.(d.fraction, d.bytes);
  }
  else if (d.type === 'result') {
    const job = current;
    if (d.fatal) respawn();
    if (d.ok) finish(job, null, d.bytes);
    else finish(job, { message: d.fatal ? `${d.error} (the worker was restarted)` : d.error });
  }
}

function finish(job, error, bytes) {
  if (current !== job) return;
  // For measurements (tests, bench): when the result reached the page.
  performance.mark('gradlab:result', { detail: { channel: job.channel, ms: performance.now() - job.started } });
  clearTimeout(job.timer);
  current = null;
  hideBusy(job.channel);
  if (error) job.reject(error); else job.resolve(bytes);
  pump();
}

function pump() {
  if (current) return;
  const job = queue.shift();
  if (!job) {
    while (idleWaiters.length) idleWaiters.shift()();
    return;
  }
  current = job;
  job.started = performance.now();
  job.timer = setTimeout(() => showBusy(job, null), SLOW_MS);
  workerReady.then((ok) => {
    if (current !== job) return;
    if (ok && worker) {
      worker.postMessage({ type: 'run', id: job.id, lab: job.request.lab, config: job.request.config, nist: job.request.nist });
      performance.mark('gradlab:posted', { detail: { channel: job.channel } }); // for measurements
      return;
    }
    // The page thread: the same Rust function, after this task so the page can paint first.
    setTimeout(() => {
      if (current !== job) return;
      try {
        finish(job, null, engine_run(job.request.lab, job.request.config, job.request.nist ?? undefined, undefined));
      } catch (e) {
        finish(job, { message: String(e?.message ?? e) });
      }
    }, 0);
  });
}

/**
 * Runs `request` ({lab, config, nist?}) on `channel`; resolves with the result bytes, rejects with
 * {message} on an error, {superseded: true} when a newer request of the channel replaced it, or
 * {cancelled: true}. Options: `progress(fraction, bytes?)` hears the worker's progress (bytes: a
 * partial result, for runs that send one); `background: true` lets any other channel's request
 * stop this one (it rejects with {cancelled: true, preempted: true}).
 */
export function run(channel, request, { progress, background = false } = {}) {
  return new Promise((resolve, reject) => {
    if (current?.background && current.channel !== channel) stopCurrent({ cancelled: true, preempted: true });
    dropQueued(channel, { superseded: true });
    if (current?.channel === channel) stopCurrent({ superseded: true });
    queue.push({ id: nextId++, channel, request, resolve, reject, progress, background });
    pump();
  });
}

/** Stops the channel's running or queued request (it rejects with {cancelled: true}). */
export function cancel(channel) {
  dropQueued(channel, { cancelled: true });
  if (current?.channel === channel) {
    hideBusy(channel);
    stopCurrent({ cancelled: true });
    pump();
  }
}

/** Rejects the channel's queued requests with `why`. */
function dropQueued(channel, why) {
  for (let i = queue.length - 1; i >= 0; i--) {
    if (queue[i].channel === channel) queue.splice(i, 1)[0].reject(why);
  }
}

/** Stops the running request: its worker is replaced, and it rejects with `why`. */
function stopCurrent(why) {
  const job = current;
  clearTimeout(job.timer);
  current = null;
  if (worker) respawn();
  job.reject(why);
}

/** Resolves when no request is running or waiting. */
export function idle() {
  return current || queue.length ? new Promise((r) => idleWaiters.push(r)) : Promise.resolve();
}

/**
 * After a call that may have left a run pending in `lab` (a Rust lab object: pending(), accept(),
 * drop_pending()): runs it on `channel`, installs the result and calls `show()`. On an error,
 * `failed(message)`, on Cancel `failed(null)`; either way the previous `noun` ('run', 'fit') stays
 * on screen, marked. Resolves to null (shown, or superseded by a newer request), the error
 * message, or 'cancelled'.
 */
export async function settle(lab, channel, show, failed, noun = 'run') {
  const request = lab.pending();
  // Whoever teaches from the run on screen (app.js: coach, lesson outcome, challenge verdict).
  const shown = () => document.dispatchEvent(new CustomEvent('gradlab:shown', { detail: { lab: channel, rust: lab } }));
  if (!request) { show(); shown(); return null; }
  try {
    const bytes = await run(channel, request);
    lab.accept(bytes);
    show();
    shown();
    return null;
  } catch (e) {
    if (e?.superseded) return null;
    lab.drop_pending();
    const message = e?.cancelled ? null : (e?.message ?? String(e));
    failed(message);
    const what = message ? (noun === 'fit' ? 'Not fitted' : 'Not run') : 'Cancelled';
    markPrevious(channel, `${what} — the plots show the previous ${noun}.`);
    return message ?? 'cancelled';
  }
}

// ---------- the busy bar of a lab: progress and Cancel ----------

function showBusy(job, fraction) {
  const bar = document.getElementById(`busy-${job.channel}`);
  if (!bar || current !== job) return;
  if (!bar.dataset.wired) {
    bar.dataset.wired = '1';
    bar.querySelector('button').addEventListener('click', () => cancel(bar.dataset.channel));
  }
  bar.dataset.channel = job.channel;
  bar.hidden = false;
  bar.classList.remove('cancelled');
  const p = bar.querySelector('progress');
  if (fraction === null || fraction === undefined) {
    if (!(p.value > 0)) p.removeAttribute('value');
  } else {
    p.value = fraction;
  }
  const secs = ((performance.now() - job.started) / 1000).toFixed(1);
  bar.querySelector('.busy-text').textContent = fraction === null || fraction === undefined
    ? `running… ${secs} s` : `running… ${Math.round(fraction * 100)} % (${secs} s)`;
}

function hideBusy(channel) {
  const bar = document.getElementById(`busy-${channel}`);
  if (bar && !bar.classList.contains('cancelled')) bar.hidden = true;
}

/** Marks a lab's plots as showing the previous result after a cancelled or failed run. */
export function markPrevious(channel, text) {
  const bar = document.getElementById(`busy-${channel}`);
  if (!bar) return;
  bar.hidden = false;
  bar.classList.add('cancelled');
  bar.querySelector('progress').removeAttribute('value');
  bar.querySelector('.busy-text').textContent = text;
  clearTimeout(bar.hideTimer);
  bar.hideTimer = setTimeout(() => { bar.classList.remove('cancelled'); bar.hidden = true; }, 6000);
}
