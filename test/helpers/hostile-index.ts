import fs from 'node:fs/promises';
import path from 'node:path';
import { runIndexer } from '../../indexer/pipeline.ts';
import { SEED_FILE } from './fixture-index.ts';

/** Script that would run if any value reached a page unescaped; each alert names its source. */
export const HOSTILE_PAPERS = [
  {
    id: 'x"></script><script>alert("id-1")</script>',
    title: '<img src=x onerror=alert("title-1")> Point cloud segmentation with graph attention',
    abstract: 'We segment 3D point clouds with graph networks and attention. <script>alert("abstract-1")</script>',
    authors: ['<script>alert("author-1")</script> Mallory'],
    year: 2024,
    url: 'javascript:alert("url-1")',
  },
  {
    id: "evil'><svg onload=alert('id-2')>",
    title: '"><script>alert("title-2")</script> Neural architecture search for point clouds',
    abstract: 'Neural architecture search finds networks for 3D point cloud understanding and segmentation.',
    authors: ['Eve'],
    year: 2023,
    url: 'data:text/html,<script>alert("url-2")</script>',
  },
  {
    id: 'plain-3',
    title: "</title><script>alert('title-3')</script> Point cloud completion",
    abstract: 'Completing partial 3D point clouds with transformers; a third hostile record.',
    authors: ['Trent'],
    year: 2022,
    url: ' JaVaScRiPt:alert("url-3")',
  },
];

/**
 * Builds the 41 seed papers plus the hostile records into `indexDir` with the
 * corpus-learned model (a few seconds, no neural model). Called once per run by
 * the global setup (see fixture-index.ts); test files serve it through hostileIndex().
 */
export async function buildHostileIndex(indexDir: string): Promise<void> {
  await fs.mkdir(indexDir, { recursive: true });
  const input = path.join(indexDir, '..', 'hostile.jsonl');
  await fs.writeFile(input, HOSTILE_PAPERS.map((p) => JSON.stringify(p)).join('\n'));
  await runIndexer({ inputs: [SEED_FILE, input], indexDir, model: 'lsa', modelsDir: 'models', allowRemote: false, prune: false, workers: 1 });
}
