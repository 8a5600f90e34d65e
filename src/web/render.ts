import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { PAGE_CSP } from './layout.tsx';

/** A page as hono/jsx gives it: something that serializes to HTML, maybe asynchronously. */
type PageNode = { toString(): string | Promise<string> };

const STYLE_ATTRIBUTE = /\sstyle="([^"]*)"/g;
const ENTITIES: Record<string, string> = { '&amp;': '&', '&quot;': '"', '&#39;': "'", '&lt;': '<', '&gt;': '>' };

/**
 * KaTeX positions glyphs with style attributes, which a CSP without
 * 'unsafe-inline' blocks. Rather than allow every inline style, the page's CSP
 * lists the hash of each style attribute the page holds ('unsafe-hashes'):
 * only markup Paperscope itself emitted can carry one, since text from the data
 * is escaped and so can never form an attribute.
 */
function cspFor(html: string): string {
  const hashes = new Set<string>();
  for (const m of html.matchAll(STYLE_ATTRIBUTE)) {
    const value = m[1].replace(/&(?:amp|quot|#39|lt|gt);/g, (e) => ENTITIES[e]);
    hashes.add(`'sha256-${createHash('sha256').update(value).digest('base64')}'`);
  }
  if (!hashes.size) return PAGE_CSP;
  return PAGE_CSP.split('; ')
    .map((d) => (d.startsWith('style-src ') ? `${d} 'unsafe-hashes' ${[...hashes].join(' ')}` : d))
    .join('; ');
}

/** Every HTML page goes out through here: serialized once, with the CSP that fits it. */
export async function renderPage(c: Context, page: PageNode, status: ContentfulStatusCode = 200): Promise<Response> {
  const html = await page.toString();
  c.header('content-security-policy', cspFor(html));
  return c.html(html, status);
}
