// Pasted or uploaded CSV data in a lab's form (issue 18): glue shared by the regression and curve-
// fitting labs. Rust takes the census (rows, header, first lines — no parsing) and cuts the data;
// this module only shows what it says: large data as a summary instead of a text box (a 25 MB
// textarea froze the tab), more rows than the lab takes as a named limit with "use the first N
// rows" / "cancel", before any work starts.
import { csv_census, csv_first_rows } from './pkg/gradlab.js';
import { t } from './i18n.js';
import { $ } from './ui.js';

/** Texts longer than this (characters) go through the census; shorter ones are plainly small. */
const CENSUS_CHARS = 65536;

/**
 * The CSV box of `lab` ('regression' | 'fit'): `ids` names its textarea and the summary / limit
 * elements ({text, big, bigText, bigLines, limit, limitText, use, cancel}); `options()` gives the
 * form's CSV options ({delimiter, decimal, header?}).
 */
export function csvBox(lab, ids, options) {
  let bigText = null; // large data shown as a summary; null while the text box holds the text

  /** The CSV text as it is now: the large data shown as a summary, or the text box. */
  const now = () => bigText ?? $(ids.text).value;

  /** Shows `text` in the text box or — large — as a summary (rows, MB, first lines). */
  function show(text, name = '', known = null) {
    const census = known ?? (text.length > CENSUS_CHARS ? csv_census(lab, text, options()) : null);
    const big = !!census?.large;
    bigText = big ? text : null;
    $(ids.text).hidden = big;
    $(ids.text).value = big ? '' : text;
    $(ids.big).hidden = !big;
    if (big) {
      const mb = (census.bytes / 1e6).toFixed(1);
      $(ids.bigText).textContent = name
        ? t('csv_big_named', { name, rows: census.rows, mb }, `${name}: ${census.rows} rows, ${mb} MB — too large to show as text. The first lines:`)
        : t('csv_big', { rows: census.rows, mb }, `${census.rows} rows, ${mb} MB — too large to show as text. The first lines:`);
      $(ids.bigLines).textContent = census.first_lines.join('\n');
    }
  }

  /**
   * New data: more rows than the lab takes are named first ("use the first N rows" / "cancel",
   * nothing runs until then); then the data are shown and `go(text, previousText)` runs them.
   */
  function load(text, name, go) {
    const census = csv_census(lab, text, options());
    const box = $(ids.limit);
    if (census.too_many) {
      $(ids.limitText).textContent = census.too_many;
      $(ids.use).textContent = t('csv_use_first', { n: census.max_rows }, `use the first ${census.max_rows} rows`);
      box.hidden = false;
      $(ids.use).onclick = () => {
        box.hidden = true;
        load(csv_first_rows(text, census.max_rows, census.header), name, go);
      };
      $(ids.cancel).onclick = () => { box.hidden = true; };
      $(ids.use).focus();
      return;
    }
    box.hidden = true;
    const previous = now();
    show(text, name, census);
    go(text, previous);
  }

  // A large paste goes to the data path, never into the text box; typing leaves the summary.
  const area = $(ids.text);
  area.addEventListener('paste', (e) => {
    const text = e.clipboardData?.getData('text/plain') ?? '';
    if (text.length <= CENSUS_CHARS) return;
    e.preventDefault();
    load(text, t('csv_pasted', {}, 'pasted data'), api.onPaste);
  });
  area.addEventListener('input', () => { bigText = null; });

  /** `onPaste(text, previous)`: what the lab does with pasted data once shown (set by the lab). */
  const api = { now, show, load, isBig: () => bigText !== null, onPaste: () => {} };
  return api;
}
