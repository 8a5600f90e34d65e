// Progressive enhancement for the server-rendered pages: "/" focuses the
// search box, and the topic map is drawn from /api/map as SVG: one link per
// paper (a click opens it, the title shows on hover and on focus), topic
// labels at the cluster centres, zoom and pan (wheel, drag, pinch, buttons),
// and with ?q= the results of that search highlighted.
const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 1000;
const HEIGHT = 640;
const PAD = 14;
const MAX_ZOOM = 40;
/** Dot radius and label size in CSS pixels, whatever the map's width and zoom. */
const DOT_PX = { many: 3.5, few: 6 };
const LABEL_PX = 13;
/** A tap picks the nearest point within this many CSS pixels: a 48-px target, however small the dots. */
const TAP_RADIUS = 24;
/** A press that moves further than this is a drag, not a click. */
const DRAG_PX = 5;
/** Results of a search highlighted on the map: five pages of the search page. */
const HIGHLIGHTED = 50;

document.addEventListener('keydown', (e) => {
  const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement?.tagName ?? '');
  if (e.key === '/' && !typing) {
    e.preventDefault();
    document.querySelector('.search input')?.focus();
  }
});

function svgEl(name, attrs = {}) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  return node;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

/** Ids of the search's results, best first, or the API's error message. */
async function searchResults(q) {
  const res = await fetch(`/api/search?${new URLSearchParams({ q, k: String(HIGHLIGHTED) })}`);
  const body = await res.json();
  if (!res.ok) throw new Error(body.error ? body.error.message : res.statusText);
  // Results the search itself calls no match are not its results.
  return body.results.filter((r) => r.match !== 'none').map((r) => r.id);
}

function describeHighlight(status, q, found) {
  const list = document.createElement('a');
  list.href = `/?${new URLSearchParams({ q })}`;
  list.textContent = 'see them as a list';
  status.replaceChildren(
    found ? `The ${found} best results for “${q}” are ringed; the rest are faded (` : `No papers match “${q}” (`,
    list,
    ').',
  );
}

async function drawMap(container) {
  const res = await fetch(container.dataset.src);
  if (!res.ok) throw new Error(res.statusText);
  const { topics, points } = await res.json();
  const svg = svgEl('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}` });
  const dots = svgEl('g', { class: 'dots' });
  const labels = svgEl('g', { class: 'labels', 'aria-hidden': 'true' });
  svg.append(dots, labels);
  const tip = document.createElement('div');
  tip.className = 'tip';
  tip.hidden = true;
  const colour = new Map(topics.map((t) => [t.id, t.colour]));
  const place = (p) => ({ x: PAD + p.x * (WIDTH - 2 * PAD), y: PAD + (1 - p.y) * (HEIGHT - 2 * PAD) });
  const dotPx = points.length > 500 ? DOT_PX.many : DOT_PX.few;
  const drawn = points.map((p) => {
    const { x, y } = place(p);
    const link = svgEl('a', { href: `/paper/${encodeURIComponent(p.id)}`, 'aria-label': p.title });
    // One tab stop per paper would trap keyboard users; the topic pages list the same papers.
    link.setAttribute('tabindex', '-1');
    const dot = svgEl('circle', { cx: x, cy: y, fill: colour.get(p.topic) ?? '#888888', 'data-id': p.id, 'data-topic': p.topic });
    link.append(dot);
    dots.append(link);
    return { p, x, y, link };
  });
  const centres = topics
    .map((t) => {
      const own = drawn.filter((d) => d.p.topic === t.id);
      if (!own.length) return null;
      const text = svgEl('text', { 'data-topic': t.id });
      text.textContent = t.label;
      labels.append(text);
      return { text, x: median(own.map((d) => d.x)), y: median(own.map((d) => d.y)) };
    })
    .filter(Boolean);

  // The view: map units → viewBox units, v = s·m + t.
  const view = { s: 1, tx: 0, ty: 0 };
  const unitsPerPx = () => WIDTH / (svg.getBoundingClientRect().width || WIDTH);
  const apply = () => {
    const perPx = unitsPerPx();
    dots.setAttribute('transform', `translate(${view.tx} ${view.ty}) scale(${view.s})`);
    const r = (dotPx * perPx) / view.s;
    for (const d of drawn) d.link.firstChild.setAttribute('r', String(r));
    for (const c of centres) {
      const x = c.x * view.s + view.tx;
      // Labels near an edge grow inwards, so that they stay inside the map.
      c.text.setAttribute('text-anchor', x < WIDTH * 0.15 ? 'start' : x > WIDTH * 0.85 ? 'end' : 'middle');
      c.text.setAttribute('x', String(x));
      c.text.setAttribute('y', String(c.y * view.s + view.ty));
      c.text.setAttribute('font-size', String(LABEL_PX * perPx));
    }
    // Larger topics label first; a label that would overlap one already shown waits until zooming makes room.
    const shown = [];
    for (const c of centres) {
      const box = c.text.getBBox();
      const overlaps = shown.some((o) => box.x < o.x + o.width && o.x < box.x + box.width && box.y < o.y + o.height && o.y < box.y + box.height);
      if (overlaps) c.text.setAttribute('visibility', 'hidden');
      else {
        c.text.removeAttribute('visibility');
        shown.push(box);
      }
    }
    svg.dataset.zoom = String(Math.round(view.s * 100) / 100);
    hideTip();
  };
  const clampPan = () => {
    view.tx = Math.min(0, Math.max(WIDTH - WIDTH * view.s, view.tx));
    view.ty = Math.min(0, Math.max(HEIGHT - HEIGHT * view.s, view.ty));
  };
  /** Zooms by `factor` keeping the point (vx, vy), in viewBox units, where it is. */
  const zoom = (factor, vx = WIDTH / 2, vy = HEIGHT / 2) => {
    const s = Math.min(MAX_ZOOM, Math.max(1, view.s * factor));
    view.tx = vx - ((vx - view.tx) * s) / view.s;
    view.ty = vy - ((vy - view.ty) * s) / view.s;
    view.s = s;
    clampPan();
    apply();
  };
  const toView = (clientX, clientY) => {
    const box = svg.getBoundingClientRect();
    const perPx = WIDTH / box.width;
    return { x: (clientX - box.left) * perPx, y: (clientY - box.top) * perPx };
  };

  function showTip(d, pinned) {
    const box = container.getBoundingClientRect();
    const at = d.link.firstChild.getBoundingClientRect();
    const title = document.createElement('span');
    title.textContent = d.p.title;
    tip.replaceChildren(title);
    tip.classList.toggle('pinned', pinned);
    if (pinned) {
      // On a touch screen the tap showed the title; opening the paper is a second, finger-sized target.
      const open = document.createElement('a');
      open.href = d.link.getAttribute('href');
      open.textContent = 'Open the paper';
      tip.append(open);
    }
    tip.hidden = false;
    tip.style.left = `${Math.max(4, Math.min(at.left - box.left + 12, box.width - tip.offsetWidth - 4))}px`;
    tip.style.top = `${at.top - box.top + 14}px`;
  }
  function hideTip() {
    tip.hidden = true;
  }
  for (const d of drawn) {
    d.link.addEventListener('pointerenter', (e) => e.pointerType === 'mouse' && showTip(d, false));
    d.link.addEventListener('pointerleave', (e) => e.pointerType === 'mouse' && hideTip());
    d.link.addEventListener('focus', () => showTip(d, false));
  }

  /** The drawn point nearest a tap, within TAP_RADIUS CSS pixels. */
  const nearest = (clientX, clientY) => {
    const box = svg.getBoundingClientRect();
    const pxPerUnit = box.width / WIDTH;
    let best = null;
    let bestDistance = TAP_RADIUS;
    for (const d of drawn) {
      const sx = box.left + (d.x * view.s + view.tx) * pxPerUnit;
      const sy = box.top + (d.y * view.s + view.ty) * pxPerUnit;
      const distance = Math.hypot(sx - clientX, sy - clientY);
      if (distance <= bestDistance) {
        best = d;
        bestDistance = distance;
      }
    }
    return best;
  };

  svg.addEventListener(
    'wheel',
    (e) => {
      e.preventDefault();
      const at = toView(e.clientX, e.clientY);
      zoom(Math.exp(-e.deltaY * 0.002), at.x, at.y);
    },
    { passive: false },
  );

  // Drag to pan, two fingers to pinch; a press that did not move stays a click.
  const pressed = new Map();
  let moved = false;
  let pointerType = 'mouse';
  svg.addEventListener('pointerdown', (e) => {
    pressed.set(e.pointerId, { x: e.clientX, y: e.clientY, startX: e.clientX, startY: e.clientY });
    pointerType = e.pointerType;
    if (pressed.size === 1) moved = false;
  });
  svg.addEventListener('pointermove', (e) => {
    const press = pressed.get(e.pointerId);
    if (!press) return;
    if (!moved && Math.hypot(e.clientX - press.startX, e.clientY - press.startY) < DRAG_PX) return;
    if (!moved) svg.setPointerCapture(e.pointerId);
    moved = true;
    const perPx = unitsPerPx();
    if (pressed.size === 2) {
      const [a, b] = [...pressed.values()];
      const before = Math.hypot(a.x - b.x, a.y - b.y);
      press.x = e.clientX;
      press.y = e.clientY;
      const after = Math.hypot(a.x - b.x, a.y - b.y);
      const mid = toView((a.x + b.x) / 2, (a.y + b.y) / 2);
      if (before > 0) zoom(after / before, mid.x, mid.y);
      return;
    }
    view.tx += (e.clientX - press.x) * perPx;
    view.ty += (e.clientY - press.y) * perPx;
    press.x = e.clientX;
    press.y = e.clientY;
    clampPan();
    apply();
  });
  const release = (e) => pressed.delete(e.pointerId);
  svg.addEventListener('pointerup', release);
  svg.addEventListener('pointercancel', release);
  svg.addEventListener(
    'click',
    (e) => {
      if (moved) {
        e.preventDefault();
        e.stopPropagation();
        return;
      }
      if (pointerType === 'mouse') return;
      e.preventDefault();
      const d = nearest(e.clientX, e.clientY);
      if (d) showTip(d, true);
      else hideTip();
    },
    true,
  );

  for (const button of document.querySelectorAll('[data-zoom]')) {
    button.addEventListener('click', () => {
      if (button.dataset.zoom === 'in') zoom(2);
      else if (button.dataset.zoom === 'out') zoom(0.5);
      else {
        Object.assign(view, { s: 1, tx: 0, ty: 0 });
        apply();
      }
    });
  }

  container.replaceChildren(svg, tip);
  new ResizeObserver(apply).observe(svg);
  apply();
  const q = container.dataset.q;
  if (q) await highlight(q, drawn, dots);
}

/** Rings the search's results (drawn last, on top of the others) and fades the rest; the map is usable meanwhile. */
async function highlight(q, drawn, dots) {
  const status = document.getElementById('map-status');
  status.textContent = `Finding the results for “${q}”…`;
  let hits;
  try {
    hits = new Set(await searchResults(q));
  } catch (err) {
    status.textContent = `The search could not be highlighted: ${err.message}`;
    return;
  }
  for (const d of drawn) {
    const hit = hits.has(d.p.id);
    d.link.firstChild.classList.toggle('hit', hit);
    d.link.firstChild.classList.toggle('faded', !hit);
    if (hit) dots.append(d.link);
  }
  describeHighlight(status, q, hits.size);
}

const map = document.getElementById('map');
if (map) {
  drawMap(map).catch((err) => {
    map.textContent = `The map could not be loaded: ${err.message}`;
  });
}

/** While the first `npm start` indexes the sample corpus in the background (/health says so), a banner tells how far it is. */
const INDEXING_POLL_MS = 5000;

/** After the indexer ends, the server swaps its build in within moments: polls this many more times for the new count. */
const SWAP_POLLS = 6;

async function showIndexing(banner, servedBefore, swapPolls = SWAP_POLLS) {
  let health;
  try {
    health = await (await fetch('/health')).json();
  } catch {
    return;
  }
  const progress = health.indexing;
  if (progress) {
    const count = progress.total ? `${progress.done.toLocaleString('en')} of ${progress.total.toLocaleString('en')} papers embedded` : progress.stage;
    banner.textContent = `More papers are on the way: the sample corpus is being indexed (${count}). Searches cover the ${health.papers.toLocaleString('en')} papers indexed so far.`;
    banner.hidden = false;
    // The count served now: checkpoints swap in more papers while indexing goes on.
    setTimeout(() => showIndexing(banner, health.papers), INDEXING_POLL_MS);
  } else if (servedBefore !== undefined && health.papers === servedBefore && swapPolls > 0) {
    setTimeout(() => showIndexing(banner, servedBefore, swapPolls - 1), INDEXING_POLL_MS / 5);
  } else if (servedBefore !== undefined) {
    banner.textContent = `Indexing has finished: ${health.papers.toLocaleString('en')} papers are searchable now. Search again to include them all.`;
  }
}

const header = document.querySelector('header.top');
if (header) {
  const banner = document.createElement('p');
  banner.className = 'indexing';
  banner.setAttribute('role', 'status');
  banner.hidden = true;
  header.after(banner);
  showIndexing(banner, undefined);
}
