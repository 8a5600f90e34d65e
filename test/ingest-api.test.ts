import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runIndexer } from '../indexer/pipeline.ts';
import { currentBuildDir } from '../src/store/build-dir.ts';
import { readPapersTable } from '../src/store/papers-table.ts';
import pino from 'pino';
import { loadConfig } from '../src/config.ts';
import { applyToIndex } from '../src/ingest/apply-local.ts';
import { openLocalQueue } from '../src/ingest/local-queue.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { startServerProcess, type ServerProcess } from './helpers/server-process.ts';

const KEY = 'ps_live_8f3a1c9e2b7d4a6f0e5c';
const OTHER_KEY = 'ps_live_00aa11bb22cc33dd44ee';
const WRONG_KEY = 'ps_live_not_a_key_at_all_99';

const paper = (n: number) => ({
  id: `ingest-test-${n}`,
  title: `Learned index structures for point cloud retrieval, part ${n}`,
  abstract: 'We index 3D point clouds with learned models and compare them with classical trees on retrieval latency.',
  authors: ['Ada Lovelace', 'Alan Turing'],
  year: 2025,
});

let dir: string;
let indexDir: string;
let keysFile: string;
let server: ServerProcess;
let crashIndexDir: string;

/** The papers of the build CURRENT names, by id. */
async function publishedIds(where = indexDir): Promise<Set<string>> {
  const build = await currentBuildDir(where);
  return new Set((await readPapersTable(build!)).map((r) => r.paper.id));
}

async function waitForJob(url: string, id: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 600; i++) {
    const job = await (await fetch(`${url}/api/jobs/${id}`)).json();
    if (job.state === 'done' || job.state === 'failed') return job;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`job ${id} did not finish`);
}

const post = (url: string, body: unknown, key?: string) =>
  fetch(`${url}/api/papers`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify(body),
  });

// Set up as the file loads, not in a beforeAll: no hook time-out applies, so a busy machine makes the start slower, not a failure.
dir = await tempDir('paperscope-ingest-');
indexDir = path.join(dir, 'index');
crashIndexDir = path.join(dir, 'crash-index');
// The 41 seed papers with the corpus-learned model: a few seconds, no neural model.
await runIndexer({ inputs: [path.resolve('data/hf-daily-papers.txt')], indexDir, model: 'lsa', modelsDir: 'models', allowRemote: false, prune: false, workers: 1 });
keysFile = path.join(dir, 'api-keys');
await fs.writeFile(keysFile, `# writers\n${KEY}\n${OTHER_KEY}\n`);
// A copy of the fresh index for the crash test, which must not race the other tests' writes.
await fs.cp(indexDir, crashIndexDir, { recursive: true });
server = await startServerProcess({ INDEX_DIR: indexDir, MODEL: 'lsa', API_KEYS_FILE: keysFile, INGEST_BATCH_MS: '200' });

afterAll(() => server?.stop('SIGKILL'));

describe('writes need an API key', () => {
  it('answers 401 without a key, 403 with a wrong one, in the usual JSON error', async () => {
    const missing = await post(server.url, paper(1));
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    expect((await missing.json()).error.code).toBe('UNAUTHORIZED');
    const wrong = await post(server.url, paper(1), WRONG_KEY);
    expect(wrong.status).toBe(403);
    expect((await wrong.json()).error.code).toBe('FORBIDDEN');
    const del = await fetch(`${server.url}/api/papers/x`, { method: 'DELETE', headers: { authorization: 'Basic abc' } });
    expect(del.status).toBe(401);
  });

  it('reads stay public', async () => {
    expect((await fetch(`${server.url}/api/search?q=point+clouds`)).status).toBe(200);
  });

  it('validates like the indexer\'s generic format and names the bad field', async () => {
    const res = await post(server.url, { papers: [paper(1), { id: 'no-title', abstract: 'x' }] }, KEY);
    expect(res.status).toBe(400);
    const { error } = await res.json();
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain('papers.1.title');
  });
});

describe('accepted writes', () => {
  it('queues a paper (202), gives the same job for the same content, and publishes a build that holds it', async () => {
    const first = await post(server.url, paper(1), KEY);
    expect(first.status).toBe(202);
    const { jobs } = await first.json();
    expect(jobs).toEqual([{ id: expect.stringMatching(/^u[0-9a-f]{31}$/), paper_id: 'ingest-test-1', kind: 'upsert' }]);
    const again = await (await post(server.url, { papers: [paper(1)] }, OTHER_KEY)).json();
    expect(again.jobs[0].id).toBe(jobs[0].id);

    const job = await waitForJob(server.url, jobs[0].id);
    expect(job).toMatchObject({ state: 'done', paper_id: 'ingest-test-1', kind: 'upsert', error: null });
    const ids = await publishedIds();
    expect(ids.has('ingest-test-1')).toBe(true);
    expect(ids.size).toBe(42);
  });

  it('deletes a paper through the same queue', async () => {
    const res = await fetch(`${server.url}/api/papers/ingest-test-1`, { method: 'DELETE', headers: { authorization: `Bearer ${KEY}` } });
    expect(res.status).toBe(202);
    const { jobs } = await res.json();
    expect((await waitForJob(server.url, jobs[0].id)).state).toBe('done');
    expect((await publishedIds()).has('ingest-test-1')).toBe(false);
  });

  it('an unknown job is a 404', async () => {
    const res = await fetch(`${server.url}/api/jobs/u0000000000000000000000000000000`);
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('JOB_NOT_FOUND');
  });

  it('a key deleted from the keys file is revoked without a restart', async () => {
    await fs.writeFile(keysFile, `${OTHER_KEY}\n`);
    expect((await post(server.url, paper(2), KEY)).status).toBe(403);
    expect((await post(server.url, paper(2), OTHER_KEY)).status).toBe(202);
  });

  it('never writes a key (or a wrong one) to the logs', () => {
    const logs = server.output();
    expect(logs).toContain('"path":"/api/papers"');
    for (const secret of [KEY, OTHER_KEY, WRONG_KEY]) expect(logs).not.toContain(secret);
  });
});

describe('a crash after 202 loses nothing', () => {
  it('a job accepted just before SIGKILL is applied when the queue reopens on the same INDEX_DIR', async () => {
    const doomed = await startServerProcess({ INDEX_DIR: crashIndexDir, MODEL: 'lsa', API_KEYS_FILE: keysFile, INGEST_BATCH_MS: '600000' });
    let res: Response;
    try {
      res = await post(doomed.url, paper(3), OTHER_KEY);
    } finally {
      await doomed.stop('SIGKILL');
    }
    expect(res.status).toBe(202);
    const { jobs } = await res.json();
    expect((await publishedIds(crashIndexDir)).has('ingest-test-3')).toBe(false);

    // What the next server does at start-up, in this process.
    const config = loadConfig({ INDEX_DIR: crashIndexDir, MODEL: 'lsa', MODELS_DIR: 'models' });
    const queue = await openLocalQueue({ dir: path.join(crashIndexDir, 'ingest'), apply: applyToIndex(config, 1), logger: pino({ level: 'silent' }), batchDelayMs: 50 });
    try {
      expect((await queue.status(jobs[0].id))?.state).toBe('queued');
      for (let i = 0; i < 600 && (await queue.status(jobs[0].id))?.state !== 'done'; i++) await new Promise((r) => setTimeout(r, 100));
      expect((await queue.status(jobs[0].id))?.state).toBe('done');
    } finally {
      await queue.close();
    }
    expect((await publishedIds(crashIndexDir)).has('ingest-test-3')).toBe(true);

    // Reopened (the journal is compacted at every start), the finished job is still known and not applied again.
    const apply = async () => {
      throw new Error('a finished job was applied again');
    };
    const reopened = await openLocalQueue({ dir: path.join(crashIndexDir, 'ingest'), apply, logger: pino({ level: 'silent' }), batchDelayMs: 50 });
    try {
      expect(await reopened.status(jobs[0].id)).toMatchObject({ state: 'done', attempts: 1, paper_id: 'ingest-test-3' });
    } finally {
      await reopened.close();
    }
  });
});
