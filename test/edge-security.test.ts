import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import SwaggerParser from '@apidevtools/swagger-parser';
import { describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.ts';
import { embedSnippet } from '../src/web/embed-snippet.ts';
import { startTestServer } from './helpers/server.ts';
import { HOSTILE_PAPERS } from './helpers/hostile-index.ts';
import { hostileIndex } from './helpers/fixture-index.ts';
import { tempDir } from './helpers/temp-dir.ts';

const PUBLIC_URL = 'https://papers.example.org';
let server: RunningServer;
const get = (p: string, init?: RequestInit) => fetch(server.url + p, init);

// Set up as the file loads, not in a beforeAll: no hook time-out applies, so a busy machine makes the start slower, not a failure.
server = await startTestServer(await hostileIndex(), { MODEL: 'lsa', PUBLIC_URL });

/** Undoes the page's HTML escaping of a text node, as a browser would when someone copies the snippet. */
const textOf = (html: string) => html.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

describe('security headers', () => {
  it('every kind of response says nosniff and carries a CSP', async () => {
    const paths = ['/', '/?q=point+cloud', '/topics', '/map', '/docs', '/docs/init.js', '/openapi.json', '/api/search?q=point', '/api/stats', '/health', '/widget.js', '/api/nothing', '/no/such/page', `/paper/plain-3`, '/widget/plain-3'];
    for (const p of paths) {
      const res = await get(p);
      expect(res.headers.get('x-content-type-options'), p).toBe('nosniff');
      expect(res.headers.get('content-security-policy'), p).toMatch(/default-src '(self|none)'/);
      expect(res.headers.get('referrer-policy'), p).toBe('no-referrer');
    }
  });

  it('/docs has a policy that allows its own scripts only, and the widget page keeps its own', async () => {
    const docs = (await get('/docs')).headers.get('content-security-policy')!;
    expect(docs).toContain("script-src 'self'");
    expect(docs).not.toMatch(/script-src[^;]*unsafe/);
    expect((await get('/widget/plain-3')).headers.get('content-security-policy')).toContain('frame-ancestors *');
  });
});

describe('output escaping and urls', () => {
  it('the API never hands out a javascript: or data: url', async () => {
    for (const paper of HOSTILE_PAPERS) {
      const res = await get(`/api/papers/${encodeURIComponent(paper.id)}`);
      expect(res.status).toBe(200);
      expect((await res.json()).url).toBeNull();
    }
    const { results } = await (await get('/api/search?q=point+cloud+segmentation&k=20')).json();
    const hostile = results.filter((r: { id: string }) => HOSTILE_PAPERS.some((p) => p.id === r.id));
    expect(hostile.length).toBeGreaterThan(0);
    for (const r of hostile) expect(r.url).toBeNull();
    const related = await (await get(`/api/related?id=plain-3&k=5`)).json();
    for (const p of [related.paper, ...related.related]) expect(p.link ?? 'https://').toMatch(/^https?:\/\//);
  });

  it('the paper page snippet escapes the id and takes its origin from PUBLIC_URL, not Host', async () => {
    for (const paper of HOSTILE_PAPERS) {
      const res = await get(`/paper/${encodeURIComponent(paper.id)}`, { headers: { host: 'evil.example' } });
      expect(res.status).toBe(200);
      const page = await res.text();
      const code = /<details class="embed">[\s\S]*?<code>([\s\S]*?)<\/code>/.exec(page)![1];
      const snippet = textOf(code);
      expect(snippet).toBe(embedSnippet(PUBLIC_URL, paper.id));
      // Pasted into a page, the snippet is one script element whose attribute holds the id: no second tag.
      expect(snippet.match(/<script/g)).toHaveLength(1);
      expect(snippet).not.toContain('evil.example');
      expect(page).not.toContain('<script>alert');
      expect(page).not.toContain('<svg onload');
    }
  });
});

describe('cross-origin access', () => {
  const origin = { origin: 'https://blog.example' };
  it('GET endpoints are readable from other origins', async () => {
    const res = await get('/api/related?id=plain-3', { headers: origin });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('POST /api/similar stays same-origin: no allow-origin, and a preflight does not allow POST', async () => {
    const res = await get('/api/similar', { method: 'POST', headers: { ...origin, 'content-type': 'application/json' }, body: JSON.stringify({ positive: ['plain-3'] }) });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await get('/api/similar', { method: 'OPTIONS', headers: { ...origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    expect(preflight.headers.get('access-control-allow-methods') ?? '').not.toContain('POST');
  });
});

describe('methods and media types', () => {
  it('a known path with the wrong method is 405 with Allow', async () => {
    const post = await get('/api/search?q=x', { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    expect((await post.json()).error.code).toBe('METHOD_NOT_ALLOWED');
    const getSimilar = await get('/api/similar');
    expect(getSimilar.status).toBe(405);
    expect(getSimilar.headers.get('allow')).toBe('POST');
    // DELETE is a (keyed) write on this path; PUT is not served at all.
    const put = await get('/api/papers/plain-3', { method: 'PUT' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('DELETE, GET, HEAD');
    expect((await get('/api/nothing', { method: 'POST' })).status).toBe(404);
  });

  it('a body that is not JSON is 415 with its own code', async () => {
    const res = await get('/api/similar', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'positive=plain-3' });
    expect(res.status).toBe(415);
    expect((await res.json()).error).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', message: expect.stringContaining('application/json') });
  });
});

describe('OpenAPI document', () => {
  it('passes swagger-parser validation and redocly lint (recommended rules)', async () => {
    const doc = await (await get('/openapi.json')).json();
    expect(doc.servers).toEqual([{ url: PUBLIC_URL }]);
    await SwaggerParser.validate(structuredClone(doc));
    const file = path.join(await tempDir(), 'openapi.json');
    await fs.writeFile(file, JSON.stringify(doc));
    const cli = path.resolve('node_modules/@redocly/cli/bin/cli.js');
    const { stdout } = await promisify(execFile)(process.execPath, [cli, 'lint', file, '--extends', 'recommended', '--format', 'json'], { env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } });
    const { problems } = JSON.parse(stdout.slice(stdout.indexOf('{')));
    // The project states no licence, so the document cannot name one; everything else must be clean.
    expect(problems.filter((p: { ruleId: string }) => p.ruleId !== 'info-license')).toEqual([]);
  }, 60_000);

  it('documents every error answer: the edge limits on every operation, body errors where there is a body', async () => {
    const doc = await (await get('/openapi.json')).json();
    for (const [p, item] of Object.entries<Record<string, any>>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        for (const status of ['429', '500', '503']) expect(op.responses[status], `${method} ${p} ${status}`).toBeDefined();
        if (op.requestBody) for (const status of ['400', '413', '415']) expect(op.responses[status], `${method} ${p} ${status}`).toBeDefined();
        for (const param of op.parameters ?? []) if (param.in === 'path') expect(param.required).toBe(true);
      }
    }
  });
});
