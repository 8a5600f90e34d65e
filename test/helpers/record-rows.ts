import { l2normalize } from '../../src/embed/embedder.ts';
import type { PaperRow } from '../../src/store/papers-table.ts';

/** Dimension of the synthetic vectors: small, since no model is involved. */
export const RECORD_DIM = 16;
const TOPICS = ['graph neural networks', 'dark matter halos', 'protein folding', 'speech recognition'];

/**
 * A row of the store of record as a committer writes it, with a synthetic
 * vector instead of an embedding (the builder only reads it): paper `r-<n>`,
 * whose content and vector change with `revision`.
 */
export function recordRow(n: number, revision = 0): PaperRow {
  const v = new Float32Array(RECORD_DIM);
  for (let i = 0; i < RECORD_DIM; i++) v[i] = Math.sin(n * 7 + i * 3 + revision) + (i === n % RECORD_DIM ? 2 : 0);
  const topic = TOPICS[n % TOPICS.length]!;
  return {
    paper: {
      id: `r-${n}`,
      title: `${revision ? 'Revised: ' : ''}On ${topic}, part ${n}`,
      abstract: `We study ${topic} in setting ${n} and report what changes when the data grows.`,
      authors: ['Ada Lovelace'],
      year: 2020 + (n % 5),
      date: null,
      categories: ['cs.LG'],
      url: null,
      source: 'api',
      contentHash: `h${n}-${revision}`,
    },
    vector: l2normalize(v),
  };
}

export const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
