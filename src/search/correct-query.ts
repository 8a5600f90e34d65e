import { maxEdits, type SpellingIndex } from '../text/spelling.ts';
import type { KeywordIndex } from './keyword-index.ts';
import { fold, tokenize } from '../text/tokenize.ts';
import { STOP_WORDS } from '../text/stop-words.ts';

/**
 * A query with its misspelt words replaced from the collection's own
 * vocabulary, or null when nothing needed correcting. A word the collection
 * knows is never replaced, in any inflection ("segmentations" is known through
 * "segment"); an unknown one is joined with its neighbour when the two make a
 * known word ("point cloud" typed "pointc loud"), else replaced by the most
 * frequent word within the edits its length allows, or split in two known words
 * ("pointcloud" → "point cloud"), whichever is more common.
 */
export function correctQuery(text: string, spelling: SpellingIndex, keyword: KeywordIndex): string | null {
  const matches = [...text.matchAll(/[\p{L}\p{N}]+/gu)].map((m) => ({ raw: m[0], at: m.index, word: fold(m[0]) }));
  // Codes and names ("50s", "ComYMV", "iPSC") are not words to correct; neither are words too short for an edit.
  const correctable = (raw: string) => maxEdits(raw.length) > 0 && /^\p{L}\p{Ll}*$/u.test(raw);
  const known = (word: string) => STOP_WORDS.has(word) || spelling.df(word) > 0 || tokenize(word).some((t) => keyword.docFreq(t) > 0);
  // Only a word that would be corrected on its own makes a pair worth joining: "T cell" is not "tcell".
  const misspelt = (m: { raw: string; word: string }) => correctable(m.raw) && !known(m.word);
  const edits: { at: number; end: number; to: string }[] = [];
  for (let i = 0; i < matches.length; i++) {
    const m = matches[i];
    const next = matches[i + 1];
    const adjacent = next && /^\s+$/.test(text.slice(m.at + m.raw.length, next.at));
    const joinable = adjacent && correctable(m.raw + next.raw) && /^\p{L}+$/u.test(m.raw + next.raw);
    if (joinable && (misspelt(m) || misspelt(next)) && spelling.df(m.word + next.word) > 0) {
      edits.push({ at: m.at, end: next.at + next.raw.length, to: m.word + next.word });
      i++;
      continue;
    }
    if (!misspelt(m)) continue;
    const suggestion = spelling.suggest(m.word);
    const split = spelling.split(m.word);
    const splitDf = split ? Math.min(spelling.df(split[0]), spelling.df(split[1])) : 0;
    const to = split && splitDf >= (suggestion?.df ?? 0) ? split.join(' ') : suggestion?.word;
    if (to) edits.push({ at: m.at, end: m.at + m.raw.length, to });
  }
  if (!edits.length) return null;
  let out = '';
  let from = 0;
  for (const e of edits) {
    out += text.slice(from, e.at) + e.to;
    from = e.end;
  }
  return out + text.slice(from);
}
