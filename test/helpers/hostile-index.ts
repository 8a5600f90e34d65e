import fs from 'node:fs/promises';
import path from 'node:path';
import { runIndexer } from '../../indexer/pipeline.ts';
import { tempDir } from './temp-dir.ts';

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
 * The 41 seed papers plus hostile records, indexed with the corpus-learned
 * model (a few seconds, no neural model), in a temporary folder.
 */
export async function hostileIndex(): Promise<string> {
  const dir = await tempDir('paperscope-hostile-');
  const input = path.join(dir, 'hostile.jsonl');
  await fs.writeFile(input, HOSTILE_PAPERS.map((p) => JSON.stringify(p)).join('\n'));
  const indexDir = path.join(dir, 'index');
  await runIndexer({
    inputs: [path.resolve('data/hf-daily-papers.txt'), input],
    indexDir,
    model: 'lsa',
    modelsDir: 'models',
    allowRemote: false,
    prune: false,
    workers: 1,
  });
  return indexDir;
}
