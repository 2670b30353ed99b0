import type { Api } from '../../api/client';

/** The API's own output types: the page follows the server's shapes as they change. */
export type DeadLetter = Awaited<ReturnType<Api['deadLetters']['list']['query']>>['items'][number];
export type DeadLetterStatus = DeadLetter['status'];
export type RecordDetail = Awaited<ReturnType<Api['records']['get']['query']>>;
