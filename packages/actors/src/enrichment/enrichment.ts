/**
 * The enrichment port: a stage between normalise and candidates that may add to what a record is
 * compared by (names in Latin letters, transliteration variants, a free-text name or address
 * parsed into fields), never to what it is (records.payload keeps what the source sent).
 * Adapters run in order, each behind a timeout, a circuit breaker and a fallback
 * (resilientAdapter.ts); what each contributed goes into the decision's explanation.
 * docs/decisions/0041-enrichment-stage.md
 */
import type { CanonicalRecord } from '@nexus/schema';
import type { NormalisedRecord } from '@nexus/matching';

/** The adapters a deployment may configure (NEXUS_ENRICH). */
export const ENRICHMENT_ADAPTERS = ['translit', 'llm'] as const;
export type EnrichmentAdapterName = (typeof ENRICHMENT_ADAPTERS)[number];

/** What became of an adapter's turn on one record. */
export type EnrichmentOutcome = 'applied' | 'unchanged' | 'not_applicable' | 'fallback';
/** Why the fallback answered instead of the adapter. */
export type FallbackReason = 'timeout' | 'circuit_open' | 'unavailable' | 'off_schema' | 'error';

export interface FieldChange {
  /** A canonical field: compared with `to` in place of `from`, which the record keeps. */
  field: string;
  from: string | null;
  to: string | null;
}

export interface AlternateForms {
  field: 'given_name' | 'family_name';
  /** Forms the name is also compared and blocked by (a variant group's spelling, a skeleton). */
  forms: string[];
}

export interface Contribution {
  adapter: EnrichmentAdapterName;
  outcome: EnrichmentOutcome;
  reason?: FallbackReason;
  /** The adapter's error, when it failed (never a record value). */
  detail?: string;
  /** Scripts romanised ("Cyrillic", "Greek"). */
  scripts?: string[];
  changed?: FieldChange[];
  alternates?: AlternateForms[];
  /** The answer came from the adapter's cache, not a call. */
  cached?: boolean;
  /** Which adapter's answer stood in on a fallback. */
  fallback?: EnrichmentAdapterName | 'none';
  ms: number;
}

/** A record on its way through the stage: as it is compared, and its normalised form. */
export interface Enriching {
  /** The record's own fields, with what earlier adapters parsed or romanised in their place. */
  record: CanonicalRecord;
  normalised: NormalisedRecord;
}

export interface AdapterAnswer {
  result: Enriching;
  contribution: Omit<Contribution, 'adapter' | 'ms'>;
}

export interface EnrichmentAdapter {
  readonly name: EnrichmentAdapterName;
  /** Must give up when `signal` aborts: the stage never waits past the adapter's timeout. */
  enrich(input: Enriching, signal: AbortSignal): Promise<AdapterAnswer>;
}

export interface Enriched {
  /** The normalised form candidates are found and compared by. */
  normalised: NormalisedRecord;
  /** One entry per configured adapter, in order; empty when enrichment is off. */
  contributions: Contribution[];
}

/** The port the pipeline calls; `noEnrichment` when NEXUS_ENRICH is off. */
export interface Enricher {
  enrich(record: CanonicalRecord, normalised: NormalisedRecord): Promise<Enriched>;
}

export const noEnrichment: Enricher = {
  enrich: (_record, normalised) => Promise.resolve({ normalised, contributions: [] }),
};

/** Raised by an adapter whose service answered something other than its schema. */
export class OffSchemaError extends Error {
  readonly code = 'ENRICHMENT.OFF_SCHEMA';
}

/** Raised by an adapter whose service could not be reached or answered with an error status. */
export class ServiceUnavailableError extends Error {
  readonly code = 'ENRICHMENT.UNAVAILABLE';
}
