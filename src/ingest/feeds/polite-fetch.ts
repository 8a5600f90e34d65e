/**
 * HTTP for feeds: at most one request per `delayMs` (arXiv asks for one every
 * 3 s), and retries with exponential backoff on 429, 5xx and network errors,
 * waiting at least what the server's `Retry-After` asks for.
 */
export interface PoliteFetchOptions {
  delayMs: number;
  retries: number;
  /** First backoff; doubled on each retry. */
  backoffMs: number;
  /** Longest single wait, whatever Retry-After says. */
  maxWaitMs?: number;
  onRetry?: (info: { url: string; status: number | null; waitMs: number; attempt: number }) => void;
}

export type PoliteFetch = (url: string) => Promise<string>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Retry-After as seconds or an HTTP date, in ms; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  if (/^\d+$/.test(header.trim())) return Number(header) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

export function politeFetch(options: PoliteFetchOptions): PoliteFetch {
  let nextAt = 0;
  const maxWait = options.maxWaitMs ?? 10 * 60_000;
  return async (url) => {
    for (let attempt = 0; ; attempt++) {
      const wait = nextAt - Date.now();
      if (wait > 0) await sleep(wait);
      nextAt = Date.now() + options.delayMs;
      let status: number | null = null;
      let retryAfter: number | null = null;
      try {
        const res = await fetch(url, { headers: { 'user-agent': 'paperscope-feed (+https://github.com/paperscope)' } });
        if (res.ok) return await res.text();
        status = res.status;
        retryAfter = retryAfterMs(res.headers.get('retry-after'));
        await res.body?.cancel();
        if (status !== 429 && status < 500) throw new FeedHttpError(url, status);
      } catch (err) {
        if (err instanceof FeedHttpError) throw err;
        if (attempt >= options.retries) throw new Error(`${url}: ${(err as Error).message} (after ${attempt + 1} tries)`);
      }
      if (attempt >= options.retries) throw new FeedHttpError(url, status!, attempt + 1);
      const waitMs = Math.min(maxWait, Math.max(retryAfter ?? 0, options.backoffMs * 2 ** attempt));
      options.onRetry?.({ url, status, waitMs, attempt: attempt + 1 });
      nextAt = Math.max(nextAt, Date.now() + waitMs);
    }
  };
}

export class FeedHttpError extends Error {
  constructor(
    readonly url: string,
    readonly status: number,
    tries = 1,
  ) {
    super(`${url}: HTTP ${status}${tries > 1 ? ` (after ${tries} tries)` : ''}`);
  }
}
