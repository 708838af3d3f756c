// <gradlab-embed>: a gradlab experiment in an article, with one script tag and no dependencies.
//
//   <script type="module" src="https://…/gradlab/embed.js"></script>
//   <gradlab-embed link="v3.…" plots="contour,convergence" aspect="4/3"
//                  description="Gradient descent with α = 0.19 converges on ½(x² + 10y²)"></gradlab-embed>
//
// - Lazy: the iframe is created only when the element comes within ~200 px of the viewport
//   (IntersectionObserver) or when the reader presses "Load"; until then a placeholder shows the
//   description.
// - No layout shift: the placeholder reserves the height the page inside will ask for (the same
//   rule as www/app.js preferredHeight: its bar, the regression lab's epoch slider and a lesson
//   box when shown, plus the plots — width / aspect, or on a column narrower than 560 px, where
//   one plot shows at a time, 0.95·width + 60), recomputed whenever the column's width changes
//   until the page has answered. The lab and the lesson are read from the link itself (it is
//   zlib-compressed JSON; DecompressionStream), or guessed from the plot names.
// - Sizing (a handshake like H5P's resizer): the page inside posts
//   {type: 'gradlab:resize', height} to its parent; the element follows it (clamped to 200…3000 px)
//   and accepts it only from its own iframe. Width is always 100 % of the column.
// - Attributes: link (a `v3.…` link — older `v1.`, `v2.` too — or a whole gradlab URL), description (required: the
//   iframe's title and the placeholder's text), src (the gradlab page; default: the folder this
//   script was loaded from), and the embed options plots, controls, results, autoplay, lesson, step,
//   aspect, lang (passed to the page as URL parameters after `?embed`, only those set; `lang="zh-CN"`
//   also puts the placeholder in Chinese).
// Glue only: no numerics, and attribute text is only ever set as textContent or an attribute.

const SCRIPT_ROOT = new URL('./', import.meta.url).href;
/** Attributes passed on to the page as `?embed&name=value` (only those set). */
const OPTIONS = ['plots', 'controls', 'results', 'autoplay', 'lesson', 'step', 'aspect', 'theme', 'lang'];
/**
 * The placeholder's three texts by the element's `lang` (the page inside gets `?lang=` and its texts
 * from gradlab's catalogs). Here, not in src/i18n: an article loads only this script, no wasm;
 * the Chinese is the catalog's (page.Load the experiment, page.Open in gradlab ↗).
 */
const TEXTS = {
  en: { load: 'Load the experiment', open: 'Open in gradlab ↗', none: 'A gradlab experiment.' },
  'zh-CN': { load: '加载实验', open: '在 gradlab 中打开 ↗', none: '一个 gradlab 实验。' },
};
const textsFor = (lang) => (/^zh\b/i.test(String(lang || '')) ? TEXTS['zh-CN'] : TEXTS.en);
const FLAGS = new Set(['controls', 'results', 'autoplay', 'lesson']);
const MIN_HEIGHT = 200;
const MAX_HEIGHT = 3000;
const DEFAULT_ASPECT = 4 / 3;
/* What the page in the iframe adds to its plots (www/embed.css at the embed's 14 px root font). */
const BAR = 20;           // the bar: brand, Controls / Results, Open in gradlab
const PLAY_ROW = 28;      // the regression lab's epoch slider row and its gap
const NARROW = 560;       // below this width one plot shows at a time (app.js: max-width 559px)
const LESSON_BOX = 13;    // the lesson box's margin, border and padding
const LESSON_LINE = 16;   // one line of the lesson (.85rem × 1.35)
const LESSON_CHAR = 6.1;  // mean width of a character of the lesson text
/** Plot names that only one lab has (`plots` attribute): the lab when the link cannot be read. */
const LAB_OF_PLOT = {
  contour: 'surfaces', '3d': 'surfaces',
  fit: 'regression', 'loss-map': 'regression', 'loss-surface': 'regression', loss: 'regression', predicted: 'regression',
  curve: 'fit', landscape: 'fit',
};

const STYLE = `
:host { display: block; margin: 1.5rem 0; color: #1f2430; }
/* An undefined element shows its light-DOM fallback link; defined, the shadow root (no slot) does. */
:host([hidden]) { display: none; }
.box { position: relative; width: 100%; aspect-ratio: var(--gradlab-aspect, 4 / 3); min-height: 240px;
  border-radius: 8px; overflow: hidden; background: #f6f7fa; box-shadow: 0 0 0 1px #dde1e8; }
.box.reserved, .box.sized { aspect-ratio: auto; min-height: 0; }
.placeholder { position: absolute; inset: 0; display: flex; flex-direction: column; justify-content: center;
  align-items: flex-start; gap: 0.6rem; padding: 1rem 1.25rem; box-sizing: border-box; overflow: hidden;
  font: 1rem/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.label { position: absolute; top: 0.6rem; left: 0.9rem; font-size: 0.8rem; font-weight: 600;
  letter-spacing: 0.04em; color: #5b6475; }
.description { margin: 0; max-width: 36rem; }
.note { margin: 0 0 0.5rem; padding: 0.4rem 0.6rem; border-radius: 6px; background: #fff3cd; color: #664d03;
  font: 0.9rem/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.note[hidden] { display: none; }
.actions { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; }
button { font: inherit; font-size: 0.9rem; padding: 0.35rem 0.9rem; border-radius: 6px; cursor: pointer;
  border: 1px solid #3b6fd8; background: #3b6fd8; color: #fff; }
button:focus-visible, a:focus-visible { outline: 2px solid #3b6fd8; outline-offset: 2px; }
a { color: #2456b8; font-size: 0.9rem; }
iframe { position: absolute; top: 0; left: 0; width: 100%; height: 100%; display: block; border: 0;
  border-radius: 8px; background: transparent; }
.loaded .placeholder { visibility: hidden; }
@media (prefers-color-scheme: dark) {
  :host(:not([theme=light])) { color: #e6e8ee; }
  :host(:not([theme=light])) .box { background: #1c2029; box-shadow: 0 0 0 1px #3a4150; }
  :host(:not([theme=light])) .label { color: #a3abbb; }
  :host(:not([theme=light])) .note { background: #4a3b0a; color: #ffe69c; }
  :host(:not([theme=light])) a { color: #8ab4ff; }
}
/* theme="dark" (passed on to the page as ?theme=dark): the placeholder is dark too. */
:host([theme=dark]) { color: #e6e8ee; }
:host([theme=dark]) .box { background: #1c2029; box-shadow: 0 0 0 1px #3a4150; }
:host([theme=dark]) .label { color: #a3abbb; }
:host([theme=dark]) .note { background: #4a3b0a; color: #ffe69c; }
:host([theme=dark]) a { color: #8ab4ff; }
`;

/** `4/3`, `16:9`, `1.5` → a positive number, or null. */
function parseAspect(text) {
  if (text == null || text.trim() === '') return null;
  const m = text.trim().match(/^(\d+(?:\.\d+)?)\s*(?:[/:]\s*(\d+(?:\.\d+)?))?$/);
  if (!m) return null;
  const v = m[2] === undefined ? Number(m[1]) : Number(m[1]) / Number(m[2]);
  // The page accepts 0.3…4 (www/app.js embedAspect); outside that it would use 4/3 anyway.
  return Number.isFinite(v) && v >= 0.3 && v <= 4 ? v : null;
}

/** The experiment part of a link: `v3.…` as is; from a whole URL (or `#v3.…`) its fragment. */
function linkFragment(text) {
  const t = (text || '').trim();
  const hash = t.indexOf('#');
  return hash >= 0 ? t.slice(hash + 1) : t;
}

/** The lab and lesson of a `vN.…` link (base64url of zlib-compressed JSON), or null. */
async function readLink(fragment) {
  const m = /^v[1-9][0-9]{0,5}\.([A-Za-z0-9_-]{1,16384})$/.exec(fragment);
  if (!m || typeof DecompressionStream !== 'function') return null;
  try {
    const b64 = m[1].replaceAll('-', '+').replaceAll('_', '/');
    const bytes = Uint8Array.from(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0));
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate'));
    const state = JSON.parse(await new Response(stream).text());
    if (!state || typeof state.lab !== 'string') return null;
    const l = state.lesson;
    return {
      lab: state.lab,
      lesson: l && typeof l.title === 'string' && typeof l.text === 'string' ? { title: l.title, text: l.text, changed: !!l.changed } : null,
      showLesson: state.embed?.show_lesson !== false,
    };
  } catch {
    return null;
  }
}

/** Lines a text of `chars` characters takes in a lesson box of width `width` (at least 1). */
function lessonLines(chars, width) {
  return Math.max(1, Math.ceil((chars * LESSON_CHAR) / Math.max(100, width - 43)));
}

/** A flag attribute as the page's `0|1`: empty, `1`, `true`, `yes`, `on` → 1; anything else → 0. */
function flag(text) {
  return ['', '1', 'true', 'yes', 'on'].includes(text.trim().toLowerCase()) ? '1' : '0';
}

class GradlabEmbed extends HTMLElement {
  static get observedAttributes() { return ['link', 'src', 'description', ...OPTIONS]; }

  constructor() {
    super();
    this.iframe = null;
    this.observer = null;
    this.resizer = null;
    this.warned = false;
    this.info = null; // {lab, lesson, showLesson} read from the link
    this.infoFor = null; // the link `info` was read from
    this.ready = false; // the page inside has said gradlab:ready
    this.pending = null; // the height it asked for before that
    this.readyTimer = undefined;
    const root = this.attachShadow({ mode: 'open' });
    // A constructed style sheet, not a <style> element: pages with a strict Content-Security-Policy
    // (no inline styles, as gradlab's own) still style the element. <style> only where unsupported.
    let style = [];
    if ('adoptedStyleSheets' in root && typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(STYLE);
      root.adoptedStyleSheets = [sheet];
    } else {
      style = [Object.assign(document.createElement('style'), { textContent: STYLE })];
    }
    this.box = document.createElement('div');
    this.box.className = 'box';
    this.box.setAttribute('part', 'box');
    const ph = document.createElement('div');
    ph.className = 'placeholder';
    const label = document.createElement('span');
    label.className = 'label';
    label.textContent = 'gradlab';
    this.descriptionEl = document.createElement('p');
    this.descriptionEl.className = 'description';
    this.noteEl = document.createElement('p');
    this.noteEl.className = 'note';
    this.noteEl.hidden = true;
    const actions = document.createElement('div');
    actions.className = 'actions';
    this.loadButton = document.createElement('button');
    this.loadButton.type = 'button';
    this.loadButton.textContent = 'Load the experiment';
    this.loadButton.addEventListener('click', () => this.load());
    this.openLink = document.createElement('a');
    this.openLink.target = '_blank';
    this.openLink.rel = 'noopener';
    this.openLink.textContent = 'Open in gradlab ↗';
    actions.append(this.loadButton, this.openLink);
    ph.append(label, this.descriptionEl, actions);
    this.box.append(ph);
    // The note to the author sits above the box, so it stays visible after the iframe has loaded.
    root.append(...style, this.noteEl, this.box);
    this.onMessage = this.onMessage.bind(this);
  }

  connectedCallback() {
    this.update();
    window.addEventListener('message', this.onMessage);
    if (!this.resizer && typeof ResizeObserver === 'function') {
      this.resizer = new ResizeObserver(() => this.reserve());
      this.resizer.observe(this);
    }
    if (this.iframe) return;
    if (typeof IntersectionObserver !== 'function') { this.load(); return; }
    this.observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) this.load();
    }, { rootMargin: '200px 0px' });
    this.observer.observe(this);
  }

  disconnectedCallback() {
    window.removeEventListener('message', this.onMessage);
    this.observer?.disconnect();
    this.observer = null;
    this.resizer?.disconnect();
    this.resizer = null;
  }

  attributeChangedCallback(name, before, after) {
    if (before !== after && this.isConnected) this.update();
  }

  /** The gradlab page: the `src` attribute (resolved against the article) or the script's folder. */
  get root() {
    const src = this.getAttribute('src');
    if (!src || !src.trim()) return SCRIPT_ROOT;
    const url = new URL(src.trim(), document.baseURI);
    url.search = '';
    url.hash = '';
    // `https://host/gradlab` means the folder, not a file named gradlab.
    if (!url.pathname.endsWith('/') && !/\.[a-z0-9]+$/i.test(url.pathname)) url.pathname += '/';
    return url.href;
  }

  /** The iframe's address: ROOT?embed&options#link. */
  get frameSrc() {
    let query = '?embed';
    for (const name of OPTIONS) {
      const value = this.getAttribute(name);
      if (value === null) continue;
      let v = value.trim();
      if (FLAGS.has(name)) v = flag(v);
      else if (name === 'step' && !/^\d+$/.test(v)) continue;
      else if (name === 'aspect' && parseAspect(v) === null) continue;
      else if (v === '') continue;
      query += `&${name}=${encodeURIComponent(v)}`;
    }
    const link = linkFragment(this.getAttribute('link'));
    return this.root + query + (link ? `#${link}` : '');
  }

  /** The full page of the experiment (for "Open in gradlab ↗"). */
  get pageHref() {
    const link = linkFragment(this.getAttribute('link'));
    const lang = (this.getAttribute('lang') || '').trim();
    return this.root + (lang ? `?lang=${encodeURIComponent(lang)}` : '') + (link ? `#${link}` : '');
  }

  get description() {
    return (this.getAttribute('description') || '').trim();
  }

  /** Brings the placeholder, the reserved size and (when it exists) the iframe up to date. */
  update() {
    const description = this.description;
    const texts = textsFor(this.getAttribute('lang'));
    this.loadButton.textContent = texts.load;
    this.openLink.textContent = texts.open;
    this.descriptionEl.textContent = description || texts.none;
    this.noteEl.hidden = !!description;
    if (!description) {
      this.noteEl.textContent = 'gradlab-embed: add a description attribute that says what the reader will see '
        + '(it is the embed\'s accessible name and the text shown before it loads).';
      if (!this.warned) {
        this.warned = true;
        console.warn('gradlab-embed: the description attribute is missing. Add description="…" saying what the '
          + 'reader will see; it becomes the iframe\'s title (its accessible name) and the fallback text.', this);
      }
    }
    const aspectText = this.getAttribute('aspect');
    const aspect = parseAspect(aspectText) ?? DEFAULT_ASPECT;
    if (aspectText !== null && parseAspect(aspectText) === null) {
      console.warn(`gradlab-embed: aspect="${aspectText}" is not a ratio like 4/3 or 1.5; using 4/3.`);
    }
    this.box.style.setProperty('--gradlab-aspect', String(aspect));
    this.aspect = aspect;
    this.openLink.href = this.pageHref;
    const fragment = linkFragment(this.getAttribute('link'));
    if (fragment !== this.infoFor) {
      this.infoFor = fragment;
      this.info = null;
      readLink(fragment).then((info) => {
        if (this.infoFor !== fragment) return;
        this.info = info;
        this.reserve();
      });
    }
    this.reserve();
    if (this.iframe) {
      this.iframe.title = description || 'gradlab experiment';
      const src = this.frameSrc;
      if (this.iframe.getAttribute('src') !== src) this.iframe.src = src;
    }
  }

  /** The lab shown: from the link when it could be read, else from the plot names, else surfaces. */
  get lab() {
    if (this.info) return this.info.lab;
    for (const n of (this.getAttribute('plots') || '').split(',')) {
      const lab = LAB_OF_PLOT[n.trim().toLowerCase()];
      if (lab) return lab;
    }
    return 'surfaces';
  }

  /**
   * The height the page inside will ask for at column width `width` (www/app.js preferredHeight):
   * bar, the regression lab's epoch slider, the lesson box when shown, the plots, 8 px.
   */
  preferredHeight(width) {
    let chrome = BAR;
    if (this.lab === 'regression') chrome += PLAY_ROW;
    const lesson = this.info?.lesson;
    const flagText = this.getAttribute('lesson');
    const showLesson = flagText !== null ? flag(flagText) === '1' : this.info?.showLesson !== false;
    if (lesson && showLesson) {
      chrome += LESSON_BOX + LESSON_LINE * (lessonLines(lesson.title.length, width)
        + Math.min(2, lessonLines(lesson.text.length, width)) + (lesson.changed ? 2 : 0));
    }
    const plots = width < NARROW ? width * 0.95 + 60 : width / (this.aspect || DEFAULT_ASPECT);
    return Math.round(Math.min(MAX_HEIGHT, Math.max(240, chrome + plots + 8)));
  }

  /** Until the page inside has said how tall it wants to be, reserves the height it will ask for. */
  reserve() {
    if (this.box.classList.contains('sized')) return;
    const width = this.getBoundingClientRect().width;
    if (!(width > 0)) return;
    this.box.classList.add('reserved');
    this.box.style.height = `${this.preferredHeight(width)}px`;
  }

  /** Creates the iframe (once; it is kept afterwards). */
  load() {
    this.observer?.disconnect();
    this.observer = null;
    if (this.iframe) return;
    const f = document.createElement('iframe');
    f.title = this.description || 'gradlab experiment';
    f.allow = 'clipboard-write';
    f.referrerPolicy = 'no-referrer-when-downgrade';
    f.style.width = '100%';
    f.style.display = 'block';
    f.addEventListener('load', () => this.box.classList.add('loaded'));
    f.src = this.frameSrc;
    this.iframe = f;
    this.loadButton.style.visibility = 'hidden'; // keeps its place: the placeholder does not shift
    this.box.append(f);
    this.dispatchEvent(new CustomEvent('gradlab-embed:load', { bubbles: true }));
  }

  /** The page inside says how tall it wants to be; only our own iframe is listened to. */
  onMessage(ev) {
    if (!this.iframe || ev.source !== this.iframe.contentWindow) return;
    const d = ev.data;
    if (!d || typeof d !== 'object') return;
    if (d.type === 'gradlab:resize') {
      const h = Number(d.height);
      if (!Number.isFinite(h)) return;
      const px = Math.round(Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, h)));
      // Before its first run is drawn the page measures a layout that is not final yet (e.g. the
      // surfaces lab it starts with): the reserved height stays until it is ready, or 8 s.
      if (!this.ready) {
        this.pending = px;
        this.readyTimer ??= setTimeout(() => this.settle(), 8000);
        return;
      }
      clearTimeout(this.readyTimer);
      this.pending = null;
      this.resizeTo(px);
    } else if (d.type === 'gradlab:ready') {
      // Ready: the page measures itself once more and says so when the height changed. Its early
      // message measured the surfaces lab it starts with, with no lesson: right for such a state
      // (applied now), stale for another lab or a lesson (a new message follows; 3 s at most).
      this.ready = true;
      this.box.classList.add('loaded');
      clearTimeout(this.readyTimer);
      const state = d.state && typeof d.state === 'object' ? d.state : null;
      const same = state && state.lab === 'surfaces' && !state.lesson;
      this.readyTimer = setTimeout(() => this.settle(), same ? 0 : 3000);
    }
  }

  /** Applies the height asked for before the page was ready (when no newer one came). */
  settle() {
    this.ready = true;
    if (this.pending != null) this.resizeTo(this.pending);
    this.pending = null;
  }

  resizeTo(px) {
    this.box.classList.add('sized');
    this.box.style.height = `${px}px`;
    this.iframe.style.height = `${px}px`;
  }
}

if (!customElements.get('gradlab-embed')) customElements.define('gradlab-embed', GradlabEmbed);

export { GradlabEmbed };
