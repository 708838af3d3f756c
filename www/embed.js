// <gradlab-embed>: a gradlab experiment in an article, with one script tag and no dependencies.
//
//   <script type="module" src="https://…/gradlab/embed.js"></script>
//   <gradlab-embed link="v2.…" plots="contour,convergence" aspect="4/3"
//                  description="Gradient descent with α = 0.19 converges on ½(x² + 10y²)"></gradlab-embed>
//
// - Lazy: the iframe is created only when the element comes within ~200 px of the viewport
//   (IntersectionObserver) or when the reader presses "Load"; until then a placeholder of the same
//   size shows the description. The box is reserved with CSS aspect-ratio, so nothing shifts.
// - Sizing (a handshake like H5P's resizer): the page inside posts
//   {type: 'gradlab:resize', height} to its parent; the element follows it (clamped to 200…3000 px)
//   and accepts it only from its own iframe. Width is always 100 % of the column.
// - Attributes: link (a `v1.…`/`v2.…` link or a whole gradlab URL), description (required: the
//   iframe's title and the placeholder's text), src (the gradlab page; default: the folder this
//   script was loaded from), and the embed options plots, controls, results, autoplay, lesson, step,
//   aspect (passed to the page as URL parameters after `?embed`, only those set).
// Glue only: no numerics, and attribute text is only ever set as textContent or an attribute.

const SCRIPT_ROOT = new URL('./', import.meta.url).href;
/** Attributes passed on to the page as `?embed&name=value` (only those set). */
const OPTIONS = ['plots', 'controls', 'results', 'autoplay', 'lesson', 'step', 'aspect'];
const FLAGS = new Set(['controls', 'results', 'autoplay', 'lesson']);
const MIN_HEIGHT = 200;
const MAX_HEIGHT = 3000;
const DEFAULT_ASPECT = 4 / 3;

const STYLE = `
:host { display: block; margin: 1.5rem 0; color: #1f2430; }
:host([hidden]) { display: none; }
.box { position: relative; width: 100%; aspect-ratio: var(--gradlab-aspect, 4 / 3); min-height: 240px;
  border-radius: 8px; overflow: hidden; background: #f6f7fa; box-shadow: 0 0 0 1px #dde1e8; }
.box.sized { aspect-ratio: auto; min-height: 0; }
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
  :host { color: #e6e8ee; }
  .box { background: #1c2029; box-shadow: 0 0 0 1px #3a4150; }
  .label { color: #a3abbb; }
  .note { background: #4a3b0a; color: #ffe69c; }
  a { color: #8ab4ff; }
}
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

/** The experiment part of a link: `v2.…` as is; from a whole URL (or `#v2.…`) its fragment. */
function linkFragment(text) {
  const t = (text || '').trim();
  const hash = t.indexOf('#');
  return hash >= 0 ? t.slice(hash + 1) : t;
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
    this.warned = false;
    const root = this.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = STYLE;
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
    root.append(style, this.noteEl, this.box);
    this.onMessage = this.onMessage.bind(this);
  }

  connectedCallback() {
    this.update();
    window.addEventListener('message', this.onMessage);
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
    return this.root + (link ? `#${link}` : '');
  }

  get description() {
    return (this.getAttribute('description') || '').trim();
  }

  /** Brings the placeholder, the reserved size and (when it exists) the iframe up to date. */
  update() {
    const description = this.description;
    this.descriptionEl.textContent = description || 'A gradlab experiment.';
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
    this.openLink.href = this.pageHref;
    if (this.iframe) {
      this.iframe.title = description || 'gradlab experiment';
      const src = this.frameSrc;
      if (this.iframe.getAttribute('src') !== src) this.iframe.src = src;
    }
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
    f.setAttribute('style', 'width:100%;display:block');
    f.addEventListener('load', () => this.box.classList.add('loaded'));
    f.src = this.frameSrc;
    this.iframe = f;
    this.loadButton.hidden = true;
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
      this.box.classList.add('sized');
      this.box.style.height = `${px}px`;
      this.iframe.style.height = `${px}px`;
    } else if (d.type === 'gradlab:ready') {
      this.box.classList.add('loaded');
    }
  }
}

if (!customElements.get('gradlab-embed')) customElements.define('gradlab-embed', GradlabEmbed);

export { GradlabEmbed };
