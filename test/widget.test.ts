import { describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.ts';
import { widgetPage } from '../src/web/widget-page.ts';
import { idByTitle, startTestServer } from './helpers/server.ts';
import { fixtureIndex } from './helpers/fixture-index.ts';

let server: RunningServer;
const get = (p: string, headers: Record<string, string> = {}) => fetch(server.url + p, { headers });
const idOf = (title: string) => idByTitle(server, title);

// Set up as the file loads, not in a beforeAll: no hook time-out applies, so a busy machine makes the start slower, not a failure.
server = await startTestServer(await fixtureIndex());

describe('GET /api/related', () => {
  it('finds the paper by id, title or arXiv id and links every related paper out', async () => {
    const byId = (await (await get(`/api/related?id=${encodeURIComponent(idOf('BigNAS:'))}&k=3`)).json()) as any;
    const byTitle = (await (await get('/api/related?title=BigNAS&k=3')).json()) as any;
    expect(byTitle).toEqual(byId);
    expect(byId.paper.title).toMatch(/^BigNAS/);
    expect(byId.related).toHaveLength(3);
    const byArxiv = (await (await get('/api/related?arxiv_id=0704.0001v1&k=2')).json()) as any;
    expect(byArxiv.paper).toMatchObject({ id: '0704.0001', url: 'https://arxiv.org/abs/0704.0001' });
    for (const p of byArxiv.related) expect(p.url).toMatch(/^https:\/\/arxiv\.org\/abs\//);
  });

  it('finds a paper by its title as another site writes it: case, hyphens and punctuation ignored', async () => {
    const exact = (await (await get(`/api/related?title=${encodeURIComponent('ULIP-2: Towards Scalable Multimodal Pre-training For 3D Understanding')}&k=2`)).json()) as any;
    for (const written of ['ULIP-2: Towards Scalable Multimodal Pretraining for 3D Understanding', 'ulip 2 - towards scalable multimodal pre training for 3D understanding.']) {
      const res = await get(`/api/related?title=${encodeURIComponent(written)}&k=2`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as any).paper.id).toBe(exact.paper.id);
    }
    // Near-exact, not merely similar: another paper's title with one word changed finds nothing.
    expect((await get(`/api/related?title=${encodeURIComponent('ULIP-2: Towards Scalable Multimodal Pretraining for 2D Understanding')}`)).status).toBe(404);
  });

  it('links to arXiv when the paper has an arXiv id, else to its own page, or always to Paperscope when asked', async () => {
    const fromArxiv = (await (await get('/api/related?arxiv_id=0704.0002&k=5')).json()) as any;
    for (const p of fromArxiv.related) {
      expect(p.url).toBe(/^\d{4}\.\d{4,5}$/.test(p.id) ? `https://arxiv.org/abs/${p.id}` : `${server.url}/paper/${encodeURIComponent(p.id)}`);
    }
    const toPaperscope = (await (await get('/api/related?arxiv_id=0704.0002&k=5&link=paperscope')).json()) as any;
    expect(toPaperscope.related.map((p: any) => p.url)).toEqual(fromArxiv.related.map((p: any) => `${server.url}/paper/${encodeURIComponent(p.id)}`));
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

describe('the related papers pass a quality bar on the seed papers', () => {
  const related = async (id: string) => ((await (await get(`/api/related?id=${encodeURIComponent(id)}&k=5`)).json()) as any).related as { id: string; title: string }[];

  it('no seed paper has a paper from another field (physics, mathematics: arXiv categories outside cs and stat) in its top 5', async () => {
    const { papers } = server.index;
    let seeds = 0;
    for (let label = 0; label < papers.size; label++) {
      const paper = papers.get(label);
      if (paper.source !== 'hf-daily-page') continue;
      seeds++;
      const list = await related(paper.id);
      expect(list.length, paper.title).toBeGreaterThanOrEqual(3);
      for (const r of list) {
        const categories = papers.get(server.index.labelOf.get(r.id)!).categories;
        expect(categories.every((c) => /^(cs|stat)\./.test(c)), `${paper.title} → ${r.title} (${categories})`).toBe(true);
      }
    }
    expect(seeds).toBe(41);
  });

  it('3D papers are not related to papers on language models and model tooling, or the other way round (checked by hand on the 2,041-paper sample)', async () => {
    const ulip2 = (await related(idOf('ULIP-2:'))).map((r) => r.title);
    expect(ulip2.slice(0, 3).every((t) => /^(ULIP|ViT-Lens|RISurConv|HyMamba|Surface Representation)/.test(t)), ulip2.join(' | ')).toBe(true);
    expect(ulip2.filter((t) => /^(Evaluation of Language Models|From Text to Source|Bigram Subnetworks|Model Compression|Model Cards)/.test(t))).toEqual([]);
    for (const text of ['Model Cards for Model Reporting', 'Bigram Subnetworks:', 'From Text to Source:', 'Deep Learning Model Reuse', 'Profitable Trade-Off']) {
      const titles = (await related(idOf(text))).map((r) => r.title);
      expect(titles.filter((t) => /^ULIP/.test(t)), `${text} → ${titles.join(' | ')}`).toEqual([]);
    }
  });
});

describe('GET /widget/:id and /widget.js', () => {
  it('serves a self-contained page under a strict CSP that lets any site frame it', async () => {
    const res = await get(`/widget/${encodeURIComponent(idOf('ULIP-2:'))}?k=4&theme=dark`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
    // "*" alone does not match a page opened from disk (file:), which a lab's saved page or a draft is.
    expect(csp).toContain('frame-ancestors * file:');
    expect(csp).not.toContain('unsafe-inline');
    const body = await res.text();
    expect(body.match(/<li>/g)).toHaveLength(4);
    expect(body).toContain('data-theme="dark"');
    expect(body).not.toMatch(/<script|<link|src=/);
  });

  it('shows visitors a plain sentence, not the API message, for an unknown paper or a bad embed', async () => {
    for (const [path, status] of [['/widget/no-such-paper', 404], [`/widget/${encodeURIComponent(idOf('ULIP-2:'))}?k=abc`, 400]] as const) {
      const res = await get(path);
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(res.headers.get('content-security-policy')).toContain('frame-ancestors * file:');
      const body = await res.text();
      expect(body).toContain('Related papers are unavailable.');
      expect(body).not.toMatch(/PAPER_NOT_FOUND|INVALID_INPUT|Invalid|No paper/);
    }
  });

  it('escapes titles and author names', () => {
    const evil = { id: 'x"><script>', title: '<img src=x onerror=alert(1)>Title', authors: ['<b>Eve</b>'], year: 2024, date: null, url: 'https://example.org/"><script>' };
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
