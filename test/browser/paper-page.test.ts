import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { Cite } from '@citation-js/core';
import '@citation-js/plugin-bibtex';
import type { RunningServer } from '../../src/server.ts';
import { startTestServer } from '../helpers/server.ts';
import { fixtureIndex } from '../helpers/fixture-index.ts';
import { launchChromium, screenshot } from './chromium.ts';
import { pageOpener, params, resultIds } from './pages.ts';

/** A paper's page (its math, citing it, exporting results) and the library (split from page.test.ts with search-page and accessibility). */
// Set up as the file loads, not in a beforeAll: no hook time-out applies, so a busy machine makes the start slower, not a failure.
const server: RunningServer = await startTestServer(await fixtureIndex());
const browser: Browser = await launchChromium();
const openPage = pageOpener(server, browser);

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
