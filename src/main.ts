/**
 * `npm start`: builds the sample index on first run, then serves it.
 */
import os from 'node:os';
import { loadConfig, type Config } from './config.ts';
import { PaperscopeError } from './errors.ts';
import { logger } from './logger.ts';
import { assertNoUnpublishedBuilds, inspectIndexDir } from './store/build-dir.ts';
import { withWriterLock } from './store/writer-lock.ts';
import { closeOnSignals, reportStartupError, startServer } from './server.ts';
import { runIndexer } from '../indexer/pipeline.ts';
import { SAMPLE_INPUTS } from '../indexer/readers/index.ts';
import { printSummary, progressReporter } from '../indexer/cli.ts';

/**
 * The first run builds the sample, holding the writer lock, and only into a
 * folder that is new or empty: a mistyped INDEX_DIR must never turn someone's
 * folder, or unpublished builds, into the sample index.
 */
async function buildSampleIfNeeded(config: Config): Promise<void> {
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
    logger.info({ indexDir: config.indexDir, inputs: SAMPLE_INPUTS }, 'no index yet: indexing the sample corpus');
    const summary = await runIndexer({
      inputs: SAMPLE_INPUTS,
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
  await buildSampleIfNeeded(config);
  const server = await startServer(config);
  logger.info({ url: server.url, papers: server.index.papers.size, model: server.index.manifest.model }, 'Paperscope is serving');
  closeOnSignals(server);
}

main().catch(reportStartupError);
