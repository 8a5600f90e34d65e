import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { RunningServer } from '../../src/server.ts';
import { startTestServer } from '../helpers/server.ts';
import { fixtureIndex } from '../helpers/fixture-index.ts';
import { collectErrors, launchChromium, screenshot } from './chromium.ts';

let server: RunningServer;
let browser: Browser;

// Set up as the file loads, not in a beforeAll: no hook time-out applies, so a busy machine makes the start slower, not a failure.
server = await startTestServer(await fixtureIndex());
browser = await launchChromium();

async function openPage(path: string, viewport = { width: 1200, height: 900 }) {
  const page = await browser.newPage({ viewport });
  const errors = collectErrors(page);
  await page.goto(server.url + path);
  return { page, errors };
}

describe('the web page', () => {
  it('searches from the keyboard, shows the interpretation and highlights matching words', async () => {
    const { page, errors } = await openPage('/');
    await page.keyboard.press('/');
    await page.keyboard.type('papers like ULIP about 3D point clouds');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.hit');
    await expect.poll(() => page.locator('.interpretation').innerText()).toMatch(/Papers like ULIP: Learning a Unified Representation.* about 3D point clouds/);
    const titles = await page.locator('.hit-title').allInnerTexts();
    expect(titles.length).toBe(10);
    expect(titles.slice(0, 5).some((t) => t.startsWith('ULIP-2'))).toBe(true);
    const marked = (await page.locator('.hit mark').allInnerTexts()).map((w) => w.toLowerCase());
    expect(marked).toEqual(expect.arrayContaining(['point', '3d']));
    expect(await page.locator('.hit').first().getByRole('link', { name: 'Similar' }).count()).toBe(1);
    await screenshot(page, 'search');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('opens a paper with its abstract and similar papers', async () => {
    const { page, errors } = await openPage('/?q=neural+architecture+search');
    const first = page.locator('.hit-title').first();
    const title = await first.innerText();
    await first.click();
    await page.waitForURL(/\/paper\//);
    expect(await page.locator('h1').innerText()).toBe(title);
    expect((await page.locator('.abstract').innerText()).length).toBeGreaterThan(100);
    expect(await page.locator('#similar .hit').count()).toBe(10);
    expect(await page.locator('.topic-badge').count()).toBe(1);
    await screenshot(page, 'paper');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('lists the topics', async () => {
    const { page } = await openPage('/topics');
    const cards = await page.locator('.topic').count();
    expect(cards).toBe(server.index.topics!.file.topics.length);
    expect(cards).toBeGreaterThan(3);
    await screenshot(page, 'topics');
    await page.close();
  });

  it('draws the topic map: a point per paper coloured by topic, titles on hover, a click opens the paper', async () => {
    const { page, errors } = await openPage('/map');
    const dots = page.locator('#map circle');
    await expect.poll(() => dots.count()).toBe(server.index.papers.size);
    const colours = new Set(await dots.evaluateAll((els) => els.map((e) => e.getAttribute('fill'))));
    expect(colours.size).toBeGreaterThan(3);
    // The last point is drawn on top, so the pointer reaches it whatever its neighbours.
    const dot = dots.last();
    const id = await dot.getAttribute('data-id');
    await dot.hover({ force: true });
    await expect.poll(() => page.locator('.tip').innerText()).toBe(server.index.papers.title(server.index.labelOf.get(id!)!));
    await screenshot(page, 'map');
    await dot.click({ force: true });
    await page.waitForURL(new RegExp(`/paper/${encodeURIComponent(id!).replace(/[.]/g, '\\.')}$`));
    expect(errors).toEqual([]);
    await page.close();
  });

  it('is readable on a phone: nothing overflows sideways', async () => {
    const { page } = await openPage('/?q=point+cloud+classification', { width: 390, height: 844 });
    await page.waitForSelector('.hit');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'phone');
    await page.close();
  });
});
