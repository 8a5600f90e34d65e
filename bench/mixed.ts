/**
 * Mixed load (issue #10): 64 connections for 30 s against the sample index in
 * its own process. Searches (70% of the connections) repeat popular queries,
 * which the answer cache serves; the rest send heavy requests that are new
 * every time: topic queries (`/api/topics?q=`), `group=topics` searches and deep
 * pages (offset 900, k 100), a tenth each; a side loop posts an oversized body
 * every 2 s and a probe asks `/health` every 50 ms. A first phase runs the
 * search connections alone, so that the searches' throughput with and without
 * the heavy requests come from the same run. `--rounds N` repeats the mixed
 * phase and reports RSS and the load figures after each later round, which
 * tells a one-off warm-up from growth that goes on.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import type { BenchArgs } from './run.ts';
import { percentiles, round } from './stats.ts';
import { SAMPLE_INDEX_DIR, realVectors } from './vectors.ts';
import { startServerProcess } from './server-process.ts';
import { REPO_ROOT } from '../src/config.ts';

/** Query texts from the sample's own titles (the first words of each), so that no outside data is needed. */
function titleQueries(): string[] {
  const file = path.join(REPO_ROOT, 'data', 'arxiv-metadata-first2000.jsonl');
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { title: string }).title.replace(/\s+/g, ' ').split(' ').slice(0, 5).join(' '));
}

/** Cycles through `texts`; with a salt, later passes get a suffix so that a heavy request never hits a cache. */
function counter(texts: string[], salt?: string) {
  let i = 0;
  return () => {
    const n = i++;
    const pass = Math.floor(n / texts.length);
    return encodeURIComponent(salt && pass ? `${texts[n % texts.length]} ${salt}${pass}` : texts[n % texts.length]);
  };
}

interface Tally {
  requests: number;
  rps: number;
  p50_ms: number;
  p99_ms: number;
  status: Record<string, number>;
  timeouts: number;
  errors: number;
}

function tally(r: autocannon.Result): Tally {
  const status: Record<string, number> = {};
  for (const [code, s] of Object.entries(r.statusCodeStats ?? {})) status[code] = s.count ?? 0;
  return { requests: r.requests.total, rps: round(r.requests.average, 1), p50_ms: r.latency.p50, p99_ms: r.latency.p99, status, timeouts: r.timeouts, errors: r.errors };
}

const isShed = (code: number) => code === 503;
const isError = (code: number) => code >= 500 && code !== 503;

/** Answers whose status passes `pred`, over the load's parts and the oversized bodies' outcomes. */
function statusCount(parts: Tally[], oversized: Record<string, number>, pred: (code: number) => boolean): number {
  const inParts = parts.reduce((s, t) => s + Object.entries(t.status).filter(([c]) => pred(Number(c))).reduce((a, [, n]) => a + n, 0), 0);
  return inParts + Object.entries(oversized).filter(([c]) => pred(Number(c))).reduce((a, [, n]) => a + n, 0);
}

function fire(url: string, seconds: number, connections: number, path: () => string): Promise<autocannon.Result> {
  return autocannon({ url, connections, duration: seconds, timeout: 10, requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: path() }) }] });
}

/** `/health` every `everyMs` on its own connection; latencies in ms, failures counted. */
function healthProbe(url: string, everyMs: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const ms: number[] = [];
  let failures = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const t0 = performance.now();
      await new Promise<void>((resolve) => {
        const req = http.get(`${url}/health`, { agent, timeout: 10_000 }, (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode !== 200) failures++;
            ms.push(performance.now() - t0);
            resolve();
          });
        });
        req.on('timeout', () => req.destroy(new Error('timeout')));
        req.on('error', () => {
          failures++;
          ms.push(performance.now() - t0);
          resolve();
        });
      });
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      agent.destroy();
      return { ms, failures };
    },
  };
}

/** POST /api/similar with `mb` megabytes of JSON every `everyMs`; the statuses (or errors) it got. */
function oversizedBodies(url: string, mb: number, everyMs: number) {
  const body = Buffer.from(JSON.stringify({ positive: ['x'.repeat(mb * 2 ** 20)] }));
  const outcomes: Record<string, number> = {};
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const outcome = await new Promise<string>((resolve) => {
        const req = http.request(`${url}/api/similar`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': body.length }, timeout: 10_000 }, (res) => {
          res.resume();
          res.on('end', () => resolve(String(res.statusCode)));
        });
        req.on('timeout', () => req.destroy(new Error('timeout')));
        // The server may answer 413 and close before the whole body is sent: the socket's write then fails (EPIPE) after the answer.
        req.on('socket', (socket) => socket.on('error', () => undefined));
        req.on('error', (err) => resolve(err.message === 'timeout' ? 'timeout' : 'closed'));
        req.end(body);
      });
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return outcomes;
    },
  };
}

/** The server's own event-loop delay p99 (ms) since the last scrape: prom-client resets its histogram at each. */
async function serverLoopP99(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return round(Number(/^nodejs_eventloop_lag_p99_seconds (\S+)/m.exec(text)?.[1]) * 1000, 1);
}

/** CPU seconds of this process (the load generator) and of the server over `phase`, with the machine's load average. */
async function measured<T>(server: { cpuSeconds(): number }, phase: () => Promise<T>) {
  const client0 = process.cpuUsage();
  const server0 = server.cpuSeconds();
  const load = os.loadavg()[0];
  const value = await phase();
  const client = process.cpuUsage(client0);
  return { value, cpu: { client_s: round((client.user + client.system) / 1e6, 1), server_s: round(server.cpuSeconds() - server0, 1), load_avg_1m_start: round(load, 1), load_avg_1m_end: round(os.loadavg()[0], 1) } };
}

export async function run(args: BenchArgs): Promise<Record<string, unknown>> {
  const seconds = Number(args.duration ?? 30);
  const baselineSeconds = Number(args.baseline ?? 10);
  const connections = Number(args.connections ?? 64);
  const rounds = Math.max(1, Number(args.rounds ?? 1));
  const indexDir = String(args.index ?? SAMPLE_INDEX_DIR);
  if (indexDir === SAMPLE_INDEX_DIR) await realVectors(); // builds the sample index when missing
  // Every client is 127.0.0.1 here, so the per-client rate limit would measure itself; it is off for this run.
  const nodeArgs = typeof args['node-args'] === 'string' ? args['node-args'].split(' ') : [];
  const root = typeof args['server-root'] === 'string' ? path.resolve(args['server-root']) : undefined;
  // Start-up on a machine shared with many jobs has taken over two minutes.
  const server = await startServerProcess(indexDir, { RATE_LIMIT_PER_MINUTE: '0' }, 600_000, 'source', nodeArgs, root);
  try {
    const queries = titleQueries();
    const popular = queries.slice(0, 50);
    const heavy = queries.slice(50);
    const nextPopular = counter(popular);
    const searchPath = () => `/api/search?q=${nextPopular()}&k=10`;
    // Warm-up: every popular answer enters the cache once, as in steady state, before anything is measured.
    for (let i = 0; i < popular.length; i += 4) {
      await Promise.all(popular.slice(i, i + 4).map(async (q) => (await fetch(`${server.url}/api/search?q=${encodeURIComponent(q)}&k=10`)).arrayBuffer()));
    }

    const searchConnections = Math.round(connections * 0.7);
    const heavyEach = Math.max(1, Math.round((connections - searchConnections) / 3));
    console.error(`mixed: baseline ${baselineSeconds} s with ${searchConnections} search connections`);
    await serverLoopP99(server.url);
    const baseline = await measured(server, () => fire(server.url, baselineSeconds, searchConnections, searchPath));
    const alone = tally(baseline.value);
    const aloneLoopP99 = await serverLoopP99(server.url);

    const rssStart = server.rssMb();
    console.error(`mixed: ${seconds} s, ${searchConnections} search + 3×${heavyEach} heavy connections, server RSS ${rssStart} MB`);
    const topicQ = counter(heavy, 't');
    const groupQ = counter(heavy, 'g');
    const deepQ = counter(heavy, 'd');
    // One round of the mixed load; the counters go on across rounds, so that a heavy request is new in every round.
    const mixedRound = async () => {
      const probe = healthProbe(server.url, 50);
      const bodies = oversizedBodies(server.url, Number(args['body-mb'] ?? 50), 2000);
      const mixed = await measured(server, () =>
        Promise.all([
          fire(server.url, seconds, searchConnections, searchPath),
          fire(server.url, seconds, heavyEach, () => `/api/topics?q=${topicQ()}&n=50`),
          fire(server.url, seconds, heavyEach, () => `/api/search?q=${groupQ()}&k=50&group=topics`),
          fire(server.url, seconds, heavyEach, () => `/api/search?q=${deepQ()}&k=100&offset=900`),
        ]),
      );
      const loopP99 = await serverLoopP99(server.url);
      const health = await probe.stop();
      const oversized = await bodies.stop();
      // Let in-flight work drain and the heap settle before the closing RSS figure.
      await new Promise((r) => setTimeout(r, 5000));
      const statuses = mixed.value.map(tally);
      const figures = {
        health_p99_ms: round(percentiles(health.ms, [99]).p99, 1),
        status_5xx: statusCount(statuses, oversized, isError),
        timeouts: statuses.reduce((a, t) => a + t.timeouts, 0) + (oversized.timeout ?? 0),
        shed_503: statusCount(statuses, oversized, isShed),
        rss_end_mb: server.rssMb(),
        cached_search_rps_ratio: round(statuses[0]!.rps / alone.rps, 3),
      };
      return { cpu: mixed.cpu, statuses, loopP99, health, oversized, figures };
    };
    const { cpu: mixedCpu, statuses, loopP99: mixedLoopP99, health, oversized, figures } = await mixedRound();
    const [search, topics, grouped, deep] = statuses;
    // Later rounds tell a one-off warm-up (caches, thread heaps) from growth that goes on: RSS after each, and the same load figures.
    const laterRounds = [];
    for (let r = 1; r < rounds; r++) {
      console.error(`mixed: round ${r + 1} of ${rounds}, server RSS ${server.rssMb()} MB`);
      laterRounds.push((await mixedRound()).figures);
    }

    const parts = { search: search!, topics: topics!, group_topics: grouped!, deep_pages: deep! };
    return {
      health_p50_ms: round(percentiles(health.ms, [50]).p50, 1),
      health_failures: health.failures,
      ...figures,
      rss_start_mb: rssStart,
      later_rounds: laterRounds,
      cached_search_rps_alone: alone.rps,
      cached_search_rps_mixed: parts.search.rps,
      // Whether the figures measure the server or its load generator, which shares the machine's cores.
      server_loop_p99_ms: { alone: aloneLoopP99, mixed: mixedLoopP99 },
      cpu: { alone: baseline.cpu, mixed: mixedCpu },
      cpu_ms_per_cached_search_alone: round((baseline.cpu.server_s * 1000) / Math.max(1, alone.requests), 2),
      parts,
      oversized_bodies: oversized,
      server_root: root ?? REPO_ROOT,
      duration_s: seconds,
      rounds,
      baseline_s: baselineSeconds,
      connections,
      notes:
        'server in its own process (LOG_LEVEL=warn, RATE_LIMIT_PER_MINUTE=0 since all clients share 127.0.0.1); client timeout 10 s; status_5xx excludes 503 (shed); oversized = POST /api/similar with a body of body-mb MB every 2 s; health probed every 50 ms on one keep-alive connection; server_loop_p99_ms is the server\'s own event-loop delay (prom-client); cpu.*.client_s is this load generator\'s CPU time, server_s the server process\'s (all threads)',
    };
  } finally {
    await server.stop();
  }
}
