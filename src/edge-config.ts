/**
 * The service's limits at the edge, each from an environment variable (see the
 * README's variables table). The defaults follow what nginx and Node itself do,
 * tightened where a search service has no use for more.
 */
export interface EdgeConfig {
  /** The origin other sites see (snippets, OpenAPI servers); null: the listen address. Never taken from the Host header. */
  publicUrl: string | null;
  bodyLimitBytes: number;
  /** POST /api/papers carries up to 1,000 papers. */
  ingestBodyLimitBytes: number;
  /** Time to receive a request's headers, and the whole request; slow clients are cut off after these. */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxConnections: number;
  /** A request's deadline from its arrival; past it the work is cancelled and the client gets 503. */
  deadlineMs: number;
  /** Requests per client (IP) per minute; 0 turns rate limiting off. */
  rateLimitPerMinute: number;
  /** Take the client address from X-Forwarded-For (only behind a proxy that sets it). */
  trustProxy: boolean;
  /** Searches, similar papers and pages computed at once, and how many may wait for a slot. */
  searchConcurrency: number;
  searchQueue: number;
  /** Query-time clustering threads, and how many clusterings may wait for one. */
  topicWorkers: number;
  topicQueue: number;
  /** Longest wait for a slot before the request is shed with 503. */
  queueWaitMs: number;
  /** How long in-flight requests get to finish after SIGTERM. */
  shutdownGraceMs: number;
}

function int(value: string | undefined, fallback: number, min = 0): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`expected an integer ≥ ${min}, got "${value}"`);
  return n;
}

function publicUrl(value: string | undefined): string | null {
  if (!value) return null;
  const url = new URL(value);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`PUBLIC_URL must be an http(s) url, got "${value}"`);
  return url.origin;
}

export function loadEdgeConfig(env: NodeJS.ProcessEnv): EdgeConfig {
  return {
    publicUrl: publicUrl(env.PUBLIC_URL),
    bodyLimitBytes: int(env.BODY_LIMIT_BYTES, 100 * 1024, 1),
    ingestBodyLimitBytes: int(env.INGEST_BODY_LIMIT_BYTES, 8 * 2 ** 20, 1),
    headersTimeoutMs: int(env.HEADERS_TIMEOUT_MS, 10_000, 1),
    requestTimeoutMs: int(env.REQUEST_TIMEOUT_MS, 30_000, 1),
    keepAliveTimeoutMs: int(env.KEEP_ALIVE_TIMEOUT_MS, 5_000, 1),
    maxConnections: int(env.MAX_CONNECTIONS, 1024, 1),
    deadlineMs: int(env.REQUEST_DEADLINE_MS, 10_000, 1),
    rateLimitPerMinute: int(env.RATE_LIMIT_PER_MINUTE, 1200),
    trustProxy: env.TRUST_PROXY === '1',
    searchConcurrency: int(env.SEARCH_CONCURRENCY, 8, 1),
    searchQueue: int(env.SEARCH_QUEUE, 32),
    topicWorkers: int(env.TOPIC_WORKERS, 1, 1),
    topicQueue: int(env.TOPIC_QUEUE, 4),
    queueWaitMs: int(env.QUEUE_WAIT_MS, 1_000, 1),
    shutdownGraceMs: int(env.SHUTDOWN_GRACE_MS, 8_000, 1),
  };
}
