import { buildKeyTable, keyIndex, type KeyIndex, type KeyTable } from '../store/key-index.ts';
import { fold } from './tokenize.ts';

/**
 * Spelling correction against a collection's own vocabulary, SymSpell-style
 * (Garbe 2012): every word is stored under itself and each of its one-letter
 * deletions, so a typed word's candidates are found by looking up its own
 * deletions, without scanning the vocabulary. Two words within one edit
 * (insertion, deletion, substitution or swap of neighbours) always share a key;
 * a query's two-letter deletions against the stored one-letter ones reach most
 * two-edit typos of long words as well, at a tenth of the stored keys.
 */
export interface Vocabulary {
  words: string[];
  /** Documents holding each word. */
  df: Uint32Array;
}

/** A stored spelling index: the vocabulary and the sorted table of its deletion keys. */
export interface SpellingData extends Vocabulary {
  keys: KeyTable;
}

export interface Suggestion {
  word: string;
  distance: number;
  df: number;
}

export interface SpellingIndex {
  /** Documents holding the word (folded, as `vocabularyWords` yields it); 0 for an unknown word. */
  df(word: string): number;
  /** The most frequent known word at the smallest distance allowed for the word's length, if any. */
  suggest(word: string): Suggestion | null;
  /** Two known words that the typed one joins ("pointcloud" → ["point", "cloud"]), the pair whose rarer word is most frequent. */
  split(word: string): [string, string] | null;
}

/**
 * Edits allowed by word length, as in Typesense and Meilisearch: none below 5
 * letters (short words have too many neighbours), one from 5, two from 9.
 */
export function maxEdits(length: number): number {
  return length >= 9 ? 2 : length >= 5 ? 1 : 0;
}

/**
 * A collection's vocabulary is capped to its most frequent words: at a million
 * papers the rare tail is mostly names and typos of the papers themselves, and
 * every stored word costs its length in keys.
 */
const MAX_WORDS = 500_000;
/** Shortest word stored, and shortest part of a split word: "re" + "ionization" is noise. */
const MIN_WORD = 2;
const MIN_PART = 3;
/** Each part of a split must be this common: a rare three-letter word turns "merger" into "mer ger". */
const MIN_SPLIT_DF = 3;

/** The letters-only words of a text, folded (lower case, no accents), hyphenated words in their parts. */
export function vocabularyWords(text: string): string[] {
  return fold(text).match(/\p{L}+/gu) ?? [];
}

/** The words of the documents and how many documents hold each, most frequent first. */
export function buildVocabulary(texts: Iterable<string>): Vocabulary {
  const counts = new Map<string, number>();
  for (const text of texts) for (const w of new Set(vocabularyWords(text))) if (w.length >= MIN_WORD) counts.set(w, (counts.get(w) ?? 0) + 1);
  const sorted = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, MAX_WORDS);
  return { words: sorted.map(([w]) => w), df: Uint32Array.from(sorted, ([, n]) => n) };
}

function deletions(word: string): string[] {
  const out = new Set<string>();
  for (let i = 0; i < word.length; i++) out.add(word.slice(0, i) + word.slice(i + 1));
  return [...out];
}

/** A word's keys in the table: itself and its one-letter deletions. */
function keysOfWord(word: string): string[] {
  return [word, ...deletions(word)];
}

export function buildSpellingData(vocabulary: Vocabulary): SpellingData {
  return { ...vocabulary, keys: buildKeyTable(vocabulary.words.length, (i) => keysOfWord(vocabulary.words[i])) };
}

/** Optimal string alignment distance: Levenshtein plus swaps of neighbouring letters, the commonest typo. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let before = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) cur[j] = Math.min(cur[j], before[j - 2] + 1);
      best = Math.min(best, cur[j]);
    }
    // Every later row is at least this row's best: stop once it is out of reach.
    if (best > max) return max + 1;
    [before, prev, cur] = [prev, cur, before];
  }
  return prev[b.length];
}

export function spellingIndex(data: SpellingData): SpellingIndex {
  const table: KeyIndex = keyIndex(data.keys, (i) => keysOfWord(data.words[i]));
  const idOf = (word: string) => table.lookup(word).find((i) => data.words[i] === word);
  const df = (word: string) => {
    const id = idOf(word);
    return id === undefined ? 0 : data.df[id];
  };

  return {
    df,
    suggest(word) {
      const max = maxEdits(word.length);
      if (max === 0) return null;
      const probes = new Set([word, ...deletions(word)]);
      if (max > 1) for (const d of deletions(word)) for (const dd of deletions(d)) probes.add(dd);
      let best: Suggestion | null = null;
      for (const probe of probes) {
        for (const id of table.lookup(probe)) {
          const candidate = data.words[id];
          if (candidate === word) continue;
          const distance = editDistance(word, candidate, max);
          if (distance > max) continue;
          if (!best || distance < best.distance || (distance === best.distance && data.df[id] > best.df)) best = { word: candidate, distance, df: data.df[id] };
        }
      }
      return best;
    },
    split(word) {
      let best: [string, string] | null = null;
      let bestDf = 0;
      for (let i = MIN_PART; i <= word.length - MIN_PART; i++) {
        const rarer = Math.min(df(word.slice(0, i)), df(word.slice(i)));
        if (rarer >= MIN_SPLIT_DF && rarer > bestDf) [best, bestDf] = [[word.slice(0, i), word.slice(i)], rarer];
      }
      return best;
    },
  };
}
