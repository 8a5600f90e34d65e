import type { KeywordIndex, WeightedTerms } from './keyword-index.ts';
import { tokenize } from '../text/tokenize.ts';
import { splitSentences } from '../text/sentences.ts';

/**
 * tf·idf cosine between the query and a paper's best-matching sentence (its
 * title counts as one). A claim often restates a single sentence of the
 * abstract, which a whole-abstract score dilutes: as a fusion signal it lifted
 * SciFact dev by ~0.005 nDCG@10 (docs/evaluation.md).
 */
export interface SentenceIndex {
  /** Scores papers by label against one query. */
  scorer(query: WeightedTerms): (label: number) => number;
}

interface Sentence {
  terms: string[];
  /** tf·idf of each term, already divided by the sentence's norm. */
  weights: Float64Array;
}

/**
 * Papers' sentences, tokenized and weighted on first use and kept in an LRU:
 * tokenizing an abstract costs ~0.2 ms and a search reads up to 100 of them,
 * while the candidates of one topic's queries overlap.
 */
const CACHED_PAPERS = 20_000;

export function sentenceIndex(keyword: KeywordIndex, paperOf: (label: number) => { title: string; abstract: string }, capacity = CACHED_PAPERS): SentenceIndex {
  const cache = new Map<number, Sentence[]>();

  const weigh = (text: string): Sentence | null => {
    const counts = new Map<string, number>();
    for (const t of tokenize(text)) counts.set(t, (counts.get(t) ?? 0) + 1);
    const terms = [...counts.keys()];
    const weights = Float64Array.from(terms, (t) => counts.get(t)! * keyword.idf(t));
    const norm = Math.hypot(...weights);
    return norm ? { terms, weights: weights.map((w) => w / norm) } : null;
  };

  const sentencesOf = (label: number): Sentence[] => {
    let sentences = cache.get(label);
    if (sentences) {
      cache.delete(label);
    } else {
      const paper = paperOf(label);
      sentences = [paper.title, ...splitSentences(paper.abstract)].map(weigh).filter((s): s is Sentence => s !== null);
      if (cache.size >= capacity) cache.delete(cache.keys().next().value!);
    }
    cache.set(label, sentences);
    return sentences;
  };

  return {
    scorer(query) {
      const weights = new Map([...query].map(([term, qw]) => [term, qw * keyword.idf(term)]));
      const norm = Math.hypot(...weights.values());
      return (label) => {
        if (!norm) return 0;
        let best = 0;
        for (const s of sentencesOf(label)) {
          let dot = 0;
          for (let i = 0; i < s.terms.length; i++) dot += (weights.get(s.terms[i]) ?? 0) * s.weights[i];
          if (dot > best) best = dot;
        }
        return best / norm;
      };
    },
  };
}
