import { tokenizeWords } from '../text/tokenize.ts';

/**
 * Whether a paper holds two of the query's words together: two words that
 * follow each other in the query (stop words aside) found at most NEAR content
 * words apart in the title or abstract. A paper can hold most of a query's
 * information word by word in other senses ("Dark Energy Problem" in a paper
 * on energy policy and dark skin lesions); holding a pair of them together is
 * the evidence that it is about the query. On SciFact it separates
 * out-of-domain titles from real claims where term coverage alone could not
 * (docs/evaluation.md).
 */
export const NEAR = 2;

type WordPair = [string[], string[]];

/** Consecutive query words as term lists; words sharing a term (a name and its parts) never pair with each other. */
export function queryPairs(query: string): WordPair[] {
  const words = tokenizeWords(query);
  const pairs: WordPair[] = [];
  for (let i = 0; i + 1 < words.length; i++) {
    const [a, b] = [words[i], words[i + 1]];
    if (!a.some((t) => b.includes(t))) pairs.push([a, b]);
  }
  return pairs;
}

/** Whether the texts (title, abstract: never paired across) hold a pair; a one-word query has none to find and holds together wherever it matches. */
export function holdsTogether(pairs: WordPair[], texts: string[]): boolean {
  if (!pairs.length) return true;
  const positions = new Map<string, number[]>();
  let offset = 0;
  for (const text of texts) {
    const words = tokenizeWords(text);
    words.forEach((terms, i) => {
      for (const t of terms) positions.get(t)?.push(offset + i) ?? positions.set(t, [offset + i]);
    });
    offset += words.length + NEAR;
  }
  const near = (x: string, y: string) => (positions.get(x) ?? []).some((i) => (positions.get(y) ?? []).some((j) => j !== i && Math.abs(j - i) <= NEAR));
  return pairs.some(([a, b]) => a.some((x) => b.some((y) => near(x, y))));
}
