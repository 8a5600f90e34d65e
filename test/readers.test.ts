import { createHash } from 'node:crypto';
import { mkdtemp, readFile as readText, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaperscopeError } from '../src/errors.ts';
import { contentHash, deriveId, normalizeText, normalizeTitleKey } from '../src/text/normalize.ts';
import { arxiv } from '../indexer/readers/arxiv.ts';
import { beir } from '../indexer/readers/beir.ts';
import { generic } from '../indexer/readers/generic.ts';
import { hfDailyJson } from '../indexer/readers/hf-daily-json.ts';
import { hfDailyPage } from '../indexer/readers/hf-daily-page.ts';
import { FORMATS, readFile, readInputs, SAMPLE_INPUTS, type FormatName } from '../indexer/readers/index.ts';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/readers/${name}`, import.meta.url));
const [HF_PAGE, ARXIV_SAMPLE] = SAMPLE_INPUTS as [string, string];

describe('normalize', () => {
  it('collapses whitespace and line breaks, strips control characters, composes to NFC', () => {
    expect(normalizeText('  Sparse\n  attention\t\r\nfor\u0000 long\u0007 documents  ')).toBe('Sparse attention for long documents');
    expect(normalizeText('Gro\u0308bner')).toBe('Gr\u00f6bner');
  });

  it('builds title keys that ignore case, accents and punctuation', () => {
    expect(normalizeTitleKey('ULIP-2: Towards  Scalable\nPre-training')).toBe('ulip 2 towards scalable pre training');
    expect(normalizeTitleKey('Kollár’s injectivity theorem!')).toBe(normalizeTitleKey("kollar's INJECTIVITY theorem"));
  });

  it('derives readable, stable ids cut at a word boundary', () => {
    const title = 'ULIP-2: Towards Scalable Multimodal Pre-training For 3D Understanding';
    const hash = createHash('sha1').update(normalizeTitleKey(title)).digest('hex').slice(0, 6);
    expect(deriveId(title)).toBe(`ulip-2-towards-scalable-multimodal-pre-training-for-3d-${hash}`);
    expect(deriveId('ulip-2 towards scalable multimodal PRE TRAINING for 3D understanding')).toBe(deriveId(title));
    expect(deriveId('A'.repeat(80))).toMatch(/^a{60}-[0-9a-f]{6}$/);
    expect(deriveId('Short title')).toMatch(/^short-title-[0-9a-f]{6}$/);
  });

  it('hashes exactly the embedded text', () => {
    const paper = { title: 'A  title', abstract: 'An abstract.' };
    const expected = createHash('sha256').update('A title\nAn abstract.').digest('hex');
    expect(contentHash(paper)).toBe(expected);
    expect(contentHash({ title: 'A title', abstract: 'An  abstract.\n' })).toBe(expected);
    expect(contentHash({ ...paper, abstract: 'Another abstract.' })).not.toBe(expected);
  });
});

describe('Hugging Face Daily Papers page', () => {
  it('reads all 41 papers without issues', async () => {
    const result = await readFile(HF_PAGE);
    expect(result.papers).toHaveLength(41);
    expect(result.read).toBe(41);
    expect(result.issues).toEqual([]);
  });

  it('reads the first paper exactly, not the page header', async () => {
    const [first] = (await readFile(HF_PAGE)).papers;
    expect(first).toEqual({
      id: deriveId('ULIP-2: Towards Scalable Multimodal Pre-training For 3D Understanding'),
      title: 'ULIP-2: Towards Scalable Multimodal Pre-training For 3D Understanding',
      abstract: expect.stringMatching(
        /^Recent advancements in multimodal pre-training methods have shown promising efficacy .* The code and datasets are available at https:\/\/github\.com\/salesforce\/ULIP\.$/,
      ),
      authors: [],
      year: 2023,
      date: '2023-05-14',
      categories: [],
      url: null,
      source: 'hf-daily-page',
    });
    expect(first!.id).toBe('ulip-2-towards-scalable-multimodal-pre-training-for-3d-9d72ce');
    expect(first!.abstract).toHaveLength(1634);
  });

  it('treats the "Dec 16" under the header as the page date, not a paper date', async () => {
    const { papers } = await readFile(HF_PAGE);
    expect(papers.map((p) => p.date)).not.toContain('--12-16');
    expect(papers.map((p) => p.title)).not.toContain('Dec 16');
    expect(papers.map((p) => p.title)).not.toContain('Daily Papers');
  });

  it('reads dates followed by an upvote count, and dates without a year', async () => {
    const { papers } = await readFile(HF_PAGE);
    const byTitle = (start: string) => papers.find((p) => p.title.startsWith(start))!;
    expect(byTitle('ULIP: Learning a Unified Representation')).toMatchObject({ date: '2022-12-09', year: 2022 });
    expect(byTitle('LML: Language Model Learning')).toMatchObject({ date: '2024-09-27', year: 2024 });
    expect(byTitle('HyMamba')).toMatchObject({ date: '--05-16', year: null });
    // "Apr 25 2": no year, then 2 upvotes.
    expect(byTitle('A Model Zoo on Phase Transitions')).toMatchObject({ date: '--04-25', year: null });
    // The last line of the file, with no line break after it.
    expect(papers.at(-1)).toMatchObject({
      title: 'Bigram Subnetworks: Mapping to Next Tokens in Transformer Language Models',
      date: '--04-21',
      year: null,
    });
  });

  it('keeps long titles whole and text on one clean line', async () => {
    const { papers } = await readFile(HF_PAGE);
    expect(papers.map((p) => p.title)).toContain(
      'Boosting EfficientNets Ensemble Performance via Pseudo-Labels and Synthetic Images by pix2pixHD for Infection and Ischaemia Classification in Diabetic Foot Ulcers',
    );
    for (const p of papers) {
      expect(p.title).not.toMatch(/\n|\s{2}|^\s|\s$/);
      expect(p.abstract).not.toMatch(/\n|\s{2}|^\s|\s$/);
      expect(p.abstract.length).toBeGreaterThan(1000);
    }
  });

  it('gives unique ids that are the same on every read', async () => {
    const first = (await readFile(HF_PAGE)).papers.map((p) => p.id);
    const second = (await readFile(HF_PAGE)).papers.map((p) => p.id);
    expect(new Set(first).size).toBe(41);
    expect(second).toEqual(first);
  });

  it('reports an entry cut off before its authors line', async () => {
    const text = (await readText(HF_PAGE, 'utf8')).split('\n').slice(0, 24).join('\n');
    const result = hfDailyPage.read(text, 'cut.txt');
    expect(result.papers.map((p) => p.title)).toEqual(['ULIP-2: Towards Scalable Multimodal Pre-training For 3D Understanding']);
    expect(result.issues).toEqual([
      {
        file: 'cut.txt',
        line: 21,
        record: 'ULIP: Learning a Unified Representation of Language, Images, and Point Clouds for 3D Understanding',
        reason: 'incomplete entry: no "• N authors" line follows',
      },
    ]);
    expect(result.read).toBe(2);
  });

  it('does not mistake an unreadable date for the next title, and reports entries without a title', () => {
    const page = [
      ...['First paper', '', 'Abstract one.', '', '  • 2 authors', '·', 'yesterday', ''],
      ...['  • 3 authors', '·', 'Jan 2, 2020', ''],
      ...['Second paper', '', '  • 1 authors', '·', 'Mar 3'],
    ].join('\n');
    const result = hfDailyPage.read(page, 'page.txt');
    expect(result.papers.map((p) => [p.title, p.abstract, p.date])).toEqual([
      ['First paper', 'Abstract one.', null],
      ['Second paper', '', '--03-03'],
    ]);
    expect(result.issues).toEqual([
      { file: 'page.txt', line: 9, record: null, reason: 'entry has no title before its "• N authors" line' },
    ]);
  });
});

describe('arXiv metadata snapshot', () => {
  it('reads 2000 papers, the first one exactly', async () => {
    const result = await readFile(ARXIV_SAMPLE);
    expect(result.papers).toHaveLength(2000);
    expect(result.issues).toEqual([]);
    expect(result.papers[0]).toEqual({
      id: '0704.0001',
      title: 'Calculation of prompt diphoton production cross sections at Tevatron and LHC energies',
      abstract: expect.stringMatching(/^A fully differential calculation in perturbative .* judicious selection of events\.$/),
      authors: ['C. Balázs', 'E. L. Berger', 'P. M. Nadolsky', 'C.-P. Yuan'],
      year: 2007,
      date: '2007-04-02',
      categories: ['hep-ph'],
      url: 'https://arxiv.org/abs/0704.0001',
      source: 'arxiv',
    });
    expect(result.papers[1]).toMatchObject({ id: '0704.0002', categories: ['math.CO', 'cs.CG'], date: '2007-03-31' });
  });

  it('turns LaTeX accents into Unicode', async () => {
    const { papers } = await readFile(ARXIV_SAMPLE);
    const byId = (id: string) => papers.find((p) => p.id === id)!;
    expect(byId('0704.0019').title).toBe(
      'Approximation for extinction probability of the contact process based on the Gr\u00f6bner basis',
    );
    expect(byId('0704.0073').abstract).toContain('compact K\u00e4hler manifold');
    expect(byId('0704.0062').authors).toEqual(['Rastislav Šrámek', 'Broňa Brejová', 'Tomáš Vinař']);
  });

  it('falls back to the authors string and update_date', () => {
    const line = JSON.stringify({
      id: '0704.9999',
      title: 'A record without parsed authors',
      abstract: 'Text.',
      authors: "C. Bal\\'azs, E. L. Berger and P. M. Nadolsky",
      categories: 'hep-ph hep-ex',
      versions: [],
      update_date: '11/26/2008',
    });
    expect(arxiv.read(line, 'one.jsonl').papers[0]).toMatchObject({
      authors: ['C. Balázs', 'E. L. Berger', 'P. M. Nadolsky'],
      categories: ['hep-ph', 'hep-ex'],
      date: '2008-11-26',
      year: 2008,
    });
  });
});

describe('bad records', () => {
  it('reports a broken line, a missing title and a title of the wrong type, and reads the rest', async () => {
    const file = fixture('bad.jsonl');
    const result = await readFile(file);
    expect(result.papers.map((p) => p.id)).toEqual(['good-1', 'good-6']);
    expect(result.read).toBe(5);
    expect(result.issues).toEqual([
      { file, line: 2, record: null, reason: expect.stringMatching(/^invalid JSON: /) },
      { file, line: 3, record: 'no-title-3', reason: 'missing title' },
      { file, line: 5, record: 'number-title-5', reason: 'title: expected string, got number' },
    ]);
  });

  it('normalizes every field of the records it keeps', async () => {
    const { papers } = await readFile(fixture('bad.jsonl'));
    expect(papers).toEqual([
      {
        id: 'good-1',
        title: 'Sparse attention for long documents',
        abstract: 'We study sparse attention.',
        authors: ['Ada Lovelace', 'Alan Turing'],
        year: 2021,
        date: null,
        categories: [],
        url: null,
        source: 'generic',
      },
      {
        id: 'good-6',
        title: 'Dense retrieval revisited',
        abstract: 'Summary used as the abstract.',
        authors: ['Grace Hopper', 'Edsger Dijkstra'],
        year: null,
        date: null,
        categories: ['cs.IR', 'cs.CL'],
        url: 'https://example.org/good-6',
        source: 'generic',
      },
    ]);
  });

  it('reports where a JSON array stops parsing', () => {
    const result = generic.read('[\n  {"title": "One"},\n  {title: "Two"}\n]', 'broken.json');
    expect(result.papers).toEqual([]);
    expect(result.issues).toEqual([{ file: 'broken.json', line: 3, record: null, reason: expect.stringMatching(/^invalid JSON: /) }]);
  });
});

describe('generic CSV and JSON', () => {
  it('reads CSV with quoted, multi-line fields and reports bad rows by line', async () => {
    const file = fixture('papers.csv');
    const result = await readFile(file);
    expect(result.papers).toEqual([
      {
        id: 'csv-1',
        title: 'Graph neural networks, a review',
        abstract: 'A multi-line abstract.',
        authors: ['Ada Lovelace', 'Alan Turing'],
        year: 2019,
        date: null,
        categories: ['cs.LG', 'cs.AI'],
        url: 'https://example.org/csv-1',
        source: 'generic',
      },
      expect.objectContaining({ id: deriveId('Untitled id row'), title: 'Untitled id row', year: 2020, authors: [] }),
      expect.objectContaining({ id: 'csv-4', title: 'Quoted "title"', authors: ['Smith, J.', 'Doe, A.'] }),
    ]);
    expect(result.issues).toEqual([
      { file, line: 5, record: 'csv-3', reason: 'missing title' },
      { file, line: 7, record: 'csv-5', reason: 'year: must be a year such as 2021' },
    ]);
    expect(result.read).toBe(5);
  });

  it('reads a JSON array, locating a bad record by its first line', async () => {
    const file = fixture('papers.json');
    const result = await readFile(file);
    expect(result.papers).toEqual([
      {
        id: '101',
        title: 'Contrastive learning for tabular data',
        abstract: 'Summary with spaces, a 12" ruler and the interval [0, 1).',
        authors: ['Ada Lovelace', 'Alan Turing', 'Grace Hopper'],
        year: 2022,
        date: '2022-03-04',
        categories: ['cs.LG', 'stat.ML'],
        url: null,
        source: 'generic',
      },
      {
        id: 'json-3',
        title: 'Retrieval augmented generation',
        abstract: '',
        authors: [],
        year: 2020,
        date: null,
        categories: [],
        url: 'https://example.org/json-3',
        source: 'generic',
      },
    ]);
    expect(result.issues).toEqual([
      { file, line: 10, record: 'Authors given as an object', reason: 'authors: must be a list of strings or a string' },
    ]);
  });
});

describe('Hugging Face daily papers API', () => {
  it('reads entries with arXiv ids, authors and dates', async () => {
    const file = fixture('hf-daily.json');
    const result = await readFile(file);
    expect(result.papers[0]).toEqual({
      id: '2305.08275',
      title: 'ULIP-2: Towards Scalable Multimodal Pre-training For 3D Understanding',
      abstract: 'Recent advancements in multimodal pre-training methods have shown promising efficacy in 3D representation learning.',
      authors: ['Le Xue', 'Ning Yu'],
      year: 2023,
      date: '2023-05-14',
      categories: [],
      url: 'https://arxiv.org/abs/2305.08275',
      source: 'hf-daily-json',
    });
    expect(result.papers[1]).toMatchObject({ id: '2212.05171', authors: [], date: '2022-12-09', year: 2022 });
    expect(result.issues).toEqual([{ file, line: 28, record: '2401.00001', reason: 'missing paper.title' }]);
    expect(result.read).toBe(3);
  });
});

describe('BEIR corpus', () => {
  let dir: string;
  let corpus: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'paperscope-readers-'));
    corpus = join(dir, 'corpus.jsonl.gz');
    const lines = [
      { _id: '4983', title: 'Microstructural development of human newborn cerebral white matter', text: 'Alterations of the architecture of cerebral white matter in the developing human brain.', metadata: {} },
      { _id: '5836', title: '', text: 'Induction of myelodysplasia by myeloid-derived suppressor cells. Myelodysplastic syndromes are age-dependent.', metadata: {} },
      { _id: '7912', title: '', text: '' },
    ];
    await writeFile(corpus, gzipSync(lines.map((l) => JSON.stringify(l)).join('\n')));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads gzipped corpora, titling untitled documents by their first sentence', async () => {
    const result = await readFile(corpus);
    expect(result.papers).toEqual([
      {
        id: '4983',
        title: 'Microstructural development of human newborn cerebral white matter',
        abstract: 'Alterations of the architecture of cerebral white matter in the developing human brain.',
        authors: [],
        year: null,
        date: null,
        categories: [],
        url: null,
        source: 'beir',
      },
      expect.objectContaining({ id: '5836', title: 'Induction of myelodysplasia by myeloid-derived suppressor cells.' }),
    ]);
    expect(result.issues).toEqual([{ file: corpus, line: 3, record: '7912', reason: 'empty title' }]);
  });

  it('cuts a long first sentence at a word boundary', () => {
    const text = `${'word '.repeat(40)}end.`;
    const [paper] = beir.read(JSON.stringify({ _id: '1', title: '', text }), 'c.jsonl').papers;
    expect(paper!.title).toBe(`${'word '.repeat(20).trim()}…`);
  });

  it('reads the corpus with another reader when the format is forced', async () => {
    const result = await readFile(corpus, 'generic');
    expect(result.papers.map((p) => [p.source, p.id])).toEqual([
      ['generic', deriveId('Microstructural development of human newborn cerebral white matter')],
    ]);
    expect(result.issues.map((i) => i.reason)).toEqual(['empty title', 'empty title']);
  });
});

describe('format detection', () => {
  it.each([
    [HF_PAGE, 'hf-daily-page'],
    [ARXIV_SAMPLE, 'arxiv'],
    [fixture('hf-daily.json'), 'hf-daily-json'],
    [fixture('papers.json'), 'generic'],
    [fixture('papers.csv'), 'generic'],
    [fixture('bad.jsonl'), 'generic'],
  ])('detects %s as %s', async (path, format) => {
    const { papers } = await readFile(path);
    expect(papers.length).toBeGreaterThan(0);
    expect(new Set(papers.map((p) => p.source))).toEqual(new Set([format]));
  });

  it('lists the formats in detection order', () => {
    expect(FORMATS).toEqual(['hf-daily-page', 'hf-daily-json', 'arxiv', 'beir', 'generic']);
    expect([hfDailyPage, hfDailyJson, arxiv, beir, generic].map((r) => r.name)).toEqual(FORMATS);
  });

  it('leaves the specific formats to their own readers', async () => {
    const heads = {
      page: (await readText(HF_PAGE, 'utf8')).slice(0, 4096),
      arxiv: (await readText(ARXIV_SAMPLE, 'utf8')).slice(0, 4096),
      hfJson: await readText(fixture('hf-daily.json'), 'utf8'),
    };
    expect(hfDailyPage.detect(heads.arxiv, 'a.jsonl')).toBe(false);
    expect(hfDailyJson.detect(heads.page, 'p.txt')).toBe(false);
    expect(arxiv.detect(heads.hfJson, 'h.json')).toBe(false);
    expect(beir.detect(heads.arxiv, 'a.jsonl')).toBe(false);
    expect(generic.detect(heads.page, 'p.txt')).toBe(false);
  });

  it('throws UNKNOWN_FORMAT naming the file and the formats tried', async () => {
    const file = fixture('notes.txt');
    const error = await readFile(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaperscopeError);
    expect(error).toMatchObject({ code: 'UNKNOWN_FORMAT', details: { file, tried: FORMATS } });
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toContain(FORMATS.join(', '));
  });

  it('throws UNKNOWN_FORMAT for a forced format that does not exist', async () => {
    await expect(readFile(fixture('papers.json'), 'bibtex' as FormatName)).rejects.toMatchObject({ code: 'UNKNOWN_FORMAT' });
  });
});

describe('readInputs', () => {
  it('drops later papers with an id or title key already seen', async () => {
    const result = await readInputs([fixture('bad.jsonl'), fixture('dupes.jsonl')]);
    expect(result.papers.map((p) => p.id)).toEqual(['good-1', 'good-6', 'new-3']);
    expect(result.duplicates).toBe(2);
    expect(result.read).toBe(8);
    expect(result.issues).toHaveLength(3);
  });

  it('merges the HF page with the HF API, keeping the first copy', async () => {
    const result = await readInputs([HF_PAGE, fixture('hf-daily.json')]);
    expect(result.papers).toHaveLength(41);
    expect(result.duplicates).toBe(2);
    expect(result.papers[0]!.source).toBe('hf-daily-page');
  });

  it('reads the sample inputs from the repository root', async () => {
    const result = await readInputs(SAMPLE_INPUTS);
    expect(result.papers).toHaveLength(2041);
    expect(result.read).toBe(2041);
    expect(new Set(result.papers.map((p) => p.id)).size).toBe(2041);
  });
});
