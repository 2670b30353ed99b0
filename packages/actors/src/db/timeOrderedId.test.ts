import { describe, expect, it } from 'vitest';
import { timeOrderedId } from './timeOrderedId';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('timeOrderedId', () => {
  it('makes version 7 UUIDs that sort (as text and as Postgres uuids: bytewise) in the order made', () => {
    const ids = Array.from({ length: 5_000 }, () => timeOrderedId());
    for (const id of ids) expect(id).toMatch(UUID_V7);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keeps order within one millisecond and when the clock steps back', () => {
    const at = Date.now() + 60_000;
    const ids = [timeOrderedId(at), timeOrderedId(at), timeOrderedId(at - 5_000), timeOrderedId(at + 1)];
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(4);
  });
});
