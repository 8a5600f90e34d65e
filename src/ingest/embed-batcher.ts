/**
 * Gathers single texts into batches for the embedder: a batch goes when it is
 * full or when the first text in it has waited `waitMs`. If a whole batch
 * fails, each text is embedded alone, so that one poison record fails only
 * its own job and the others in its batch still get their vectors.
 */
export interface EmbedBatcher {
  embed(text: string): Promise<Float32Array>;
}

type Pending = { text: string; resolve(v: Float32Array): void; reject(e: unknown): void };

export function embedBatcher(embedMany: (texts: string[]) => Promise<Float32Array[]>, size: number, waitMs: number): EmbedBatcher {
  let pending: Pending[] = [];
  let timer: NodeJS.Timeout | null = null;

  const run = async (batch: Pending[]) => {
    try {
      const vectors = await embedMany(batch.map((p) => p.text));
      batch.forEach((p, i) => p.resolve(vectors[i]!));
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
    embed(text) {
      return new Promise((resolve, reject) => {
        pending.push({ text, resolve, reject });
        if (pending.length >= size) flush();
        else timer ??= setTimeout(flush, waitMs);
      });
    },
  };
}
