/**
 * `npm run eval`: search quality on BEIR-format data (SciFact by default) or
 * paper-to-paper similarity on CSFCube, through the service's own search code.
 * With --json the last line of output is one JSON object.
 */
import path from 'node:path';
import { Command, Option } from 'commander';
import type { SearchMode } from '../src/types.ts';
import { REPO_ROOT } from '../src/config.ts';
import { DEFAULT_FUSION, DEFAULT_SIMILAR_FUSION, type FusionParams } from '../src/search/fuse.ts';
import { DEFAULT_BM25 } from '../src/search/keyword-index.ts';
import { parseQuery } from '../src/search/understand-query.ts';
import { loadQrels, loadQueries } from './beir.ts';
import { loadCsfcubeQueries } from './csfcube.ts';
import { buildEvalIndex } from './eval-index.ts';
import { evaluateBeir, evaluateCsfcube, searchRanker } from './evaluate.ts';
import { leaveOneOut } from './cross-validate.ts';

/**
 * Similar-paper fusions compared by --cv: min-max and reciprocal-rank fusion
 * at a few semantic weights, and search's z-score fusion with and without its
 * passage signals (query-term coverage, best-matching sentence).
 */
const SIMILAR_GRID: FusionParams[] = [
  ...[0, 0.1, 0.2, 0.3].map((w) => ({ ...DEFAULT_SIMILAR_FUSION, method: 'minmax' as const, semanticWeight: w })),
  ...[0.1, 0.2, 0.3].map((w) => ({ ...DEFAULT_SIMILAR_FUSION, method: 'rrf' as const, semanticWeight: w })),
  ...[0.1, 0.2].flatMap((w) => [0, 0.15].map((sentence) => ({ method: 'zscore' as const, k: 60, semanticWeight: w, coverageWeight: sentence ? 0.1 : 0, sentenceWeight: sentence }))),
];

function describeFusion(f: FusionParams): string {
  return f.method === 'zscore' ? `zscore semantic ${f.semanticWeight} coverage ${f.coverageWeight} sentence ${f.sentenceWeight}` : `${f.method} semantic ${f.semanticWeight}`;
}

const SHARED = path.join(REPO_ROOT, '..', 'shared', 'data');
const DEFAULTS = {
  beir: { corpus: 'scifact/corpus.jsonl.gz', queries: 'scifact/queries.jsonl', qrels: 'scifact/qrels/train.tsv' },
  csfcube: { corpus: 'csfcube/corpus.jsonl.gz', queries: 'csfcube/queries.jsonl', qrels: 'csfcube/qrels/dev.tsv' },
};

const program = new Command('eval')
  .addOption(new Option('--task <task>', 'what to evaluate').choices(['beir', 'csfcube']).default('beir'))
  .option('--corpus <file>', 'corpus.jsonl(.gz); default: SciFact or CSFCube under ../shared/data')
  .option('--queries <file>', 'queries.jsonl')
  .option('--qrels <file>', 'judgments TSV (default: the dataset\'s, unless --queries is given; without judgments only weak_rate is reported)')
  .addOption(new Option('--mode <mode>', 'ranking mode').choices(['hybrid', 'semantic', 'keyword']).default('hybrid'))
  .option('--model <model>', 'embedding model', 'use-lite')
  .option('--workers <n>', 'embedding threads for uncached documents', (v) => Number(v), 2)
  .addOption(new Option('--fusion <method>', 'fusion method (default: z-score for search, min-max for similar papers)').choices(['rrf', 'minmax', 'zscore']))
  .option('--semantic-weight <w>', 'weight of the semantic list in fusion (default: the service\'s, for search or for similar papers)', Number)
  .option('--coverage-weight <w>', 'z-score fusion: weight of query-term coverage', Number, DEFAULT_FUSION.coverageWeight)
  .option('--sentence-weight <w>', 'z-score fusion: weight of the best-matching sentence', Number, DEFAULT_FUSION.sentenceWeight)
  .option('--k1 <k1>', 'BM25 k1', Number, DEFAULT_BM25.k1)
  .option('--b <b>', 'BM25 b', Number, DEFAULT_BM25.b)
  .option('--title-weight <w>', 'BM25F title weight', Number, DEFAULT_BM25.titleWeight)
  .option('--cv', 'csfcube: choose the similar-paper fusion among SIMILAR_GRID by leave-one-out cross-validation; report the fitted and the cross-validated MAP')
  .option('--json', 'end with one JSON line');

program.parse();
const opts = program.opts<{
  task: 'beir' | 'csfcube';
  corpus?: string;
  queries?: string;
  qrels?: string;
  mode: SearchMode;
  model: string;
  workers: number;
  fusion?: FusionParams['method'];
  semanticWeight?: number;
  coverageWeight: number;
  sentenceWeight: number;
  k1: number;
  b: number;
  titleWeight: number;
  cv?: boolean;
  json?: boolean;
}>();

const paths = DEFAULTS[opts.task];
const corpus = opts.corpus ?? path.join(SHARED, paths.corpus);
const queriesFile = opts.queries ?? path.join(SHARED, paths.queries);
const qrelsFile = opts.qrels ?? (opts.queries && opts.task === 'beir' ? null : path.join(SHARED, paths.qrels));
const log = (line: string) => console.error(line);

const started = performance.now();
const evalIndex = await buildEvalIndex({
  corpus,
  model: opts.model,
  workers: opts.workers,
  embed: opts.mode !== 'keyword',
  fusion: {
    ...DEFAULT_FUSION,
    method: opts.fusion ?? DEFAULT_FUSION.method,
    semanticWeight: opts.semanticWeight ?? DEFAULT_FUSION.semanticWeight,
    coverageWeight: opts.coverageWeight,
    sentenceWeight: opts.sentenceWeight,
  },
  similarFusion: { ...DEFAULT_SIMILAR_FUSION, method: opts.fusion ?? DEFAULT_SIMILAR_FUSION.method, semanticWeight: opts.semanticWeight ?? DEFAULT_SIMILAR_FUSION.semanticWeight },
  bm25: { k1: opts.k1, b: opts.b, titleWeight: opts.titleWeight },
  log,
});
const qrels = qrelsFile ? await loadQrels(qrelsFile) : null;
const setup = { mode: opts.mode, model: evalIndex.model };
let result: Record<string, unknown>;
const rankStarted = performance.now();
if (opts.task === 'csfcube' && opts.cv) {
  const queries = await loadCsfcubeQueries(queriesFile);
  const perSetting: number[][] = [];
  for (const setting of SIMILAR_GRID) {
    evalIndex.ctx.similarFusion = setting;
    const scores = await evaluateCsfcube(evalIndex.ctx, queries, qrels!, opts.mode);
    perSetting.push(scores.perQuery);
    log(`  ${describeFusion(setting).padEnd(44)} MAP ${scores.map.toFixed(4)}`);
  }
  const cv = leaveOneOut(perSetting);
  const named = (i: number) => describeFusion(SIMILAR_GRID[i]);
  console.log(`CSFCube ${setup.mode} / ${setup.model}: fitted MAP ${cv.fitted.mean.toFixed(4)} (${named(cv.fitted.setting)}), leave-one-out MAP ${cv.crossValidated.toFixed(4)}`);
  const chosen = Object.fromEntries(cv.chosen.flatMap((n, i) => (n ? [[named(i), n]] : [])));
  console.log(`  chosen per fold: ${JSON.stringify(chosen)}`);
  result = { fitted_map: cv.fitted.mean, fitted: named(cv.fitted.setting), cv_map: cv.crossValidated, chosen, settings: SIMILAR_GRID.length, ...setup };
} else if (opts.task === 'csfcube') {
  const scores = await evaluateCsfcube(evalIndex.ctx, await loadCsfcubeQueries(queriesFile), qrels!, opts.mode);
  console.log(`CSFCube ${setup.mode} / ${setup.model}: MAP ${scores.map.toFixed(4)}  NDCG%20 ${scores['ndcg%20'].toFixed(4)}  (${scores.queries} queries)`);
  for (const [facet, s] of Object.entries(scores.facets)) console.log(`  ${facet.padEnd(10)} MAP ${s.map.toFixed(4)}  NDCG%20 ${s['ndcg%20'].toFixed(4)}  (${s.queries})`);
  const { perQuery: _, ...summary } = scores;
  result = { ...summary, ...setup };
} else {
  const queries = await loadQueries(queriesFile);
  if (opts.mode !== 'keyword') await evalIndex.warmQueries(queries.map((q) => parseQuery(q.text).text));
  const scores = await evaluateBeir(queries, qrels, searchRanker(evalIndex.ctx, opts.mode));
  console.log(`${path.basename(path.dirname(corpus))} ${setup.mode} / ${setup.model}: ${scores.queries} queries`);
  for (const key of ['ndcg@10', 'map@100', 'recall@100', 'mrr@10', 'weak_rate'] as const) if (scores[key] !== undefined) console.log(`  ${key.padEnd(10)} ${scores[key].toFixed(4)}`);
  result = { ...scores, ...setup };
}
await evalIndex.close();
const seconds = { total: (performance.now() - started) / 1000, ranking: (performance.now() - rankStarted) / 1000 };
console.log(`took ${seconds.total.toFixed(1)} s (ranking ${seconds.ranking.toFixed(1)} s)`);
if (opts.json) console.log(JSON.stringify(result));
