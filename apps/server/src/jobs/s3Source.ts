import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { FetchFailure } from './fetchFailure';
import { required } from '@nexus/schema';

export interface S3Fetch {
  bucket: string;
  key?: string | undefined;
  prefix?: string | undefined;
  region: string;
  endpoint?: string | undefined;
  forcePathStyle?: boolean | undefined;
  accessKeyId?: string | undefined;
  secretAccessKey?: string | undefined;
  sessionToken?: string | undefined;
  idleTimeoutMs: number;
  signal: AbortSignal;
}

function client(f: S3Fetch): S3Client {
  return new S3Client({
    region: f.region,
    ...(f.endpoint ? { endpoint: f.endpoint } : {}),
    forcePathStyle: f.forcePathStyle ?? Boolean(f.endpoint),
    ...(f.accessKeyId && f.secretAccessKey
      ? {
          credentials: {
            accessKeyId: f.accessKeyId,
            secretAccessKey: f.secretAccessKey,
            ...(f.sessionToken ? { sessionToken: f.sessionToken } : {}),
          },
        }
      : {}),
    // The job's own retries resume where the fetch stopped; the SDK's would start the object over.
    maxAttempts: 1,
  });
}

/** The object's key, or every key under the prefix in key order (S3 lists keys sorted). */
export async function s3Keys(f: S3Fetch): Promise<string[]> {
  if (f.key) return [f.key];
  const s3 = client(f);
  const keys: string[] = [];
  try {
    let token: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({ Bucket: f.bucket, Prefix: f.prefix ?? '', ContinuationToken: token }),
        { abortSignal: f.signal },
      );
      for (const o of page.Contents ?? []) if (o.Key && !o.Key.endsWith('/')) keys.push(o.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  } finally {
    s3.destroy();
  }
  if (keys.length === 0)
    throw new FetchFailure('FETCH.NOT_FOUND', `no objects under s3://${f.bucket}/${f.prefix ?? ''}`, false);
  return keys;
}

/** One object's body as text, streamed. */
export async function* s3Text(f: S3Fetch, key: string): AsyncGenerator<string> {
  const s3 = client(f);
  try {
    const answer = await s3.send(new GetObjectCommand({ Bucket: f.bucket, Key: key }), {
      abortSignal: f.signal,
    });
    const type = required((answer.ContentType ?? '').split(';')[0], 'media type of the content type')
      .trim()
      .toLowerCase();
    if (type === 'text/html')
      throw new FetchFailure(
        'FETCH.NOT_RECORDS',
        `s3://${f.bucket}/${key} is a web page, not CSV or NDJSON`,
        false,
      );
    const body = answer.Body as Readable | undefined;
    if (!body) throw new FetchFailure('FETCH.NOT_FOUND', `s3://${f.bucket}/${key} has no body`, false);
    const decoder = new StringDecoder('utf8');
    try {
      for await (const chunk of body as AsyncIterable<Buffer>) yield decoder.write(chunk);
      const rest = decoder.end();
      if (rest !== '') yield rest;
    } finally {
      body.destroy();
    }
  } finally {
    s3.destroy();
  }
}
