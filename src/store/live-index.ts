import path from 'node:path';
import type { SearchContext } from '../search/context.ts';

/**
 * The build a server answers from, replaceable while it runs. Each request
 * acquires the current build when it starts and releases it when it ends, so a
 * swap never changes the index under a request in flight; a retired build is
 * closed (its files freed, its lease dropped) once its last request has ended.
 *
 * How a build folder becomes a SearchContext (load, verify, check the model) is
 * given by the caller, so the same holder serves a local INDEX_DIR (watched for
 * CURRENT) and a replica that downloads builds from object storage.
 */
export interface ServingBuild {
  ctx: SearchContext;
  /** The build folder. */
  dir: string;
  /** The build folder's name, e.g. `2026-12-01T01-02-03-456Z-1234`. */
  id: string;
  builtAt: string;
  /** When this process started serving it. */
  servingSince: string;
}

export interface Acquired {
  ctx: SearchContext;
  build: ServingBuild;
  release(): void;
}

export interface LiveIndex {
  /** The build new requests get; pair every call with `release()`. */
  acquire(): Acquired;
  current(): ServingBuild;
  /** Loads `buildDir` in the background and swaps it in; on failure the current build keeps serving and the error is thrown. */
  swapTo(buildDir: string): Promise<ServingBuild>;
  /** Build folders this process holds: the one serving, ones still draining, one being loaded. */
  held(): string[];
  /** Closes every build once its requests have ended. */
  close(): Promise<void>;
}

export interface LiveIndexOptions {
  load(buildDir: string): Promise<SearchContext>;
  /** Called whenever `held()` changes (e.g. to rewrite this server's lease file). */
  onHeldChange?(held: string[]): void | Promise<void>;
}

interface Slot {
  build: ServingBuild;
  dir: string;
  users: number;
  retired: boolean;
  drained: Promise<void>;
  resolveDrained(): void;
}

export function buildId(buildDir: string): string {
  return path.basename(buildDir);
}

function slotFor(dir: string, ctx: SearchContext): Slot {
  let resolveDrained!: () => void;
  const drained = new Promise<void>((resolve) => (resolveDrained = resolve));
  const build = { ctx, dir, id: buildId(dir), builtAt: ctx.index.manifest.builtAt, servingSince: new Date().toISOString() };
  return { build, dir, users: 0, retired: false, drained, resolveDrained };
}

/** A live index serving `firstDir`, already loaded as `first`. */
export function createLiveIndex(firstDir: string, first: SearchContext, options: LiveIndexOptions): LiveIndex {
  let current = slotFor(path.resolve(firstDir), first);
  const draining = new Set<Slot>();
  let loading: string | null = null;
  let swapping: Promise<unknown> = Promise.resolve();

  const held = () => [...new Set([current.dir, ...[...draining].map((s) => s.dir), ...(loading ? [loading] : [])])];
  const heldChanged = () => options.onHeldChange?.(held());

  const finish = (slot: Slot) => {
    draining.delete(slot);
    slot.build.ctx.index.close();
    // The query threads' copies of the build go too.
    slot.build.ctx.searcher?.release();
    slot.resolveDrained();
    void heldChanged();
  };
  const retire = (slot: Slot) => {
    slot.retired = true;
    draining.add(slot);
    if (slot.users === 0) finish(slot);
  };

  const swapOnce = async (buildDir: string): Promise<ServingBuild> => {
    if (buildDir === current.dir) return current.build;
    // Held before loading, so that build GC in another process leaves it alone meanwhile.
    loading = buildDir;
    await heldChanged();
    try {
      const next = slotFor(buildDir, await options.load(buildDir));
      const previous = current;
      current = next;
      retire(previous);
      return next.build;
    } finally {
      loading = null;
      await heldChanged();
    }
  };

  return {
    acquire() {
      const slot = current;
      slot.users++;
      let released = false;
      return {
        ctx: slot.build.ctx,
        build: slot.build,
        release() {
          if (released) return;
          released = true;
          slot.users--;
          if (slot.retired && slot.users === 0) finish(slot);
        },
      };
    },
    current: () => current.build,
    held,
    swapTo(buildDir) {
      // One load at a time: two builds loading at once would double the memory for nothing.
      const result = swapping.then(() => swapOnce(path.resolve(buildDir)));
      swapping = result.catch(() => {});
      return result;
    },
    async close() {
      await swapping;
      const all = [current, ...draining];
      if (!current.retired) retire(current);
      await Promise.all(all.map((s) => s.drained));
    },
  };
}
