import { normalizeTitleKey } from '../text/normalize.ts';

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

export function buildPaperNameIndex(titles: string[]): PaperNameIndex {
  const byKey = new Map<string, number[]>();
  const add = (key: string, label: number) => {
    if (!key) return;
    const list = byKey.get(key) ?? [];
    if (!list.includes(label)) list.push(label);
    byKey.set(key, list);
  };
  titles.forEach((title, label) => {
    add(normalizeTitleKey(title), label);
    const colon = title.indexOf(':');
    if (colon > 0) {
      const short = title.slice(0, colon);
      if (short.trim().split(/\s+/).length <= MAX_NAME_WORDS) add(normalizeTitleKey(short), label);
    }
  });
  return {
    resolve(name) {
      return byKey.get(normalizeTitleKey(name)) ?? [];
    },
  };
}
