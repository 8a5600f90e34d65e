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
 * Thresholds on the score. STRONG is set so that ≤ 5% of SciFact's development
 * claims get a non-strong answer while most out-of-domain queries do
 * (docs/evaluation.md has the split they were checked on); below WEAK a paper
 * holds too little of the query to be worth showing.
 */
export const STRONG = 0.35;
export const WEAK = 0.1;

/** The results an answer's own confidence is read from: the first page, whatever page was asked for. */
export const ANSWER_DEPTH = 10;

export function matchOf(score: number): Match {
  return score >= STRONG ? 'strong' : score >= WEAK ? 'weak' : 'none';
}

/** An answer is as strong as the best of its first results. */
export function answerMatch(scores: number[]): Match {
  return matchOf(Math.max(0, ...scores.slice(0, ANSWER_DEPTH)));
}
