import { describe, expect, it } from 'vitest';
import { labelClusters } from '../src/topics/label-topics.ts';
import { STOP_WORDS } from '../src/text/stop-words.ts';

/** Abstracts as arXiv writes them: LaTeX math, commands, and the words every field uses. */
const HALOS = [
  'Dark matter halos in cosmological simulations. We study the density profiles of dark matter halos with $\\mathcal{O}(10^6)$ particles and show that the inner slope is $\\gamma \\to \\infty$.',
  'The spin of dark matter halos. We measure the angular momentum of dark matter halos in N-body simulations at redshift $z<2$.',
  'Substructure of dark matter halos. We find that subhalos of dark matter halos are stripped by tides; \\emph{dark matter halos} grow by mergers.',
  'Galaxy rotation curves and dark matter halos. Rotation curves constrain the mass of dark matter halos around spiral galaxies.',
  'Baryonic effects on dark matter halos. Feedback from supernovae flattens the cores of dark matter halos in hydrodynamic simulations.',
];
const CLOUDS = [
  'Point cloud learning with transformers. We propose a transformer for point cloud learning that reaches state-of-the-art accuracy on ModelNet40.',
  'Self-supervised point cloud learning. Masked autoencoders make point cloud learning possible without labels.',
  'Rotation invariant point cloud learning. We present point cloud learning that is invariant to rotations of $\\mathbb{R}^3$.',
  'Point cloud learning for 3D detection. LiDAR point clouds are learned with sparse convolutions for object detection.',
  'Efficient point cloud learning. A light network for point cloud learning on mobile devices, $O(n \\log n)$ in the number of points.',
];

/** Every paper of a field repeats its notation, which would otherwise label the topic. */
const NOTATION = ['Masses $\\mathcal{M}_{\\rm vir}$ and $\\sigma_8$ follow.', 'Inputs live in $\\mathbb{R}^{N \\times 3}$ with \\infty-norm bounds.'];

const docs = [...HALOS, ...CLOUDS].map((text, i) => {
  const [title, ...rest] = text.split('. ');
  return { title, abstract: `${rest.join('. ')} ${NOTATION[i < HALOS.length ? 0 : 1]}` };
});
const assignments = docs.map((_, i) => (i < HALOS.length ? 0 : 1));

describe('topic labels', () => {
  const [halos, clouds] = labelClusters(docs, assignments, 2);

  it('are phrases as authors write them, not words glued by a comma', () => {
    expect(halos.label).toBe('Dark matter halos');
    expect(clouds.label).toBe('Point cloud learning');
    for (const { label } of [halos, clouds]) expect(label).not.toContain(',');
  });

  it('hold no LaTeX, stop words, numbers or single letters, in the label or the terms', () => {
    for (const term of [halos.label, clouds.label, ...halos.terms, ...clouds.terms]) {
      expect(term).not.toMatch(/\\|\$|mathcal|mathbb|infty|gamma|sigma|vir|emph|log\b/);
      for (const word of term.toLowerCase().split(/\s+/)) {
        expect(STOP_WORDS.has(word)).toBe(false);
        expect(word).toMatch(/^(?!\d+$)\S{2,}$/);
      }
    }
  });

  it('do not repeat a word the label already holds among the terms, and give two topics two labels', () => {
    expect(halos.terms.filter((t) => t.includes('matter'))).toHaveLength(1);
    expect(halos.label).not.toBe(clouds.label);
  });
});
