/**
 * The stage: the configured adapters, each behind its policies, in a fixed order whatever order
 * NEXUS_ENRICH lists them in: the LLM parses first (it reads the text as the source wrote it),
 * then the local adapter romanises what there is (the LLM's parts too) and adds the variants.
 * Without the local adapter configured, it still stands in when the LLM fails, so a record never
 * loses what the local answer would have given it.
 */
import type { CanonicalRecord } from '@nexus/schema';
import type { NormaliseOptions, NormalisedRecord } from '@nexus/matching';
import {
  noEnrichment,
  type Contribution,
  type Enriched,
  type Enricher,
  type EnrichmentAdapterName,
  type Enriching,
} from './enrichment';
import { LlmAdapter, type LlmEndpoint } from './llmAdapter';
import { keepAsIs, ResilientAdapter, type AdapterPolicy, type Fallback } from './resilientAdapter';
import { TranslitAdapter } from './translitAdapter';

export interface EnrichmentConfig {
  adapters: EnrichmentAdapterName[];
  /** Required when `adapters` has 'llm'. */
  llm?: LlmEndpoint & AdapterPolicy;
  translit?: Partial<AdapterPolicy>;
}

/** The local adapter is a computation: its timeout only guards against a bug. */
const TRANSLIT_POLICY: AdapterPolicy = { timeoutMs: 1_000, failures: 5, halfOpenAfterMs: 30_000 };

export class EnrichmentStage implements Enricher {
  constructor(private readonly adapters: ResilientAdapter[]) {}

  async enrich(record: CanonicalRecord, normalised: NormalisedRecord): Promise<Enriched> {
    let current: Enriching = { record, normalised };
    const contributions: Contribution[] = [];
    for (const adapter of this.adapters) {
      const { result, contribution } = await adapter.run(current);
      current = result;
      contributions.push(contribution);
    }
    return { normalised: current.normalised, contributions };
  }
}

export function createEnricher(
  config: EnrichmentConfig | undefined,
  options: NormaliseOptions = {},
): Enricher {
  if (config === undefined || config.adapters.length === 0) return noEnrichment;
  const local = new TranslitAdapter(options);
  const localFallback: Fallback = { name: 'translit', answer: (input) => local.answer(input) };
  const adapters: ResilientAdapter[] = [];
  const withTranslit = config.adapters.includes('translit');
  if (config.adapters.includes('llm')) {
    if (config.llm === undefined) throw new Error('the llm enrichment adapter needs an endpoint');
    // With the local adapter next in line, the fallback leaves the record to it.
    adapters.push(
      new ResilientAdapter(
        new LlmAdapter(config.llm, options),
        config.llm,
        withTranslit ? keepAsIs : localFallback,
      ),
    );
  }
  if (withTranslit)
    adapters.push(new ResilientAdapter(local, { ...TRANSLIT_POLICY, ...config.translit }, keepAsIs));
  return new EnrichmentStage(adapters);
}
