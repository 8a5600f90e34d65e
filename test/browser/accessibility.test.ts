import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { RunningServer } from '../../src/server.ts';
import { startTestServer } from '../helpers/server.ts';
import { fixtureIndex } from '../helpers/fixture-index.ts';
import { launchChromium } from './chromium.ts';

/** axe-core over every kind of page, in both themes (split from page.test.ts with search-page and paper-page). */
// Set up as the file loads, not in a beforeAll: no hook time-out applies, so a busy machine makes the start slower, not a failure.
const server: RunningServer = await startTestServer(await fixtureIndex());
const browser: Browser = await launchChromium();

describe('accessibility', () => {
  const axeSource = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

  // Every rule in the light theme; the dark theme changes only colours, so there contrast is what is checked.
  it.each([
    ['light', {}],
    ['dark', { runOnly: ['color-contrast'] }],
  ] as const)('axe-core finds no serious violations on any page (%s theme)', async (colorScheme, only) => {
    // The pages' CSP rightly refuses injected scripts; axe is a test tool, so this context bypasses it.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme, bypassCSP: true });
    const page = await context.newPage();
    const topic = server.index.topics!.file.topics[0].id;
    const pages = ['/', '/?q=graphs', '/?q=zzqqxyzzy&mode=keyword', '/paper/0704.0002', '/topics', `/topics/${topic}`, '/map', '/library?ids=0704.0002,0704.0001&more=0704.0002', '/nope'];
    const found: string[] = [];
    for (const path of pages) {
      await page.goto(server.url + path);
      if (path === '/map') await page.waitForSelector('#map svg');
      await page.addScriptTag({ path: axeSource });
      const violations = await page.evaluate(async (options) => (await (window as any).axe.run(document, { ...options, resultTypes: ['violations'] })).violations, only);
      for (const v of violations) if (v.impact === 'serious' || v.impact === 'critical') found.push(`${path}: ${v.id} (${v.nodes.length}) ${v.nodes[0]?.target}`);
    }
    expect(found).toEqual([]);
    await context.close();
  });
});
