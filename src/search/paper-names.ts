import { normalizeTitleKey } from '../text/normalize.ts';
import type { KeyIndex } from '../store/key-index.ts';
import type { SearchIndex } from '../store/load-index.ts';
import { tokenize } from '../text/tokenize.ts';
import { termWeights } from './keyword-index.ts';

/**
 * Finds papers by the name a user gives them: the full title, or the short name
 * before the colon ("ULIP" for "ULIP: Learning a Unified Representation ...",
 * "BigNAS" for "BigNAS: Scaling Up ...").
 */
export interface PaperNameIndex {
  resolve(name: string): number[];
}

/** Short names are at most this many words; longer colon prefixes are not names. */
const MAX_NAME_WORDS = 5;

/** The keys a paper is found by: its whole title, and its short name when the title has one. */
export function paperNameKeys(title: string): string[] {
  const keys = [normalizeTitleKey(title)];
  const colon = title.indexOf(':');
  if (colon > 0) {
    const short = title.slice(0, colon);
    if (short.trim().split(/\s+/).length <= MAX_NAME_WORDS) keys.push(normalizeTitleKey(short));
  }
  return keys.filter((key, i) => key && keys.indexOf(key) === i);
}

/** Resolves a name through the papers' stored name keys. */
export function paperNameIndex(byName: KeyIndex): PaperNameIndex {
  return { resolve: (name) => byName.lookup(normalizeTitleKey(name)) };
}

/** A partial name needs this many words: one word inside a title ("transformers") names a topic, not a paper. */
const MIN_PARTIAL_WORDS = 2;

/**
 * A paper named by part of its title ("Model Cards" for "Model Cards for Model
 * Reporting"): resolved only when exactly one title holds the name's words in
 * order, so a phrase that many titles share stays a topic.
 */
export function resolvePartialName(index: SearchIndex, name: string): number[] {
  const key = normalizeTitleKey(name);
  const tokens = tokenize(name);
  if (key.split(' ').length < MIN_PARTIAL_WORDS || !tokens.length) return [];
  const found: number[] = [];
  for (const [label, m] of index.keyword.match(termWeights(tokens))) {
    if (m.coverage < 1 - 1e-9 || !` ${normalizeTitleKey(index.papers.title(label))} `.includes(` ${key} `)) continue;
    found.push(label);
    if (found.length > 1) return [];
  }
  return found;
}
