/**
 * The enrichment stage in the record pipeline, against real Postgres: a record written in
 * Cyrillic joins the golden record of its Latin twin only with the stage on; what each adapter
 * did is in the stored explanation; the record keeps what its source sent; an LLM endpoint that
 * fails leaves the record decided with the local answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnricher, loadActiveModel, type Contribution } from '@nexus/actors';
import {
  decideRecordMessage,
  type PipelineContext,
} from '../../../../packages/actors/src/pipeline/decideRecordMessage';
import { createTestDatabase, type TestDatabase } from '../../../../test/testDatabase';
import { startLlmStandIn, type LlmStandIn } from '../../../../test/llmStandIn';
import { message } from '../biometrics/faces';
import { enrichmentConfig } from '../../src/enrichment/enrichmentConfig';
import { loadConfig } from '../../src/config';

let tdb: TestDatabase;
let llm: LlmStandIn;
let plain: PipelineContext;
let enriched: PipelineContext;

beforeAll(async () => {
  [tdb, llm] = await Promise.all([createTestDatabase(), startLlmStandIn()]);
  const model = await loadActiveModel(tdb.db);
  plain = { db: tdb.db, model };
  enriched = { db: tdb.db, model, enrichment: createEnricher({ adapters: ['translit'] }) };
});
afterAll(async () => {
  await llm?.close();
  await tdb?.drop();
});

async function stored(id: string) {
  return tdb.db.selectFrom('records').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

const latin = { given_name: 'Yuri', family_name: 'Scherbakow', date_of_birth: '1970-02-03', city: 'Tver' };
const cyrillic = { given_name: 'Юрий', family_name: 'Щербаков', date_of_birth: '1970-02-03', city: 'Тверь' };

describe('the enrichment stage in the pipeline', () => {
  it('links a Cyrillic record to its Latin twin only when enrichment is on', async () => {
    const first = await decideRecordMessage(enriched, 0, message({ external_id: 'l1', ...latin }));
    expect(first.status).toBe('new');

    const without = await decideRecordMessage(plain, 0, message({ external_id: 'c0', ...cyrillic }));
    expect(without.goldenId).not.toBe(first.goldenId);

    const withStage = await decideRecordMessage(enriched, 0, message({ external_id: 'c1', ...cyrillic }));
    expect(withStage.status).toBe('linked');
    expect(withStage.goldenId).toBe(first.goldenId);

    const row = await stored(withStage.recordId);
    // What the source sent is kept; the compared form is romanised.
    expect(row.payload).toMatchObject({ given_name: 'Юрий', family_name: 'Щербаков' });
    expect(row.normalised).toMatchObject({ given: 'yuriy', family: 'shcherbakov' });
    const contributions = (row.explanation as { enrichment: Contribution[] }).enrichment;
    expect(contributions).toHaveLength(1);
    expect(contributions[0]).toMatchObject({
      adapter: 'translit',
      outcome: 'applied',
      scripts: ['Cyrillic'],
    });
    expect(contributions[0]!.changed).toContainEqual({
      field: 'family_name',
      from: 'Щербаков',
      to: 'Shcherbakov',
    });
    // Without the stage the explanation has no enrichment entry at all.
    expect((await stored(without.recordId)).explanation).not.toHaveProperty('enrichment');
  });

  it('decides the record with the local answer when the LLM endpoint fails', async () => {
    llm.setMode('error');
    const config = loadConfig({
      NEXUS_ENRICH: 'llm',
      NEXUS_ENRICH_LLM_URL: llm.url,
      NEXUS_ENRICH_LLM_MODEL: 'stand-in-1',
      NEXUS_ENRICH_LLM_TIMEOUT_MS: '10000',
    });
    const ctx = { ...enriched, enrichment: createEnricher(enrichmentConfig(config)) };
    const decided = await decideRecordMessage(
      ctx,
      0,
      message({ external_id: 'f1', full_name: 'Мэй Чэнь', date_of_birth: '1991-06-30', city: 'Lyon' }),
    );
    expect(decided.status).toBe('new');
    const row = await stored(decided.recordId);
    expect(row.normalised).toMatchObject({ given: 'mey', family: 'chen' });
    expect((row.explanation as { enrichment: Contribution[] }).enrichment).toEqual([
      expect.objectContaining({
        adapter: 'llm',
        outcome: 'fallback',
        reason: 'unavailable',
        fallback: 'translit',
      }),
    ]);
    expect(llm.requests.length).toBeGreaterThan(0);
  });
});

describe('enrichment configuration', () => {
  it('is the local adapter unless told otherwise', () => {
    expect(loadConfig({}).NEXUS_ENRICH).toEqual(['translit']);
    expect(loadConfig({ NEXUS_ENRICH: 'off' }).NEXUS_ENRICH).toEqual([]);
    expect(
      loadConfig({
        NEXUS_ENRICH: ' LLM , translit',
        NEXUS_ENRICH_LLM_URL: 'http://h/v1',
        NEXUS_ENRICH_LLM_MODEL: 'm',
      }).NEXUS_ENRICH,
    ).toEqual(['llm', 'translit']);
  });

  it('refuses an unknown adapter and an llm without an endpoint, naming the variable', () => {
    expect(() => loadConfig({ NEXUS_ENRICH: 'translit,gpt' })).toThrow(/NEXUS_ENRICH: gpt is not an adapter/);
    expect(() => loadConfig({ NEXUS_ENRICH: 'llm' })).toThrow(
      /NEXUS_ENRICH_LLM_URL: is required when NEXUS_ENRICH has llm/,
    );
    expect(() => loadConfig({ NEXUS_ENRICH: 'llm', NEXUS_ENRICH_LLM_URL: 'http://h' })).toThrow(
      /NEXUS_ENRICH_LLM_MODEL/,
    );
    expect(() => loadConfig({ NEXUS_ENRICH_LLM_TIMEOUT_MS: '10' })).toThrow(/NEXUS_ENRICH_LLM_TIMEOUT_MS/);
    expect(() => loadConfig({ NEXUS_ENRICH_LLM_URL: 'not a url' })).toThrow(/NEXUS_ENRICH_LLM_URL/);
  });
});
