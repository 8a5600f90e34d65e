import { WORD, tokenize } from '../text/tokenize.ts';

/**
 * Marks the words of `text` that match the query's terms. Matching goes through
 * the shared tokenizer, so "clouds" is marked for a query about "cloud" exactly
 * when keyword search would have matched it.
 */
export function Highlight({ text, terms }: { text: string; terms: Set<string> }) {
  if (!terms.size) return <>{text}</>;
  const parts: (string | ReturnType<typeof Mark>)[] = [];
  let last = 0;
  for (const m of text.matchAll(WORD)) {
    if (!tokenize(m[0]).some((t) => terms.has(t))) continue;
    parts.push(text.slice(last, m.index), <Mark word={m[0]} />);
    last = m.index + m[0].length;
  }
  parts.push(text.slice(last));
  return <>{parts}</>;
}

function Mark({ word }: { word: string }) {
  return <mark>{word}</mark>;
}
