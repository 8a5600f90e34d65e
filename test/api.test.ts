import { describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.ts';
import { idByTitle, startTestServer } from './helpers/server.ts';
import { FIXTURE_PAPERS, fixtureIndex } from './helpers/fixture-index.ts';
import { FORMAT_VERSION } from '../src/store/manifest.ts';

let server: RunningServer;
const get = (path: string, init?: RequestInit) => fetch(server.url + path, init);
const getJson = async (path: string) => {
  const res = await get(path);
  return { status: res.status, body: (await res.json()) as any, headers: res.headers };
};
const idOf = (title: string) => idByTitle(server, title);

// Set up as the file loads, not in a beforeAll: no hook time-out applies, so a busy machine makes the start slower, not a failure.
server = await startTestServer(await fixtureIndex());

describe('search', () => {
  it('answers with results, the interpretation and the time taken', async () => {
    const { status, body } = await getJson('/api/search?q=neural%20architecture%20search&k=5');
    expect(status).toBe(200);
    expect(body.results).toHaveLength(5);
    for (const r of body.results) {
      expect(Object.keys(r).sort()).toEqual(['authors', 'date', 'id', 'match', 'score', 'snippet', 'title', 'url', 'year']);
      expect(r.snippet.length).toBeGreaterThan(20);
    }
    expect(body.results[0].title + body.results[0].snippet).toMatch(/architecture search|NAS/i);
    expect(body.interpretation).toMatchObject({ mode: 'hybrid', like: [], about: 'neural architecture search', unresolved: [] });
    expect(body.took_ms).toBeGreaterThanOrEqual(0);
  });

  it('answers a repeated query from its cache: the same answer, headers and JSON type, and its own took_ms', async () => {
    const path = '/api/search?q=graph%20neural%20networks%20for%20molecules&k=4';
    const first = await get(path, { headers: { origin: 'http://example.test' } });
    const again = await get(path, { headers: { origin: 'http://example.test' } });
    for (const res of [first, again]) {
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
    const [a, b] = [await first.json(), await again.json()];
    expect(b.took_ms).toBeGreaterThanOrEqual(0);
    expect(b.took_ms).toBeLessThan(a.took_ms);
    expect({ ...b, took_ms: 0 }).toEqual({ ...a, took_ms: 0 });
  });

  it('"papers like ULIP about 3D point clouds" puts the point-cloud papers first (default model)', async () => {
    const { body } = await getJson('/api/search?q=papers%20like%20ULIP%20about%203D%20point%20clouds&k=5');
    expect(body.interpretation.like).toEqual([{ id: idOf('ULIP: '), title: expect.stringMatching(/^ULIP: Learning a Unified Representation/) }]);
    expect(body.interpretation.about).toBe('3D point clouds');
    const top = body.results.map((r: any) => r.title);
    for (const expected of ['ULIP-2', 'HyMamba', 'RISurConv', 'Surface Representation for Point Clouds', 'ViT-Lens']) {
      expect(top.some((t: string) => t.startsWith(expected)), `${expected} in ${top.join(' | ')}`).toBe(true);
    }
    expect(top.some((t: string) => t.startsWith('ULIP: '))).toBe(false);
  });

  it('resolves "similar to BigNAS" and "like ULIP-2 but for images"', async () => {
    const bignas = await getJson('/api/search?q=similar%20to%20BigNAS&k=5');
    expect(bignas.body.interpretation.like.map((p: any) => p.title)).toEqual([expect.stringMatching(/^BigNAS:/)]);
    expect(bignas.body.results.map((r: any) => r.title).join(' ')).toMatch(/Architecture Search/i);
    const ulip2 = await getJson('/api/search?q=like%20ULIP-2%20but%20for%20images&k=5');
    expect(ulip2.body.interpretation.like.map((p: any) => p.title)).toEqual([expect.stringMatching(/^ULIP-2:/)]);
    expect(ulip2.body.interpretation.about).toBe('images');
  });

  it('says so when a named paper does not exist, and searches the whole text', async () => {
    const { body } = await getJson('/api/search?q=papers%20like%20Zorblax%20about%20point%20clouds&k=3');
    expect(body.interpretation.like).toEqual([]);
    expect(body.interpretation.unresolved.join(' ')).toMatch(/Zorblax/);
    expect(body.interpretation.note).toMatch(/Zorblax/);
    expect(body.results[0].title).toMatch(/point cloud|3D/i);
  });

  it('pages with offset and filters by year', async () => {
    const first = await getJson('/api/search?q=quantum%20field%20theory&k=10');
    const second = await getJson('/api/search?q=quantum%20field%20theory&k=5&offset=5');
    expect(second.body.results.map((r: any) => r.id)).toEqual(first.body.results.slice(5).map((r: any) => r.id));
    // Fusion standardizes scores over the candidates, so the candidates must not depend on the page size.
    const wide = await getJson('/api/search?q=quantum%20field%20theory&k=50');
    expect(wide.body.results.slice(0, 10).map((r: any) => r.id)).toEqual(first.body.results.map((r: any) => r.id));
    const recent = await getJson('/api/search?q=neural%20networks&k=10&year_from=2020&year_to=2024');
    expect(recent.body.results.length).toBeGreaterThan(0);
    for (const r of recent.body.results) expect(r.year).toBeGreaterThanOrEqual(2020);
    for (const r of recent.body.results) expect(r.year).toBeLessThanOrEqual(2024);
  });

  it('honours mode=keyword|semantic|hybrid', async () => {
    const ranked: Record<string, string[]> = {};
    for (const mode of ['keyword', 'semantic', 'hybrid']) {
      const { status, body } = await getJson(`/api/search?q=dark%20matter%20halo&k=10&mode=${mode}`);
      expect(status).toBe(200);
      expect(body.interpretation.mode).toBe(mode);
      ranked[mode] = body.results.map((r: any) => r.id);
    }
    expect(ranked.keyword).not.toEqual(ranked.semantic);
    const hybridFromEither = ranked.hybrid.filter((id) => ranked.keyword.includes(id) || ranked.semantic.includes(id));
    expect(hybridFromEither.length).toBeGreaterThan(5);
  });
});

describe('papers and similar papers', () => {
  it('returns one paper in the documented shape, 404 for an unknown id', async () => {
    const { status, body } = await getJson('/api/papers/0704.0001');
    expect(status).toBe(200);
    expect(body).toEqual({
      id: '0704.0001',
      title: 'Calculation of prompt diphoton production cross sections at Tevatron and LHC energies',
      abstract: expect.stringMatching(/^A fully differential calculation in perturbative quantum chromodynamics/),
      authors: expect.arrayContaining(['E. L. Berger']),
      year: 2007,
      date: '2007-04-02',
      categories: ['hep-ph'],
      url: 'https://arxiv.org/abs/0704.0001',
    });
    const missing = await getJson('/api/papers/does-not-exist');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('PAPER_NOT_FOUND');
  });

  it('lists similar papers without the paper itself', async () => {
    const id = idOf('BigNAS');
    const { status, body } = await getJson(`/api/papers/${id}/similar?k=5`);
    expect(status).toBe(200);
    expect(body.results).toHaveLength(5);
    expect(body.results.map((r: any) => r.id)).not.toContain(id);
    expect(body.results.slice(0, 3).map((r: any) => r.title).join(' ')).toMatch(/Architecture Search/i);
  });

  it('takes positive and negative examples', async () => {
    const positive = [idOf('ULIP-2'), idOf('HyMamba')];
    const negative = [idOf('BigNAS')];
    const res = await get('/api/similar', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ positive, negative, k: 8 }) });
    expect(res.status).toBe(200);
    const body: any = await res.json();
    const ids = body.results.map((r: any) => r.id);
    for (const id of [...positive, ...negative]) expect(ids).not.toContain(id);
    expect(body.interpretation.positive.map((p: any) => p.id)).toEqual(positive);
    expect(body.results[0].title).toMatch(/point|3D|ULIP|surface/i);
  });

  it('reports unknown ids in the body as 404 naming them', async () => {
    const res = await get('/api/similar', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ positive: ['nope-1'] }) });
    expect(res.status).toBe(404);
    const body: any = await res.json();
    expect(body.error).toMatchObject({ code: 'PAPER_NOT_FOUND', details: { field: 'positive', ids: ['nope-1'] } });
  });
});

describe('validation', () => {
  it.each([
    ['/api/search', 'q'],
    ['/api/search?q=', 'q'],
    ['/api/search?q=x&k=0', 'k'],
    ['/api/search?q=x&k=101', 'k'],
    ['/api/search?q=x&k=abc', 'k'],
    ['/api/search?q=x&offset=-1', 'offset'],
    ['/api/search?q=x&offset=5000', 'offset'],
    ['/api/search?q=x&mode=fuzzy', 'mode'],
    ['/api/search?q=x&year_from=2020&year_to=2010', 'year_from'],
    [`/api/search?q=${'a'.repeat(501)}`, 'q'],
    ['/api/papers/0704.0001/similar?k=1000', 'k'],
  ])('GET %s is a 400 naming "%s"', async (path, field) => {
    const { status, body } = await getJson(path);
    expect(status).toBe(400);
    expect(body.error.code).toBe('INVALID_INPUT');
    expect(body.error.message).toContain(`"${field}"`);
    expect(body.error.details.map((d: any) => d.field)).toContain(field);
  });

  it.each([
    ['{bad json', null],
    [JSON.stringify({ positive: [] }), 'positive'],
    [JSON.stringify({ positive: 'x' }), 'positive'],
    [JSON.stringify({ positive: ['a'], k: 0 }), 'k'],
    [JSON.stringify({ positive: ['a'], extra: 1 }), ''],
  ])('POST /api/similar %s is a 400', async (payload, field) => {
    const res = await get('/api/similar', { method: 'POST', headers: { 'content-type': 'application/json' }, body: payload });
    expect(res.status).toBe(400);
    const body: any = await res.json();
    expect(body.error.code).toBe('INVALID_INPUT');
    if (field) expect(body.error.details.map((d: any) => d.field)).toContain(field);
  });

  it('unknown routes are JSON 404s', async () => {
    const { status, body } = await getJson('/api/nothing-here');
    expect(status).toBe(404);
    expect(body.error.code).toBe('NOT_FOUND');
  });
});

describe('service', () => {
  it('health, stats, OpenAPI and docs', async () => {
    expect((await getJson('/health')).body).toMatchObject({ status: 'ok', papers: FIXTURE_PAPERS, build: expect.any(String), serving_since: expect.any(String) });
    const stats = (await getJson('/api/stats')).body;
    expect(stats).toMatchObject({ papers: FIXTURE_PAPERS, model: 'use-lite@windows', dimension: 512, index: { space: 'cosine' }, format_version: FORMAT_VERSION });
    const spec = (await getJson('/openapi.json')).body;
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/search', '/api/papers/{id}', '/api/papers/{id}/similar', '/api/similar', '/api/stats']));
    expect(spec.paths['/api/search'].get.parameters.map((p: any) => p.name)).toEqual(expect.arrayContaining(['q', 'k', 'offset', 'year_from', 'year_to', 'mode']));
    const docs = await get('/docs');
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger-ui-bundle.js');
    expect((await get('/docs/swagger-ui-bundle.js')).status).toBe(200);
  });

  it('opens GET to other origins (CORS), not POST', async () => {
    const res = await get('/api/papers/0704.0001', { headers: { origin: 'http://example.test' } });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const preflight = await get('/api/similar', { method: 'OPTIONS', headers: { origin: 'http://example.test', 'access-control-request-method': 'POST' } });
    expect(preflight.headers.get('access-control-allow-methods')).not.toContain('POST');
  });
});
