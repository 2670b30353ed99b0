import type { Db } from '@nexus/actors';

/**
 * The counts an operator watches, read the same way by /metrics and the live overview so both
 * always show the same number.
 */

/** Review cases not yet resolved (open or claimed by a reviewer). */
export async function countReviewQueue(db: Db): Promise<number> {
  const row = await db
    .selectFrom('review_cases')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('status', 'in', ['open', 'claimed'])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Dead letters neither replayed nor discarded. */
export async function countOpenDeadLetters(db: Db): Promise<number> {
  const row = await db
    .selectFrom('dead_letters')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('status', '=', 'open')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
