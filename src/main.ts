/**
 * `npm start`: builds the sample index on first run, then serves it.
 */
import os from 'node:os';
import { loadConfig } from './config.ts';
import { logger } from './logger.ts';
import { currentBuildDir } from './store/build-dir.ts';
import { closeOnSignals, reportStartupError, startServer } from './server.ts';
import { runIndexer } from '../indexer/pipeline.ts';
import { SAMPLE_INPUTS } from '../indexer/readers/index.ts';
import { printSummary, progressReporter } from '../indexer/cli.ts';

async function main() {
  const config = loadConfig();
  if (!(await currentBuildDir(config.indexDir))) {
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
    });
    printSummary(summary);
  }
  const server = await startServer(config);
  logger.info({ url: server.url, papers: server.index.papers.size, model: server.index.manifest.model }, 'Paperscope is serving');
  closeOnSignals(server);
}

main().catch(reportStartupError);
