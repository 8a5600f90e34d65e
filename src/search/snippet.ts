import { tokenize } from '../text/tokenize.ts';

const MAX_SNIPPET = 240;

/**
 * The abstract's passage that best matches the query: the sentence with the most
 * query terms (ties: the earlier), trimmed to a readable length.
 */
export function makeSnippet(abstract: string, queryTerms: string[]): string {
  const wanted = new Set(queryTerms);
  const sentences = abstract.match(/[^.!?]+[.!?]*/g) ?? [abstract];
  let best = 0;
  let bestHits = 0;
  if (wanted.size) {
    sentences.forEach((s, i) => {
      const hits = new Set(tokenize(s).filter((t) => wanted.has(t))).size;
      if (hits > bestHits) [best, bestHits] = [i, hits];
    });
  }
  const text = sentences.slice(best).join('').trim();
  if (text.length <= MAX_SNIPPET) return (best > 0 ? '… ' : '') + text;
  const cut = text.slice(0, MAX_SNIPPET);
  return (best > 0 ? '… ' : '') + cut.slice(0, Math.max(cut.lastIndexOf(' '), 1)) + ' …';
}
