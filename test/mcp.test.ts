import { afterAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { RunningServer } from '../src/server.ts';
import { LIMITS } from '../src/api/schemas.ts';
import { idByTitle, startTestServer } from './helpers/server.ts';
import { fixtureIndex } from './helpers/fixture-index.ts';

let server: RunningServer;
let client: Client;
const idOf = (title: string) => idByTitle(server, title);

/** A tool's JSON answer (the tools answer with the HTTP API's JSON, as text and as structured content). */
async function call(name: string, args: Record<string, unknown>): Promise<any> {
  const result = (await client.callTool({ name, arguments: args })) as { isError?: boolean; content: { type: string; text: string }[]; structuredContent?: unknown };
  if (result.isError) throw new Error(result.content[0].text);
  const parsed = JSON.parse(result.content[0].text);
  expect(result.structuredContent).toEqual(parsed);
  return parsed;
}

/** The text of a tool error. */
async function toolError(name: string, args: Record<string, unknown>): Promise<string> {
  const result = (await client.callTool({ name, arguments: args })) as { isError?: boolean; content: { text: string }[] };
  expect(result.isError).toBe(true);
  return result.content[0].text;
}

// Set up as the file loads, not in a beforeAll: no hook time-out applies, so a busy machine makes the start slower, not a failure.
server = await startTestServer(await fixtureIndex());
client = new Client({ name: 'paperscope-test', version: '1' });
await client.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`)));

afterAll(() => client?.close());

describe('the MCP endpoint, through the SDK client over HTTP', () => {
  it('lists the five tools with the HTTP API schemas and limits', async () => {
    const { tools } = await client.listTools();
    const byName = new Map(tools.map((t) => [t.name, t]));
    expect([...byName.keys()].sort()).toEqual(['get_paper', 'list_topics', 'search_papers', 'similar_papers', 'topic_papers']);
    const search = byName.get('search_papers')!.inputSchema as any;
    expect(search.required).toEqual(['q']);
    expect(search.properties.k.maximum).toBe(LIMITS.maxK);
    expect(search.properties.q.maxLength).toBe(LIMITS.maxQueryLength);
    const similar = byName.get('similar_papers')!.inputSchema as any;
    expect(Object.keys(similar.properties)).toEqual(expect.arrayContaining(['positive', 'negative', 'k', 'mode']));
    expect(similar.properties.positive.maxItems).toBe(LIMITS.maxIds);
    for (const tool of tools) expect(tool.description!.length).toBeGreaterThan(20);
  });

  it('searches like GET /api/search', async () => {
    const answer = await call('search_papers', { q: 'papers like ULIP about 3D point clouds', k: 5 });
    expect(answer.results).toHaveLength(5);
    expect(answer.interpretation.like[0].title).toMatch(/^ULIP: /);
    const http = (await (await fetch(`${server.url}/api/search?q=${encodeURIComponent('papers like ULIP about 3D point clouds')}&k=5`)).json()) as any;
    expect(answer.results.map((r: any) => r.id)).toEqual(http.results.map((r: any) => r.id));
  });

  it('finds papers like some and unlike others', async () => {
    const positive = [idOf('ULIP-2:')];
    const plain = await call('similar_papers', { positive, k: 10 });
    expect(plain.results).toHaveLength(10);
    expect(plain.results.map((r: any) => r.id)).not.toContain(positive[0]);
    const negative = [plain.results[0].id];
    const steered = await call('similar_papers', { positive, negative, k: 10 });
    expect(steered.interpretation.negative.map((p: any) => p.id)).toEqual(negative);
    expect(steered.results.map((r: any) => r.id)).not.toContain(negative[0]);
  });

  it('gets one paper', async () => {
    const id = idOf('ULIP-2:');
    const paper = await call('get_paper', { id });
    expect(paper).toMatchObject({ id, title: expect.stringMatching(/^ULIP-2: /) });
    expect(paper.abstract.length).toBeGreaterThan(100);
    expect(paper.bibtex).toMatch(/^@\w+\{[^,]+,/);
    expect(paper.bibtex).toContain('ULIP-2');
  });

  it('lists the topics and pages through one', async () => {
    const { topics } = await call('list_topics', {});
    expect(topics.length).toBe(server.index.topics!.file.topics.length);
    const page = await call('topic_papers', { id: topics[0].id, k: 3, offset: 1 });
    expect(page.topic.label).toBe(topics[0].label);
    expect(page.papers).toHaveLength(3);
    expect(page.papers[0].id).toBe(server.index.topics!.byId.get(topics[0].id)!.members[1].id);
    const sub = await call('list_topics', { q: 'point cloud', n: 20 });
    expect(sub.interpretation.about).toBe('point cloud');
  });

  it('answers bad arguments with a tool error that names the field', async () => {
    expect(await toolError('search_papers', { q: 'x', k: LIMITS.maxK + 1 })).toMatch(/search_papers.*\bk\b/s);
    expect(await toolError('search_papers', {})).toMatch(/\bq\b/);
    expect(await toolError('similar_papers', { positive: [] })).toMatch(/needs at least one paper id.*positive/s);
    expect(await toolError('similar_papers', { positive: ['no-such-paper'] })).toMatch(/Unknown paper id: no-such-paper/);
    expect(await toolError('get_paper', { id: 'no-such-paper' })).toMatch(/No paper with id "no-such-paper"/);
    expect(await toolError('topic_papers', { id: 9999 })).toMatch(/No topic with id 9999/);
  });
});
