import type { SearchIndex } from '../store/load-index.ts';
import type { KeywordMatch, WeightedTerms } from './keyword-index.ts';
import type { Signals } from './fuse.ts';

/** At the default weights, sentence scores for the best 20 / 50 / 100 / all keyword matches gave SciFact 0.7177 / 0.7190 / 0.7203 / 0.7191 nDCG@10 (docs/evaluation.md). */
const SENTENCE_DEPTH = 100;

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i] * b[i];
  return dot;
}

/**
 * The four fusion signals of each candidate; a paper that holds no query term
 * scores 0 on the keyword ones. Only the SENTENCE_DEPTH best keyword matches
 * are read sentence by sentence, the costliest signal.
 */
export function candidateSignals(index: SearchIndex, labels: number[], matches: Map<number, KeywordMatch>, terms: WeightedTerms, vector: Float32Array): Signals {
  const n = labels.length;
  const signals: Signals = { keyword: new Float64Array(n), semantic: new Float64Array(n), coverage: new Float64Array(n), sentence: new Float64Array(n) };
  labels.forEach((label, i) => {
    const m = matches.get(label);
    signals.semantic[i] = cosine(vector, index.vector(label));
    if (!m) return;
    signals.keyword[i] = m.score;
    signals.coverage[i] = m.coverage;
  });
  const byKeyword = labels.map((_, i) => i).sort((a, b) => signals.keyword[b] - signals.keyword[a]).slice(0, SENTENCE_DEPTH);
  const bestSentence = index.sentences.scorer(terms);
  for (const i of byKeyword) if (signals.keyword[i] > 0) signals.sentence[i] = bestSentence(labels[i]);
  return signals;
}
