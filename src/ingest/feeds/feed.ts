import type { ReadIssue } from '../../../indexer/readers/types.ts';
import type { Paper } from '../../types.ts';

/** What one fetch of a feed brought. */
export interface FeedBatch {
  papers: Paper[];
  /** Ids the source reports as withdrawn. */
  deleted: string[];
  /** Records that could not be read, each named. */
  issues: ReadIssue[];
  /** Each paper's datestamp (YYYY-MM-DD), for the incremental cursor. */
  datestamps: Map<string, string>;
  /** Requests made (pages of a paged listing). */
  requests: number;
}
