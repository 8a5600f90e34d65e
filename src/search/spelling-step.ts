import type { BuildStep } from '../../indexer/build-steps.ts';
import { buildSpellingData, buildVocabulary } from '../text/spelling.ts';
import { saveSpelling } from '../store/spelling-file.ts';

/** The collection's vocabulary and its deletion keys for typo correction, stored with the build. */
export const spellingStep: BuildStep = {
  name: 'spelling',
  async run({ buildDir, rows }) {
    await saveSpelling(buildDir, buildSpellingData(buildVocabulary(rows.map((r) => `${r.paper.title} ${r.paper.abstract}`))));
  },
};
