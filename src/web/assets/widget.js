// Paperscope related-papers widget. Include with
//   <script src="https://HOST/widget.js" data-paper-id="…" data-k="5" data-theme="auto"></script>
// (or data-arxiv-id / data-title; data-link="paperscope" links titles to
// Paperscope instead of arXiv). Renders into a shadow root right after the
// script tag, so the host page's CSS cannot restyle it, and builds the list
// with textContent only, so no title can inject markup.
(() => {
  const CSS = __WIDGET_CSS__;
  const script = document.currentScript;
  if (!script) return;
  const data = script.dataset;
  const origin = new URL(script.src, document.baseURI).origin;
  const params = new URLSearchParams({ k: data.k || '5' });
  if (data.paperId) params.set('id', data.paperId);
  else if (data.arxivId) params.set('arxiv_id', data.arxivId);
  else if (data.title) params.set('title', data.title);
  if (data.link === 'paperscope') params.set('link', 'paperscope');

  const el = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const host = el('div', 'paperscope-related');
  script.after(host);
  const root = host.attachShadow({ mode: 'open' });
  const style = el('style');
  style.textContent = CSS;
  const box = el('section', 'ps');
  box.dataset.theme = ['light', 'dark'].includes(data.theme) ? data.theme : 'auto';
  box.setAttribute('aria-label', 'Related papers');
  box.append(el('h2', '', 'Related papers'));
  root.append(style, box);

  const safeLink = (href) => {
    try {
      const url = new URL(href, origin);
      return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
    } catch {
      return null;
    }
  };

  fetch(`${origin}/api/related?${params}`)
    .then(async (res) => {
      const body = await res.json();
      if (!res.ok) throw new Error(body.error ? body.error.message : res.statusText);
      const list = el('ol');
      for (const p of body.related) {
        const item = el('li');
        const href = safeLink(p.url);
        const title = el(href ? 'a' : 'span', '', p.title);
        if (href) {
          title.href = href;
          title.target = '_blank';
          title.rel = 'noopener noreferrer';
        }
        const meta = [p.authors.slice(0, 3).join(', ') + (p.authors.length > 3 ? ' et al.' : ''), p.year].filter(Boolean).join(' · ');
        item.append(title, el('span', 'meta', meta));
        list.append(item);
      }
      box.append(list, el('div', 'foot', 'Related papers by Paperscope'));
    })
    .catch((err) => {
      // The reason is for the site's author (in the console); visitors get a plain sentence.
      console.warn(`Paperscope widget: ${err.message}`);
      box.append(el('p', 'error', 'Related papers are unavailable.'), el('div', 'foot', 'Related papers by Paperscope'));
    });
})();
