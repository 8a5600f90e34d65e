import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.ts';
import { widgetPage } from '../src/web/widget-page.ts';
import { idByTitle, startTestServer } from './helpers/server.ts';
import { fixtureIndex } from './helpers/fixture-index.ts';

let server: RunningServer;
const get = (p: string, headers: Record<string, string> = {}) => fetch(server.url + p, { headers });
const idOf = (title: string) => idByTitle(server, title);

beforeAll(async () => {
  server = await startTestServer(fixtureIndex());
});

describe('GET /api/related', () => {
  it('finds the paper by id, title or arXiv id and links every related paper out', async () => {
    const byId = (await (await get(`/api/related?id=${encodeURIComponent(idOf('BigNAS:'))}&k=3`)).json()) as any;
    const byTitle = (await (await get('/api/related?title=BigNAS&k=3')).json()) as any;
    expect(byTitle).toEqual(byId);
    expect(byId.paper.title).toMatch(/^BigNAS/);
    expect(byId.related).toHaveLength(3);
    const byArxiv = (await (await get('/api/related?arxiv_id=0704.0001v1&k=2')).json()) as any;
    expect(byArxiv.paper).toMatchObject({ id: '0704.0001', link: 'https://arxiv.org/abs/0704.0001' });
    for (const p of byArxiv.related) expect(p.link).toMatch(/^https:\/\/arxiv\.org\/abs\//);
  });

  it('answers other origins (CORS) and explains what is missing', async () => {
    const res = await get('/api/related?title=BigNAS', { origin: 'http://example.test' });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const none = await get('/api/related');
    expect(none.status).toBe(400);
    const unknown = await get('/api/related?id=nope');
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as any).error.code).toBe('PAPER_NOT_FOUND');
  });
});

describe('GET /widget/:id and /widget.js', () => {
  it('serves a self-contained page under a strict CSP that lets any site frame it', async () => {
    const res = await get(`/widget/${encodeURIComponent(idOf('ULIP-2:'))}?k=4&theme=dark`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).toContain('frame-ancestors *');
    expect(csp).not.toContain('unsafe-inline');
    const body = await res.text();
    expect(body.match(/<li>/g)).toHaveLength(4);
    expect(body).toContain('data-theme="dark"');
    expect(body).not.toMatch(/<script|<link|src=/);
  });

  it('escapes titles and author names, and only links to web addresses', () => {
    const evil = { id: 'x"><script>', title: '<img src=x onerror=alert(1)>Title', authors: ['<b>Eve</b>'], year: 2024, link: null };
    const page = String(widgetPage({ ...evil, title: 'Host' }, [evil], 'light'));
    expect(page).not.toContain('<img');
    expect(page).not.toContain('<script>');
    expect(page).not.toContain('<b>');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;Title');
  });

  it('serves the embed script to any origin', async () => {
    const res = await get('/widget.js');
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const js = await res.text();
    expect(js).toContain('attachShadow');
    expect(js).not.toContain('__WIDGET_CSS__');
    expect(js).not.toMatch(/innerHTML/);
  });
});
