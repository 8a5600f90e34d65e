import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from '../../src/server.ts';
import { startTestServer } from '../helpers/server.ts';
import { fixtureIndex } from '../helpers/fixture-index.ts';
import { launchChromium, screenshot } from './chromium.ts';
import { pageOpener, params, resultIds } from './pages.ts';

/** The search page and the error pages (split from page.test.ts with paper-page and accessibility). */
// Set up as the file loads, not in a beforeAll: no hook time-out applies, so a busy machine makes the start slower, not a failure.
const server: RunningServer = await startTestServer(await fixtureIndex());
const browser: Browser = await launchChromium();
const openPage = pageOpener(server, browser);

const years = (page: Page) => page.locator('.hit .meta span:first-child').allInnerTexts().then((t) => t.map((s) => Number(/(\d{4})$/.exec(s)?.[1] ?? NaN)));

describe('search page', () => {
  it('year range, mode and sort change the results and the address', async () => {
    const { page, errors, close } = await openPage('/?q=learning');
    const before = await resultIds(page);
    expect(before.length).toBe(10);
    expect(await page.locator('.count').innerText()).toMatch(/\b1–10\b/);

    await page.getByLabel('to').fill('2007');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/year_to=2007/);
    expect(params(page).get('q')).toBe('learning');
    expect(params(page).has('year_from')).toBe(false);
    for (const y of await years(page)) expect(y).toBeLessThanOrEqual(2007);
    expect(await resultIds(page)).not.toEqual(before);

    await page.getByLabel('to').fill('');
    await page.getByLabel('Sort').selectOption('newest');
    await page.waitForURL(/sort=newest/);
    const newest = await page.locator('.hit').evaluateAll((els) => els.length);
    expect(newest).toBe(10);
    const dated = await years(page);
    expect(dated).toEqual([...dated].sort((a, b) => b - a));
    expect(await page.getByLabel('Sort').inputValue()).toBe('newest');

    await page.getByLabel('Match').selectOption('keyword');
    await page.waitForURL(/mode=keyword/);
    expect(params(page).get('sort')).toBe('newest');
    // The whole state is in the address: opening it again shows the same page.
    const ids = await resultIds(page);
    await page.goto(page.url());
    expect(await resultIds(page)).toEqual(ids);
    await screenshot(page, 'search-filters');
    expect(errors).toEqual([]);
    await close();
  });

  it('pages end, and an empty search says what to try', async () => {
    const { page, close } = await openPage('/?q=learning&mode=keyword');
    let pages = 1;
    while ((await page.getByRole('link', { name: 'Next →' }).count()) && pages < 30) {
      await page.getByRole('link', { name: 'Next →' }).click();
      await page.waitForURL(new RegExp(`offset=${pages * 10}`));
      pages++;
    }
    expect(pages).toBeLessThan(30);
    expect(await page.locator('.hit').count()).toBeGreaterThan(0);
    expect(await page.getByRole('link', { name: '← Previous' }).count()).toBe(pages > 1 ? 1 : 0);

    await page.goto(`${server.url}/?q=zzqqxyzzy+wqqv&mode=keyword&year_to=2007`);
    await expect.poll(() => page.locator('.empty h1').innerText()).toContain('No papers match');
    expect(await page.getByRole('link', { name: 'Search all years' }).getAttribute('href')).toBe('/?q=zzqqxyzzy+wqqv&mode=keyword');
    expect(await page.getByRole('link', { name: 'Search by meaning only' }).count()).toBe(1);
    await close();
  });

  it('shows the total from the search answer, and says when no paper matches strongly', async () => {
    const api = (await (await fetch(`${server.url}/api/search?q=graphs+zebra+orchestra`)).json()) as any;
    expect(api.match).toBe('weak');
    const { page, close } = await openPage('/?q=graphs+zebra+orchestra');
    expect(await page.locator('.count').innerText()).toContain(`of ${api.total} ${api.total === 1 ? 'paper' : 'papers'}`);
    expect(await page.locator('.weak-match').innerText()).toContain('No strong match for “graphs zebra orchestra”');
    expect(await resultIds(page)).toEqual(api.results.map((r: any) => r.id));
    await close();
  });

  it('shows that a slow search is on its way', async () => {
    const { page, close } = await openPage('/?q=graphs');
    // An answer that never comes: the submission is held in the page (a held navigation would also hold the test's own probes).
    await page.evaluate(() => document.getElementById('search')!.addEventListener('submit', (e) => e.preventDefault()));
    await page.getByLabel('Match').selectOption('keyword');
    await expect.poll(() => page.locator('.busy').innerText()).toBe('Searching…');
    expect(await page.locator('body.searching').count()).toBe(1);
    // Blank filters are left out of the address that would have been requested.
    expect(await page.getByLabel('From').isDisabled()).toBe(true);
    await close();
  });

  it('shows full dates, authors and arXiv abstract and PDF links', async () => {
    const { page, close } = await openPage('/?q=pebble+game+sparse+graphs');
    const hit = page.locator('.hit', { has: page.locator('a[href="/paper/0704.0002"]') });
    expect(await hit.locator('.meta span').first().innerText()).toBe('Ileana Streinu, Louis Theran · 31 Mar 2007');
    expect(await hit.getByRole('link', { name: 'arXiv' }).getAttribute('href')).toBe('https://arxiv.org/abs/0704.0002');
    expect(await hit.getByRole('link', { name: 'PDF' }).getAttribute('href')).toBe('https://arxiv.org/pdf/0704.0002');
    await close();
  });
});

describe('error pages', () => {
  it('unknown pages and papers are HTML 404 pages with the navigation; a bad address is a 400 page; the API keeps JSON', async () => {
    for (const path of ['/nope', '/paper/does-not-exist']) {
      const { page, response, errors, close } = await openPage(path);
      expect(response!.status()).toBe(404);
      expect(response!.headers()['content-type']).toMatch(/^text\/html/);
      expect(await page.locator('h1').innerText()).toBe('Nothing here');
      expect(await page.locator('nav a').allInnerTexts()).toEqual(expect.arrayContaining(['Topics', 'Map', 'Library']));
      expect(await page.locator('.search input').count()).toBe(1);
      if (path === '/nope') await screenshot(page, 'not-found');
      expect(errors.filter((e) => !e.includes('404'))).toEqual([]);
      await close();
    }
    const { page, response, close } = await openPage('/?q=x&year_from=1999&year_to=1990');
    expect(response!.status()).toBe(400);
    expect(await page.locator('main').innerText()).toMatch(/year_from.*must not be after year_to/);
    await close();
    const api = await fetch(`${server.url}/api/papers/does-not-exist`);
    expect(api.status).toBe(404);
    expect(((await api.json()) as any).error.code).toBe('PAPER_NOT_FOUND');
  });
});
