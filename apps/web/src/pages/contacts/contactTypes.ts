import type { Api } from '../../api/client';

/** The API's own output types: the page follows the server's shapes as they change. */
export type ContactFamily = Awaited<ReturnType<Api['contacts']['find']['query']>>[number];
export type ContactNode = ContactFamily['primary'];
export type ContactHistoryEntry = ContactFamily['history'][number];
export type SharedGoldenRecord = ContactFamily['goldenRecords'][number];
export type ContactAnswer = ContactFamily['answer'];
