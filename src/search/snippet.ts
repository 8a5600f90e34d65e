import { tokenize } from '../text/tokenize.ts';
import { insideMath, mathSpans } from '../text/math-spans.ts';
import { sentenceStarts } from '../text/sentences.ts';

const MAX_SNIPPET = 240;

/**
 * The abstract's passage that best matches the query: from the sentence with the
 * most query terms (ties: the earlier), trimmed to a readable length. It starts
 * at a sentence and ends at a space outside any formula, so that the page can
 * typeset every `$…$` it shows (a cut formula would print as raw TeX).
 */
export function makeSnippet(abstract: string, queryTerms: string[]): string {
  const wanted = new Set(queryTerms);
  const starts = sentenceStarts(abstract);
  let best = 0;
  let bestHits = 0;
  if (wanted.size) {
    starts.forEach((start, i) => {
      const hits = new Set(tokenize(abstract.slice(start, starts[i + 1] ?? abstract.length)).filter((t) => wanted.has(t))).size;
      if (hits > bestHits) [best, bestHits] = [i, hits];
    });
  }
  const lead = best > 0 ? '… ' : '';
  const text = abstract.slice(starts[best]).trim();
  if (text.length <= MAX_SNIPPET) return lead + text;
  const spans = mathSpans(text);
  let cut = -1;
  for (let i = MAX_SNIPPET; i > 0 && cut < 0; i--) if (text[i] === ' ' && !insideMath(spans, i)) cut = i;
  // One formula longer than the whole snippet: keep it whole rather than cut it.
  if (cut < 0) cut = spans.find(([start, end]) => start < MAX_SNIPPET && end > MAX_SNIPPET)?.[1] ?? MAX_SNIPPET;
  return `${lead}${text.slice(0, cut).trimEnd()} …`;
}
