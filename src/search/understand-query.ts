/**
 * Splits a natural-language query into the papers it names and the topic it
 * asks about: "papers like ULIP about 3D point clouds" → like "ULIP", about
 * "3D point clouds"; "similar to BigNAS" → like "BigNAS"; "like ULIP-2 but for
 * images" → like "ULIP-2", about "images".
 *
 * Titles contain the same small words that separate name from topic ("... Point
 * Clouds for 3D Understanding"), so parsing yields every possible split, longest
 * name first, and the caller keeps the first whose name resolves to papers.
 */
export interface QuerySplit {
  /** Reference paper names, as typed (several when joined by "and" or commas). */
  names: string[];
  about: string;
}

export interface ParsedQuery {
  /** The query with whitespace and trailing punctuation tidied. */
  text: string;
  /** Empty when the query names no paper. */
  splits: QuerySplit[];
}

const LEAD = /^(?:(?:find|show(?: me)?|give me|get|search(?: for)?|list)\s+)?(?:(?:other |more )?(?:papers?|works?|articles?|research|publications?)\s+)?(?:(?:that are|which are)\s+)?(?:similar to|related to|like|resembling|more like)\s+/i;
const SEPARATOR = /\s+(?:but\s+)?(?:about|on|for|regarding|concerning|applied to|in|with|using|focused on|focusing on)\s+/gi;

function unquote(s: string): string {
  return s.replace(/^["'“”‘’]+|["'“”‘’]+$/g, '').trim();
}

/** "X and Y", "X, Y" name two papers; a single name is tried whole first. */
function namesIn(text: string): string[][] {
  const whole = [unquote(text)];
  const parts = text.split(/\s*(?:,|\band\b|&)\s*/i).map(unquote).filter(Boolean);
  return parts.length > 1 ? [whole, parts] : [whole];
}

export function parseQuery(query: string): ParsedQuery {
  const text = query.trim().replace(/\s+/g, ' ').replace(/[?.!]+$/, '');
  const lead = LEAD.exec(text);
  if (!lead) return { text, splits: [] };
  const rest = text.slice(lead[0].length);
  const cuts: { name: string; about: string }[] = [{ name: rest, about: '' }];
  for (const m of [...rest.matchAll(SEPARATOR)].reverse()) {
    cuts.push({ name: rest.slice(0, m.index), about: rest.slice(m.index + m[0].length) });
  }
  const splits = cuts.flatMap(({ name, about }) => namesIn(name).map((names) => ({ names, about: about.trim() })));
  return { text, splits: splits.filter((s) => s.names.length > 0 && s.names.every(Boolean)) };
}
