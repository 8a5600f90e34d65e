import { describe } from 'vitest';
import { localObjectStore } from '../src/remote/local-store.ts';
import { objectStoreContract } from './helpers/object-store-contract.ts';
import { tempDir } from './helpers/temp-dir.ts';

describe('object storage on a local folder', () => {
  objectStoreContract(async () => localObjectStore(await tempDir()));
});
