import { z } from 'zod';

/**
 * The liveness check of T5-LDS as Nexus speaks it over HTTP: one face image in (base64, or a
 * `data:` URL), a liveness score in 0..1, the live / spoof decision at the service's threshold,
 * and the capture's quality. An image the service cannot read is a 422 with a clear code.
 */
export const livenessRequestSchema = z.object({
  requestId: z.string().min(1).optional(),
  image: z.string().min(1),
});
export type LivenessRequest = z.infer<typeof livenessRequestSchema>;

export const livenessResponseSchema = z.object({
  requestId: z.string(),
  /** 0 (surely a spoof) .. 1 (surely a live face). */
  livenessScore: z.number().min(0).max(1),
  live: z.boolean(),
  threshold: z.number().min(0).max(1),
  /** 0 (unusable) .. 1 (sharp, well exposed). */
  quality: z.number().min(0).max(1),
  /** What the detector saw; keys are the service's own. */
  indicators: z.record(z.string(), z.number()).default({}),
});
export type LivenessResponse = z.infer<typeof livenessResponseSchema>;

export const LIVENESS_ERROR_CODES = [
  'LDS.UNREADABLE_IMAGE',
  'LDS.INVALID_REQUEST',
  'LDS.IMAGE_TOO_LARGE',
] as const;

export const livenessErrorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});
export type LivenessError = z.infer<typeof livenessErrorSchema>;
