import type { Migration, MigrationProvider } from 'kysely';
import * as initial from './2026_11_23_0001_initial';
import * as users from './2026_11_23_0002_users';
import * as biometrics from './2026_11_23_0003_biometrics';
import * as searchIndex from './2026_11_23_0006_search_index';
import * as mergeProposals from './2026_11_23_0021_merge_proposals';
import * as ownership from './2026_12_02_0025_ownership';
import * as contacts from './2026_12_02_0029_contacts';
import * as analytics from './2026_12_02_0030_analytics';
import * as identifyInOneCall from './2026_12_03_0031_identify_in_one_call';
import * as jobs from './2026_12_03_0033_jobs';
import * as notifications from './2026_12_03_0035_notifications';
import * as erasure from './2026_12_03_0036_erasure';
import * as accessRecords from './2026_12_03_0037_access_records';
import * as retention from './2026_12_03_0038_retention';
import * as selfRetraining from './2026_12_03_0040_self_retraining';
import * as eventStream from './2026_12_03_0048_event_stream';
import * as encryptionKeys from './2026_12_03_0049_encryption_keys';
import * as facesInsertedAhead from './2026_12_03_0055_faces_inserted_ahead';

/** Every migration, in order. Listed statically so that bundled and tsx builds find the same set. */
const migrations: Record<string, Migration> = {
  '2026_11_23_0001_initial': initial,
  '2026_11_23_0002_users': users,
  '2026_11_23_0003_biometrics': biometrics,
  '2026_11_23_0006_search_index': searchIndex,
  '2026_11_23_0021_merge_proposals': mergeProposals,
  '2026_12_02_0025_ownership': ownership,
  '2026_12_02_0029_contacts': contacts,
  '2026_12_02_0030_analytics': analytics,
  '2026_12_03_0031_identify_in_one_call': identifyInOneCall,
  '2026_12_03_0033_jobs': jobs,
  '2026_12_03_0035_notifications': notifications,
  '2026_12_03_0036_erasure': erasure,
  '2026_12_03_0037_access_records': accessRecords,
  '2026_12_03_0038_retention': retention,
  '2026_12_03_0040_self_retraining': selfRetraining,
  '2026_12_03_0048_event_stream': eventStream,
  '2026_12_03_0049_encryption_keys': encryptionKeys,
  '2026_12_03_0055_faces_inserted_ahead': facesInsertedAhead,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
};
