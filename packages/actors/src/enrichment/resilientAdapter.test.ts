import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { EnrichmentAdapter, Enriching } from './enrichment';
import { keepAsIs, ResilientAdapter } from './resilientAdapter';

describe('an adapter behind its policies', () => {
  it('enriches a whole micro-batch at once without a listener-leak warning in the log', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    let inFlight = 0;
    let most = 0;
    const slow: EnrichmentAdapter = {
      name: 'translit',
      async enrich(input) {
        most = Math.max(most, ++inFlight);
        await sleep(20);
        inFlight--;
        return { result: input, contribution: { outcome: 'unchanged' } };
      },
    };
    const adapter = new ResilientAdapter(
      slow,
      { timeoutMs: 5_000, failures: 5, halfOpenAfterMs: 1_000 },
      keepAsIs,
    );
    const input = {} as Enriching;
    const answers = await Promise.all(Array.from({ length: 40 }, () => adapter.run(input)));
    // Node emits the warning on the next tick; give it the chance before looking.
    await sleep(10);
    process.off('warning', onWarning);
    expect(most).toBe(40);
    expect(answers.every((a) => a.contribution.outcome === 'unchanged')).toBe(true);
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  });
});
