import type { Api } from '../../api/client';

/** The API's own output types: the pages follow the server's shapes as they change. */
export type Batch = Awaited<ReturnType<Api['batches']['get']['query']>>;
export type BatchCounts = Batch['counts'];
export type BatchPage = Awaited<ReturnType<Api['batches']['list']['query']>>;
export type BatchRecord = Awaited<ReturnType<Api['batches']['records']['query']>>['items'][number];
export type RecordFilter = NonNullable<Parameters<Api['batches']['records']['query']>[0]['status']>;
export type UploadReading = Awaited<ReturnType<Api['ingest']['readUpload']['mutate']>>;
export type BatchReceipt = Awaited<ReturnType<Api['ingest']['submitBatch']['mutate']>>;
