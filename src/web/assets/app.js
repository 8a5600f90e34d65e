// Progressive enhancement for the server-rendered pages: "/" focuses the
// search box, and the topic map is drawn from /api/map as SVG (one link per
// paper, so a click opens it; the title shows on hover and on focus).
const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 1000;
const HEIGHT = 640;
const PAD = 14;

document.addEventListener('keydown', (e) => {
  const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement?.tagName ?? '');
  if (e.key === '/' && !typing) {
    e.preventDefault();
    document.querySelector('.search input')?.focus();
  }
});

async function drawMap(container) {
  const res = await fetch(container.dataset.src);
  if (!res.ok) throw new Error(res.statusText);
  const { points } = await res.json();
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT}`);
  const tip = document.createElement('div');
  tip.className = 'tip';
  tip.hidden = true;
  const show = (p, event) => {
    tip.textContent = p.title;
    tip.hidden = false;
    const box = container.getBoundingClientRect();
    const at = event && 'clientX' in event ? { x: event.clientX, y: event.clientY } : (() => { const r = event.target.getBoundingClientRect(); return { x: r.left, y: r.top }; })();
    tip.style.left = `${Math.min(at.x - box.left + 12, box.width - tip.offsetWidth - 4)}px`;
    tip.style.top = `${at.y - box.top + 12}px`;
  };
  for (const p of points) {
    const link = document.createElementNS(SVG, 'a');
    link.setAttribute('href', `/paper/${encodeURIComponent(p.id)}`);
    link.setAttribute('aria-label', p.title);
    // One tab stop per paper would trap keyboard users; the topic pages list the same papers.
    link.setAttribute('tabindex', '-1');
    const dot = document.createElementNS(SVG, 'circle');
    dot.setAttribute('cx', String(PAD + p.x * (WIDTH - 2 * PAD)));
    dot.setAttribute('cy', String(PAD + (1 - p.y) * (HEIGHT - 2 * PAD)));
    dot.setAttribute('r', points.length > 500 ? '4' : '7');
    dot.setAttribute('class', `t${p.topic % 12}`);
    dot.dataset.id = p.id;
    link.append(dot);
    link.addEventListener('mouseenter', (e) => show(p, e));
    link.addEventListener('mousemove', (e) => show(p, e));
    link.addEventListener('mouseleave', () => (tip.hidden = true));
    svg.append(link);
  }
  container.replaceChildren(svg, tip);
}

const map = document.getElementById('map');
if (map) {
  drawMap(map).catch((err) => {
    map.textContent = `The map could not be loaded: ${err.message}`;
  });
}
