import type { Paper, StoredPaper } from '../src/types.ts';
import type { ReadIssue } from './readers/types.ts';
import { readInputs, type FormatName } from './readers/index.ts';
import type { InputLimits } from './readers/input-limits.ts';
import { contentHash } from '../src/text/normalize.ts';
import { createEmbedPool, inProcessPool } from '../src/embed/embed-pool.ts';
import { LSA_ID, fitLsa, loadLsaModel, lsaEmbedder, type LsaModel } from '../src/embed/lsa.ts';
import { documentText, modelId, type EmbedderOptions } from '../src/embed/create-embedder.ts';
import { assertNoUnpublishedBuilds, createBuildDir, currentBuildDir, discardBuild, publishBuild } from '../src/store/build-dir.ts';
import { withWriterLock, type WriterLock } from '../src/store/writer-lock.ts';
import { FORMAT_VERSION, readManifest } from '../src/store/manifest.ts';
import { readPapersTable, type PaperRow } from '../src/store/papers-table.ts';
import { PaperscopeError } from '../src/errors.ts';
import { stageTimer, writeBuild } from './write-build.ts';

export interface IndexOptions extends EmbedderOptions {
  inputs: string[];
  /** Papers handed over directly (the ingestion queue), read after the inputs. */
  papers?: Paper[];
  /** Ids to remove from the index (the ingestion queue's deletes). */
  remove?: string[];
  format?: FormatName;
  indexDir: string;
  model: string;
  prune: boolean;
  /** Refit a corpus-learned model (lsa) on all papers instead of folding new ones into the current fit. */
  refit?: boolean;
  workers: number;
  /** Extra options for the build steps (e.g. the number of topics). */
  steps?: Record<string, unknown>;
  onProgress?: (event: ProgressEvent) => void;
  /** Published builds to keep (the newest ones); builds a running server holds are always kept. */
  keepBuilds?: number;
  /** How long to wait for another writer's lock on the index folder (0: fail at once). */
  waitMs?: number;
  /** The folder's writer lock, when the caller already holds it (npm start's first run). */
  lock?: WriterLock;
  /** Bounds on one record (see input-limits.ts). */
  limits?: InputLimits;
  /**
   * Publish a build of the papers embedded so far after every this many
   * (0: only at the end), so that a run stopped mid-way loses at most that much
   * work: the next run reuses the published vectors. npm start's background run uses it.
   */
  checkpointEvery?: number;
}

export type ProgressEvent =
  | { stage: 'embed-start'; total: number }
  | { stage: 'embed'; done: number; total: number }
  | { stage: 'embed-end' }
  | { stage: 'step'; name: string }
  | { stage: 'waiting'; holder: string };

export interface IndexSummary {
  /** Records read from the inputs. */
  read: number;
  /** Papers in the index after this run. */
  indexed: number;
  /** Bad records, each in `issues`. */
  skipped: number;
  /** Records indexed with a change (e.g. a truncated abstract), each said why. */
  warnings: ReadIssue[];
  duplicates: number;
  /** Papers whose stored vector was reused. */
  unchanged: number;
  /** Papers (re)embedded in this run. */
  embedded: number;
  /** Papers of the previous index kept although absent from the inputs (without --prune). */
  kept: number;
  pruned: number;
  issues: ReadIssue[];
  /** The published build, or null when the index was already up to date. */
  buildDir: string | null;
  seconds: number;
  timings: Record<string, number>;
}

function sameRecord(a: StoredPaper, b: StoredPaper): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Previous papers and vectors, when the previous index was built by the same
 * model, and whether that build is of the current format (if not, it is
 * rewritten even when no paper changed).
 */
async function loadPrevious(indexDir: string, model: string): Promise<{ rows: Map<string, PaperRow>; currentFormat: boolean }> {
  const dir = await currentBuildDir(indexDir);
  if (!dir) return { rows: new Map(), currentFormat: false };
  const manifest = await readManifest(dir, { anyFormat: true });
  if (manifest.model !== model) return { rows: new Map(), currentFormat: false };
  return { rows: new Map((await readPapersTable(dir)).map((row) => [row.paper.id, row])), currentFormat: manifest.formatVersion === FORMAT_VERSION };
}

/**
 * The corpus-learned model for this run: the current build's fit, into which
 * new papers are folded, or a fresh fit on every paper (first build or
 * --refit), after which every vector is recomputed in the new space.
 */
async function fitCorpusModel(opts: IndexOptions, texts: string[], reusable: boolean): Promise<{ model: LsaModel; refitted: boolean }> {
  const current = await currentBuildDir(opts.indexDir);
  if (current && reusable && !opts.refit) return { model: await loadLsaModel(current), refitted: false };
  return { model: fitLsa(texts), refitted: true };
}

/**
 * normalize → diff against the current index → embed what changed → write a
 * new build beside the old one → publish it atomically; all of it holding the
 * folder's writer lock, so that a second writer can neither diff against a
 * build about to be replaced nor delete one being written.
 */
export async function runIndexer(opts: IndexOptions): Promise<IndexSummary> {
  if (opts.lock) return indexLocked(opts);
  const onWait = (holder: string) => opts.onProgress?.({ stage: 'waiting', holder });
  return withWriterLock(opts.indexDir, { waitMs: opts.waitMs, onWait }, () => indexLocked(opts));
}

async function indexLocked(opts: IndexOptions): Promise<IndexSummary> {
  const started = performance.now();
  await assertNoUnpublishedBuilds(opts.indexDir);
  const timings: Record<string, number> = {};
  const time = stageTimer(timings);

  const input = await time('read', () => readInputs(opts.inputs, opts.format, opts.papers, opts.limits));
  const model = modelId(opts.model);
  const { rows: previous, currentFormat } = await time('load_previous', () => loadPrevious(opts.indexDir, model));

  const rows: { paper: StoredPaper; vector: Float32Array | null }[] = input.papers.map((p: Paper) => {
    const paper: StoredPaper = { ...p, contentHash: contentHash(p) };
    const old = previous.get(p.id);
    return old && old.paper.contentHash === paper.contentHash ? { paper, vector: old.vector } : { paper, vector: null };
  });
  const inInput = new Set(input.papers.map((p) => p.id));
  const removed = new Set(opts.remove);
  const absent = [...previous.values()].filter((r) => !inInput.has(r.paper.id));
  const removedCount = absent.filter((r) => removed.has(r.paper.id)).length;
  if (!opts.prune) rows.push(...absent.filter((r) => !removed.has(r.paper.id)));

  if (rows.length === 0) {
    throw new PaperscopeError('INVALID_INPUT', `No papers to index: the inputs held ${input.read} records, ${input.issues.length} of them bad`, { issues: input.issues.slice(0, 20) });
  }
  const fitted = model === LSA_ID ? await time('fit', () => fitCorpusModel(opts, rows.map((r) => documentText(r.paper)), previous.size > 0)) : null;
  if (fitted?.refitted) for (const r of rows) r.vector = null;
  const toEmbed = rows.filter((r) => r.vector === null);
  const summary: IndexSummary = {
    read: input.read,
    indexed: rows.length,
    skipped: input.issues.length,
    warnings: input.warnings,
    duplicates: input.duplicates,
    unchanged: input.papers.length - toEmbed.length,
    embedded: toEmbed.length,
    kept: opts.prune ? 0 : absent.length - removedCount,
    pruned: opts.prune ? absent.length : removedCount,
    issues: input.issues,
    buildDir: null,
    seconds: 0,
    timings,
  };

  const upToDate =
    currentFormat &&
    !fitted?.refitted &&
    toEmbed.length === 0 &&
    summary.pruned === 0 &&
    rows.length === previous.size &&
    rows.every((r) => sameRecord(r.paper, previous.get(r.paper.id)!.paper));
  if (upToDate) {
    summary.seconds = Math.round(performance.now() - started) / 1000;
    return summary;
  }

  let dimension = previous.size ? previous.values().next().value!.vector.length : 0;
  /** Writes `complete` as a new build beside the current one and publishes it; a failure leaves nothing behind. */
  const publishNewBuild = async (complete: PaperRow[], buildTimings: Record<string, number>): Promise<string> => {
    const buildDir = await createBuildDir(opts.indexDir);
    try {
      await writeBuild(buildDir, {
        rows: complete,
        dimension,
        model,
        lsa: fitted?.model,
        steps: opts.steps,
        onStep: (name) => opts.onProgress?.({ stage: 'step', name }),
        timings: buildTimings,
      });
      await publishBuild(opts.indexDir, buildDir, opts.keepBuilds);
    } catch (err) {
      await discardBuild(buildDir);
      throw err;
    }
    return buildDir;
  };
  if (toEmbed.length) {
    await time('embed', async () => {
      const pool = fitted ? inProcessPool(lsaEmbedder(fitted.model)) : await createEmbedPool(opts.model, { modelsDir: opts.modelsDir, allowRemote: opts.allowRemote }, opts.workers);
      try {
        dimension = pool.dimension;
        opts.onProgress?.({ stage: 'embed-start', total: toEmbed.length });
        const every = opts.checkpointEvery && opts.checkpointEvery > 0 ? opts.checkpointEvery : toEmbed.length;
        for (let from = 0; from < toEmbed.length; from += every) {
          const chunk = toEmbed.slice(from, from + every);
          const vectors = await pool.embedDocuments(
            chunk.map((r) => documentText(r.paper)),
            (done) => opts.onProgress?.({ stage: 'embed', done: from + done, total: toEmbed.length }),
          );
          chunk.forEach((r, i) => (r.vector = vectors[i]));
          // A checkpoint: the papers with a vector so far, published like any build (with its own timings, not this run's).
          if (from + every < toEmbed.length) await publishNewBuild(rows.filter((r) => r.vector !== null) as PaperRow[], {});
        }
        opts.onProgress?.({ stage: 'embed-end' });
      } finally {
        await pool.close();
      }
    });
  }
  summary.buildDir = await publishNewBuild(rows as PaperRow[], timings);
  summary.seconds = Math.round(performance.now() - started) / 1000;
  return summary;
}
