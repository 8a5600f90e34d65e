// Worker threads do not inherit tsx's TypeScript loader, so TypeScript entries
// start from this plain-JS file, which registers it and loads the real entry
// (named in workerData by worker-thread.ts). Compiled entries (dist/) start directly.
import { workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

await tsImport(workerData.__entry, import.meta.url);
