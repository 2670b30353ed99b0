import type { UserRole } from '@nexus/schema';
import type { JobView } from './jobStore';

export interface JobsApi {
  call: <T = Record<string, unknown>>(
    method: string,
    url: string,
    body?: unknown,
  ) => Promise<{ status: number; body: T }>;
  text: (url: string) => Promise<string>;
  /** POST /api/v1/jobs; answers the job id. */
  start: (body: unknown) => Promise<string>;
  until: (jobId: string, statuses?: string[]) => Promise<JobView>;
}

/** The jobs REST API of a test server, as an operator (or `role`) calls it. */
export function jobsApi(
  server: () => { url: string; tokenFor(role: UserRole): Promise<string> },
  role: UserRole = 'operator',
): JobsApi {
  const headers = async (json: boolean) => ({
    authorization: `Bearer ${await server().tokenFor(role)}`,
    ...(json ? { 'content-type': 'application/json' } : {}),
  });
  const api: JobsApi = {
    call: async <T>(method: string, url: string, body?: unknown) => {
      const res = await fetch(`${server().url}${url}`, {
        method,
        headers: await headers(body !== undefined),
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.status, body: (await res.json()) as T };
    },
    text: async (url) => {
      return (await fetch(`${server().url}${url}`, { headers: await headers(false) })).text();
    },
    start: async (body) => {
      const res = await api.call<{ jobId: string; status: string }>('POST', '/api/v1/jobs', body);
      if (res.status !== 202) throw new Error(`POST /api/v1/jobs: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.jobId;
    },
    until: async (jobId, statuses = ['completed', 'failed', 'cancelled']) => {
      for (let i = 0; i < 1200; i++) {
        const job = (await api.call<JobView>('GET', `/api/v1/jobs/${jobId}`)).body;
        if (statuses.includes(job.status)) return job;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`job ${jobId} never reached ${statuses.join('/')}`);
    },
  };
  return api;
}

export interface JobRunJson {
  attempt: number;
  fromRow: number;
  toRow: number | null;
  outcome: string | null;
  error: string | null;
}
