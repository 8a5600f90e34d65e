import fs from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { RunningServer } from '../../src/server.ts';
import { idByTitle, startTestServer } from '../helpers/server.ts';
import { fixtureIndex } from '../helpers/fixture-index.ts';
import { collectErrors, launchChromium, screenshot } from './chromium.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { widgetFrameSize } from '../../src/web/widget-page.ts';

let server: RunningServer;
let browser: Browser;
let host: http.Server;
let hostUrl: string;

const idOf = (title: string) => idByTitle(server, title);

/** A host page on another origin, with CSS that would wreck any widget relying on the page's styles. */
function hostPage(): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>A lab blog</title>
<style>
  body { font-family: serif; background: #f4efe6; margin: 2rem; max-width: 46rem; }
  li { display: none !important; } a { color: red !important; font-size: 40px; } section { border: 10px solid red; }
</style></head><body>
<h1>Our paper: ULIP-2</h1><p>Scalable multimodal pre-training for 3D understanding.</p>
<h2>Related reading</h2>
<script src="${server.url}/widget.js" data-paper-id="${idOf('ULIP-2:')}" data-k="5" data-theme="light"></script>
<h2>Also by title, dark</h2>
<script src="${server.url}/widget.js" data-title="BigNAS" data-k="3" data-theme="dark"></script>
<h2>In an iframe</h2>
<iframe title="Related papers" src="${server.url}/widget/${encodeURIComponent(idOf('ULIP-2:'))}?k=4&amp;theme=light" width="560" height="300" style="border:0"></iframe>
</body></html>`;
}

// Set up as the file loads, not in a beforeAll: no hook time-out applies, so a busy machine makes the start slower, not a failure.
server = await startTestServer(await fixtureIndex());
browser = await launchChromium();
host = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(hostPage());
});
await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
hostUrl = `http://127.0.0.1:${(host.address() as AddressInfo).port}/`;

afterAll(() => new Promise<void>((resolve) => host.close(() => resolve())));

describe('the related-papers widget on another site', () => {
  it('renders the related papers from the script tags and the iframe, untouched by the host CSS', async () => {
    const page = await browser.newPage({ viewport: { width: 900, height: 1200 } });
    const errors = collectErrors(page);
    await page.goto(hostUrl);
    expect(new URL(hostUrl).port).not.toBe(new URL(server.url).port);

    const widgets = page.locator('.paperscope-related');
    await expect.poll(() => widgets.count()).toBe(2);
    const byId = widgets.nth(0).locator('li');
    await expect.poll(() => byId.count()).toBe(5);
    const titles = await byId.locator('a').allInnerTexts();
    expect(titles.some((t) => /point cloud|3D|ULIP/i.test(t))).toBe(true);
    expect(titles.some((t) => t.startsWith('ULIP-2'))).toBe(false);
    // Host rules such as "li { display: none !important }" do not reach into the shadow root.
    await expect.poll(() => byId.first().isVisible()).toBe(true);
    const linkColour = await byId.first().locator('a').evaluate((a) => getComputedStyle(a).color);
    expect(linkColour).not.toBe('rgb(255, 0, 0)');
    for (const href of await byId.locator('a').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href))) {
      expect(href).toMatch(new RegExp(`^(https://arxiv\\.org/abs/|https?://|${server.url}/paper/)`));
    }

    const byTitle = widgets.nth(1).locator('li');
    await expect.poll(() => byTitle.count()).toBe(3);
    expect(await widgets.nth(1).locator('section').getAttribute('data-theme')).toBe('dark');

    const framed = page.frameLocator('iframe').locator('li');
    await expect.poll(() => framed.count()).toBe(4);
    expect(await page.frameLocator('iframe').locator('a').first().getAttribute('target')).toBe('_blank');

    await screenshot(page, 'widget', { fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('finds a paper by its arXiv id', async () => {
    const page = await browser.newPage();
    await page.setContent(`<script src="${server.url}/widget.js" data-arxiv-id="arXiv:0704.0001v2" data-k="2"></script>`);
    await expect.poll(() => page.locator('.paperscope-related li').count()).toBe(2);
    for (const href of await page.locator('.paperscope-related a').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href))) {
      expect(href).toMatch(/^https:\/\/arxiv\.org\/abs\//);
    }
    await page.close();
  });

  it('tells visitors plainly when the paper is unknown, and leaves the reason to the console', async () => {
    const page = await browser.newPage();
    const warnings: string[] = [];
    page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
    await page.setContent(`<script src="${server.url}/widget.js" data-paper-id="no-such-paper"></script>`);
    await expect.poll(() => page.locator('.paperscope-related .error').count()).toBe(1);
    expect(await page.locator('.paperscope-related .error').innerText()).toBe('Related papers are unavailable.');
    await expect.poll(() => warnings.join(' ')).toMatch(/Paperscope widget: No paper matches/);
    await page.close();
  });

  it('embeds in a page opened from disk (file://), the iframe at its documented size showing all k papers', async () => {
    const id = encodeURIComponent(idOf('ULIP-2:'));
    const sizes = [1, 5, 10].map((k) => ({ k, ...widgetFrameSize(k) }));
    const file = path.join(await tempDir(), 'lab-page.html');
    await fs.writeFile(
      file,
      `<!doctype html><meta charset="utf-8"><title>Saved lab page</title><body style="margin:0">
<script src="${server.url}/widget.js" data-paper-id="${id}" data-k="3"></script>
${sizes.map(({ k, width, height }) => `<iframe title="Related papers" src="${server.url}/widget/${id}?k=${k}" width="${width}" height="${height}" style="border:0;display:block"></iframe>`).join('\n')}`,
    );
    const page = await browser.newPage({ viewport: { width: 1280, height: 1800 } });
    const errors = collectErrors(page);
    await page.goto(pathToFileURL(file).href);
    await expect.poll(() => page.locator('.paperscope-related li').count()).toBe(3);
    for (const { k, height } of sizes) {
      const expected = ((await (await fetch(`${server.url}/api/related?id=${id}&k=${k}`)).json()) as any).related.length;
      expect(expected).toBeGreaterThanOrEqual(Math.min(k, 3));
      const frame = page.frames().find((f) => f.url().endsWith(`?k=${k}`))!;
      await expect.poll(() => frame.locator('li').count()).toBe(expected);
      // Nothing is cut off or scrolls: the document fits the frame, the last byline and the footer too.
      const fit = await frame.evaluate(() => ({
        scroll: document.documentElement.scrollHeight,
        lastByline: [...document.querySelectorAll('li .meta')].at(-1)!.getBoundingClientRect().bottom,
        foot: document.querySelector('.foot')!.getBoundingClientRect().bottom,
      }));
      expect(fit.scroll, `k=${k}`).toBeLessThanOrEqual(height);
      expect(fit.foot, `k=${k}`).toBeLessThanOrEqual(height);
      expect(fit.lastByline).toBeLessThan(fit.foot);
    }
    expect(errors).toEqual([]);
    await page.close();
  });
});
