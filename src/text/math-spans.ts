/**
 * Delimited math: $$…$$, \[…\], \(…\) and $…$. A single-dollar span follows
 * pandoc's rule (no space just inside either dollar, no digit just after the
 * closing one), so "costs $5 and $10" stays text. Shared by the page's
 * typesetting and by the text code that must not cut inside a formula
 * (sentences, snippets).
 */
export const DELIMITED_MATH = /\$\$([^$]{1,400}?)\$\$|\\\[(.{1,400}?)\\\]|\\\((.{1,400}?)\\\)|\$(?![\s$])([^$]{1,300}?)(?<!\s)\$(?!\d)/gs;

/** [start, end) of every delimited formula, in order. */
export function mathSpans(text: string): [number, number][] {
  if (!text.includes('$') && !text.includes('\\')) return [];
  return [...text.matchAll(DELIMITED_MATH)].map((m) => [m.index, m.index + m[0].length]);
}

/** Whether position `i` falls strictly inside one of `spans` (a cut there would split a formula). */
export function insideMath(spans: [number, number][], i: number): boolean {
  return spans.some(([start, end]) => i > start && i < end);
}
