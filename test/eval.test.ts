import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { loadQrels, loadQueries, readJsonLines } from '../bench/beir.ts';
import { buildEvalIndex, type EvalIndex } from '../bench/eval-index.ts';
import { evaluateBeir, searchRanker, type Ranker } from '../bench/evaluate.ts';
import { REPO_ROOT } from '../src/config.ts';
import { ARXIV_SAMPLE } from './helpers/fixture-index.ts';

const DOCS = 200;
const QUERIES = 40;

let dir: string;
let files: { corpus: string; queries: string; qrels: string };
let evalIndex: EvalIndex;

/**
 * A 200-paper collection in the BEIR format the harness reads, from the arXiv sample the repository ships (the
 * evaluation sets themselves are never shipped, so this runs on any clone): each of 40 queries is the opening
 * sentence of one paper's abstract, judged relevant to that paper alone.
 */
async function writeSlice(): Promise<void> {
  const papers = (await readJsonLines<{ id: string; title: string; abstract: string }>(ARXIV_SAMPLE)).slice(0, DOCS);
  const text = (s: string) => s.replace(/\s+/g, ' ').trim();
  const picked = papers.slice(0, QUERIES).map((p) => ({ _id: `q-${p.id}`, doc: p.id, text: text(p.abstract).split(/(?<=\.) /)[0]! }));
  await fs.writeFile(files.corpus, papers.map((p) => JSON.stringify({ _id: p.id, title: text(p.title), text: text(p.abstract) })).join('\n'));
  await fs.writeFile(files.queries, picked.map((q) => JSON.stringify({ _id: q._id, text: q.text })).join('\n'));
  await fs.writeFile(files.qrels, ['query-id\tcorpus-id\tscore', ...picked.map((q) => `${q._id}\t${q.doc}\t1`)].join('\n'));
}

/** The same rankings with their order destroyed (a seeded Fisher–Yates shuffle). */
function shuffled(rank: Ranker): Ranker {
  let seed = 7;
  const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
  return async (q) => {
    const answer = await rank(q);
    const ids = answer.ids;
    for (let i = ids.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [ids[i], ids[j]] = [ids[j], ids[i]];
    }
    return answer;
  };
}

// Set up as the file loads, not in a beforeAll: no hook time-out applies, so a busy machine makes the start slower, not a failure.
dir = await fs.mkdtemp(path.join(os.tmpdir(), 'paperscope-eval-'));
files = { corpus: path.join(dir, 'corpus.jsonl'), queries: path.join(dir, 'queries.jsonl'), qrels: path.join(dir, 'qrels.tsv') };
await writeSlice();
// LSA is fitted on the slice itself: a real embedder that needs no downloaded weights and no cache.
evalIndex = await buildEvalIndex({ corpus: files.corpus, model: 'lsa', workers: 1 });

afterAll(async () => {
  await evalIndex?.close();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('evaluation harness on a 200-paper collection from the arXiv sample', () => {
  it('npm run eval prints the four metrics and ends with the JSON line', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'bench/eval.ts', '--corpus', files.corpus, '--queries', files.queries, '--qrels', files.qrels, '--mode', 'keyword', '--json'],
      { cwd: REPO_ROOT },
    );
    const last = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(Object.keys(last).sort()).toEqual(['map@100', 'mode', 'model', 'mrr@10', 'ndcg@10', 'queries', 'recall@100', 'weak_rate']);
    expect(last.queries).toBe(QUERIES);
    expect(last.mode).toBe('keyword');
    for (const key of ['ndcg@10', 'map@100', 'recall@100', 'mrr@10']) {
      expect(last[key]).toBeGreaterThan(0);
      expect(last[key]).toBeLessThanOrEqual(1);
    }
  });

  it('hybrid search beats the same rankings shuffled', async () => {
    const queries = await loadQueries(files.queries);
    const qrels = await loadQrels(files.qrels);
    const hybrid = await evaluateBeir(queries, qrels, searchRanker(evalIndex.ctx, 'hybrid'));
    const broken = await evaluateBeir(queries, qrels, shuffled(searchRanker(evalIndex.ctx, 'hybrid')));
    expect(hybrid.queries).toBe(QUERIES);
    expect(hybrid['ndcg@10']).toBeGreaterThan(broken['ndcg@10']! + 0.2);
    expect(hybrid['mrr@10']).toBeGreaterThan(broken['mrr@10']!);
  });
});
