/** The pure matching core: normalise, block, score (Fellegi-Sunter), decide, explain. */
export { normaliseRecord, normaliseIdentifier, NORMALISER_VERSION } from './normaliseRecord';
export type { NormalisedRecord, NormaliseOptions } from './normaliseRecord';
export type { NormalisedDate, DatePrecision } from './dates';
export type { Gender } from './gender';
export { blockingKeys, identifierKeys, MAX_KEYS } from './blockingKeys';
export { normaliseEmail } from './emails';
export { jaro, jaroWinkler, levenshtein, damerauLevenshtein, levenshteinSimilarity } from './comparators';
export { COMPARED_FIELDS, MISSING, levelWeight, log2BayesFactor, priorLog2Odds } from './model';
export type {
  ComparedField,
  FieldParams,
  LevelParams,
  MatchModel,
  TermFrequencies,
  TermFrequencyTable,
} from './model';
export { DEFAULT_MODEL } from './defaultModel';
export {
  InMemoryTermFrequencies,
  ModelTermFrequencies,
  TF_FIELDS,
  termFrequenciesOf,
  termFrequencyValue,
} from './termFrequencies';
export { comparePair, matchProbability } from './comparePair';
export type { FieldScore, PairScore } from './comparePair';
export { decideRecord, DEFAULT_POLICY } from './decide';
export type {
  BiometricExplanation,
  CandidateGolden,
  CandidateScore,
  Decision,
  DecisionPolicy,
  DecisionRule,
  Explanation,
  MergeProposal,
  ReviewKind,
} from './decide';
export { reResolve, MAX_COMPARED_MEMBERS } from './reResolution';
export type { JoinedGolden, MemberFit, ReResolution } from './reResolution';
export { waterfall } from './waterfall';
export type { Waterfall, WaterfallStep } from './waterfall';
export { pairwiseScores, blockingRecall } from './evaluationMetrics';
export type { PairwiseScores } from './evaluationMetrics';
export * from './training';
export { biometricEvidence, matchWeight, DEFAULT_BIOMETRIC_POLICY } from './biometricEvidence';
export type {
  BiometricEvidence,
  BiometricHit,
  BiometricLevel,
  BiometricPolicy,
  GoldenBiometric,
} from './biometricEvidence';
export { blindIdentifier, installIdentifierBlinding } from './identifierBlinding';
export { foldWords } from './fold';
export { normalisePhone } from './phones';
export { emailLocalPart } from './emails';
