import { normalizeTitleKey } from '../text/normalize.ts';
import type { KeyIndex } from '../store/key-index.ts';

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
