import { describe, expect, it } from 'vitest';
import { fuse, fuseSignals, DEFAULT_FUSION, DEFAULT_SIMILAR_FUSION } from '../src/search/fuse.ts';
import { buildKeywordIndex, termWeights } from '../src/search/keyword-index.ts';
import { sentenceIndex } from '../src/search/best-sentence.ts';
import { tokenize } from '../src/text/tokenize.ts';

describe('z-score fusion', () => {
  it('sums the weighted z-scores of each signal (worked by hand)', () => {
    // keyword 3,1,2 → z 1.2247, -1.2247, 0; semantic 0,0,3 → z -0.7071, -0.7071, 1.4142; coverage and sentence constant → 0.
    const signals = { keyword: Float64Array.of(3, 1, 2), semantic: Float64Array.of(0, 0, 3), coverage: Float64Array.of(1, 1, 1), sentence: Float64Array.of(0.5, 0.5, 0.5) };
    const params = { ...DEFAULT_FUSION, semanticWeight: 0.5, coverageWeight: 0.1, sentenceWeight: 0.1 };
    const ranked = fuseSignals([10, 11, 12], signals, params);
    // 12: 0.3·0 + 0.5·1.4142 = 0.7071; 10: 0.3·1.2247 − 0.5·0.7071 = 0.0139; 11: −0.3674 − 0.3536 = −0.7210.
    expect(ranked.map((r) => r.label)).toEqual([12, 10, 11]);
    expect(ranked.map((r) => r.score)).toEqual([expect.closeTo(0.7071, 4), expect.closeTo(0.0139, 4), expect.closeTo(-0.721, 3)]);
  });

  it('is not applied to bare lists by mistake', () => {
    expect(() => fuse([{ label: 1, score: 1 }], [], DEFAULT_FUSION)).toThrow(/fuseSignals/);
    expect(fuse([{ label: 1, score: 2 }, { label: 2, score: 1 }], [{ label: 2, score: 0.9 }], DEFAULT_SIMILAR_FUSION).map((r) => r.label)).toEqual([1, 2]);
  });
});

describe('keyword signals', () => {
  const docs = [
    { title: 'Machine unlearning', abstract: 'We remove training data from a trained model. Forgetting is verified.' },
    { title: 'Image models', abstract: 'A trained model classifies images.' },
    { title: 'Unrelated', abstract: 'Galaxies form early.' },
  ];
  const index = buildKeywordIndex(docs);

  it('coverage is the share of the query\'s weight × idf a paper holds', () => {
    const query = termWeights(tokenize('unlearning trained model'));
    const matches = index.match(query);
    const [unlearning, trained, model] = ['unlearn', 'train', 'model'].map((t) => index.idf(t));
    expect(matches.get(0)!.coverage).toBeCloseTo(1, 9);
    expect(matches.get(1)!.coverage).toBeCloseTo((trained + model) / (unlearning + trained + model), 9);
    expect(matches.has(2)).toBe(false);
    expect(index.search(query, 1)[0]).toEqual({ doc: 0, score: matches.get(0)!.score });
  });

  it('scores a paper by its best-matching sentence', () => {
    const query = termWeights(tokenize('forgetting is verified'));
    const read: number[] = [];
    const sentences = sentenceIndex(index, (label) => (read.push(label), docs[label]), 2);
    const best = sentences.scorer(query);
    // The last sentence holds exactly the query's terms ("is" is a stop word): cosine 1.
    expect(best(0)).toBeCloseTo(1, 9);
    expect(best(1)).toBe(0);
    // Against "unlearning trained model": the title "Machine unlearning" (machin, unlearn) beats
    // "We remove training data from a trained model" (remov, train ×2, data, model).
    const [machine, unlearn, remove, data, train, model] = ['machin', 'unlearn', 'remov', 'data', 'train', 'model'].map((t) => index.idf(t));
    const queryNorm = Math.hypot(unlearn, train, model);
    const title = (unlearn * unlearn) / (Math.hypot(machine, unlearn) * queryNorm);
    const second = (train * 2 * train + model * model) / (Math.hypot(remove, 2 * train, data, model) * queryNorm);
    expect(title).toBeGreaterThan(second);
    expect(sentences.scorer(termWeights(tokenize('unlearning trained model')))(0)).toBeCloseTo(title, 9);
    // Papers are read once while cached; a third paper evicts the least recently used (1: paper 0 was just scored again).
    best(2);
    best(0);
    best(1);
    expect(read).toEqual([0, 1, 2, 1]);
  });
});
