// Worker threads do not inherit tsx's TypeScript loader, so this plain-JS entry
// registers it before loading the TypeScript worker.
import { tsImport } from 'tsx/esm/api';

await tsImport('./embed-worker.ts', import.meta.url);
