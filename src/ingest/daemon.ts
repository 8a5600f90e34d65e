import { logger } from '../logger.ts';

/**
 * The life of a queue daemon (`npm run worker`, `committer`, `builder`):
 * start it, and on SIGINT or SIGTERM let it finish what it holds, then exit 0;
 * a failed start is one log line and exit 1.
 */
export function runDaemon(name: string, start: () => Promise<{ close(): Promise<void> }>, stopping: string): void {
  start()
    .then((daemon) => {
      const stop = async (signal: string) => {
        logger.info({ signal }, `${name} stopping (${stopping})`);
        await daemon.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    })
    .catch((err) => {
      logger.error({ err: err instanceof Error ? err.message : String(err) }, `${name} failed to start`);
      process.exit(1);
    });
}
