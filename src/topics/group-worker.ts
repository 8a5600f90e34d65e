/**
 * Worker-thread side of the grouping pool: clusters one result list at a time,
 * off the event loop. The main thread raises the job's shared flag when the
 * client has gone; clustering checks it between candidate k values.
 */
import { groupInput, type GroupInput, type InputGroup } from './group-results.ts';
import { serveJobs } from '../worker-jobs.ts';

export interface GroupRequest {
  input: GroupInput;
  /** One Int32 on shared memory: 1 means stop. */
  cancel: Int32Array;
}

await serveJobs<null, GroupRequest, InputGroup[]>(async () => ({
  info: null,
  handle: ({ input, cancel }) => groupInput(input, () => Atomics.load(cancel, 0) === 1),
}));
