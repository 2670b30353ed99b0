import type { Api } from '../../api/client';

/** The API's own output types: the pages follow the server's shapes as they change. */
export type CustomerSummary = Awaited<ReturnType<Api['customers']['search']['query']>>[number];
export type Customer = Awaited<ReturnType<Api['customers']['get']['query']>>;
export type Member = Customer['members'][number];
export type HistoryEntry = Customer['history'][number];
export type BiometricReference = Customer['biometricReferences'][number];
export type SplitResult = Awaited<ReturnType<Api['customers']['split']['mutate']>>;
export type CustomerSearchInput = Parameters<Api['customers']['search']['query']>[0];
