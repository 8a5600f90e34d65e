import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { Cite } from '@citation-js/core';
import '@citation-js/plugin-bibtex';
import type { RunningServer } from '../../src/server.ts';
import { startTestServer } from '../helpers/server.ts';
import { fixtureIndex } from '../helpers/fixture-index.ts';
import { collectErrors, launchChromium, screenshot } from './chromium.ts';

let server: RunningServer;
let browser: Browser;

// Set up as the file loads, not in a beforeAll: no hook time-out applies, so a busy machine makes the start slower, not a failure.
server = await startTestServer(fixtureIndex());
browser = await launchChromium();

async function openPage(path: string, options: { width?: number; height?: number; colorScheme?: 'light' | 'dark' } = {}) {
  const context = await browser.newContext({ viewport: { width: options.width ?? 1280, height: options.height ?? 900 }, colorScheme: options.colorScheme ?? 'light' });
  const page = await context.newPage();
  const errors = collectErrors(page);
  const response = await page.goto(server.url + path);
  return { page, errors, response, close: () => context.close() };
}

const params = (page: Page) => new URL(page.url()).searchParams;
const resultIds = (page: Page) => page.locator('.hits .hit').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
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

describe('math', () => {
  it('typesets TeX with KaTeX on the server, fonts from Paperscope, within the page CSP', async () => {
    const { page, errors, close } = await openPage('/paper/0704.0002');
    const fonts: string[] = [];
    page.on('response', (r) => r.url().includes('/assets/katex/fonts/') && fonts.push(`${r.status()} ${new URL(r.url()).pathname}`));
    await page.reload();
    const abstract = page.locator('.abstract');
    expect(await abstract.locator('.katex').count()).toBeGreaterThanOrEqual(3);
    expect(await abstract.locator('annotation[encoding="application/x-tex"]').first().textContent()).toBe('(k,\\ell)');
    expect(await abstract.innerText()).not.toContain('$');
    await page.evaluate(() => document.fonts.ready);
    expect(fonts.length).toBeGreaterThan(0);
    for (const f of fonts) expect(f).toMatch(/^200 \/assets\/katex\/fonts\/KaTeX_.*\.woff2$/);
    // KaTeX's positioning styles are allowed by hash; the CSP reports any it blocked as a console error.
    expect(errors).toEqual([]);
    await screenshot(page, 'math');
    await close();
  });
});

describe('export', () => {
  it('"Cite" shows BibTeX that parses back, and a page of results downloads as BibTeX', async () => {
    const { page, close } = await openPage('/paper/0704.0002');
    await page.getByText('Cite', { exact: true }).click();
    const [entry] = new Cite(await page.locator('.cite pre').innerText()).data as any[];
    expect(entry.title).toBe('Sparsity-certifying Graph Decompositions');
    expect(entry.author.map((a: any) => a.family)).toEqual(['Streinu', 'Theran']);
    expect(entry.issued['date-parts'][0]).toEqual([2007, 3]);
    const ris = await page.request.get(server.url + (await page.locator('.cite').getByRole('link', { name: 'RIS' }).getAttribute('href'))!);
    expect(ris.headers()['content-disposition']).toMatch(/^attachment; filename="0704\.0002\.ris"/);
    expect(await ris.text()).toMatch(/^TY {2}- UNPB\r\n/);

    await page.goto(`${server.url}/?q=graphs`);
    const ids = await resultIds(page);
    const href = await page.locator('.export').getByRole('link', { name: 'BibTeX' }).getAttribute('href');
    const bib = await page.request.get(server.url + href!);
    expect(bib.headers()['content-type']).toMatch(/^application\/x-bibtex/);
    const entries = new Cite(await bib.text()).data as any[];
    expect(entries).toHaveLength(ids.length);
    await close();
  });
});

describe('library', () => {
  const recommended = (page: Page) => page.locator('#recommended .hit').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));

  it('saves papers from results, marks them, and the recommendations follow the marks; shared as a link', async () => {
    const { page, errors, close } = await openPage('/?q=point+clouds');
    const saves = page.locator('.hit button.save');
    for (let i = 0; i < 3; i++) {
      await saves.nth(i).click();
      await expect.poll(() => saves.nth(i).getAttribute('aria-pressed')).toBe('true');
    }
    const saved = (await resultIds(page)).slice(0, 3);
    await page.getByRole('link', { name: 'Library' }).click();
    await page.waitForURL(/\/library\?ids=/);
    expect(params(page).get('ids')!.split(',')).toEqual(saved);
    expect(await page.locator('.saved .hit').count()).toBe(3);
    const first = await recommended(page);
    expect(first.length).toBeGreaterThan(0);
    for (const id of first) expect(saved).not.toContain(id);

    await page.locator('.saved .hit').nth(0).getByRole('button', { name: 'More like this' }).click();
    await page.waitForURL(/more=/);
    expect(params(page).get('more')).toBe(saved[0]);
    expect(await page.locator('.saved .hit').nth(0).getByRole('button', { name: 'More like this' }).getAttribute('aria-pressed')).toBe('true');
    const more = await recommended(page);
    expect(more).not.toEqual(first);

    await page.locator('.saved .hit').nth(1).getByRole('button', { name: 'Less like this' }).click();
    await page.waitForURL(/less=/);
    expect(params(page).get('less')).toBe(saved[1]);
    expect(await recommended(page)).not.toEqual(more);
    await screenshot(page, 'library');

    // The library is in the browser: a fresh visit to /library shows it again.
    await page.goto(`${server.url}/library`);
    await page.waitForURL(/more=/);
    expect(await page.locator('.saved .hit').count()).toBe(3);

    // Exported as BibTeX, and shared as a link that another browser can open and keep.
    const bib = await page.request.get(server.url + (await page.locator('.export').getByRole('link', { name: 'BibTeX' }).getAttribute('href'))!);
    expect((new Cite(await bib.text()).data as any[]).length).toBe(3);
    const link = await page.locator('.share-link').inputValue();
    expect(new URL(link).searchParams.get('ids')!.split(',')).toEqual(saved);
    const other = await openPage(new URL(link).pathname + new URL(link).search);
    expect(await other.page.locator('.shared-note').isVisible()).toBe(true);
    await other.page.getByRole('button', { name: 'Keep these papers in my library' }).click();
    await other.page.waitForURL(/ids=/);
    expect(await other.page.evaluate(() => JSON.parse(localStorage.getItem('paperscope.library')!).ids)).toEqual(saved);
    expect(await other.page.locator('.shared-note').isVisible()).toBe(false);
    await other.close();
    expect(errors).toEqual([]);
    await close();
  });
});

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
