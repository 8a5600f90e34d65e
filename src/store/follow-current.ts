import fs from 'node:fs';
import type { Logger } from 'pino';
import { currentBuildDir } from './build-dir.ts';
import type { LiveIndex } from './live-index.ts';

/**
 * Keeps a live index on the build INDEX_DIR/CURRENT names. fs.watch on the
 * folder notices a publish at once where the platform supports it; polling
 * covers network file systems and platforms where it does not; `check()` is
 * also what SIGHUP calls. A build that failed to load is not retried until
 * CURRENT names another one, so a broken publish is logged once, not every poll.
 */
export interface CurrentFollower {
  /** Reads CURRENT and swaps to it if it names another build; resolves when done. */
  check(): Promise<void>;
  close(): void;
}

export function followCurrent(indexDir: string, live: LiveIndex, logger: Logger, pollMs: number): CurrentFollower {
  let failed: string | null = null;
  let running: Promise<void> | null = null;
  let again = false;

  const once = async () => {
    const dir = await currentBuildDir(indexDir).catch((err) => {
      logger.warn({ err: err.message, indexDir }, 'cannot read CURRENT; keeping the serving build');
      return null;
    });
    if (!dir || dir === failed || dir === live.current().dir) return;
    const started = performance.now();
    try {
      const build = await live.swapTo(dir);
      failed = null;
      logger.info({ build: build.id, papers: build.ctx.index.papers.size, ms: Math.round(performance.now() - started) }, 'serving a newly published build');
    } catch (err) {
      failed = dir;
      const e = err as Error & { code?: string };
      logger.error({ build: dir, code: e.code, err: e.message }, 'the newly published build cannot be served; keeping the current one');
    }
  };
  const check = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await once();
      } while (again);
    })().finally(() => (running = null));
    return running;
  };

  let watcher: fs.FSWatcher | null = null;
  try {
    watcher = fs.watch(indexDir, (_event, file) => {
      if (file === null || file === 'CURRENT') void check();
    });
    watcher.on('error', () => watcher?.close());
  } catch {
    // Polling alone then.
  }
  const poll = pollMs > 0 ? setInterval(() => void check(), pollMs) : null;
  poll?.unref();
  return {
    check,
    close() {
      watcher?.close();
      if (poll) clearInterval(poll);
    },
  };
}
