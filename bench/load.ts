/**
 * Load: autocannon against the service in its own process on 127.0.0.1, with a
 * mix of repeated (popular, cached after first use) and unique (never seen,
 * each needs a query embedding) queries; then an optional soak to see whether
 * RSS keeps growing.
 */
import autocannon from 'autocannon';
import type { BenchArgs } from './run.ts';
import { round } from './stats.ts';
import { SAMPLE_INDEX_DIR, realVectors } from './vectors.ts';
import { sciFactQueryTexts } from './query-texts.ts';
import { startServerProcess } from './server-process.ts';

/** A query stream: `repeatShare` of requests draw from a small popular set, the rest are new texts. */
function queryMix(texts: string[], repeatShare: number, popular: number): () => string {
  let unique = 0;
  let n = 0;
  return () => {
    // A fixed interleaving rather than random draws, so that runs are comparable.
    if (n++ % 100 < repeatShare * 100) return texts[n % popular];
    const i = unique++;
    const pass = Math.floor(i / (texts.length - popular));
    const base = texts[popular + (i % (texts.length - popular))];
    // Later passes over the claims get a suffix so that they still miss the cache.
    return pass === 0 ? base : `${base} ${pass}`;
  };
}

async function fire(url: string, seconds: number, connections: number, next: () => string): Promise<autocannon.Result> {
  return autocannon({
    url,
    connections,
    duration: seconds,
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/api/search?q=${encodeURIComponent(next())}&k=10` }) }],
  });
}

function errorsOf(r: autocannon.Result): number {
  return r.errors + r.timeouts + r.non2xx;
}

export async function run(args: BenchArgs): Promise<Record<string, unknown>> {
  const seconds = Number(args.duration ?? 30);
  const soakSeconds = Number(args.soak ?? 0);
  const connections = Number(args.connections ?? 32);
  const repeatShare = Number(args.repeat ?? 0.8);
  const popular = Number(args.popular ?? 50);
  const indexDir = String(args.index ?? SAMPLE_INDEX_DIR);
  if (indexDir === SAMPLE_INDEX_DIR) await realVectors(); // builds the sample index when missing
  const server = await startServerProcess(indexDir);
  try {
    const next = queryMix(await sciFactQueryTexts(), repeatShare, popular);
    // Warm-up: JIT, and the popular queries' vectors enter the cache as they would in steady state.
    await fire(server.url, 3, 4, next);
    const rssStart = server.rssMb();
    console.error(`load: ${connections} connections for ${seconds} s, ${repeatShare * 100}% repeated queries, server RSS ${rssStart} MB`);
    const r = await fire(server.url, seconds, connections, next);
    const rssAfterRun = server.rssMb();
    const soak: { t_s: number; rss_mb: number }[] = [];
    let soakErrors = 0;
    let soakRequests = 0;
    if (soakSeconds > 0) {
      console.error(`soak: ${soakSeconds} s`);
      const t0 = performance.now();
      const timer = setInterval(() => soak.push({ t_s: Math.round((performance.now() - t0) / 1000), rss_mb: server.rssMb() }), 10_000);
      const s = await fire(server.url, soakSeconds, connections, next);
      clearInterval(timer);
      soakErrors = errorsOf(s);
      soakRequests = s.requests.total;
    }
    return {
      rps: round(r.requests.average, 1),
      p50_ms: r.latency.p50,
      p99_ms: r.latency.p99,
      errors: errorsOf(r) + soakErrors,
      error_kinds: { socket: r.errors, timeouts: r.timeouts, non_2xx: r.non2xx },
      rss_start_mb: rssStart,
      rss_end_mb: server.rssMb(),
      rss_after_run_mb: rssAfterRun,
      requests: r.requests.total,
      duration_s: seconds,
      connections,
      repeated_share: repeatShare,
      popular_queries: popular,
      soak_s: soakSeconds,
      soak_requests: soakRequests,
      soak_rss_mb: soak,
      notes: 'server in its own process (LOG_LEVEL=warn); unique queries miss the query-vector cache and need a USE-lite embedding each; errors = socket errors + timeouts + non-2xx, over the run and the soak',
    };
  } finally {
    await server.stop();
  }
}
