/**
 * The server's self-retraining (docs/decisions/0040-self-retraining.md): learn a model from the
 * register as `nexus train` does (records held back for the check left out), decide the
 * held-back sample with it and with the active model, and store it as a version that becomes
 * active only when it is not worse. Every attempt is stored and audited, accepted or not.
 * Running workers switch to a newly active version by themselves (they poll the active id).
 */
import { sql } from 'kysely';
import { appendAudit, loadActiveModel, type Db } from '@nexus/actors';
import { DEFAULT_POLICY, TrainingThread, type HeldBackVerdict, type ThreadSpan } from '@nexus/matching';
import type { RetrainTrigger } from '@nexus/schema';
import { readHeldBackSample } from './heldBackSample';
import { TRAINING_RECORD_STATUSES } from './readTrainingData';
import { ModelError } from './modelErrors';
import { learnFromRegister, NotEnoughDataError, trainedVersionName } from './trainFromDatabase';

export interface RetrainSettings {
  /** Decided records before the first retraining; 0 turns the automatic retraining off. */
  firstRecords: number;
  /** The register grows by this factor from the last retraining before the next one. */
  growthFactor: number;
  /** Share of the records held back from training to check the new model against. */
  heldBackShare: number;
}

export const DEFAULT_RETRAIN_SETTINGS: RetrainSettings = {
  firstRecords: 1_000,
  growthFactor: 2,
  heldBackShare: 0.1,
};

export interface RetrainReport {
  versionId: number;
  version: string;
  trigger: RetrainTrigger;
  recordCount: number;
  accepted: boolean;
  /** The version that was active when it was checked (still active when rejected). */
  comparedWith: number;
  check: HeldBackVerdict;
  /**
   * The thread that trained and checked (not the server's main thread), and when it computed
   * (ms since the epoch): training first, then the check.
   */
  computed: { training: ThreadSpan; check: ThreadSpan };
}

/** One retraining at a time across every engine on this database. */
const RETRAINING_LOCK = sql`hashtext('nexus.model_retraining')`;

/** Decided records, as training counts them. */
export async function decidedRecords(db: Db): Promise<number> {
  const row = await db
    .selectFrom('records')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('status', 'in', TRAINING_RECORD_STATUSES)
    .where('normalised', 'is not', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Whether the register calls for a retraining now, and why. */
export async function dueRetraining(db: Db, settings: RetrainSettings): Promise<RetrainTrigger | undefined> {
  if (settings.firstRecords === 0) return undefined;
  const last = await db
    .selectFrom('model_versions')
    .select('record_count')
    .where('trigger', 'is not', null)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const records = await decidedRecords(db);
  if (last === undefined) return records >= settings.firstRecords ? 'first_records' : undefined;
  const base = Math.max(last.record_count ?? 0, settings.firstRecords);
  return records >= base * settings.growthFactor ? 'growth' : undefined;
}

/**
 * Retrains now. Throws MODEL.RETRAINING_BUSY when another engine is retraining, and
 * MODEL.NOT_ENOUGH_DATA when the register is too small to learn from.
 */
export async function retrainModel(
  db: Db,
  options: { trigger: RetrainTrigger; actor: string; settings: RetrainSettings },
): Promise<RetrainReport> {
  // A session lock on a connection of its own: training reads through the pool meanwhile.
  return db.connection().execute(async (lockConnection) => {
    const { rows } = await sql<{
      locked: boolean;
    }>`select pg_try_advisory_lock(${RETRAINING_LOCK}) as locked`.execute(lockConnection);
    if (!rows[0]?.locked)
      throw new ModelError('MODEL.RETRAINING_BUSY', 'the model is being retrained already');
    try {
      return await retrainUnderLock(db, options);
    } finally {
      await sql`select pg_advisory_unlock(${RETRAINING_LOCK})`.execute(lockConnection);
    }
  });
}

async function retrainUnderLock(
  db: Db,
  options: { trigger: RetrainTrigger; actor: string; settings: RetrainSettings },
): Promise<RetrainReport> {
  const active = await loadActiveModel(db);
  // EM and the check are seconds of computation: off the event loop that serves requests.
  const thread = TrainingThread.start();
  let learned;
  let trainingSpan: ThreadSpan | undefined;
  let check: HeldBackVerdict;
  let checkSpan: ThreadSpan;
  try {
    try {
      learned = await learnFromRegister(db, {
        version: trainedVersionName('retrained'),
        activeVersion: `version ${active.version} (${active.params.version})`,
        heldBackShare: options.settings.heldBackShare,
        train: async (start, data, trainingOptions) => {
          const { result, span } = await thread.train(start, data, trainingOptions);
          trainingSpan = span;
          return result;
        },
      });
    } catch (error) {
      if (error instanceof NotEnoughDataError) throw new ModelError('MODEL.NOT_ENOUGH_DATA', error.message);
      throw error;
    }
    const cases = await readHeldBackSample(db, {
      share: options.settings.heldBackShare,
      maxConfident: 5_000,
      maxVerdicts: 5_000,
    });
    ({ verdict: check, span: checkSpan } = await thread.check(
      learned.result.model,
      active.params,
      DEFAULT_POLICY,
      cases,
    ));
  } finally {
    await thread.close();
  }
  if (trainingSpan === undefined) throw new Error('the model was not trained on the training thread');
  const computed = { training: trainingSpan, check: checkSpan };
  return db.transaction().execute(async (trx) => {
    await sql`lock table model_versions in share row exclusive mode`.execute(trx);
    const current = await trx
      .selectFrom('model_versions')
      .select('id')
      .where('active', '=', true)
      .executeTakeFirst();
    // Someone activated another version while this one was checked: it was not checked against that one.
    const stale = current?.id !== active.version;
    const accepted = check.accepted && !stale;
    const reason = stale ? `version ${current?.id ?? 'none'} became active during the check` : check.reason;
    if (accepted) {
      await trx.updateTable('model_versions').set({ active: false }).where('active', '=', true).execute();
    }
    const evaluation = {
      reason,
      comparedWith: active.version,
      candidate: check.candidate,
      active: check.active,
    };
    const row = await trx
      .insertInto('model_versions')
      .values({
        kind: 'trained',
        params: JSON.stringify(learned.result.model) as never,
        active: accepted,
        notes: learned.notes,
        trigger: options.trigger,
        record_count: learned.recordsTotal,
        evaluation: JSON.stringify(evaluation) as never,
        verdict: accepted ? 'accepted' : 'rejected',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendAudit(trx, [
      {
        actor: options.actor,
        action: accepted ? 'model.retrained_and_activated' : 'model.retrained_and_rejected',
        entity_type: 'model',
        entity_id: String(row.id),
        record_id: null,
        before: { activeVersion: active.version },
        after: {
          activeVersion: accepted ? row.id : active.version,
          version: learned.result.model.version,
          trigger: options.trigger,
          records: learned.recordsTotal,
          heldBackCases: check.candidate.cases,
          reason,
        },
      },
    ]);
    return {
      versionId: row.id,
      version: learned.result.model.version,
      trigger: options.trigger,
      recordCount: learned.recordsTotal,
      accepted,
      comparedWith: active.version,
      check: { ...check, accepted, reason },
      computed,
    };
  });
}
