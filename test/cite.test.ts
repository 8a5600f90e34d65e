import { describe, expect, it } from 'vitest';
import { Cite } from '@citation-js/core';
import '@citation-js/plugin-bibtex';
import '@citation-js/plugin-ris';
import type { PaperView } from '../src/search/get-paper.ts';
import { formatCitations } from '../src/cite/formats.ts';

/** Papers shaped like the data: TeX in titles, characters BibTeX treats specially, a group author, partial dates. */
const PAPERS: PaperView[] = [
  {
    id: '0704.0001',
    title: 'Calculation of $\\mathcal{O}(n)$ cross sections & widths at 50% of {LHC',
    abstract: 'We use $x_1$ and snake_case # things.',
    authors: ['C. Balázs', 'ATLAS Collaboration', 'E. L. Berger'],
    year: 2007,
    date: '2007-04-02',
    categories: ['hep-ph', 'hep-ex'],
    url: 'https://arxiv.org/abs/0704.0001',
  },
  { id: 'seed-a', title: 'Scaling Laws', abstract: '', authors: ['Jane Smith'], year: 2025, date: '2025-05', categories: [], url: null },
  { id: 'seed-b', title: 'Scaling Laws, Again', abstract: 'Short.', authors: ['Jane Smith'], year: 2025, date: null, categories: [], url: 'https://example.org/paper' },
];

/** Citation.js reads each format with its own parser: what it reads back is what a reference manager would import. */
const parse = (text: string) => new Cite(text).data as any[];

describe('citation export', () => {
  it('BibTeX parses back to the same titles, authors, dates and links, with unique keys', () => {
    const bib = formatCitations(PAPERS, 'bibtex');
    const items = parse(bib);
    expect(items).toHaveLength(3);
    expect(new Set(items.map((i) => i.id)).size).toBe(3);
    const [first, second, third] = items;
    // The math survives as TeX; & and % were escaped and the stray brace dropped, so the entry still parses.
    expect(bib).toContain('$\\mathcal{O}(n)$');
    expect(first.title).toMatch(/cross sections & widths at 50% of LHC$/);
    expect(first.author).toEqual([{ given: 'C.', family: 'Balázs' }, { family: 'ATLAS Collaboration' }, { given: 'E. L.', family: 'Berger' }]);
    expect(first.issued['date-parts'][0]).toEqual([2007, 4]);
    expect(first.URL).toBe('https://arxiv.org/abs/0704.0001');
    expect(bib).toMatch(/eprint = \{0704\.0001\},\n\s+archivePrefix = \{arXiv\},\n\s+primaryClass = \{hep-ph\}/);
    expect(second.title).toBe('Scaling Laws');
    expect(third.URL).toBe('https://example.org/paper');
    expect(third.issued['date-parts'][0]).toEqual([2025]);
  });

  it('RIS parses back with full dates and family-first names', () => {
    const items = parse(formatCitations(PAPERS, 'ris'));
    expect(items.map((i) => i.title)).toEqual(PAPERS.map((p) => p.title));
    expect(items[0].author[0]).toEqual({ family: 'Balázs', given: 'C.' });
    expect(items[0].issued['date-parts'][0]).toEqual([2007, 4, 2]);
    expect(items[1].issued['date-parts'][0]).toEqual([2025, 5]);
  });

  it('CSL-JSON is an array of items that citation-js accepts as they are', () => {
    const csl = JSON.parse(formatCitations(PAPERS, 'csl'));
    expect(csl[0]).toMatchObject({ id: '0704.0001', type: 'article', publisher: 'arXiv', number: 'arXiv:0704.0001', issued: { 'date-parts': [[2007, 4, 2]] } });
    expect(parse(JSON.stringify(csl)).map((i) => i.title)).toEqual(PAPERS.map((p) => p.title));
  });
});
