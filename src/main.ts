/**
 * `npm start`: on the first run, indexes the 41 seed papers (seconds), serves
 * them, and indexes the rest of the sample corpus in the background; the server
 * swaps the complete build in live when it is published. Later starts serve.
 */
import os from 'node:os';
import { loadConfig, type Config } from './config.ts';
import { PaperscopeError } from './errors.ts';
import { logger } from './logger.ts';
import { assertNoUnpublishedBuilds, inspectIndexDir } from './store/build-dir.ts';
import { withWriterLock } from './store/writer-lock.ts';
import { closeOnSignals, reportStartupError, startServer } from './server.ts';
import { runIndexer } from '../indexer/pipeline.ts';
import { SAMPLE_INPUTS, SEED_INPUT } from '../indexer/readers/index.ts';
import { printSummary, progressReporter } from '../indexer/cli.ts';
import { indexInBackground, markSamplePending, sampleDone, samplePending } from './sample-indexing.ts';

/**
 * The first run builds the seed papers, holding the writer lock, and only into
 * a folder that is new or empty: a mistyped INDEX_DIR must never turn someone's
 * folder, or unpublished builds, into the sample index. It marks the sample as
 * pending, for the background indexer to finish (it takes the lock in turn).
 */
async function buildSeedsIfNeeded(config: Config): Promise<void> {
  if ((await inspectIndexDir(config.indexDir)).current) return;
  await withWriterLock(config.indexDir, { waitMs: config.lockWaitMs }, async (lock) => {
    const state = await inspectIndexDir(config.indexDir);
    if (state.current) return;
    await assertNoUnpublishedBuilds(config.indexDir);
    if (state.other.length) {
      throw new PaperscopeError(
        'INDEX_MISSING',
        `${config.indexDir} holds no index but is not empty (${state.other.slice(0, 5).join(', ')}); npm start builds the sample only into a new or empty folder. ` +
          `Set INDEX_DIR to another folder, or index your papers there with: npm run index -- FILES --out ${config.indexDir}`,
        { indexDir: config.indexDir, entries: state.other.slice(0, 20) },
      );
    }
    logger.info({ indexDir: config.indexDir, inputs: [SEED_INPUT] }, 'no index yet: indexing the seed papers first, the rest of the sample corpus once serving');
    await markSamplePending(config.indexDir);
    const summary = await runIndexer({
      inputs: [SEED_INPUT],
      indexDir: config.indexDir,
      model: config.model,
      modelsDir: config.modelsDir,
      allowRemote: config.allowRemoteModels,
      prune: false,
      workers: Math.max(1, os.availableParallelism()),
      onProgress: progressReporter(),
      keepBuilds: config.keepBuilds,
      lock,
    });
    printSummary(summary);
  });
}

async function main() {
  const config = loadConfig();
  await buildSeedsIfNeeded(config);
  const background = (await samplePending(config.indexDir)) ? indexInBackground(config, SAMPLE_INPUTS) : null;
  const server = await startServer(config, { indexing: () => background?.progress() ?? null });
  logger.info({ url: server.url, papers: server.index.papers.size, model: server.index.manifest.model }, 'Paperscope is serving');
  closeOnSignals(server);
  // The child indexer is crash-safe: stopped mid-way, it leaves the seed build served and the pending mark for the next start.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => background?.stop());
  background?.finished.then(
    async (outcome) => {
      if (outcome === 'stopped') return;
      await sampleDone(config.indexDir);
      logger.info('the whole sample corpus is indexed and served');
    },
    (err) => logger.error({ err }, 'indexing the sample corpus in the background failed; serving the papers indexed so far'),
  );
}

main().catch(reportStartupError);
