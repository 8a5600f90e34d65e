import path from 'node:path';
import { REPO_ROOT } from '../src/config.ts';
import { loadQueries } from './beir.ts';

export const SCIFACT_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'data', 'scifact');

/**
 * Natural-language queries for latency runs: the SciFact claims, which are real
 * one-sentence scientific questions of varied length (relevance is not used here).
 */
export async function sciFactQueryTexts(n = Infinity): Promise<string[]> {
  return (await loadQueries(path.join(SCIFACT_DIR, 'queries.jsonl'))).slice(0, n).map((q) => q.text);
}
