/**
 * How well a paper matches, on one 0–1 scale for every endpoint: the share of
 * the query's information the paper holds, each query term counted by its
 * weight × idf. It means the same on ten papers or a million (unlike a BM25
 * score, which grows with the query's length and the collection's statistics),
 * and a term the collection does not know counts against every paper, so
 * gibberish matches nothing. For similar papers the query is the reference
 * paper's distinctive terms ("more like this").
 */
export type Match = 'strong' | 'weak' | 'none';

/**
 * Thresholds on the score. A strong match holds at least STRONG of the query's
 * information and two of its words together (together.ts); below WEAK a paper
 * holds too little of the query to be worth showing. Both were chosen on
 * SciFact's development claims and out-of-domain titles, and checked on halves
 * neither was chosen on (docs/evaluation.md): ≤ 5% of real claims get a
 * non-strong answer, ~9 in 10 out-of-domain titles do.
 */
export const STRONG = 0.28;
export const WEAK = 0.1;

/** The results an answer's own confidence is read from: the first page, whatever page was asked for. */
export const ANSWER_DEPTH = 10;

export function matchOf(score: number, together = true): Match {
  return score >= STRONG && together ? 'strong' : score >= WEAK ? 'weak' : 'none';
}

const RANK: Record<Match, number> = { none: 0, weak: 1, strong: 2 };

/** An answer is as strong as the best of its first results. */
export function answerMatch(matches: Match[]): Match {
  return matches.slice(0, ANSWER_DEPTH).reduce<Match>((best, m) => (RANK[m] > RANK[best] ? m : best), 'none');
}
