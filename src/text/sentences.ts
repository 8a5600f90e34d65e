import { insideMath, mathSpans } from './math-spans.ts';

/** A sentence ends at . ! or ? followed by space and a capital, digit or bracket: "e.g. the" and "3.5 mg" stay whole. */
const SENTENCE_END = /(?<=[.!?])\s+(?=[A-Z0-9(\[])/g;

/** Where each sentence starts; never inside a formula ("$x. A$" is one sentence). */
export function sentenceStarts(text: string): number[] {
  const spans = mathSpans(text);
  const starts = [0];
  for (const m of text.matchAll(SENTENCE_END)) {
    const start = m.index + m[0].length;
    if (!insideMath(spans, m.index)) starts.push(start);
  }
  return starts;
}

export function splitSentences(text: string): string[] {
  const starts = sentenceStarts(text);
  return starts.map((s, i) => text.slice(s, starts[i + 1] ?? text.length).trim()).filter(Boolean);
}
