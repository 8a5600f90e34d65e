import { buildOnce, type BuildResult, type BuildTarget } from '../../src/ingest/builder.ts';
import type { RecordTable } from '../../src/store/record-table.ts';
import { tempDir } from './temp-dir.ts';

export interface RacingBuilder {
  table: RecordTable;
  target: BuildTarget;
}

/**
 * Runs `buildOnce` for every builder at once and holds each one between
 * building and publishing until all have built: every one has read the same
 * CURRENT and pinned the same table version, and they then race for the one
 * compare-and-swap on CURRENT.
 */
export async function raceBuilders(builders: RacingBuilder[], model = 'test-vectors'): Promise<BuildResult[]> {
  let arrived = 0;
  let release!: () => void;
  const allBuilt = new Promise<void>((r) => (release = r));
  const beforePublish = async () => {
    if (++arrived === builders.length) release();
    await allBuilt;
  };
  return Promise.all(builders.map(async ({ table, target }) => buildOnce(table, target, { model, workDir: await tempDir(), beforePublish })));
}
