export * from './db/database';
export { timeOrderedId } from './db/timeOrderedId';
export * from './bus/recordBus';
export * from './bus/postgresBus';
export * from './bus/kafkaBus';
export { DEFAULT_KAFKA_TOPICS, TopicPartitionsError, type KafkaTopics } from './bus/kafkaTopics';
export type { BusLog, BusLogLevel } from './bus/kafkaClient';
export type { EventPublisher } from './events/eventPublisher';
export * from './events/deadLetterMessages';
export * from './search/candidateSearch';
export * from './search/elasticsearchSearch';
export * from './search/elasticsearchClient';
export * from './search/searchIndexer';
export { indexLagSeconds, syncedThrough } from './search/searchIndexState';
export { findCandidates, MAX_CANDIDATE_GOLDEN_RECORDS } from './pipeline/candidates';
export * from './actor/partitionActor';
export * from './actor/deliveryTiming';
export * from './actor/actorSupervisor';
export * from './actor/supervision';
export * from './actor/deadLetters';
export * from './worker/protocol';
export * from './pipeline/activeModel';
export {
  decideRecordMessage,
  type PipelineContext,
  type RecordDecided,
} from './pipeline/decideRecordMessage';
export { decideRecordBatch } from './pipeline/batch/decideRecordBatch';
export { PIPELINE_STAGES, type PipelineStage, type StageTimings } from './pipeline/stageClock';
export * from './pipeline/audit';
export * from './goldenRecords';
export { NonRetriableError, InfrastructureError, isInfrastructureError } from './pipeline/errors';
export * from './tech5';
export * from './faces/faceSourcePolicy';
export { readFaceFile, insideAllowedFolder } from './faces/readFaceFile';
export { checkedLookup } from './faces/fetchFaceUrl';
export { FACE_REFUSED } from './faces/faceRefusals';
export { FaceHosts, isFaceHostEntry } from './faces/faceHosts';
export {
  Tech5Biometrics,
  DEFAULT_TARGET_FPIR,
  type Tech5BiometricsOptions,
} from './pipeline/tech5Biometrics';
export { DEFAULT_TECH5_PREFETCH, PrefetchingBiometrics } from './pipeline/prefetchingBiometrics';
export { sweepFacesAhead, type FaceSweepResult } from './pipeline/batch/sweepFacesAhead';
export type { BiometricSearch, BiometricStages, LivenessResult } from './pipeline/biometricStages';
export * from './enrichment';
export { decideStoredRecords, BATCH_PAGE } from './batch/decideStoredRecords';
export * from './privacy';
