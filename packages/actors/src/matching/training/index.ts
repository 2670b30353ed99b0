/** Training a Fellegi-Sunter model without labels: u from random pairs, m by EM, term frequencies. */
export { trainModel, DEFAULT_TRAINING_OPTIONS } from './trainModel';
export type { TrainingData, TrainingOptions, TrainingResult } from './trainModel';
export { compareModels, formatModelComparison } from './compareModels';
export type { LevelChange } from './compareModels';
export { termFrequencyTables, DEFAULT_TF_OPTIONS } from './termFrequencyTables';
export type { TermFrequencyOptions } from './termFrequencyTables';
export { expectationMaximisation } from './expectationMaximisation';
export type { EmIteration, EmOptions, EmResult } from './expectationMaximisation';
export { estimateU } from './estimateU';
export { countPatterns, modelFieldLevels, PatternCounter, NO_LEVEL } from './comparisonPatterns';
export type { ComparisonPattern, FieldLevels } from './comparisonPatterns';
export { seededRandom, randomPairs, pairCount } from './random';
export type { Random } from './random';
export { blockedPairIndexes, MAX_KEY_RECORDS } from './blockedPairs';
export { trainOnRecords, seededSample, DEFAULT_MAX_SAMPLE } from './trainOnRecords';
export type { TrainOnRecordsOptions } from './trainOnRecords';
export { heldBackCheck, heldBackFigures } from './heldBackCheck';
export type { HeldBackCase, HeldBackFigures, HeldBackSource, HeldBackVerdict } from './heldBackCheck';
