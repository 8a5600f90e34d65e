import { describe, expect, it } from 'vitest';
import { buildSpellingData, buildVocabulary, editDistance, spellingIndex } from '../src/text/spelling.ts';
import { buildKeywordIndex } from '../src/search/keyword-index.ts';
import { correctQuery } from '../src/search/correct-query.ts';

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
  const texts = ['Tcell lines and T cell receptor signalling', 'The T cell receptor binds antigen', 'Point cloud segmentation'];
  const spelling = spellingIndex(buildSpellingData(buildVocabulary(texts)));
  const keyword = buildKeywordIndex(texts.map((t) => ({ title: t, abstract: '' })));

  it('never joins two words that need no correction ("T cell" is not "tcell"), and corrects the misspelt one beside them', () => {
    expect(correctQuery('T cell receptor', spelling, keyword)).toBeNull();
    expect(correctQuery('T cell recepter', spelling, keyword)).toBe('T cell receptor');
  });
});
