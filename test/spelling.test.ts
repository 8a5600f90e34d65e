import { describe, expect, it } from 'vitest';
import { buildSpellingData, buildVocabulary, editDistance, spellingIndex } from '../src/text/spelling.ts';

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
