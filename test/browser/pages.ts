import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from '../../src/server.ts';
import { collectErrors } from './chromium.ts';

/**
 * What the page files share (search-page, paper-page and accessibility, split from one file by concern so that
 * the two forks run them side by side): each starts its own server on the fixture index and connects to the
 * run's Chromium as it loads (the calls stay in the files, where the global setup looks for them).
 */

/** Opens `path` in a new context (its own storage), collecting the page's errors. */
export function pageOpener(server: RunningServer, browser: Browser) {
  return async (path: string, options: { width?: number; height?: number; colorScheme?: 'light' | 'dark' } = {}) => {
    const context = await browser.newContext({ viewport: { width: options.width ?? 1280, height: options.height ?? 900 }, colorScheme: options.colorScheme ?? 'light' });
    const page = await context.newPage();
    const errors = collectErrors(page);
    const response = await page.goto(server.url + path);
    return { page, errors, response, close: () => context.close() };
  };
}

export const params = (page: Page) => new URL(page.url()).searchParams;
export const resultIds = (page: Page) => page.locator('.hits .hit').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
