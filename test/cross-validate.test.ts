import { describe, expect, it } from 'vitest';
import { leaveOneOut } from '../bench/cross-validate.ts';

describe('leave-one-out choice of a setting', () => {
  it('scores each query with the setting chosen on the others (worked by hand)', () => {
    // Setting 0 wins on queries 0 and 1, setting 1 on query 2 by a wide margin, which fits it overall.
    const scores = [
      [0.6, 0.6, 0.0],
      [0.5, 0.5, 0.9],
    ];
    const cv = leaveOneOut(scores);
    expect(cv.fitted).toEqual({ setting: 1, mean: expect.closeTo(1.9 / 3, 9) });
    // Without query 0: sums 0.6 vs 1.4 → setting 1 (0.5); without 1: same → 0.5; without 2: 1.2 vs 1.0 → setting 0 (0.0).
    expect(cv.crossValidated).toBeCloseTo((0.5 + 0.5 + 0.0) / 3, 9);
    expect(cv.chosen).toEqual([1, 2]);
  });
});
