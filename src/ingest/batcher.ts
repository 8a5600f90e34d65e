/**
 * Gathers single items into batches: a batch goes when it is full or when the
 * first item in it has waited `waitMs`. The embedding worker batches texts for
 * the model and commit-queue adds for Redis (one `addBulk` round trip instead
 * of one per paper). If a whole batch fails, each item is run alone, so that
 * one poison record fails only its own job and the others in its batch still
 * get through.
 */
export interface Batcher<In, Out> {
  run(item: In): Promise<Out>;
}

type Pending<In, Out> = { item: In; resolve(v: Out): void; reject(e: unknown): void };

export function batcher<In, Out>(runMany: (items: In[]) => Promise<Out[]>, size: number, waitMs: number): Batcher<In, Out> {
  let pending: Pending<In, Out>[] = [];
  let timer: NodeJS.Timeout | null = null;

  const run = async (batch: Pending<In, Out>[]) => {
    try {
      const results = await runMany(batch.map((p) => p.item));
      batch.forEach((p, i) => p.resolve(results[i]!));
    } catch (err) {
      if (batch.length === 1) return batch[0]!.reject(err);
      for (const p of batch) await run([p]);
    }
  };

  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    const batch = pending;
    pending = [];
    if (batch.length) void run(batch);
  };

  return {
    run(item) {
      return new Promise((resolve, reject) => {
        pending.push({ item, resolve, reject });
        if (pending.length >= size) flush();
        else timer ??= setTimeout(flush, waitMs);
      });
    },
  };
}
