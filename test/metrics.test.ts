import { describe, expect, it } from 'vitest';
import { averagePrecisionAt, csfcubeAveragePrecision, csfcubeNdcg20, mrrAt, ndcgAt, recallAt } from '../bench/metrics.ts';

// One query: b (grade 1), d (grade 2) and e (grade 1) are relevant; e is never retrieved.
const ranking = ['a', 'b', 'c', 'd'];
const relevant = new Map([
  ['b', 1],
  ['d', 2],
  ['e', 1],
  ['x', 0],
]);

describe('BEIR metrics (pytrec_eval definitions)', () => {
  it('nDCG@k on a hand-worked ranking', () => {
    // DCG@3 = 0/log2(2) + 1/log2(3) + 0/log2(4) = 0.630930
    // IDCG@3 (grades 2,1,1) = 2/log2(2) + 1/log2(3) + 1/log2(4) = 2 + 0.630930 + 0.5 = 3.130930
    // nDCG@3 = 0.630930 / 3.130930 = 0.201515
    expect(ndcgAt(3, ranking, relevant)).toBeCloseTo(0.201515, 5);
    // DCG@4 adds d: 2/log2(5) = 0.861353 → 1.492283; IDCG@4 is still 3.130930 (3 relevant) → 0.476626
    expect(ndcgAt(4, ranking, relevant)).toBeCloseTo(0.476626, 5);
    expect(ndcgAt(10, ['b', 'd', 'e'], relevant)).toBeLessThan(1);
    expect(ndcgAt(10, ['d', 'b', 'e'], relevant)).toBeCloseTo(1, 10);
  });

  it('average precision counts unretrieved relevant documents as zero', () => {
    // b at rank 2: P = 1/2; d at rank 4: P = 2/4; e missing: 0. AP = (0.5 + 0.5) / 3 = 0.333333
    expect(averagePrecisionAt(100, ranking, relevant)).toBeCloseTo(1 / 3, 10);
    // Cut at 3: only b counts → 0.5 / 3
    expect(averagePrecisionAt(3, ranking, relevant)).toBeCloseTo(0.5 / 3, 10);
  });

  it('recall and reciprocal rank', () => {
    expect(recallAt(100, ranking, relevant)).toBeCloseTo(2 / 3, 10);
    expect(recallAt(3, ranking, relevant)).toBeCloseTo(1 / 3, 10);
    expect(mrrAt(10, ranking, relevant)).toBe(0.5);
    expect(mrrAt(1, ranking, relevant)).toBe(0);
  });

  it('a query with no relevant documents scores 0, not NaN', () => {
    const none = new Map([['a', 0]]);
    expect(ndcgAt(10, ranking, none)).toBe(0);
    expect(averagePrecisionAt(100, ranking, none)).toBe(0);
    expect(recallAt(100, ranking, none)).toBe(0);
  });
});

describe('CSFCube metrics', () => {
  // A pool of 15: p1 grade 3, p2 grade 2, p3 grade 1, twelve papers of grade 0.
  const pool = new Map<string, number>([
    ['p1', 3],
    ['p2', 2],
    ['p3', 1],
    ...Array.from({ length: 12 }, (_, i) => [`z${i}`, 0] as [string, number]),
  ]);
  const ranked = ['p2', 'z0', 'p1', 'p3', ...Array.from({ length: 11 }, (_, i) => `z${i + 1}`)];

  it('MAP counts grade ≥ 2 as relevant over the whole pool', () => {
    // p2 at rank 1: P = 1; p1 at rank 3: P = 2/3; p3 (grade 1) does not count. AP = (1 + 2/3) / 2 = 0.833333
    expect(csfcubeAveragePrecision(ranked, pool)).toBeCloseTo(5 / 6, 10);
  });

  it('NDCG%20 cuts at 20% of the pool with rank 1 undiscounted', () => {
    // k = floor(0.2 × 15) = 3. DCG = 2 + 0/log2(2) + 3/log2(3) = 3.892789
    // ideal (3, 2, 1) = 3 + 2/log2(2) + 1/log2(3) = 5.630930 → 0.691323
    expect(csfcubeNdcg20(ranked, pool)).toBeCloseTo(0.691323, 5);
    expect(csfcubeNdcg20(['p1', 'p2', 'p3'], pool)).toBeCloseTo(1, 10);
  });
});
