import type { Config } from '../config.ts';
import { lastOpPerPaper, type IngestOp } from './jobs.ts';
import type { ApplyOps } from './local-queue.ts';

/**
 * The single-machine path: a batch of changes becomes one incremental indexer
 * run on INDEX_DIR (unchanged papers keep their vectors; only new or changed
 * ones are embedded), published through CURRENT like any build.
 */
export function applyToIndex(config: Config, workers: number): ApplyOps {
  return async (ops: IngestOp[]) => {
    const changes = lastOpPerPaper(ops);
    // The indexer (LanceDB, Arrow, the build steps) is loaded with the first write, not by every server start.
    const { runIndexer } = await import('../../indexer/pipeline.ts');
    await runIndexer({
      inputs: [],
      papers: changes.flatMap((op) => (op.kind === 'upsert' ? [op.paper] : [])),
      remove: changes.flatMap((op) => (op.kind === 'delete' ? [op.id] : [])),
      indexDir: config.indexDir,
      model: config.model,
      modelsDir: config.modelsDir,
      allowRemote: config.allowRemoteModels,
      prune: false,
      workers,
    });
  };
}
