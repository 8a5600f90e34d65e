/**
 * First run of `npm start`: the 41 seed papers are indexed in the foreground
 * (seconds), so that the service answers within a minute, and the rest of the
 * sample corpus in a child indexer at low priority, whose build the server
 * picks up live when it is published. Progress comes back over IPC and is
 * reported by /health and /api/stats, so the page can say more papers are coming.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Config } from './config.ts';
import { logger } from './logger.ts';
import { SAMPLE_PENDING } from './store/build-dir.ts';
import type { ProgressEvent } from '../indexer/pipeline.ts';

export interface IndexingProgress {
  /** Papers embedded so far, of `total` to embed (null until the child has read its inputs). */
  done: number;
  total: number | null;
  /** What the child is doing: reading and comparing, embedding, or computing a build step (topics, map). */
  stage: string;
}

export interface BackgroundIndexing {
  progress(): IndexingProgress | null;
  /** Resolves when the child has published its build ('done') or was stopped by `stop()`; rejects when it failed. */
  finished: Promise<'done' | 'stopped'>;
  stop(): void;
}

/**
 * Written into INDEX_DIR before the seed papers are indexed and removed once
 * the whole sample is: a start that finds it (the previous one was stopped
 * mid-way) indexes the rest again, incrementally.
 */
const PENDING = SAMPLE_PENDING;
/** The background indexer yields the cores to the service: queries come first. */
const CHILD_PRIORITY = 10;
/** The child waits its turn behind another writer of the folder (an `npm run index`) rather than failing. */
const LOCK_WAIT_S = 3600;

const CLI = new URL(`../indexer/cli${path.extname(new URL(import.meta.url).pathname)}`, import.meta.url);

export const samplePending = (indexDir: string) =>
  fs.stat(path.join(indexDir, PENDING)).then(
    () => true,
    () => false,
  );

export async function markSamplePending(indexDir: string): Promise<void> {
  await fs.mkdir(indexDir, { recursive: true });
  await fs.writeFile(path.join(indexDir, PENDING), 'npm start indexes the sample corpus in the background; this file goes when it is done\n');
}

/**
 * Runs the indexer CLI on `inputs` into the config's INDEX_DIR as a child
 * process. It publishes a build after every SAMPLE_CHECKPOINT papers embedded:
 * searches cover more papers as it goes, and a stopped start resumes from the
 * last one (500 papers: about 80 s of the default model's work on two cores,
 * for a few seconds of build steps each).
 */
export function indexInBackground(config: Config, inputs: string[]): BackgroundIndexing {
  const execArgv = CLI.pathname.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const args = [...inputs, '--out', config.indexDir, '--model', config.model, '--checkpoint-every', String(config.sampleCheckpoint), '--wait', String(LOCK_WAIT_S)];
  const child: ChildProcess = fork(CLI, args, {
    execArgv,
    env: { ...process.env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  try {
    if (child.pid) os.setPriority(child.pid, CHILD_PRIORITY);
  } catch (err) {
    logger.warn({ err }, 'could not lower the background indexer priority');
  }
  let progress: IndexingProgress | null = { done: 0, total: null, stage: 'reading' };
  let lastDecile = -1;
  child.on('message', (e: ProgressEvent) => {
    if (e.stage === 'embed-start') progress = { done: 0, total: e.total, stage: 'embedding' };
    else if (e.stage === 'embed') {
      progress = { done: e.done, total: e.total, stage: 'embedding' };
      const decile = Math.floor((10 * e.done) / e.total);
      if (decile > lastDecile) {
        lastDecile = decile;
        logger.info({ done: e.done, total: e.total }, 'indexing the sample corpus in the background');
      }
    } else if (e.stage === 'step') progress = { ...progress!, stage: e.name };
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  let stopping = false;
  const finished = new Promise<'done' | 'stopped'>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      progress = null;
      if (code === 0) resolve('done');
      else if (stopping) resolve('stopped');
      else reject(new Error(`the background indexer ${signal ? `was stopped by ${signal}` : `exited with code ${code}`}: ${stderr.trim().split('\n').slice(-5).join(' | ')}`));
    });
  });
  return {
    progress: () => progress,
    finished,
    stop: () => {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    },
  };
}

/** Clears the pending mark once the background run has published the whole sample. */
export async function sampleDone(indexDir: string): Promise<void> {
  await fs.rm(path.join(indexDir, PENDING), { force: true });
}
