// One playback loop for every lab: replays a run's recorded steps (iterations, epochs, records)
// at a chosen number of steps per second on requestAnimationFrame — never re-runs anything.
// Glue only; each lab says how to read and show a step.

/**
 * A player over steps 0..=last(). `get()` is the step shown, `set(k)` shows step k, `speed()` is
 * steps per second, `changed(playing)` updates the play button. Returns {toggle, stop, playing}.
 */
/** Whether the reader asked for reduced motion (prefers-reduced-motion: reduce). */
export const reducedMotion = () => globalThis.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;

export function player({ get, set, last, speed, changed = () => {} }) {
  let frame = 0;
  let on = false;
  const stop = () => {
    if (!on) return;
    on = false;
    cancelAnimationFrame(frame);
    changed(false);
  };
  const toggle = () => {
    if (on) { stop(); return; }
    // prefers-reduced-motion: no animation — play shows the end of the run at once (from the end,
    // the start); the step buttons and keys still go through it one step at a time.
    if (reducedMotion()) { set(get() >= last() ? 0 : last()); return; }
    if (get() >= last()) set(0);
    on = true;
    changed(true);
    let carry = 0;
    let clock = performance.now();
    const tick = (now) => {
      if (!on) return;
      carry += ((now - clock) / 1000) * speed();
      clock = now;
      const whole = Math.floor(carry);
      if (whole > 0) {
        carry -= whole;
        set(Math.min(last(), get() + whole));
        if (get() >= last()) { stop(); return; }
      }
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
  };
  return { toggle, stop, playing: () => on };
}
