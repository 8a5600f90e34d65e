import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, inject } from 'vitest';
import { chromium, type Browser, type BrowserServer, type Page } from 'playwright-core';

/**
 * Debian's Chromium, headless; the flags keep it from phoning home or needing a GPU. The old headless shell
 * (Debian's chromium-headless-shell: the same Chromium build without the browser's own UI, and what Playwright
 * runs for headless when it manages its browsers) when it is installed: /usr/bin/chromium's new headless mode
 * opens a full browser window, toolbar renderer and all, per context, ~1.2 CPU-s against ~0.25 in the shell
 * (measured here on about:blank, 36 contexts), and the suite opens ~100 contexts. PAPERSCOPE_CHROMIUM picks
 * the binary, e.g. /usr/bin/chromium to run the browser files in the full browser.
 */
const SHELL = '/usr/bin/chromium-headless-shell';
const LAUNCH = {
  executablePath: process.env.PAPERSCOPE_CHROMIUM || (existsSync(SHELL) ? SHELL : '/usr/bin/chromium'),
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
};

/** Which test files drive the browser, found by this call in their source (the global setup starts one only for them). */
export const CHROMIUM_CALL = 'launchChromium()';

/**
 * One Chromium for the whole run, started by the global setup: the browser
 * files connect to it rather than each launching its own.
 */
export function launchChromiumServer(): Promise<BrowserServer> {
  return chromium.launchServer(LAUNCH);
}

/**
 * The run's Chromium (see launchChromiumServer). Each file works in its own
 * contexts, closed with its connection when the file ends; the browser stays.
 */
export async function launchChromium(): Promise<Browser> {
  const browser = await chromium.connect(inject('chromiumEndpoint'));
  afterAll(() => browser.close());
  return browser;
}

/** Errors the page reports (CSP violations, script errors), so that a test can require none. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

/**
 * Screenshots for the README: written only when PAPERSCOPE_SCREENSHOTS names a
 * folder (e.g. docs/screenshots), so that test runs leave the tree clean.
 */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean; selector?: string } = {}): Promise<void> {
  const dir = process.env.PAPERSCOPE_SCREENSHOTS;
  if (!dir) return;
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  if (options.selector) await page.locator(options.selector).first().screenshot({ path: file });
  else await page.screenshot({ path: file, fullPage: options.fullPage ?? false });
}
