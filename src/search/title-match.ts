import type { SearchIndex } from '../store/load-index.ts';
import { normalizeTitleKey } from '../text/normalize.ts';
import { tokenize } from '../text/tokenize.ts';
import { termWeights } from './keyword-index.ts';

/** Titles read from the keyword index when no stored name key matches exactly. */
const CANDIDATES = 10;

/**
 * A title with case, accents, punctuation and spacing all ignored: "Pretraining"
 * and "Pre-training", "3D" and "3 D", "Towards" after a colon or a dash are one.
 */
export const compactTitle = (title: string) => normalizeTitleKey(title).replace(/ /g, '');

/**
 * A paper by its title as someone else wrote it: first the stored name keys
 * (full title, or the short name before a colon), then the best keyword
 * matches, accepted only when their compact title is the same. Never a
 * merely similar paper: the widget must show the related papers of this one.
 */
export function findByTitle(index: SearchIndex, title: string): number | undefined {
  const exact = index.names.resolve(title);
  if (exact.length) return exact[0];
  const wanted = compactTitle(title);
  if (!wanted) return undefined;
  return index.keyword.search(termWeights(tokenize(title)), CANDIDATES).find(({ doc }) => compactTitle(index.papers.title(doc)) === wanted)?.doc;
}
