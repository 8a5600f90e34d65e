import { stemmer } from 'stemmer';
import { STOP_WORDS } from './stop-words.ts';

/**
 * Tokenizer for scientific text, shared by keyword search, "more like this"
 * and topic labels so that all three agree on what a term is.
 * - case folded, accents stripped;
 * - hyphenated and alphanumeric names ("ULIP-2", "3D", "GPT-4o", "BigNAS") are kept
 *   whole as one term ("ulip2", "3d") and also split into their parts, so "ULIP"
 *   matches "ULIP-2" while "ULIP-2" ranks its exact form first;
 * - English stop words dropped; Porter stemming folds plurals and inflections.
 */
export const WORD = /[\p{L}\p{N}]+(?:[-'’][\p{L}\p{N}]+)*/gu;

/** Lower case without accents: how the index, the spelling vocabulary and queries compare words. */
export function fold(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Porter stemming dominates tokenizing (snippets re-tokenize every hit), and a corpus repeats its words. */
const stems = new Map<string, string>();
const MAX_CACHED_STEMS = 200_000;

function stem(word: string): string {
  // Numbers and short alphanumeric codes ("3d", "h2o") are names, not English words.
  if (/\d/.test(word) || word.length <= 3) return word;
  let s = stems.get(word);
  if (s === undefined) {
    if (stems.size >= MAX_CACHED_STEMS) stems.clear();
    stems.set(word, (s = stemmer(word)));
  }
  return s;
}

/** Appends the terms of one word (a hyphenated name gives its whole form and its parts). */
function termsOfWord(word: string, out: string[]): void {
  const raw = word.replace(/['’]s$/, '');
  const parts = raw.split(/[-'’]/).filter(Boolean);
  if (parts.length > 1) {
    out.push(parts.join(''));
    for (const p of parts) if (!STOP_WORDS.has(p) && p.length > 1) out.push(stem(p));
  } else if (!STOP_WORDS.has(raw) && (raw.length > 1 || /\d/.test(raw))) {
    out.push(stem(raw));
  }
}

export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const match of fold(text).matchAll(WORD)) termsOfWord(match[0], out);
  return out;
}

/** The terms of each content word, word by word (stop words dropped): where word order and distance matter. */
export function tokenizeWords(text: string): string[][] {
  const out: string[][] = [];
  for (const match of fold(text).matchAll(WORD)) {
    const terms: string[] = [];
    termsOfWord(match[0], terms);
    if (terms.length) out.push(terms);
  }
  return out;
}

/** Plain words for display (labels, highlighting): folded, no stemming. */
export function words(text: string): string[] {
  return [...fold(text).matchAll(WORD)].map((m) => m[0]);
}
