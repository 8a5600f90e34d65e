/**
 * Leave-one-out cross-validation of a choice among settings: for each query,
 * the setting with the best mean on the other queries is chosen and scored on
 * the held-out one. The mean of those held-out scores estimates what choosing
 * by the development queries is worth on unseen ones; the fitted figure (the
 * best setting's mean on every query) is what tuning on them reports.
 */
export interface CrossValidation {
  /** Index of the setting with the best mean over every query, and that mean. */
  fitted: { setting: number; mean: number };
  /** Mean over queries of the held-out score of the setting chosen without them. */
  crossValidated: number;
  /** How often each setting was chosen across the folds. */
  chosen: number[];
}

/** `scores[setting][query]`: one score per query under each setting. */
export function leaveOneOut(scores: number[][]): CrossValidation {
  const queries = scores[0]?.length ?? 0;
  const sums = scores.map((row) => row.reduce((a, b) => a + b, 0));
  const best = (exclude: number) => {
    let pick = 0;
    sums.forEach((sum, s) => {
      const value = exclude < 0 ? sum : sum - scores[s][exclude];
      const current = exclude < 0 ? sums[pick] : sums[pick] - scores[pick][exclude];
      if (value > current + 1e-12) pick = s;
    });
    return pick;
  };
  const chosen = scores.map(() => 0);
  let held = 0;
  for (let q = 0; q < queries; q++) {
    const s = best(q);
    chosen[s]++;
    held += scores[s][q];
  }
  const fitted = best(-1);
  return { fitted: { setting: fitted, mean: queries ? sums[fitted] / queries : 0 }, crossValidated: queries ? held / queries : 0, chosen };
}
