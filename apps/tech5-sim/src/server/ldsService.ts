/** The simulated T5-LDS: one image in, a liveness score, a decision and a quality out. */
import { randomUUID } from 'node:crypto';
import { livenessRequestSchema, type LivenessResponse } from '@nexus/schema';
import { decodeDataUrl, SampleError } from '../biometrics/samples';
import { decodeImage, UnreadableImageError } from '../faces/png';
import { assessLiveness } from '../liveness/livenessDetector';
import type { SampleMemo } from './sampleMemo';
import type { SimulatorStats } from './stats';

export interface LdsReply {
  status: number;
  body: Record<string, unknown>;
}

const error = (status: number, code: string, message: string): LdsReply => ({
  status,
  body: { error: { code, message } },
});

export class LdsService {
  constructor(
    private readonly stats: SimulatorStats,
    private readonly threshold: number,
    /** Fixed-latency mode: each image read once, the verdict from its capture mark. */
    private readonly memo?: SampleMemo,
  ) {}

  handle(raw: unknown): LdsReply {
    const parsed = livenessRequestSchema.safeParse(raw);
    if (!parsed.success) {
      this.stats.lds.invalid++;
      const fields = parsed.error.issues
        .map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`)
        .join('; ');
      return error(400, 'LDS.INVALID_REQUEST', `invalid liveness request: ${fields}`);
    }
    this.stats.lds.liveness++;
    const { image, requestId = randomUUID() } = parsed.data;
    try {
      const bytes = image.startsWith('data:') ? decodeDataUrl(image) : Buffer.from(image, 'base64');
      const assessment = this.memo
        ? this.memo.read(bytes).liveness
        : assessLiveness(decodeImage(bytes), this.threshold);
      if (assessment.live) this.stats.lds.live++;
      else this.stats.lds.spoof++;
      const body: LivenessResponse = {
        requestId,
        livenessScore: round(assessment.score),
        live: assessment.live,
        threshold: assessment.threshold,
        quality: round(assessment.quality),
        indicators: Object.fromEntries(Object.entries(assessment.indicators).map(([k, v]) => [k, round(v)])),
      };
      return { status: 200, body: { ...body } };
    } catch (e) {
      if (!(e instanceof UnreadableImageError || e instanceof SampleError)) throw e;
      this.stats.lds.unreadable++;
      return error(422, 'LDS.UNREADABLE_IMAGE', `unreadable image: ${e.message}`);
    }
  }
}

const round = (v: number) => Math.round(v * 10_000) / 10_000;
