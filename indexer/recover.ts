import { PaperscopeError } from '../src/errors.ts';
import { buildPath, inspectIndexDir, setCurrent } from '../src/store/build-dir.ts';
import { loadBuild } from '../src/store/load-index.ts';
import { withWriterLock } from '../src/store/writer-lock.ts';

export interface Recovery {
  /** The build now published. */
  published: string;
  /** Newer builds that did not load, and why. */
  refused: { build: string; reason: string }[];
}

/**
 * Publishes the newest complete build that loads and verifies, for a folder
 * whose CURRENT is missing or names no complete build. Deletes nothing: the
 * builds it passes over stay for a person to look at.
 */
export async function recoverIndex(indexDir: string, waitMs = 0): Promise<Recovery> {
  return withWriterLock(indexDir, { waitMs }, async () => {
    const state = await inspectIndexDir(indexDir);
    if (state.current) {
      throw new PaperscopeError('INVALID_INPUT', `${indexDir} already serves ${state.current}; there is nothing to recover`, { indexDir });
    }
    const refused: Recovery['refused'] = [];
    for (const name of state.complete) {
      try {
        (await loadBuild(buildPath(indexDir, name))).close();
      } catch (err) {
        refused.push({ build: name, reason: (err as Error).message });
        continue;
      }
      await setCurrent(indexDir, buildPath(indexDir, name));
      return { published: name, refused };
    }
    throw new PaperscopeError('INDEX_CORRUPT', `${indexDir} holds no build that loads; nothing was published`, { indexDir, refused });
  });
}
