import type { PaperRow } from '../src/store/papers-table.ts';
import type { PreviousLayout } from '../src/topics/place-new.ts';
import { mapStep, topicsStep } from '../src/topics/topics-step.ts';
import { spellingStep } from '../src/search/spelling-step.ts';

/**
 * Extra artefacts computed from a finished set of papers and vectors and stored
 * in the build folder before it is published (topics, the 2-D map, ...).
 */
export interface BuildStep {
  name: string;
  /** `previous`: the topics and map of the build this one follows, which the topics and map steps may carry over. */
  run(input: { buildDir: string; rows: PaperRow[]; dimension: number; options: Record<string, unknown>; previous?: PreviousLayout }): Promise<void>;
}

export const BUILD_STEPS: BuildStep[] = [topicsStep, mapStep, spellingStep];
