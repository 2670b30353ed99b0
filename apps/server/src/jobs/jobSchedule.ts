import { sql } from 'kysely';
import type { Db } from '@nexus/actors';
import type { JobStore } from './jobStore';
import { nextRun } from './sourceStore';
import { required } from '@nexus/schema';

/**
 * Starts the jobs of sources whose schedule came due. Each due source is taken with a row lock
 * (FOR UPDATE SKIP LOCKED), so of several engines exactly one starts a given run; a source whose
 * last run is still going gets no second one (the jobs_one_active_run index refuses it) and is
 * tried again at its next time. Answers the jobs started.
 */
export async function startDueRuns(db: Db, jobs: JobStore, now = new Date()): Promise<string[]> {
  const started: string[] = [];
  for (;;) {
    const id = await db.transaction().execute(async (trx) => {
      const due = await trx
        .selectFrom('sources')
        .select(['id', 'schedule', 'created_by'])
        .where('next_run_at', '<=', now)
        .where('schedule', 'is not', null)
        .orderBy('next_run_at')
        .limit(1)
        .forUpdate()
        .skipLocked()
        .executeTakeFirst();
      if (!due) return null;
      await trx
        .updateTable('sources')
        .set({
          next_run_at: nextRun(required(due.schedule, `schedule of due source ${due.id}`), now),
          updated_at: sql`now()`,
        })
        .where('id', '=', due.id)
        .execute();
      const busy = await trx
        .selectFrom('jobs')
        .select('id')
        .where('source_id', '=', due.id)
        .where('status', 'in', ['queued', 'fetching', 'deciding'])
        .executeTakeFirst();
      if (busy) return '';
      const job = await jobs.create(
        { sourceId: due.id },
        { username: due.created_by, userId: null },
        'schedule',
        trx,
      );
      return job.id;
    });
    if (id === null) return started;
    if (id !== '') started.push(id);
  }
}
