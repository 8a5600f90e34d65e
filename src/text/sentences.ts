/** A sentence ends at . ! or ? followed by space and a capital, digit or bracket: "e.g. the" and "3.5 mg" stay whole. */
const SENTENCE_END = /(?<=[.!?])\s+(?=[A-Z0-9(\[])/;

export function splitSentences(text: string): string[] {
  return text.split(SENTENCE_END).map((s) => s.trim()).filter(Boolean);
}
