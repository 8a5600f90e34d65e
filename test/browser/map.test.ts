import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from '../../src/server.ts';
import { MANIFEST_FILE, readManifest, writeManifest } from '../../src/store/manifest.ts';
import { describeBuildFiles } from '../../src/store/build-files.ts';
import { currentBuildDir } from '../../src/store/build-dir.ts';
import { readPapersTable } from '../../src/store/papers-table.ts';
import { topicsStep } from '../../src/topics/topics-step.ts';
import { startTestServer } from '../helpers/server.ts';
import { copyIndex, fixtureIndex } from '../helpers/fixture-index.ts';
import { collectErrors, launchChromium, screenshot } from './chromium.ts';

/** The case: 18 topics shared 12 colours. */
const TOPICS = 20;

let server: RunningServer;
let browser: Browser;

/**
 * The fixture index with its topics recomputed by the indexer's own topics
 * step at --topics 30: k-means then dissolves the clusters of one paper, which
 * leaves 23 topics of its 141 papers.
 */
async function indexWithManyTopics(): Promise<string> {
  const dir = await copyIndex(await fixtureIndex());
  const buildDir = (await currentBuildDir(dir))!;
  const rows = await readPapersTable(buildDir);
  await topicsStep.run({ buildDir, rows, dimension: rows[0].vector.length, options: { topics: 30 } });
  // The build's files changed, so their sizes and checksums are recorded again, as the indexer does.
  const manifest = await readManifest(buildDir);
  await writeManifest(buildDir, { ...manifest, files: await describeBuildFiles(buildDir, [MANIFEST_FILE]) });
  return dir;
}

// Set up as the file loads, not in a beforeAll: no hook time-out applies, so a busy machine makes the start slower, not a failure.
server = await startTestServer(await indexWithManyTopics());
browser = await launchChromium();

async function openMap(path: string, phone = false): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage(
    phone ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } : { viewport: { width: 1280, height: 900 } },
  );
  const errors = collectErrors(page);
  await page.goto(server.url + path);
  await expect.poll(() => page.locator('#map circle').count(), { timeout: 20_000 }).toBe(server.index.papers.size);
  return { page, errors };
}

const rgb = (hex: string) => [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));

/** The screen distance between the first two points, which zooming scales. */
const spread = (page: Page) =>
  page.locator('#map circle').evaluateAll((dots) => {
    const [a, b] = dots.slice(0, 2).map((d) => d.getBoundingClientRect());
    return Math.hypot(a.x - b.x, a.y - b.y);
  });

describe('the topic map', () => {
  it(`gives each of ${TOPICS}+ topics its own colour, and labels every topic at its centre`, async () => {
    const { page, errors } = await openMap('/map');
    const topics = server.index.topics!.file.topics;
    expect(topics.length).toBeGreaterThanOrEqual(TOPICS);
    const fills = await page.locator('#map circle').evaluateAll((dots) => dots.map((d) => [Number(d.getAttribute('data-topic')), d.getAttribute('fill')!] as const));
    const colourOf = new Map<number, string>();
    for (const [topic, fill] of fills) {
      expect(colourOf.get(topic) ?? fill).toBe(fill);
      colourOf.set(topic, fill);
    }
    const colours = [...colourOf.values()];
    expect(new Set(colours).size).toBe(topics.length);
    // Not merely different strings: every pair of colours is visibly apart.
    for (let i = 0; i < colours.length; i++) {
      for (let j = i + 1; j < colours.length; j++) {
        const [a, b] = [rgb(colours[i]), rgb(colours[j])];
        expect(Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]), `${colours[i]} vs ${colours[j]}`).toBeGreaterThan(30);
      }
    }
    // The legend's swatches use the same colours.
    const swatches = await page.locator('.legend .swatch circle').evaluateAll((cs) => cs.map((c) => c.getAttribute('fill')));
    expect(swatches).toEqual(topics.map((t) => colourOf.get(t.id)));

    const labels = await page.locator('#map .labels text').evaluateAll((ts) => ts.map((t) => ({ topic: Number(t.getAttribute('data-topic')), text: t.textContent, x: Number(t.getAttribute('x')), y: Number(t.getAttribute('y')) })));
    expect(labels.map((l) => l.text)).toEqual(topics.map((t) => t.label));
    for (const l of labels) {
      const own = (await page.locator(`#map circle[data-topic="${l.topic}"]`).evaluateAll((ds) => ds.map((d) => [Number(d.getAttribute('cx')), Number(d.getAttribute('cy'))]))) as [number, number][];
      const [xs, ys] = [own.map((p) => p[0]), own.map((p) => p[1])];
      expect(l.x).toBeGreaterThanOrEqual(Math.min(...xs));
      expect(l.x).toBeLessThanOrEqual(Math.max(...xs));
      expect(l.y).toBeGreaterThanOrEqual(Math.min(...ys));
      expect(l.y).toBeLessThanOrEqual(Math.max(...ys));
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it('zooms with the buttons and the wheel, pans by dragging, and resets', async () => {
    const { page, errors } = await openMap('/map');
    const svg = page.locator('#map svg');
    const before = await spread(page);
    await page.getByRole('button', { name: 'Zoom in' }).click();
    expect(await svg.getAttribute('data-zoom')).toBe('2');
    expect((await spread(page)) / before).toBeCloseTo(2, 1);
    // Dots keep their size on screen while the map grows.
    const r = await page.locator('#map circle').first().evaluate((c) => c.getBoundingClientRect().width);
    await page.getByRole('button', { name: 'Zoom in' }).click();
    expect(await page.locator('#map circle').first().evaluate((c) => c.getBoundingClientRect().width)).toBeCloseTo(r, 0);

    const box = (await svg.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -300);
    await expect.poll(async () => Number(await svg.getAttribute('data-zoom'))).toBeGreaterThan(4);

    const transform = await page.locator('#map .dots').getAttribute('transform');
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 120, box.y + box.height / 2 + 60, { steps: 5 });
    await page.mouse.up();
    expect(await page.locator('#map .dots').getAttribute('transform')).not.toBe(transform);
    expect(page.url()).toBe(`${server.url}/map`);

    await page.getByRole('button', { name: 'Reset' }).click();
    expect(await svg.getAttribute('data-zoom')).toBe('1');
    expect(await spread(page)).toBeCloseTo(before, 0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("rings the current search's results, reached from the search page, and fades the rest", async () => {
    const q = 'point cloud';
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = collectErrors(page);
    await page.goto(`${server.url}/?q=${encodeURIComponent(q)}`);
    await page.getByRole('link', { name: 'See them on the map' }).click();
    await page.waitForURL((url) => url.pathname === '/map' && url.searchParams.get('q') === q);
    const answer = (await (await fetch(`${server.url}/api/search?q=${encodeURIComponent(q)}&k=50`)).json()) as { results: { id: string; match?: string }[] };
    const expected = answer.results.filter((r) => r.match !== 'none').map((r) => r.id);
    expect(expected.length).toBeGreaterThan(0);
    await expect.poll(() => page.locator('#map circle.hit').count(), { timeout: 30_000 }).toBe(expected.length);
    const ringed = await page.locator('#map circle.hit').evaluateAll((ds) => ds.map((d) => d.getAttribute('data-id')));
    expect(new Set(ringed)).toEqual(new Set(expected));
    expect(await page.locator('#map circle.faded').count()).toBe(server.index.papers.size - expected.length);
    expect(await page.locator('#map-status').innerText()).toContain(`The ${expected.length} best results for “${q}”`);
    expect(await page.locator('.map-search input').inputValue()).toBe(q);
    await screenshot(page, 'map');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('on a phone: no hover hint, a tap shows the nearest title with a finger-sized link, big zoom buttons', async () => {
    const { page, errors } = await openMap('/map', true);
    expect(await page.locator('.hint-pointer').isVisible()).toBe(false);
    expect(await page.locator('.hint-touch').isVisible()).toBe(true);
    expect(await page.locator('main').innerText()).not.toMatch(/hover/i);
    for (const button of await page.locator('.map-tools button').all()) expect((await button.boundingBox())!.height).toBeGreaterThanOrEqual(44);

    // A tap a little off a dot still finds it; it shows the title first instead of leaving the page.
    const alone = await page.locator('#map circle').evaluateAll((dots) => {
      const centres = dots.map((d) => {
        const r = d.getBoundingClientRect();
        return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
      });
      // The dot with the most room around it, so that "nearest" has one answer.
      const room = centres.map((c, i) => Math.min(...centres.filter((_, j) => j !== i).map((o) => Math.hypot(o.x - c.x, o.y - c.y))));
      return room.indexOf(Math.max(...room));
    });
    const dot = page.locator('#map circle').nth(alone);
    const at = (await dot.boundingBox())!;
    await page.touchscreen.tap(at.x + at.width / 2 + 6, at.y + at.height / 2 + 4);
    const tip = page.locator('.tip');
    await expect.poll(() => tip.isVisible()).toBe(true);
    const id = (await dot.getAttribute('data-id'))!;
    expect(await tip.locator('span').innerText()).toBe(server.index.papers.title(server.index.labelOf.get(id)!));
    const open = tip.getByRole('link', { name: 'Open the paper' });
    expect((await open.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    expect(page.url()).toBe(`${server.url}/map`);
    await open.tap();
    await page.waitForURL(`${server.url}/paper/${encodeURIComponent(id)}`);
    await page.goBack();
    await screenshot(page, 'map-phone');
    expect(errors).toEqual([]);
    await page.close();
  });
});
