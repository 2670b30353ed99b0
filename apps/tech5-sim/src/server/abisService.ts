/**
 * The simulated T5-ABIS: MOSIP ABIS messages in, MOSIP responses out. Business failures (an
 * existing or unknown reference, an unreadable sample) answer 200 with returnValue 2 and MOSIP's
 * failureReason, as MOSIP expects; a malformed message answers 400 with the reason that names
 * what is wrong.
 */
import {
  ABIS_FAILURE_REASONS,
  ABIS_OPERATIONS,
  ABIS_RETURN,
  abisRequestSchema,
  type AbisFailureReason,
  type AbisIdentifyRequest,
  type AbisOperation,
  type AbisRequest,
} from '@nexus/schema';
import type { z } from 'zod';
import { TemplateGallery } from '../biometrics/gallery';
import { fetchSample, SampleError, templateOf, type SampleTemplate } from '../biometrics/samples';
import { UnreadableImageError } from '../faces/png';
import { internalScore, maxDistanceForTarget, scaledScore } from '../biometrics/scores';
import type { SampleMemo } from './sampleMemo';
import type { AbisOperationName, SimulatorStats } from './stats';

export const DEFAULT_MAX_RESULTS = 10;
export const DEFAULT_TARGET_FPIR = 30;
const SUPPORTED_VERSIONS = new Set(['1.0', '1.1']);

export interface AbisReply {
  status: number;
  body: Record<string, unknown>;
}

export class AbisService {
  readonly gallery = new TemplateGallery();
  private inFlight = 0;

  constructor(
    private readonly stats: SimulatorStats,
    /** Fixed-latency mode: each image read once (see sampleMemo.ts). */
    private readonly memo?: SampleMemo,
  ) {}

  private sampleOf(bytes: Uint8Array): SampleTemplate {
    if (!this.memo || bytes.length === 0) return templateOf(bytes);
    try {
      return this.memo.read(bytes);
    } catch (error) {
      if (error instanceof UnreadableImageError)
        throw new SampleError(ABIS_FAILURE_REASONS.INVALID_CBEFF_FORMAT, error.message);
      throw error;
    }
  }

  async handle(raw: unknown): Promise<AbisReply> {
    const parsed = abisRequestSchema.safeParse(raw);
    if (!parsed.success) {
      this.stats.abis.invalid++;
      return { status: 400, body: failure(raw, failureReasonOf(raw, parsed.error)) };
    }
    const message = parsed.data;
    const op = message.id.slice('mosip.abis.'.length) as AbisOperationName;
    this.stats.abis[op]++;
    if (!SUPPORTED_VERSIONS.has(message.ver))
      return this.failed(message, ABIS_FAILURE_REASONS.INVALID_VERSION);
    this.inFlight++;
    try {
      return await this.run(message);
    } catch (error) {
      if (error instanceof SampleError) return this.failed(message, error.failureReason);
      return this.failed(message, ABIS_FAILURE_REASONS.UNEXPECTED_ERROR);
    } finally {
      this.inFlight--;
    }
  }

  private async run(message: AbisRequest): Promise<AbisReply> {
    switch (message.id) {
      case 'mosip.abis.insert': {
        if (this.gallery.has(message.referenceId)) {
          return this.failed(message, ABIS_FAILURE_REASONS.REFERENCE_ID_ALREADY_EXISTS);
        }
        const sample = this.sampleOf(await fetchSample(message.referenceURL));
        if (sample.spoof) this.stats.spoofSamplesAtAbis++;
        this.gallery.insert(message.referenceId, sample.template, sample.spoof);
        this.stats.references = this.gallery.size;
        return ok(message, {});
      }
      case 'mosip.abis.identify':
        return this.identify(message);
      case 'mosip.abis.delete': {
        if (!this.gallery.delete(message.referenceId)) {
          return this.failed(message, ABIS_FAILURE_REASONS.REFERENCE_ID_NOT_FOUND);
        }
        this.stats.references = this.gallery.size;
        return ok(message, {});
      }
      case 'mosip.abis.ping':
        return ok(message, {});
      case 'mosip.abis.pendingJobs':
        return ok(message, { jobscount: String(Math.max(0, this.inFlight - 1)) });
      case 'mosip.abis.referenceCount':
        return ok(message, { count: String(this.gallery.size) });
    }
  }

  private async identify(message: AbisIdentifyRequest): Promise<AbisReply> {
    let query: Uint32Array;
    if (message.referenceId) {
      const stored = this.gallery.template(message.referenceId);
      if (!stored) return this.failed(message, ABIS_FAILURE_REASONS.REFERENCE_ID_NOT_FOUND);
      query = stored;
    } else {
      // MOSIP spells it referenceUrl here and referenceURL in insert; accept either.
      const url = message.referenceUrl ?? (message as { referenceURL?: string }).referenceURL;
      if (!url) return this.failed(message, ABIS_FAILURE_REASONS.MISSING_REFERENCE_ID);
      const sample = this.sampleOf(await fetchSample(url));
      if (sample.spoof) this.stats.spoofSamplesAtAbis++;
      query = sample.template;
    }
    const gallery = message.gallery?.referenceIds.map((r) => r.referenceId);
    const searched = gallery?.length ?? this.gallery.size;
    const maxDistance = maxDistanceForTarget(message.flags?.targetFPIR ?? DEFAULT_TARGET_FPIR, searched);
    const started = performance.now();
    const hits = this.gallery.search(query, {
      maxResults: message.flags?.maxResults ?? DEFAULT_MAX_RESULTS,
      maxDistance,
      gallery,
      exclude: message.referenceId ?? undefined,
    });
    const ms = performance.now() - started;
    this.stats.search.count++;
    this.stats.search.totalMs += ms;
    this.stats.search.maxMs = Math.max(this.stats.search.maxMs, ms);
    const candidates = hits.map((hit) => {
      const analytics = {
        internalScore: internalScore(hit.distance).toFixed(4),
        scaledScore: scaledScore(hit.distance).toFixed(1),
        hammingDistance: String(hit.distance),
      };
      return { referenceId: hit.referenceId, analytics, modalities: [{ biometricType: 'FID', analytics }] };
    });
    return ok(message, {
      candidateList: { count: String(candidates.length), candidates },
      analytics: { searched: String(searched), searchMs: ms.toFixed(2) },
    });
  }

  private failed(message: { id: string; requestId: string }, reason: AbisFailureReason): AbisReply {
    this.stats.abis.failed++;
    return { status: 200, body: failure(message, reason) };
  }
}

const now = () => new Date().toISOString();

function ok(message: { id: string; requestId: string }, extra: Record<string, unknown>): AbisReply {
  return {
    status: 200,
    body: {
      id: message.id,
      requestId: message.requestId,
      responsetime: now(),
      returnValue: ABIS_RETURN.SUCCESS,
      ...extra,
    },
  };
}

function failure(raw: unknown, reason: AbisFailureReason): Record<string, unknown> {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  return {
    id: typeof r.id === 'string' ? r.id : 'mosip.abis.unknown',
    requestId: typeof r.requestId === 'string' ? r.requestId : '',
    responsetime: now(),
    returnValue: ABIS_RETURN.FAILED,
    failureReason: reason,
  };
}

/** MOSIP's failure reason for a message that does not parse: the first field at fault decides. */
function failureReasonOf(raw: unknown, error: z.ZodError): AbisFailureReason {
  if (typeof raw !== 'object' || raw === null) return ABIS_FAILURE_REASONS.UNABLE_TO_SERVE_REQUEST;
  const r = raw as Record<string, unknown>;
  if (!ABIS_OPERATIONS.includes(r.id as AbisOperation)) return ABIS_FAILURE_REASONS.INVALID_ID;
  const issue = error.issues[0];
  const field = issue?.path[0];
  const missing = (name: string) => r[name] === undefined || r[name] === null || r[name] === '';
  switch (String(field)) {
    case 'id':
      return ABIS_FAILURE_REASONS.INVALID_ID;
    case 'requestId':
      return ABIS_FAILURE_REASONS.MISSING_REQUEST_ID;
    case 'requesttime':
      return missing('requesttime')
        ? ABIS_FAILURE_REASONS.MISSING_REQUEST_TIME
        : ABIS_FAILURE_REASONS.INVALID_REQUEST_TIME_FORMAT;
    case 'referenceId':
      return ABIS_FAILURE_REASONS.MISSING_REFERENCE_ID;
    case 'referenceURL':
      return ABIS_FAILURE_REASONS.MISSING_REFERENCE_URL;
    default:
      return ABIS_FAILURE_REASONS.UNABLE_TO_SERVE_REQUEST;
  }
}
