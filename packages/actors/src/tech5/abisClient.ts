/**
 * Client of T5-ABIS, in MOSIP ABIS messages (packages/schema/src/abis.ts). Samples go by URL, as
 * in MOSIP; Nexus sends the face as a data: URL. MOSIP failures 1-3 (internal, aborted,
 * unexpected) are retried like 5xx; an insert of an existing reference counts as done.
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import {
  ABIS_FAILURE_REASONS,
  ABIS_RETURN,
  ABIS_TRANSIENT_FAILURES,
  ABIS_VERSION,
  abisCandidateScores,
  abisIdentifyResponseSchema,
  abisPendingJobsResponseSchema,
  abisReferenceCountResponseSchema,
  abisResponseSchema,
  type AbisOperation,
  type AbisResponse,
} from '@nexus/schema';
import { Tech5RequestError, TransientTech5Error } from './errors';
import { ResilientCaller, type HttpAnswer, type Tech5ClientOptions } from './resilientCaller';

export interface AbisIdentifyQuery {
  /** The sample: an inserted reference, or a URL (data: URL) of the image. */
  referenceId?: string;
  referenceUrl?: string;
  /** Search only these references (MOSIP gallery); the whole database when absent. */
  gallery?: readonly string[];
  maxResults?: number;
  /** -10·log10 of the acceptable false positive identification rate. */
  targetFPIR?: number;
}

export interface AbisMatch {
  referenceId: string;
  /** -10·log10(false match rate) at this score, 0..100. */
  scaledScore: number;
  /** Template similarity, 0..1. */
  internalScore: number;
}

export class AbisClient {
  readonly caller: ResilientCaller;
  private readonly url: string;

  constructor(baseUrl: string, options: Partial<Tech5ClientOptions> = {}) {
    this.caller = new ResilientCaller('abis', options);
    this.url = baseUrl.replace(/\/+$/, '');
  }

  /** Enrols a reference. Resolves `existed: true` when the reference id was already there. */
  async insert(referenceId: string, referenceURL: string): Promise<{ existed: boolean }> {
    const response = await this.send('mosip.abis.insert', { referenceId, referenceURL }, abisResponseSchema, [
      ABIS_FAILURE_REASONS.REFERENCE_ID_ALREADY_EXISTS,
    ]);
    return { existed: response.returnValue === ABIS_RETURN.FAILED };
  }

  async identify(query: AbisIdentifyQuery): Promise<AbisMatch[]> {
    const flags: Record<string, number> = {};
    if (query.maxResults !== undefined) flags.maxResults = query.maxResults;
    if (query.targetFPIR !== undefined) flags.targetFPIR = query.targetFPIR;
    const response = await this.send(
      'mosip.abis.identify',
      {
        referenceId: query.referenceId ?? null,
        referenceUrl: query.referenceUrl ?? null,
        flags,
        ...(query.gallery
          ? { gallery: { referenceIds: query.gallery.map((referenceId) => ({ referenceId })) } }
          : {}),
      },
      abisIdentifyResponseSchema,
    );
    return (response.candidateList?.candidates ?? []).map((c) => ({
      referenceId: c.referenceId,
      ...abisCandidateScores(c),
    }));
  }

  /** Removes a reference; false when the ABIS did not have it. */
  async delete(referenceId: string): Promise<boolean> {
    const response = await this.send('mosip.abis.delete', { referenceId }, abisResponseSchema, [
      ABIS_FAILURE_REASONS.REFERENCE_ID_NOT_FOUND,
    ]);
    return response.returnValue === ABIS_RETURN.SUCCESS;
  }

  async ping(): Promise<void> {
    await this.send('mosip.abis.ping', {}, abisResponseSchema);
  }

  async pendingJobs(): Promise<number> {
    return (await this.send('mosip.abis.pendingJobs', {}, abisPendingJobsResponseSchema)).jobscount ?? 0;
  }

  async referenceCount(): Promise<number> {
    return (await this.send('mosip.abis.referenceCount', {}, abisReferenceCountResponseSchema)).count ?? 0;
  }

  /**
   * One MOSIP message. `accepted` lists failure reasons the caller handles itself; other transient
   * failures are retried, and the rest end in Tech5RequestError.
   */
  private send<S extends z.ZodType<AbisResponse>>(
    id: AbisOperation,
    fields: Record<string, unknown>,
    schema: S,
    accepted: readonly number[] = [],
  ): Promise<z.infer<S>> {
    const operation = id.slice('mosip.abis.'.length);
    return this.caller.call(
      operation,
      this.url,
      () => ({
        id,
        ver: ABIS_VERSION,
        requestId: randomUUID(),
        requesttime: new Date().toISOString(),
        ...fields,
      }),
      (answer: HttpAnswer) => {
        const parsed = schema.safeParse(answer.json);
        if (!parsed.success)
          throw new TransientTech5Error(`abis ${operation}: unexpected answer: ${parsed.error.message}`);
        const response = parsed.data;
        if (response.returnValue === ABIS_RETURN.SUCCESS) return response;
        const reason = response.failureReason ?? ABIS_FAILURE_REASONS.INTERNAL_ERROR;
        if (accepted.includes(reason)) return response;
        if (ABIS_TRANSIENT_FAILURES.includes(reason))
          throw new TransientTech5Error(`abis ${operation}: failure reason ${reason}`);
        throw new Tech5RequestError(
          'abis',
          answer.status,
          `ABIS.FAILURE_REASON_${reason}`,
          `abis ${operation} failed: MOSIP failure reason ${reason}`,
        );
      },
    );
  }
}
