import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../src/config.ts';
import type { Judgments } from './metrics.ts';

export const SCIFACT_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'data', 'scifact');

export interface JudgedQuery {
  id: string;
  text: string;
  relevant: Judgments;
}

function sciFactQueries(): { id: string; text: string }[] {
  const lines = fs.readFileSync(path.join(SCIFACT_DIR, 'queries.jsonl'), 'utf8').split('\n').filter(Boolean);
  return lines.map((line) => {
    const q = JSON.parse(line) as { _id: string; text: string };
    return { id: q._id, text: q.text };
  });
}

/**
 * Natural-language queries for latency runs: the SciFact claims, which are real
 * one-sentence scientific questions of varied length (relevance is not used here).
 */
export function sciFactQueryTexts(n: number): string[] {
  return sciFactQueries().slice(0, n).map((q) => q.text);
}

/** SciFact queries that have judgments in qrels/train.tsv, with those judgments. */
export function sciFactJudgedQueries(): JudgedQuery[] {
  const qrels = new Map<string, Judgments>();
  const lines = fs.readFileSync(path.join(SCIFACT_DIR, 'qrels', 'train.tsv'), 'utf8').split('\n').slice(1).filter(Boolean);
  for (const line of lines) {
    const [qid, docId, score] = line.split('\t');
    if (!qrels.has(qid)) qrels.set(qid, new Map());
    qrels.get(qid)!.set(docId, Number(score));
  }
  return sciFactQueries().flatMap((q) => (qrels.has(q.id) ? [{ ...q, relevant: qrels.get(q.id)! }] : []));
}
