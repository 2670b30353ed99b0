import { describe, expect, it } from 'vitest';
import { decisionOnly } from './decisionOnly';

describe('what an ingest client sees of enrichment', () => {
  it('keeps which adapter did what to which field, never the values', () => {
    const seen = decisionOnly({
      rule: 'new',
      enrichment: [
        {
          adapter: 'translit',
          outcome: 'applied',
          scripts: ['Cyrillic'],
          changed: [{ field: 'family_name', from: 'Щербаков', to: 'Shcherbakov' }],
          alternates: [{ field: 'family_name', forms: ['~sherbakov'] }],
          ms: 0.4,
        },
        {
          adapter: 'llm',
          outcome: 'fallback',
          reason: 'timeout',
          detail: 'Operation timed out',
          fallback: 'translit',
          ms: 2000,
        },
      ],
    });
    expect(seen.enrichment).toEqual([
      {
        adapter: 'translit',
        outcome: 'applied',
        scripts: ['Cyrillic'],
        ms: 0.4,
        changed: [{ field: 'family_name' }],
      },
      { adapter: 'llm', outcome: 'fallback', reason: 'timeout', fallback: 'translit', ms: 2000 },
    ]);
    expect(JSON.stringify(seen)).not.toMatch(/Щербаков|Shcherbakov|sherbakov/);
  });
});
