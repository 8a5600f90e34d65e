import type { Redis } from 'ioredis';

/**
 * A lease in Redis: one key, set only if absent, with an expiry that its
 * holder keeps renewing. It gives a partition exactly one committer at a time
 * across all machines: a second committer of the same partition waits (a hot
 * standby) and takes over once the holder stops renewing, i.e. at most `ttlMs`
 * after it died. Renewal and release check the holder, so an old holder can
 * never extend or delete its successor's lease.
 */
export interface Lease {
  readonly key: string;
  /** Whether the lease was still ours at the last renewal. */
  held(): boolean;
  /** Resolves when a renewal finds the lease gone or taken (the holder must stop writing). */
  readonly lost: Promise<void>;
  release(): Promise<void>;
}

const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export interface LeaseOptions {
  ttlMs: number;
  /** Stops waiting for the lease (acquireLease then resolves null). */
  signal?: AbortSignal;
  /** Told once, when the lease is held by someone else and this caller starts waiting. */
  onWait?(holder: string): void;
}

/** Waits until the lease is free and takes it; null if `signal` aborts first. */
export async function acquireLease(redis: Redis, key: string, owner: string, options: LeaseOptions): Promise<Lease | null> {
  const { ttlMs, signal } = options;
  let told = false;
  while (!signal?.aborted) {
    if ((await redis.set(key, owner, 'PX', ttlMs, 'NX')) === 'OK') return holdLease(redis, key, owner, ttlMs);
    if (!told) {
      options.onWait?.((await redis.get(key)) ?? 'unknown');
      told = true;
    }
    await new Promise((r) => setTimeout(r, Math.max(100, Math.floor(ttlMs / 4))));
  }
  return null;
}

function holdLease(redis: Redis, key: string, owner: string, ttlMs: number): Lease {
  let held = true;
  let onLost: () => void = () => undefined;
  const lost = new Promise<void>((resolve) => (onLost = resolve));
  const drop = () => {
    if (!held) return;
    held = false;
    clearInterval(timer);
    onLost();
  };
  const timer = setInterval(() => {
    redis.eval(RENEW, 1, key, owner, String(ttlMs)).then(
      (ok) => ok !== 1 && drop(),
      // Redis unreachable: the lease may expire meanwhile, so the holder stops as if it had.
      () => drop(),
    );
  }, Math.max(50, Math.floor(ttlMs / 3)));
  timer.unref();
  return {
    key,
    held: () => held,
    lost,
    async release() {
      const wasHeld = held;
      drop();
      if (wasHeld) await redis.eval(RELEASE, 1, key, owner).catch(() => undefined);
    },
  };
}
