import fs from 'node:fs';
import { createHash } from 'node:crypto';
import { html, raw } from 'hono/html';
import type { RelatedPaper } from './related.ts';

const asset = (name: string) => fs.readFileSync(new URL(`./assets/${name}`, import.meta.url), 'utf8');

/** One stylesheet for both forms of the widget: inlined in the iframe page, injected into the script's shadow root. */
const WIDGET_CSS = asset('widget.css');

export const WIDGET_SCRIPT = asset('widget.js').replace('__WIDGET_CSS__', JSON.stringify(WIDGET_CSS));

/**
 * The iframe page runs no script and loads nothing: the only thing allowed is
 * its own inline stylesheet, pinned by hash. Any page may frame it, a saved
 * or local one (file:) included, which "*" alone does not match.
 */
export const WIDGET_PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(WIDGET_CSS).digest('base64')}'`,
  "base-uri 'none'",
  "form-action 'none'",
  'frame-ancestors * file: data: blob:',
].join('; ');

/** The script itself is static; what it fetches comes from this origin's API. */
export const WIDGET_SCRIPT_CSP = "default-src 'none'";

export type WidgetTheme = 'light' | 'dark' | 'auto';

function byline(p: RelatedPaper): string {
  const authors = p.authors.slice(0, 3).join(', ') + (p.authors.length > 3 ? ' et al.' : '');
  return [authors, p.year].filter(Boolean).join(' · ');
}

/**
 * The iframe size that shows k papers whole (README): the frame, heading and
 * footer take 61 px and each paper at most 67 (two title lines, a byline,
 * padding and a rule), as widget.css fixes them, with 3 px to spare.
 */
export function widgetFrameSize(k: number): { width: number; height: number } {
  return { width: 400, height: 64 + 67 * k };
}

/** What a visitor reads when the widget has nothing to show: no API message, which is for the site's author. */
export const UNAVAILABLE = 'Related papers are unavailable.';

/** hono/html escapes every interpolated value, so titles and names cannot inject markup. */
export function widgetPage(paper: RelatedPaper | null, related: RelatedPaper[], theme: WidgetTheme) {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${paper ? `Related to ${paper.title}` : 'Related papers'}</title><style>${raw(WIDGET_CSS)}</style></head>
<body><section class="ps" data-theme="${theme}" aria-label="Related papers"><h2>Related papers</h2>${
    paper
      ? html`<ol>
${related.map(
  (p) => html`<li><a href="${p.url}" target="_blank" rel="noopener noreferrer">${p.title}</a><span class="meta">${byline(p)}</span></li>`,
)}
</ol>`
      : html`<p class="error">${UNAVAILABLE}</p>`
  }<div class="foot">Related papers by Paperscope</div></section></body></html>`;
}
