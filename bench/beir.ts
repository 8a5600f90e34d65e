import fs from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import type { Judgments } from './metrics.ts';

/**
 * BEIR queries and judgments. The corpus itself goes through the indexer's own
 * reader (`readFile`), so the evaluation sees papers exactly as the service does.
 */
export interface BeirQuery {
  id: string;
  text: string;
}

export async function readText(file: string): Promise<string> {
  const bytes = await fs.readFile(file);
  return (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString('utf8');
}

export async function readJsonLines<T>(file: string): Promise<T[]> {
  return (await readText(file))
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as T);
}

export async function loadQueries(file: string): Promise<BeirQuery[]> {
  return (await readJsonLines<{ _id: string; text: string }>(file)).map((q) => ({ id: String(q._id), text: q.text }));
}

/** query id → (document id → grade), from a `query-id corpus-id score` TSV with a header row. */
export async function loadQrels(file: string): Promise<Map<string, Judgments>> {
  const qrels = new Map<string, Judgments>();
  const lines = (await readText(file)).split('\n').slice(1);
  for (const line of lines) {
    const [query, doc, score] = line.trim().split('\t');
    if (!query || !doc) continue;
    let judged = qrels.get(query);
    if (!judged) qrels.set(query, (judged = new Map()));
    judged.set(doc, Number(score));
  }
  return qrels;
}
