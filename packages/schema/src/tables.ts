import type { UserRole } from './roles';
import type { ColumnType, Generated, Insertable, JSONColumnType, Selectable, Updateable } from 'kysely';

/** Kysely table types. They describe rows; services map rows to API shapes and never return them raw. */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T extends object> = JSONColumnType<T, T, T>;

export type RecordStatus =
  'received' | 'relayed' | 'new' | 'linked' | 'review' | 'rejected' | 'dead_lettered' | 'cancelled';

/** A record in one of these states needs no more work. */
export const TERMINAL_RECORD_STATUSES = [
  'new',
  'linked',
  'review',
  'rejected',
  'dead_lettered',
  'cancelled',
] as const;
export type TerminalRecordStatus = (typeof TERMINAL_RECORD_STATUSES)[number];
/**
 * Records by the state they ended in: the one shape of decision counts (a batch, a job, the live
 * throughput sample, a day's figures, a dedupe run's summary).
 */
export type DecisionCounts = Record<TerminalRecordStatus, number>;
/** A record in one of these states is still waiting for its decision. */
export const PENDING_RECORD_STATUSES = ['received', 'relayed'] as const;

/** Whether a record in this state needs no more work. */
export function isTerminalRecordStatus(status: RecordStatus): boolean {
  return (TERMINAL_RECORD_STATUSES as readonly RecordStatus[]).includes(status);
}
export type BatchStatus = 'received' | 'processing' | 'completed' | 'failed' | 'cancelled';

export interface BatchesTable {
  id: string;
  source: string;
  status: BatchStatus;
  submitted_by: string | null;
  /** The account that submitted it (users.id): what an ingest account may see is what it submitted. */
  submitted_by_id: string | null;
  record_count: number;
  created_at: Timestamp;
  updated_at: Timestamp;
  completed_at: NullableTimestamp;
  /** The job that fetched its records (migration 2026_12_03_0033_jobs); null for pushed batches. */
  job_id?: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface RecordsTable {
  id: string;
  batch_id: string | null;
  /** The account that streamed it (path B); a batch's records belong to whoever submitted the batch. */
  submitted_by_id: string | null;
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
  /** Per-field quality flags of the cleaning (migration 2026_12_02_0030_analytics); null before it ran. */
  quality: Json<FieldQualityFlags> | null;
  received_at: Timestamp;
  relayed_at: NullableTimestamp;
  decided_at: NullableTimestamp;
  /** Set when the record was erased (migration 2026_12_03_0036_erasure): the row is a tombstone. */
  erased_at: NullableTimestamp;
  /** When retention purged the raw payload (migration 2026_12_03_0038_retention); null while kept. */
  payload_purged_at: NullableTimestamp;
  face_purged_at: NullableTimestamp;
}

export interface GoldenRecordsTable {
  id: string;
  /** `erased`: every member was erased; the row is a tombstone with no best values. */
  status: 'active' | 'merged' | 'erased';
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
  /** A merge proposal of golden records (no record): their ids, sorted, comma-separated. */
  proposal_key: string | null;
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
  entity_type:
    'golden_record' | 'review_case' | 'record' | 'batch' | 'dead_letter' | 'model' | 'user' | 'contact';
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
  /** What made a self-retrained version (docs/decisions/0040-self-retraining.md); null otherwise. */
  trigger: Generated<RetrainTrigger | null>;
  /** Decided records in the register when it was trained. */
  record_count: Generated<number | null>;
  /** Its figures and the active model's on the held-back sample. */
  evaluation: Generated<Json<Record<string, unknown>> | null>;
  verdict: Generated<'accepted' | 'rejected' | null>;
}

export type RetrainTrigger = 'first_records' | 'growth' | 'on_demand';

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

// ---- Control plane: accounts, keys, sessions (migration 2026_11_23_0002_users) ----

export type { UserRole } from './roles';
export const USER_ROLES = ['admin', 'operator', 'reviewer', 'ingest'] as const satisfies readonly UserRole[];
export type UserKind = 'person' | 'service';

export interface UsersTable {
  id: string;
  username: string;
  kind: UserKind;
  role: UserRole;
  /** `scrypt$N$r$p$salt$hash` (base64url); null for service accounts, which use API keys. */
  password_hash: string | null;
  disabled_at: NullableTimestamp;
  created_at: Timestamp;
  created_by: string | null;
  last_login_at: NullableTimestamp;
}

export interface ApiKeysTable {
  id: string;
  user_id: string;
  /** sha256 of the key's secret part (hex): the secret is random, so no slow hash is needed. */
  key_hash: string;
  created_at: Timestamp;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface RefreshTokensTable {
  id: string;
  user_id: string;
  /** Every token issued from one sign-in shares a family; reusing a spent token revokes the family. */
  family_id: string;
  token_hash: string;
  expires_at: Timestamp;
  created_at: Timestamp;
  used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface ServerSecretsTable {
  name: string;
  value: string;
  created_at: Timestamp;
}

/** Declaration merging: the control plane's tables join the one Database interface above. */
export interface Database {
  users: UsersTable;
  api_keys: ApiKeysTable;
  refresh_tokens: RefreshTokensTable;
  server_secrets: ServerSecretsTable;
}

export type UserRow = Selectable<UsersTable>;

// ---- Biometrics: face references enrolled in T5-ABIS (migration 2026_11_23_0003_biometrics) ----

export interface BiometricReferencesTable {
  /** The record's id, which is also its reference id in ABIS. */
  reference_id: string;
  /** The golden record the record joined; follow merged_into for the one it belongs to now. */
  golden_id: string;
  modality: 'face';
  status: 'pending' | 'enrolled';
  created_at: Timestamp;
  enrolled_at: NullableTimestamp;
}

export interface Database {
  biometric_references: BiometricReferencesTable;
}

/**
 * A face a micro-batch inserted into ABIS ahead of its decision, until a biometric reference holds
 * it or it left ABIS again (migration 2026_12_03_0055_faces_inserted_ahead, ADR 0055).
 */
export interface FacesInsertedAheadTable {
  /** The record's id, its reference id in ABIS. */
  reference_id: string;
  /** The batch that inserted it last. */
  batch_id: string;
  inserted_at: Generated<Timestamp>;
}

export interface Database {
  faces_inserted_ahead: FacesInsertedAheadTable;
}

// ---- Ownership (migration 2026_12_02_0025_ownership) ----

/** External ids are unique per source, so a source belongs to the ingest account that first used it. */
export interface SourceOwnersTable {
  source: string;
  user_id: string;
  claimed_at: Timestamp;
}

export interface Database {
  source_owners: SourceOwnersTable;
}

// ---- /identify contacts (migration 2026_12_02_0029_contacts) ----

export type ContactPrecedence = 'primary' | 'secondary';

export interface ContactsTable {
  id: Generated<number>;
  /** As first given (trimmed); `email_key` is what requests are compared on. */
  email: string | null;
  phone_number: string | null;
  email_key: string | null;
  phone_key: string | null;
  /** The family's primary; null for a primary. Never a secondary (families are flat). */
  linked_id: number | null;
  link_precedence: ContactPrecedence;
  created_at: Timestamp;
  updated_at: Timestamp;
  deleted_at: NullableTimestamp;
}

export interface Database {
  contacts: ContactsTable;
}

// ---- Analytics: daily rollups (migration 2026_12_02_0030_analytics) ----

/** How cleaning found a field: absent, present but unusable, or usable after a repair. Fine fields are absent keys. */
export type FieldQualityFlag = 'missing' | 'invalid' | 'repaired';
export type FieldQualityFlags = Partial<Record<string, FieldQualityFlag>>;

export interface AnalyticsDailyTable {
  zone: string;
  day: string;
  source: string;
  received: number;
  pending: number;
  new: number;
  linked: number;
  review: number;
  rejected: number;
  dead_lettered: number;
  cancelled: number;
  decided: number;
  cleaned: number;
  decision_p50_ms: number | null;
  decision_p95_ms: number | null;
  dead_letters: number;
  cases_opened: number;
  cases_resolved: number;
  resolve_p50_seconds: number | null;
  resolve_p95_seconds: number | null;
  backlog: number;
  golden_created: number;
  golden_merged: number;
  rolled_up_at: Timestamp;
}

export interface AnalyticsDailyRejectionsTable {
  zone: string;
  day: string;
  source: string;
  reason: string;
  records: number;
}

export interface AnalyticsDailyCaseOutcomesTable {
  zone: string;
  day: string;
  source: string;
  outcome: string;
  cases: number;
}

export interface AnalyticsDailyFieldQualityTable {
  zone: string;
  day: string;
  source: string;
  field: string;
  missing: number;
  invalid: number;
  repaired: number;
}

export interface AnalyticsDailyReviewersTable {
  zone: string;
  day: string;
  reviewer: string;
  resolved: number;
  handling_p50_seconds: number | null;
  handling_p95_seconds: number | null;
}

export interface AnalyticsRollupRunsTable {
  id: Generated<string>;
  trigger: 'schedule' | 'command' | 'api';
  zones: string[];
  from_day: string;
  to_day: string;
  rows_written: number;
  rows_deleted: number;
  started_at: Timestamp;
  duration_ms: number;
}

export interface Database {
  analytics_daily: AnalyticsDailyTable;
  analytics_daily_rejections: AnalyticsDailyRejectionsTable;
  analytics_daily_case_outcomes: AnalyticsDailyCaseOutcomesTable;
  analytics_daily_field_quality: AnalyticsDailyFieldQualityTable;
  analytics_daily_reviewers: AnalyticsDailyReviewersTable;
  analytics_rollup_runs: AnalyticsRollupRunsTable;
}

// ---- Erasure (migration 2026_12_03_0036_erasure) ----

/** The fact and reason of an erasure: ids and counts, never the values that were erased. */
export interface ErasuresTable {
  id: string;
  requested_by: string;
  reason: string;
  customer_id: string | null;
  record_ids: string[];
  /** Golden records that lost members: erased whole, or re-settled from the members left. */
  golden_ids: string[];
  summary: Json<Record<string, unknown>>;
  created_at: Timestamp;
}

export interface Database {
  erasures: ErasuresTable;
}

// ---- Access records (migration 2026_12_03_0037_access_records) ----

export interface AccessRecordsTable {
  id: Generated<string>;
  at: Timestamp;
  user_id: string | null;
  username: string;
  role: UserRole;
  principal_kind: UserKind;
  /** What was read, `customer.get` style. */
  action: string;
  subject_type: string;
  subject_id: string;
  /** The golden records and records whose values the answer carried (ids only). */
  customer_ids: ColumnType<string[], string[] | undefined, string[]>;
  record_ids: ColumnType<string[], string[] | undefined, string[]>;
  reason: string | null;
  request_id: string | null;
}

export interface Database {
  access_records: AccessRecordsTable;
}

// ---- Retention (migration 2026_12_03_0038_retention) ----

export interface RetentionRunsTable {
  id: Generated<string>;
  trigger: 'schedule' | 'command';
  dry_run: boolean;
  settings: Json<Record<string, number>>;
  removed: Json<Record<string, number>>;
  started_at: Timestamp;
  duration_ms: number;
}

export interface Database {
  retention_runs: RetentionRunsTable;
}

// ---- Encryption at rest (migration 2026_12_03_0049_encryption_keys) ----

/** A data key (encrypts values) or the blind-index key, wrapped under the key-encryption key. */
export interface EncryptionKeysTable {
  id: string;
  purpose: 'data' | 'index';
  /** AES-256-GCM under the key-encryption key: `iv.tag.body`, base64url. */
  wrapped: string;
  /** The fingerprint of the key-encryption key that wrapped it. */
  kek_id: string;
  active: boolean;
  created_at: Timestamp;
  /** Set by `nexus keys rotate` once no value is encrypted under it any more. */
  retired_at: NullableTimestamp;
}

export interface Database {
  encryption_keys: EncryptionKeysTable;
}

// ---- Notifications: outbox, subscriptions, deliveries (migration 2026_12_03_0035_notifications) ----

export type SubscriptionKind = 'webhook' | 'slack' | 'email';
export type SubscriptionState = 'active' | 'dead_lettered';
export type DeliveryStatus = 'pending' | 'delivered' | 'dead_lettered';

export interface NotificationsTable {
  /** The outbox position: ids commit in order (written under one lock), so `id > cursor` skips nothing. */
  id: Generated<string>;
  /** `audit:<id>`, `record.decided:<record id>` for engine events, a UUID for notify()'s. */
  event_id: string;
  type: string;
  key: string;
  sequence: number;
  schema_version: Generated<number>;
  /** The data source the event came from (a record's source), for subscription filters. */
  source: string | null;
  data: Json<Record<string, unknown>>;
  created_at: Generated<Date>;
}

/** The transactional outbox (migration 2026_12_03_0048_event_stream): written with the change, moved by the event relay. */
export interface EventOutboxTable {
  id: Generated<string>;
  event_id: string;
  type: string;
  key: string;
  sequence: number;
  schema_version: number;
  source: string | null;
  data: Json<Record<string, unknown>>;
  created_at: Generated<Date>;
}

export interface NotificationKeysTable {
  key: string;
  sequence: number;
}

export interface NotificationSubscriptionsTable {
  id: Generated<string>;
  kind: SubscriptionKind;
  /** The URL (webhook, slack) or the email address. */
  target: string;
  event_types: string[];
  /** Only events from these data sources; null: every source (and events with none). */
  sources: string[] | null;
  /** Sealed under the server's secret key; null for email. */
  secret: string | null;
  paused: Generated<boolean>;
  state: Generated<SubscriptionState>;
  /** The last outbox id this subscription has deliveries for. */
  cursor: string;
  dead_lettered_at: NullableTimestamp;
  last_error: string | null;
  created_by: string;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface NotificationDeliveriesTable {
  id: Generated<string>;
  subscription_id: string;
  notification_id: string;
  key: string;
  sequence: number;
  status: Generated<DeliveryStatus>;
  attempts: Generated<number>;
  first_attempt_at: NullableTimestamp;
  next_attempt_at: Generated<Date>;
  delivered_at: NullableTimestamp;
  last_status_code: number | null;
  last_error: string | null;
  created_at: Generated<Date>;
}

export interface NotificationDeliveryAttemptsTable {
  id: Generated<string>;
  delivery_id: string;
  attempt: number;
  at: Timestamp;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
  next_attempt_at: NullableTimestamp;
}

export interface Database {
  notifications: NotificationsTable;
  event_outbox: EventOutboxTable;
  notification_keys: NotificationKeysTable;
  notification_subscriptions: NotificationSubscriptionsTable;
  notification_deliveries: NotificationDeliveriesTable;
  notification_delivery_attempts: NotificationDeliveryAttemptsTable;
}

// ---- Jobs (migration 2026_12_03_0033_jobs) ----

export type SourceKind = 'url' | 'file' | 'postgres' | 's3' | 'upload';
export type JobStatus = 'queued' | 'fetching' | 'deciding' | 'completed' | 'failed' | 'cancelled';

export interface SourcesTable {
  id: Generated<string>;
  name: string;
  kind: SourceKind;
  /** The kind's settings without its secrets. */
  settings: Json<Record<string, unknown>>;
  /** The kind's secrets as one sealed JSON object (sealSecret); never returned. */
  secrets: string | null;
  /** Column -> canonical field (`--map`); '' drops a column. */
  map: Json<Record<string, string>>;
  /** The records' source (their external ids' namespace). */
  record_source: string;
  schedule: string | null;
  next_run_at: NullableTimestamp;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface JobsTable {
  id: string;
  name: string;
  source_id: string | null;
  kind: SourceKind;
  settings: Json<Record<string, unknown>>;
  secrets: string | null;
  map: Json<Record<string, string>>;
  record_source: string;
  trigger: 'api' | 'schedule';
  status: JobStatus;
  rows_read: ColumnType<string, number | string | undefined, number | string>;
  rows_accepted: ColumnType<string, number | string | undefined, number | string>;
  rows_rejected: ColumnType<string, number | string | undefined, number | string>;
  /** Rows of the source consumed and stored: where a resumed fetch starts. */
  resume_rows: ColumnType<string, number | string | undefined, number | string>;
  attempts: ColumnType<number, number | undefined, number>;
  error_code: string | null;
  error: string | null;
  cancel_requested: ColumnType<boolean, boolean | undefined, boolean>;
  lease_owner: string | null;
  lease_until: NullableTimestamp;
  created_by: string;
  created_by_id: string | null;
  created_at: Timestamp;
  started_at: NullableTimestamp;
  fetched_at: NullableTimestamp;
  finished_at: NullableTimestamp;
  updated_at: Timestamp;
}

export interface JobRunsTable {
  id: Generated<string>;
  job_id: string;
  attempt: number;
  engine: string;
  from_row: ColumnType<string, number | string, number | string>;
  to_row: ColumnType<string | null, number | string | null | undefined, number | string | null>;
  outcome: string | null;
  error: string | null;
  started_at: Timestamp;
  ended_at: NullableTimestamp;
}

export interface JobRejectionsTable {
  job_id: string;
  line: ColumnType<string, number | string, number | string>;
  external_id: string | null;
  errors: Json<Array<{ field: string; message: string }>>;
}

export interface Database {
  sources: SourcesTable;
  jobs: JobsTable;
  job_runs: JobRunsTable;
  job_rejections: JobRejectionsTable;
}
