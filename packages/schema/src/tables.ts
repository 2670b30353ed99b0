import type { ColumnType, Generated, Insertable, JSONColumnType, Selectable, Updateable } from 'kysely';

/** Kysely table types. They describe rows; services map rows to API shapes and never return them raw. */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T extends object> = JSONColumnType<T, T, T>;

export type RecordStatus =
  | 'received'
  | 'relayed'
  | 'new'
  | 'linked'
  | 'review'
  | 'rejected'
  | 'dead_lettered'
  | 'cancelled';

/** A record in one of these states needs no more work. */
export const TERMINAL_RECORD_STATUSES = ['new', 'linked', 'review', 'rejected', 'dead_lettered', 'cancelled'] as const;
export type BatchStatus = 'received' | 'processing' | 'completed' | 'failed' | 'cancelled';

export interface BatchesTable {
  id: string;
  source: string;
  status: BatchStatus;
  submitted_by: string | null;
  record_count: number;
  created_at: Timestamp;
  updated_at: Timestamp;
  completed_at: NullableTimestamp;
}

export interface RecordsTable {
  id: string;
  batch_id: string | null;
  source: string;
  external_id: string;
  partition: number;
  payload: Json<Record<string, unknown>>;
  normalised: Json<Record<string, unknown>> | null;
  status: RecordStatus;
  decision_rule: string | null;
  explanation: Json<Record<string, unknown>> | null;
  model_version: number | null;
  errors: Json<Array<{ field: string; message: string }>> | null;
  received_at: Timestamp;
  relayed_at: NullableTimestamp;
  decided_at: NullableTimestamp;
}

export interface GoldenRecordsTable {
  id: string;
  status: 'active' | 'merged';
  merged_into: string | null;
  best: Json<Record<string, unknown>>;
  member_count: number;
  version: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface GoldenRecordMembersTable {
  record_id: string;
  golden_id: string;
  precedence: 'primary' | 'secondary';
  link_score: number | null;
  linked_at: Timestamp;
}

export type ReviewCaseKind = 'possible_match' | 'merge_proposal' | 'biometric_conflict';
export type ReviewCaseStatus = 'open' | 'claimed' | 'resolved';

export interface ReviewCasesTable {
  id: string;
  record_id: string | null;
  kind: ReviewCaseKind;
  status: ReviewCaseStatus;
  score: number | null;
  created_at: Timestamp;
  claimed_by: string | null;
  claimed_at: NullableTimestamp;
  resolved_by: string | null;
  resolved_at: NullableTimestamp;
  resolution: string | null;
  reason: string | null;
}

export interface ReviewCaseCandidatesTable {
  case_id: string;
  golden_id: string;
  score: number;
  explanation: Json<Record<string, unknown>>;
}

export interface AuditLogTable {
  id: Generated<string>;
  at: Timestamp;
  actor: string;
  action: string;
  entity_type: 'golden_record' | 'review_case' | 'record' | 'batch' | 'dead_letter' | 'model';
  entity_id: string;
  record_id: string | null;
  before: Json<Record<string, unknown>> | null;
  after: Json<Record<string, unknown>> | null;
}

export interface DeadLettersTable {
  id: Generated<string>;
  record_id: string;
  partition: number;
  bus_offset: string;
  payload: Json<Record<string, unknown>>;
  error: string;
  attempts: number;
  status: 'open' | 'replayed' | 'discarded';
  created_at: Timestamp;
  resolved_by: string | null;
  resolved_at: NullableTimestamp;
}

export interface BlockingKeysTable {
  key: string;
  record_id: string;
}

export interface ModelVersionsTable {
  id: Generated<number>;
  kind: 'default' | 'trained';
  params: Json<Record<string, unknown>>;
  active: boolean;
  notes: string | null;
  created_at: Timestamp;
}

export interface BusPartitionsTable {
  topic: string;
  partition: number;
  next_offset: string;
}

export interface BusMessagesTable {
  topic: string;
  partition: number;
  msg_offset: string;
  key: string;
  payload: Json<Record<string, unknown>>;
  created_at: Timestamp;
}

export interface BusConsumerPositionsTable {
  group_id: string;
  topic: string;
  partition: number;
  next_offset: string;
  updated_at: Timestamp;
}

export interface Database {
  batches: BatchesTable;
  records: RecordsTable;
  golden_records: GoldenRecordsTable;
  golden_record_members: GoldenRecordMembersTable;
  review_cases: ReviewCasesTable;
  review_case_candidates: ReviewCaseCandidatesTable;
  audit_log: AuditLogTable;
  dead_letters: DeadLettersTable;
  blocking_keys: BlockingKeysTable;
  model_versions: ModelVersionsTable;
  bus_partitions: BusPartitionsTable;
  bus_messages: BusMessagesTable;
  bus_consumer_positions: BusConsumerPositionsTable;
}

export type RecordRow = Selectable<RecordsTable>;
export type NewRecordRow = Insertable<RecordsTable>;
export type RecordUpdate = Updateable<RecordsTable>;
export type GoldenRecordRow = Selectable<GoldenRecordsTable>;
export type BatchRow = Selectable<BatchesTable>;
export type AuditEntryRow = Selectable<AuditLogTable>;
export type NewAuditEntry = Insertable<AuditLogTable>;
