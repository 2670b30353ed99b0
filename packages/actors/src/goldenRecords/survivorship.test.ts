import { describe, expect, it } from 'vitest';
import { survivingValues } from './survivorship';

const at = (s: string) => new Date(s);

describe('survivingValues', () => {
  it('takes the value most members agree on', () => {
    const best = survivingValues([
      { record: { external_id: '1', family_name: 'Smyth', attributes: {} }, linkedAt: at('2026-01-01') },
      { record: { external_id: '2', family_name: 'Smith', attributes: {} }, linkedAt: at('2026-01-02') },
      { record: { external_id: '3', family_name: 'Smith', attributes: {} }, linkedAt: at('2026-01-03') },
    ]);
    expect(best.family_name).toBe('Smith');
  });

  it('breaks ties by the oldest member and never keeps source identity fields', () => {
    const best = survivingValues([
      {
        record: { external_id: 'b', given_name: 'Bob', source: 's2', attributes: {} },
        linkedAt: at('2026-02-01'),
      },
      {
        record: { external_id: 'a', given_name: 'Robert', source: 's1', attributes: {} },
        linkedAt: at('2026-01-01'),
      },
    ]);
    expect(best.given_name).toBe('Robert');
    expect(best).not.toHaveProperty('external_id');
    expect(best).not.toHaveProperty('source');
  });

  it('fills a field from whichever member has it', () => {
    const best = survivingValues([
      { record: { external_id: '1', attributes: {} }, linkedAt: at('2026-01-01') },
      { record: { external_id: '2', email: 'x@y.org', attributes: {} }, linkedAt: at('2026-01-02') },
    ]);
    expect(best.email).toBe('x@y.org');
  });
});
