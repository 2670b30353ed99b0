import type { Api } from '../../api/client';

/** The API's own output types: the pages follow the server's shapes as they change. */
export type ReviewCase = Awaited<ReturnType<Api['review']['get']['query']>>;
export type Candidate = ReviewCase['candidates'][number];
export type QueuePage = Awaited<ReturnType<Api['review']['queue']['query']>>;
export type QueueItem = QueuePage['items'][number];
export type QueueInput = NonNullable<Parameters<Api['review']['queue']['query']>[0]>;
export type ResolveInput = Parameters<Api['review']['resolve']['mutate']>[0];
export type CaseKind = QueueItem['kind'];

/** What a reviewer decides, before the case id and the reason are added. */
export type Decision =
  | { resolution: 'same_as'; goldenId: string; label: string }
  | { resolution: 'new_person' }
  | { resolution: 'merge' }
  | { resolution: 'reject' };

export const KIND_LABELS: Record<CaseKind, string> = {
  possible_match: 'Possible match',
  merge_proposal: 'Merge proposal',
  biometric_conflict: 'Biometric conflict',
};
