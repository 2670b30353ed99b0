import type { EnrichmentConfig } from '@nexus/actors';
import type { Config } from '../config';

export type EnrichmentEnv = Pick<
  Config,
  | 'NEXUS_ENRICH'
  | 'NEXUS_ENRICH_LLM_URL'
  | 'NEXUS_ENRICH_LLM_MODEL'
  | 'NEXUS_ENRICH_LLM_KEY'
  | 'NEXUS_ENRICH_LLM_TIMEOUT_MS'
  | 'NEXUS_ENRICH_LLM_CACHE_SIZE'
  | 'NEXUS_ENRICH_LLM_BREAKER_FAILURES'
  | 'NEXUS_ENRICH_LLM_BREAKER_RESET_MS'
>;

/** The enrichment stage the configuration asks for (loadConfig already checked it is whole). */
export function enrichmentConfig(env: Partial<EnrichmentEnv>): EnrichmentConfig {
  const adapters = env.NEXUS_ENRICH ?? [];
  const llm =
    adapters.includes('llm') && env.NEXUS_ENRICH_LLM_URL && env.NEXUS_ENRICH_LLM_MODEL
      ? {
          url: env.NEXUS_ENRICH_LLM_URL,
          model: env.NEXUS_ENRICH_LLM_MODEL,
          key: env.NEXUS_ENRICH_LLM_KEY,
          cacheSize: env.NEXUS_ENRICH_LLM_CACHE_SIZE ?? 10_000,
          timeoutMs: env.NEXUS_ENRICH_LLM_TIMEOUT_MS ?? 2_000,
          failures: env.NEXUS_ENRICH_LLM_BREAKER_FAILURES ?? 5,
          halfOpenAfterMs: env.NEXUS_ENRICH_LLM_BREAKER_RESET_MS ?? 30_000,
        }
      : undefined;
  return { adapters, llm };
}
