import { describe, expect, it } from 'vitest';
import { buildKeywordIndex, termWeights } from '../src/search/keyword-index.ts';
import { expandQuery } from '../src/search/feedback.ts';
import { tokenize } from '../src/text/tokenize.ts';

const docs = [
  { title: 'Cancer growth', abstract: 'Tumour cells grow in cancer tissue.' },
  { title: 'Cancer therapy', abstract: 'Chemotherapy shrinks the tumour.' },
  { title: 'Tumour imaging', abstract: 'Imaging finds each tumour early.' },
  { title: 'Bird migration', abstract: 'Birds fly south in winter.' },
  { title: 'Winter birds', abstract: 'Some birds stay for the winter.' },
];

describe('expandQuery (RM3)', () => {
  const keyword = buildKeywordIndex(docs);
  const query = termWeights(tokenize('cancer'));
  const params = { docs: 2, terms: 3, originalWeight: 0.6 };

  it('adds the terms the top hits share, so that a paper without the query word is found', () => {
    const expanded = expandQuery(keyword, query, keyword.search(query, 2), params);
    expect(expanded.get(tokenize('tumour')[0])).toBeGreaterThan(0);
    expect(keyword.search(query, 5).map((h) => h.doc)).not.toContain(2);
    expect(keyword.search(expanded, 5).map((h) => h.doc)).toContain(2);
    expect(expanded.has(tokenize('birds')[0])).toBe(false);
  });

  it('keeps the original terms ahead and splits the weight by originalWeight', () => {
    const expanded = expandQuery(keyword, query, keyword.search(query, 2), params);
    const total = [...expanded.values()].reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(1);
    expect(expanded.get('cancer')).toBeGreaterThanOrEqual(0.6);
  });

  it('returns the query unchanged without hits', () => {
    expect(expandQuery(keyword, query, [], params)).toBe(query);
  });
});
