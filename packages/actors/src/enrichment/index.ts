export * from './enrichment';
export { createEnricher, EnrichmentStage, type EnrichmentConfig } from './enrichmentStage';
export { LlmAdapter, completionsUrl, questionOf, type LlmEndpoint } from './llmAdapter';
export { TranslitAdapter, withVariants, SKELETON_MARK } from './translitAdapter';
export { ResilientAdapter, keepAsIs, type AdapterPolicy, type Fallback } from './resilientAdapter';
export { romanise, hasOtherScript, scriptsOf } from './romanise';
export { givenNameVariantRoot, spellingSkeleton } from './transliterationVariants';
