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

/**
 * How people phrase a request around its topic ("how do …", "what is the best
 * way to …", "I'm looking for work on …", "papers about …"): not part of what
 * is searched for. Stripped from the front, a few times over ("can you find
 * papers about …").
 */
const WRAPPERS = [
  /^(?:please|can you|could you|would you)\s+/i,
  /^(?:i'?m|i am|we'?re|we are)\s+(?:looking|searching)\s+for\s+/i,
  /^(?:i|we)\s+(?:want|need|would like)\s+(?:to\s+(?:find|read|know about|learn about)\s+)?/i,
  /^(?:are|is)\s+there\s+(?:any\s+)?/i,
  /^(?:what|which)\s+(?:is|are)\s+(?:the\s+)?(?:(?:best|good|main|recent|latest|common|usual|standard)\s+)?(?:ways?|approach(?:es)?|methods?|techniques?)\s+(?:to|for|of)\s+/i,
  /^how\s+(?:do|does|did|can|could|should|would|to|is|are)\s+(?:(?:i|we|you|one)\s+)?/i,
  /^(?:what|which)\s+(?:is|are|do|does)\s+(?:known\s+about\s+)?/i,
  /^tell\s+me\s+about\s+/i,
  /^(?:find|show(?:\s+me)?|give\s+me|get|search(?:\s+for)?|list)\s+(?=\S+\s+(?:on|about|regarding|concerning|into)\s)/i,
  /^(?:(?:any|some|recent|new|the latest)\s+)?(?:papers?|works?|research|articles?|publications?|studies|literature)\s+(?:on|about|regarding|concerning|into)\s+/i,
];

export function stripWrappers(text: string): string {
  let out = text;
  for (let pass = 0; pass < 3; pass++) {
    const before = out;
    for (const w of WRAPPERS) out = out.replace(w, '');
    if (out === before) break;
  }
  return out.trim() || text;
}

export function parseQuery(query: string): ParsedQuery {
  const text = stripWrappers(query.trim().replace(/\s+/g, ' ').replace(/[?.!]+$/, ''));
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

/**
 * Words that carry no topic in a request ("how do LLMs *handle* long context",
 * "the *best* way to …", "papers *like* FooNet"): left out of the terms matched
 * and highlighted, so that a paper about the *handle* of a black hole does not
 * match. Kept out of STOP_WORDS because in a paper's own text some are content.
 */
const FILLER = new Set(
  `handle handles handling handled deal deals dealing cope best good better great recent latest newest way ways like similar
anything something stuff thing things know tell explain interested looking want need help`.split(/\s+/),
);

/** The query text without its filler words: what keyword search matches and the page highlights. */
export function topicText(text: string): string {
  return text.replace(/(?<![-\p{L}\p{N}])\p{L}+(?![-\p{L}\p{N}])/gu, (w) => (FILLER.has(w.toLowerCase()) ? ' ' : w)).replace(/\s+/g, ' ').trim();
}
