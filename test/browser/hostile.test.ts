import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { loadConfig } from '../../src/config.ts';
import { startServer, type RunningServer } from '../../src/server.ts';
import { HOSTILE_PAPERS } from '../helpers/hostile-index.ts';
import { hostileIndex } from '../helpers/fixture-index.ts';
import { collectErrors, launchChromium } from './chromium.ts';
import { freePort } from '../helpers/free-port.ts';

let server: RunningServer;
let browser: Browser;
let host: http.Server;
let hostUrl: string;
let hostHtml = '';
/** Every alert() any page tried to show; a hostile value that ran as script would land here. */
const dialogs: string[] = [];

async function open(url: string): Promise<Page> {
  const page = await browser.newPage();
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(url, { waitUntil: 'load' });
  return page;
}

// Set up as the file loads, not in a beforeAll: no hook time-out applies, so a busy machine makes the start slower, not a failure.
const port = await freePort();
// The snippet names this origin (localhost), while the pages are fetched from 127.0.0.1: the configured origin wins.
const env = { MODEL: 'lsa', PUBLIC_URL: `http://localhost:${port}`, REQUEST_DEADLINE_MS: '120000' };
server = await startServer({ ...loadConfig(env), indexDir: await hostileIndex(), port, host: '127.0.0.1' });
browser = await launchChromium();
host = http.createServer((_, res) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(hostHtml);
});
await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
hostUrl = `http://127.0.0.1:${(host.address() as AddressInfo).port}/`;

afterAll(async () => {
  await new Promise((resolve) => host.close(resolve));
  await server.close();
});

describe('hostile ids, titles and urls in Chromium', () => {
  it('no page runs their script, and links never carry javascript: or data: urls', async () => {
    const paths = ['/', '/?q=point+cloud+segmentation', '/?q=neural+architecture+search', '/topics', '/map'];
    for (const paper of HOSTILE_PAPERS) {
      paths.push(`/paper/${encodeURIComponent(paper.id)}`, `/widget/${encodeURIComponent(paper.id)}`);
    }
    const page = await open(server.url + '/?q=point+cloud+segmentation');
    // Hostile titles are shown as text.
    expect(await page.locator('main').innerText()).toContain('<img src=x onerror=alert("title-1")>');
    for (const p of paths) {
      await page.goto(server.url + p, { waitUntil: 'load' });
      if (p === '/map') await page.locator('#map svg').waitFor();
      const hrefs = await page.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
      for (const href of hrefs) expect(href, p).not.toMatch(/^\s*(javascript|data):/i);
    }
    await page.close();
    expect(dialogs).toEqual([]);
  });

  it('the copy-paste snippet, pasted into another site, runs only the widget, which shows the hostile paper as text', async () => {
    for (const paper of HOSTILE_PAPERS) {
      const paperPage = await open(`${server.url}/paper/${encodeURIComponent(paper.id)}`);
      const snippet = (await paperPage.locator('details.embed code').textContent())!;
      await paperPage.close();
      expect(snippet).toContain(`http://localhost:${new URL(server.url).port}/widget.js`);
      hostHtml = `<!doctype html><html><head><meta charset="utf-8"><title>Host</title></head><body><h1>Our paper</h1>${snippet}</body></html>`;
      const page = await open(hostUrl);
      const errors = collectErrors(page);
      const items = page.locator('.paperscope-related li');
      await expect.poll(() => items.count()).toBe(5);
      for (const href of await items.locator('a').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href))) expect(href).toMatch(/^https?:\/\//);
      expect(await page.locator('script').count()).toBe(1);
      expect(errors).toEqual([]);
      await page.close();
    }
    expect(dialogs).toEqual([]);
  });

  it('the API reference renders under its CSP', async () => {
    const page = await browser.newPage();
    const errors = collectErrors(page);
    await page.goto(`${server.url}/docs`);
    await expect.poll(() => page.locator('.opblock').count(), { timeout: 20_000 }).toBeGreaterThan(5);
    expect(errors).toEqual([]);
    await page.close();
  });
});
