import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchArxiv } from '../src/ingest/feeds/arxiv-oai.ts';
import { fetchHfDaily } from '../src/ingest/feeds/hf-daily.ts';
import { politeFetch, retryAfterMs } from '../src/ingest/feeds/polite-fetch.ts';
import { runFeed } from '../src/ingest/feeds/run-feed.ts';
import { jobRef, type IngestOp } from '../src/ingest/jobs.ts';
import { tempDir } from './helpers/temp-dir.ts';

const fixture = (name: string) => fs.readFile(path.resolve('test/fixtures/feeds', name), 'utf8');

/** Replays recorded-format responses; the first request for page 2 gets a 503 with Retry-After: 1. */
let server: http.Server;
let base: string;
const hits: { url: string; at: number; status: number }[] = [];

beforeAll(async () => {
  let page2Refused = false;
  server = http.createServer(async (req, res) => {
    const url = new URL(req.url!, 'http://x');
    const q = url.searchParams;
    const send = (status: number, body: string, headers: Record<string, string> = {}) => {
      hits.push({ url: req.url!, at: Date.now(), status });
      res.writeHead(status, headers).end(body);
    };
    if (url.pathname === '/api/daily_papers' && q.get('date') === '2025-01-02') return send(200, await fixture('hf-daily-2025-01-02.json'), { 'content-type': 'application/json' });
    if (url.pathname === '/oai' && q.get('verb') === 'ListRecords') {
      if (q.get('resumptionToken') === '6075941|1001') {
        if (!page2Refused) {
          page2Refused = true;
          return send(503, 'Retry later', { 'retry-after': '1' });
        }
        return send(200, await fixture('arxiv-page2.xml'));
      }
      if (q.get('metadataPrefix') === 'arXiv' && q.get('set') === 'cs' && q.get('from') === '2025-01-01') return send(200, await fixture('arxiv-page1.xml'));
      if (q.get('metadataPrefix') === 'arXiv' && q.get('set') === 'cs' && q.get('from') === '2025-01-02') return send(200, await fixture('arxiv-from-2025-01-02.xml'));
    }
    send(404, 'not recorded');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Stands in for the queue's submit: records what a feed would queue and answers with the real job refs. */
function recorder() {
  const calls: IngestOp[][] = [];
  return { calls, submit: async (ops: IngestOp[]) => (calls.push(ops), ops.map(jobRef)) };
}

const fetcher = () => politeFetch({ delayMs: 10, retries: 3, backoffMs: 50 });

describe('arXiv OAI-PMH feed', () => {
  it('follows the resumption token, waits out a 503 with Retry-After, reports the malformed record and queues the rest', async () => {
    const dir = await tempDir();
    const q = recorder();
    const summary = await runFeed(dir, 'arxiv:cs', () => fetchArxiv(fetcher(), `${base}/oai`, { from: '2025-01-01', set: 'cs' }), q.submit);

    expect(summary).toMatchObject({ fetched: 2, queued: 2, deleted: 1, skipped: 1, requests: 2, until: '2025-01-02' });
    expect(summary.issues).toEqual([expect.objectContaining({ record: '2501.00020', reason: 'missing title' })]);
    const oai = hits.filter((h) => h.url.startsWith('/oai'));
    expect(oai.map((h) => h.status)).toEqual([200, 503, 200]);
    expect(oai[2]!.at - oai[1]!.at).toBeGreaterThanOrEqual(1000);

    expect(q.calls).toHaveLength(1);
    const [first, second, gone] = q.calls[0]!;
    expect(first).toMatchObject({
      kind: 'upsert',
      paper: { id: '2501.00010', title: 'Sparse Mixture-of-Experts for Retrieval', authors: ['Csaba Balázs', 'E. L. Berger'], date: '2024-12-30', categories: ['cs.IR', 'cs.LG'], url: 'https://arxiv.org/abs/2501.00010' },
    });
    expect(first!.kind === 'upsert' && first!.paper.abstract).toBe('We route queries to sparse experts and measure retrieval quality against dense baselines.');
    expect(second).toMatchObject({ kind: 'upsert', paper: { id: '2501.00030', authors: ['Margaret Hamilton Jr'] } });
    expect(gone).toEqual({ kind: 'delete', id: '2412.99999' });
  });

  it('an incremental second run starts where the first stopped and queues nothing new', async () => {
    const dir = await tempDir();
    await runFeed(dir, 'arxiv:cs', () => fetchArxiv(fetcher(), `${base}/oai`, { from: '2025-01-01', set: 'cs' }), recorder().submit);
    const q = recorder();
    let from = '';
    const summary = await runFeed(dir, 'arxiv:cs', (cursor) => fetchArxiv(fetcher(), `${base}/oai`, { from: (from = cursor!.until!), set: 'cs' }), q.submit);
    expect(from).toBe('2025-01-02');
    expect(summary).toMatchObject({ fetched: 1, queued: 0, unchanged: 1 });
    expect(q.calls).toHaveLength(0);
  });
});

describe('Hugging Face daily papers feed', () => {
  it('queues the day\'s papers through the hf-daily-json reader, names the malformed one, and a second run queues nothing', async () => {
    const dir = await tempDir();
    const q = recorder();
    const first = await runFeed(dir, 'hf-daily:2025-01-02', () => fetchHfDaily(fetcher(), base, '2025-01-02'), q.submit);
    expect(first).toMatchObject({ fetched: 2, queued: 2, skipped: 1 });
    expect(first.issues[0]!.reason).toMatch(/title/);
    expect(q.calls[0]!.map((op) => op.kind === 'upsert' && op.paper.id)).toEqual(['2501.01001', '2501.01002']);
    expect(q.calls[0]![0]).toMatchObject({ paper: { authors: ['Yann Dubois', 'Percy Liang'], date: '2025-01-01' } });

    const again = recorder();
    const second = await runFeed(dir, 'hf-daily:2025-01-02', () => fetchHfDaily(fetcher(), base, '2025-01-02'), again.submit);
    expect(second).toMatchObject({ fetched: 2, queued: 0, unchanged: 2 });
    expect(again.calls).toHaveLength(0);
  });
});

describe('polite fetching', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterMs('7')).toBe(7000);
    expect(retryAfterMs(new Date(Date.UTC(2030, 0, 1, 0, 0, 30)).toUTCString(), Date.UTC(2030, 0, 1))).toBe(30_000);
    expect(retryAfterMs(null)).toBeNull();
  });

  it('gives up on a 404 at once, naming the url and status', async () => {
    const before = hits.length;
    await expect(fetcher()(`${base}/nothing`)).rejects.toThrow(/\/nothing: HTTP 404/);
    expect(hits.length - before).toBe(1);
  });
});
