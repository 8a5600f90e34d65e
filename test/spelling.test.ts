import { describe, expect, it } from 'vitest';
import { buildSpellingData, buildVocabulary, editDistance, spellingIndex } from '../src/text/spelling.ts';
import { buildKeywordIndex } from '../src/search/keyword-index.ts';
import { correctQuery } from '../src/search/correct-query.ts';
import { CORRECTED_TERM_WEIGHT, queryTermWeights } from '../src/search/search.ts';
import { tokenize } from '../src/text/tokenize.ts';

describe('spelling index', () => {
  it('finds candidates by deletions within the edits a word length allows', () => {
    const index = spellingIndex(buildSpellingData(buildVocabulary(['point cloud segmentation', 'point clouds', 'a point cloud', 'one point cloud', 'inductive biases of transformers'])));
    expect(editDistance('inudctive', 'inductive', 2)).toBe(1);
    expect(index.suggest('inudctive')).toMatchObject({ word: 'inductive', distance: 1 });
    expect(index.suggest('transformmerrs')).toMatchObject({ word: 'transformers', distance: 2 });
    expect(index.suggest('clod')).toBeNull();
    expect(index.split('pointcloud')).toEqual(['point', 'cloud']);
  });
});

describe('query correction', () => {
  const texts = ['Tcell lines and T cell receptor signalling', 'The T cell receptor binds antigen', 'Point cloud segmentation', 'A point cloud', 'One point cloud'];
  const spelling = spellingIndex(buildSpellingData(buildVocabulary(texts)));
  const keyword = buildKeywordIndex(texts.map((t) => ({ title: t, abstract: '' })));

  it('never joins two words that need no correction ("T cell" is not "tcell"), and corrects the misspelt one beside them', () => {
    expect(correctQuery('T cell receptor', spelling, keyword)).toBeNull();
    expect(correctQuery('T cell recepter', spelling, keyword)).toEqual({ text: 'T cell receptor', introduced: ['receptor'] });
  });

  it('reports the words it wrote: a replacement, both halves of a split, a joined pair; never a word typed right', () => {
    expect(correctQuery('pointcloud segmentation', spelling, keyword)).toEqual({ text: 'point cloud segmentation', introduced: ['point', 'cloud'] });
    expect(correctQuery('cell recepter segmen tation', spelling, keyword)).toEqual({ text: 'cell receptor segmentation', introduced: ['receptor', 'segmentation'] });
  });

  it('weighs a corrected term 0.75 of a typed one in the keyword query; typed words keep their weight', () => {
    expect(CORRECTED_TERM_WEIGHT).toBe(0.75);
    const weigh = (q: string, weight?: number) => {
      const fixed = correctQuery(q, spelling, keyword);
      return queryTermWeights(tokenize(fixed?.text ?? q), fixed, weight);
    };
    expect(Object.fromEntries(weigh('T cell recepter'))).toEqual({ cell: 1, receptor: 0.75 });
    expect(Object.fromEntries(weigh('T cell receptor'))).toEqual({ cell: 1, receptor: 1 });
    expect(Object.fromEntries(weigh('pointcloud segmentation'))).toEqual({ point: 0.75, cloud: 0.75, segment: 1 });
    // Typed right once and corrected once: each occurrence keeps its own weight; a topic weight scales both.
    expect(Object.fromEntries(weigh('receptor recepter', 2))).toEqual({ receptor: 2 + 0.75 * 2 });
  });
});
