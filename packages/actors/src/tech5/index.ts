export { AbisClient, type AbisIdentifyQuery, type AbisMatch } from './abisClient';
export { LdsClient } from './ldsClient';
export { ResilientCaller, DEFAULT_TECH5_CLIENT_OPTIONS, type Tech5ClientOptions } from './resilientCaller';
export { CircuitBreaker, type CircuitState } from './circuitBreaker';
export {
  CallMetrics,
  LATENCY_BUCKETS_MS,
  type OperationMetrics,
  type OperationReport,
  type Tech5CallReport,
} from './callMetrics';
export { Tech5RequestError, Tech5UnavailableError, type Tech5ServiceName } from './errors';
export { FaceImageError, loadFaceImage, type FaceSample } from './faceImage';
