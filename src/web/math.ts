import katex from 'katex';
import { LRUCache } from 'lru-cache';
import { DELIMITED_MATH } from '../text/math-spans.ts';

/** A piece of text: plain words, or math already typeset as HTML. */
export type Segment = { text: string } | { math: string };

/**
 * A bare command outside any dollars, as abstracts often carry ("mass
 * \sim 10^{12}", "\infty"), with its brace groups and sub/superscripts.
 */
const BARE = /\\[A-Za-z]+(?:\{[^{}$]{0,80}\})*(?:\s?[_^](?:\{[^{}$]{0,80}\}|[A-Za-z0-9]))*/g;

/** Splits text into plain and math segments; bare commands count as math only when KaTeX can typeset them. */
export function splitMath(text: string): Segment[] {
  const out: Segment[] = [];
  const pushText = (s: string) => {
    let last = 0;
    for (const m of s.matchAll(BARE)) {
      const math = typeset(m[0], false);
      if (math === null) continue;
      if (m.index > last) out.push({ text: s.slice(last, m.index) });
      out.push({ math });
      last = m.index + m[0].length;
    }
    if (last < s.length) out.push({ text: s.slice(last) });
  };
  let last = 0;
  for (const m of text.matchAll(DELIMITED_MATH)) {
    const display = m[1] !== undefined || m[2] !== undefined;
    const tex = (m[1] ?? m[2] ?? m[3] ?? m[4]).trim();
    const math = tex ? typeset(tex, display) : null;
    if (math === null) continue;
    pushText(text.slice(last, m.index));
    out.push({ math });
    last = m.index + m[0].length;
  }
  pushText(text.slice(last));
  return out;
}

/** Titles and abstracts repeat across pages and requests; typesetting is the slow part. */
const typesetCache = new LRUCache<string, string | false>({ max: 5000 });

/**
 * KaTeX's HTML (with MathML for screen readers), or null when the TeX does not
 * parse. No \href or \url expansion (trust: false) and bounded macro expansion,
 * since the TeX comes from the papers' data.
 */
export function typeset(tex: string, display: boolean): string | null {
  const key = `${display ? 'D' : 'I'}${tex}`;
  let html = typesetCache.get(key);
  if (html === undefined) {
    try {
      html = katex.renderToString(tex, { displayMode: display, throwOnError: true, strict: 'ignore', trust: false, maxExpand: 200, maxSize: 20 });
    } catch {
      html = false;
    }
    typesetCache.set(key, html);
  }
  return html || null;
}
