/**
 * Worker-thread side of the grouping pool: clusters one result list at a time,
 * off the event loop. The main thread raises the job's shared flag when the
 * client has gone; clustering checks it between candidate k values.
 */
import { parentPort } from 'node:worker_threads';
import { groupInput, type GroupInput, type InputGroup } from './group-results.ts';

export interface GroupRequest {
  jobId: number;
  input: GroupInput;
  /** One Int32 on shared memory: 1 means stop. */
  cancel: Int32Array;
}
export type GroupReply = { ready: true } | { jobId: number; groups: InputGroup[] } | { jobId: number; error: string };

const port = parentPort!;
port.postMessage({ ready: true } satisfies GroupReply);
port.on('message', ({ jobId, input, cancel }: GroupRequest) => {
  try {
    port.postMessage({ jobId, groups: groupInput(input, () => Atomics.load(cancel, 0) === 1) } satisfies GroupReply);
  } catch (err) {
    port.postMessage({ jobId, error: (err as Error).message ?? String(err) } satisfies GroupReply);
  }
});
