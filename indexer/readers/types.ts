import type { Paper } from '../../src/types.ts';

/** A record that could not be read; the rest of the file is still indexed. */
export interface ReadIssue {
  file: string;
  /** 1-based line where the record starts, when the format lets us know it. */
  line: number | null;
  /** The record's id or title, when it got far enough to have one. */
  record: string | null;
  reason: string;
}

export interface ReadResult {
  papers: Paper[];
  /** The 1-based line where each paper's record starts, in the order of `papers`, when the format tells. */
  lines?: (number | null)[];
  issues: ReadIssue[];
  /** Records seen, good and bad. */
  read: number;
}

export interface Reader<Name extends string = string> {
  name: Name;
  /** Whether this reader understands a file, judged from its first characters and its name. */
  detect(head: string, fileName: string): boolean;
  /** Reads decoded text; `file` only labels the issues. Records larger than `maxRecordBytes` are skipped unparsed where the format allows. */
  read(text: string, file: string, maxRecordBytes?: number): ReadResult;
}
