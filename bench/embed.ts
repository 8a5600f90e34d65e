/**
 * Embedding speed options side by side, on the same texts in one run: the
 * model whole and truncated to N words (`use-lite:N`), the static model
 * distilled from it (`use-lite-static`), one thread, at several batch sizes.
 * Quality for each option comes from `npm run eval -- --model <option>`
 * (docs/performance.md puts the two together).
 */
import { loadConfig } from '../src/config.ts';
import { createEmbedder, documentText } from '../src/embed/create-embedder.ts';
import { readInputs, SAMPLE_INPUTS } from '../indexer/readers/index.ts';
import type { BenchArgs } from './run.ts';
import { round, timeIt } from './stats.ts';

export async function run(args: BenchArgs): Promise<Record<string, unknown>> {
  const count = Number(args.texts ?? 128);
  const models = String(args.models ?? 'use-lite,use-lite:64,use-lite:32,use-lite:16,use-lite-static').split(',');
  const batches = String(args.batches ?? '1,16,64').split(',').map(Number);
  const { papers } = await readInputs(SAMPLE_INPUTS);
  // Every 16th paper, so that the texts span the seed page and the arXiv sample.
  const texts = papers.filter((_, i) => i % 16 === 0).slice(0, count).map((p) => documentText(p));
  const words = texts.map((t) => t.split(/\s+/).length).sort((a, b) => a - b);
  console.error(`embed: ${texts.length} sample texts, median ${words[words.length >> 1]} words`);
  const config = loadConfig();
  const results: Record<string, Record<string, number>> = {};
  for (const model of models) {
    const embedder = await createEmbedder(model, { modelsDir: config.modelsDir, allowRemote: false });
    // Wall time, and this process's CPU time: on a machine shared with other jobs the CPU figure is what one free core would give.
    const pass = async (batch: number) => {
      const cpu = process.cpuUsage();
      const { ms } = await timeIt(async () => {
        for (let i = 0; i < texts.length; i += batch) await embedder.embedDocuments(texts.slice(i, i + batch));
      });
      const used = process.cpuUsage(cpu);
      return { ms, cpuMs: (used.user + used.system) / 1000 };
    };
    const perSecond = (n: number, ms: number) => round(n / (ms / 1000), 2);
    // The first pass meets every word for the first time (the tokenizer caches words), as indexing a new collection does.
    const cold = await pass(16);
    results[model] = { cold_batch_16_per_s: perSecond(texts.length, cold.ms), cold_batch_16_per_cpu_s: perSecond(texts.length, cold.cpuMs) };
    for (const batch of batches) {
      // Passes are repeated for at least a second, so that a fast model is not timed on a few milliseconds.
      let ms = 0;
      let cpuMs = 0;
      let passes = 0;
      for (; ms < 1000; passes++) {
        const one = await pass(batch);
        ms += one.ms;
        cpuMs += one.cpuMs;
      }
      results[model][`batch_${batch}_per_s`] = perSecond(passes * texts.length, ms);
      results[model][`batch_${batch}_per_cpu_s`] = perSecond(passes * texts.length, cpuMs);
    }
    console.error(`  ${model}: ${JSON.stringify(results[model])}`);
    await embedder.dispose?.();
  }
  const base = results[models[0]][`batch_16_per_s`];
  const baseCpu = results[models[0]][`batch_16_per_cpu_s`];
  return {
    texts: texts.length,
    median_words: words[words.length >> 1],
    threads: 1,
    models: results,
    speedup_vs_first_at_batch_16: Object.fromEntries(models.map((m) => [m, base ? round(results[m].batch_16_per_s / base, 2) : null])),
    speedup_vs_first_at_batch_16_cpu: Object.fromEntries(models.map((m) => [m, baseCpu ? round(results[m].batch_16_per_cpu_s / baseCpu, 2) : null])),
  };
}
