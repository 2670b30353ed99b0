/**
 * The LLM adapter against a stand-in chat-completions server (test/llmStandIn.ts, a real HTTP
 * server): answers used, cached, and every way the endpoint can fail ending in the local answer
 * within the timeout, with the circuit opening after failures in a row.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CanonicalRecord } from '@nexus/schema';
import { normaliseRecord } from '@nexus/matching';
import { startLlmStandIn, type LlmStandIn } from '../../../../test/llmStandIn';
import { createEnricher, type EnrichmentConfig } from './enrichmentStage';
import { completionsUrl, questionOf } from './llmAdapter';

let llm: LlmStandIn;
beforeAll(async () => {
  llm = await startLlmStandIn();
});
afterAll(() => llm?.close());
beforeEach(() => {
  llm.setMode('answer');
  llm.requests.length = 0;
});

const record = (fields: Partial<CanonicalRecord>): CanonicalRecord => ({
  source: 's',
  external_id: 'x',
  attributes: {},
  ...fields,
});

function config(
  adapters: EnrichmentConfig['adapters'],
  over: Partial<NonNullable<EnrichmentConfig['llm']>> = {},
) {
  return {
    adapters,
    llm: {
      url: llm.url,
      model: 'stand-in-1',
      key: 'sk-test',
      cacheSize: 100,
      // Generous: a loaded machine must not turn an answer into a timeout.
      timeoutMs: 10_000,
      failures: 3,
      halfOpenAfterMs: 60_000,
      ...over,
    },
  } satisfies EnrichmentConfig;
}

async function run(enricher: ReturnType<typeof createEnricher>, fields: Partial<CanonicalRecord>) {
  const r = record(fields);
  return enricher.enrich(r, normaliseRecord(r));
}

describe('the LLM adapter', () => {
  it('asks with a strict JSON schema and uses the parsed name', async () => {
    const enricher = createEnricher(config(['llm']));
    const out = await run(enricher, { full_name: 'Chen, Mei Ling' });
    expect(out.normalised).toMatchObject({ given: 'mei', middle: 'ling', family: 'chen' });
    expect(out.contributions).toEqual([
      expect.objectContaining({
        adapter: 'llm',
        outcome: 'applied',
        changed: [
          { field: 'given_name', from: null, to: 'Mei' },
          { field: 'middle_name', from: null, to: 'Ling' },
          { field: 'family_name', from: null, to: 'Chen' },
        ],
      }),
    ]);
    const sent = llm.requests[0]!;
    expect(sent.authorization).toBe('Bearer sk-test');
    expect(sent.body.model).toBe('stand-in-1');
    expect(sent.body.response_format.type).toBe('json_schema');
    expect(sent.body.response_format.json_schema.strict).toBe(true);
    expect(sent.body.response_format.json_schema.schema.required).toEqual([
      'given_name',
      'middle_name',
      'family_name',
    ]);
    expect(sent.body.messages.at(-1)?.content).toBe('Chen, Mei Ling');
  });

  it('parses a free-text address column into fields', async () => {
    const out = await run(createEnricher(config(['llm'])), {
      given_name: 'Ann',
      family_name: 'Lee',
      attributes: { address: '12 Harbour Road, Kingston, Hobart 7050' },
    });
    expect(out.normalised).toMatchObject({
      street_number: '12',
      locality: 'kingston',
      city: 'hobart',
      postcode: '7050',
    });
    expect(llm.requests[0]!.body.response_format.json_schema.name).toBe('postal_address');
  });

  it('asks nothing of a record that needs no parsing', async () => {
    const out = await run(createEnricher(config(['llm'])), {
      given_name: 'Ann',
      family_name: 'Lee',
      street: '1 High St',
    });
    expect(out.contributions[0]).toMatchObject({ adapter: 'llm', outcome: 'not_applicable' });
    expect(llm.requests).toHaveLength(0);
    expect(
      questionOf(record({ full_name: 'Ann Lee', given_name: 'Ann', family_name: 'Lee' })),
    ).toBeUndefined();
  });

  it('answers the same question from its cache, and forgets the least recently used', async () => {
    const enricher = createEnricher(config(['llm'], { cacheSize: 2 }));
    await run(enricher, { full_name: 'Mei Chen' });
    const again = await run(enricher, { full_name: 'Mei Chen' });
    expect(llm.requests).toHaveLength(1);
    expect(again.contributions[0]).toMatchObject({ outcome: 'applied', cached: true });
    await run(enricher, { full_name: 'Ann Lee' });
    await run(enricher, { full_name: 'Bo Tan' });
    await run(enricher, { full_name: 'Mei Chen' });
    expect(llm.requests).toHaveLength(4);
  });

  it.each([
    ['error', 'unavailable'],
    ['malformed', 'off_schema'],
    ['not_json_content', 'off_schema'],
    ['off_schema', 'off_schema'],
    ['invented', 'off_schema'],
    ['huge', 'off_schema'],
  ] as const)('falls back to the local answer when the endpoint answers %s', async (mode, reason) => {
    llm.setMode(mode);
    const out = await run(createEnricher(config(['llm'])), { full_name: 'Юрий Щербаков' });
    expect(out.contributions[0]).toMatchObject({
      adapter: 'llm',
      outcome: 'fallback',
      reason,
      fallback: 'translit',
    });
    // The local adapter's answer: romanised and parsed.
    expect(out.normalised).toMatchObject({ given: 'yuriy', family: 'shcherbakov' });
    expect(llm.requests).toHaveLength(1);
  });

  it('never waits past its timeout for a slow endpoint', async () => {
    llm.setMode('slow', 30_000);
    const started = performance.now();
    const out = await run(createEnricher(config(['llm'], { timeoutMs: 500 })), { full_name: 'Mei Chen' });
    const waited = performance.now() - started;
    expect(out.contributions[0]).toMatchObject({ outcome: 'fallback', reason: 'timeout' });
    expect(out.normalised).toMatchObject({ given: 'mei', family: 'chen' });
    // Bounded by the timeout, not by the server's 30 s (a correctness bound, not a speed target).
    expect(waited).toBeLessThan(20_000);
  });

  it('falls back when the endpoint is down', async () => {
    const enricher = createEnricher({
      ...config(['llm']),
      llm: { ...config(['llm']).llm, url: 'http://127.0.0.1:9/v1' },
    });
    const out = await run(enricher, { full_name: 'Mei Chen' });
    expect(out.contributions[0]).toMatchObject({ outcome: 'fallback', reason: 'unavailable' });
  });

  it('stops calling after failures in a row (the circuit opens) and the records go on', async () => {
    llm.setMode('error');
    const enricher = createEnricher(config(['llm'], { failures: 3 }));
    const reasons: string[] = [];
    for (const name of ['A Bee', 'C Dee', 'E Eff', 'G Aitch', 'I Jay']) {
      const out = await run(enricher, { full_name: name });
      reasons.push(out.contributions[0]!.reason!);
    }
    expect(llm.requests).toHaveLength(3);
    expect(reasons).toEqual(['unavailable', 'unavailable', 'unavailable', 'circuit_open', 'circuit_open']);
  });

  it('comes back once the circuit half-opens and the endpoint answers', async () => {
    llm.setMode('error');
    const enricher = createEnricher(config(['llm'], { failures: 1, halfOpenAfterMs: 200 }));
    await run(enricher, { full_name: 'A Bee' });
    expect((await run(enricher, { full_name: 'C Dee' })).contributions[0]!.reason).toBe('circuit_open');
    llm.setMode('answer');
    await new Promise((r) => setTimeout(r, 300));
    expect((await run(enricher, { full_name: 'Mei Chen' })).contributions[0]).toMatchObject({
      outcome: 'applied',
    });
  });

  it('runs before the local adapter, which romanises what it parsed', async () => {
    const out = await run(createEnricher(config(['translit', 'llm'])), { full_name: 'Щербаков, Юрий' });
    expect(out.contributions.map((c) => [c.adapter, c.outcome])).toEqual([
      ['llm', 'applied'],
      ['translit', 'applied'],
    ]);
    expect(out.normalised).toMatchObject({ given: 'yuriy', family: 'shcherbakov' });
  });

  it('takes a base URL or the full completions URL', () => {
    expect(completionsUrl('https://api.example.com/v1/')).toBe('https://api.example.com/v1/chat/completions');
    expect(completionsUrl('http://h/v1/chat/completions')).toBe('http://h/v1/chat/completions');
  });
});
