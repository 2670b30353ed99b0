import { z } from 'zod';

/**
 * The message shapes of the MOSIP ABIS API (version 1.1: insert, identify, delete, ping,
 * pendingJobs, referenceCount), which T5-ABIS speaks. MOSIP carries them over a queue; Nexus and
 * its simulator carry the same JSON over HTTP (POST to the ABIS URL, one message per request).
 * The biometric sample travels by URL, as in MOSIP: Nexus sends a `data:` URL of the image.
 */

export const ABIS_VERSION = '1.1';

export const ABIS_OPERATIONS = [
  'mosip.abis.insert',
  'mosip.abis.identify',
  'mosip.abis.delete',
  'mosip.abis.ping',
  'mosip.abis.pendingJobs',
  'mosip.abis.referenceCount',
] as const;
export type AbisOperation = (typeof ABIS_OPERATIONS)[number];

/** MOSIP's standard return codes. */
export const ABIS_RETURN = { SUCCESS: 1, FAILED: 2 } as const;

/** MOSIP's failure reasons (the ABIS API and its reference mock). */
export const ABIS_FAILURE_REASONS = {
  INTERNAL_ERROR: 1,
  ABORTED: 2,
  UNEXPECTED_ERROR: 3,
  UNABLE_TO_SERVE_REQUEST: 4,
  MISSING_REFERENCE_ID: 5,
  MISSING_REQUEST_ID: 6,
  UNABLE_TO_FETCH_BIOMETRIC_DETAILS: 7,
  MISSING_REFERENCE_URL: 8,
  MISSING_REQUEST_TIME: 9,
  REFERENCE_ID_ALREADY_EXISTS: 10,
  CBEFF_HAS_NO_DATA: 11,
  REFERENCE_ID_NOT_FOUND: 12,
  INVALID_VERSION: 13,
  INVALID_ID: 14,
  INVALID_REQUEST_TIME_FORMAT: 15,
  INVALID_CBEFF_FORMAT: 16,
  DATA_SHARE_URL_EXPIRED: 17,
  BIOMETRIC_QUALITY_CHECK_FAILED: 18,
} as const;
export type AbisFailureReason = (typeof ABIS_FAILURE_REASONS)[keyof typeof ABIS_FAILURE_REASONS];

/** Failures that say the ABIS itself is in trouble: worth retrying, unlike a bad request. */
export const ABIS_TRANSIENT_FAILURES: readonly number[] = [
  ABIS_FAILURE_REASONS.INTERNAL_ERROR,
  ABIS_FAILURE_REASONS.ABORTED,
  ABIS_FAILURE_REASONS.UNEXPECTED_ERROR,
];

const requestHeader = {
  ver: z.string().min(1),
  requestId: z.string().min(1),
  requesttime: z.iso.datetime({ offset: true }),
};

export const abisInsertRequestSchema = z.object({
  id: z.literal('mosip.abis.insert'),
  ...requestHeader,
  referenceId: z.string().min(1),
  referenceURL: z.string().min(1),
});

export const abisGallerySchema = z.object({
  referenceIds: z.array(z.object({ referenceId: z.string().min(1) })),
});

/** Flags are free key-value pairs in MOSIP; these two are the ones this ABIS interprets. */
export const abisIdentifyFlagsSchema = z
  .object({
    /** Most candidates returned (MOSIP's default: 10). */
    maxResults: z.coerce.number().int().min(1).max(1000).optional(),
    /**
     * Return only candidates at or better than this false positive identification rate, as
     * -10·log10(FPIR) over the searched gallery: 30 means at most 1 false candidate in 1,000 searches.
     */
    targetFPIR: z.coerce.number().min(0).max(200).optional(),
  })
  .catchall(z.unknown());

/** 1:N search of the sample given by referenceId (already inserted) or by referenceUrl. */
export const abisIdentifyRequestSchema = z.object({
  id: z.literal('mosip.abis.identify'),
  ...requestHeader,
  referenceId: z.string().min(1).nullish(),
  referenceUrl: z.string().min(1).nullish(),
  flags: abisIdentifyFlagsSchema.optional(),
  gallery: abisGallerySchema.nullish(),
});

export const abisDeleteRequestSchema = z.object({
  id: z.literal('mosip.abis.delete'),
  ...requestHeader,
  referenceId: z.string().min(1),
});

export const abisPingRequestSchema = z.object({ id: z.literal('mosip.abis.ping'), ...requestHeader });
export const abisPendingJobsRequestSchema = z.object({
  id: z.literal('mosip.abis.pendingJobs'),
  ...requestHeader,
});
export const abisReferenceCountRequestSchema = z.object({
  id: z.literal('mosip.abis.referenceCount'),
  ...requestHeader,
});

export const abisRequestSchema = z.discriminatedUnion('id', [
  abisInsertRequestSchema,
  abisIdentifyRequestSchema,
  abisDeleteRequestSchema,
  abisPingRequestSchema,
  abisPendingJobsRequestSchema,
  abisReferenceCountRequestSchema,
]);

export type AbisInsertRequest = z.infer<typeof abisInsertRequestSchema>;
export type AbisIdentifyRequest = z.infer<typeof abisIdentifyRequestSchema>;
export type AbisDeleteRequest = z.infer<typeof abisDeleteRequestSchema>;
export type AbisRequest = z.infer<typeof abisRequestSchema>;

/** MOSIP sends numbers as numbers or strings depending on the version; read both. */
const returnValue = z.coerce
  .number()
  .pipe(z.union([z.literal(ABIS_RETURN.SUCCESS), z.literal(ABIS_RETURN.FAILED)]));

export const abisResponseSchema = z.object({
  id: z.string(),
  requestId: z.string(),
  responsetime: z.string(),
  returnValue,
  failureReason: z.coerce.number().int().optional(),
});
export type AbisResponse = z.infer<typeof abisResponseSchema>;

/** Key-value analytics; values are strings in MOSIP's examples. */
export const abisAnalyticsSchema = z.record(z.string(), z.union([z.string(), z.number()]));

export const abisCandidateSchema = z.object({
  referenceId: z.string(),
  analytics: abisAnalyticsSchema.optional(),
  modalities: z
    .array(z.object({ biometricType: z.string(), analytics: abisAnalyticsSchema.optional() }))
    .optional(),
});
export type AbisCandidate = z.infer<typeof abisCandidateSchema>;

export const abisIdentifyResponseSchema = abisResponseSchema.extend({
  candidateList: z
    .object({
      count: z.coerce.number().int().min(0),
      candidates: z.array(abisCandidateSchema).nullable(),
    })
    .optional(),
});
export type AbisIdentifyResponse = z.infer<typeof abisIdentifyResponseSchema>;

export const abisPendingJobsResponseSchema = abisResponseSchema.extend({
  jobscount: z.coerce.number().int().min(0).optional(),
});

export const abisReferenceCountResponseSchema = abisResponseSchema.extend({
  count: z.coerce.number().int().min(0).optional(),
});

/** The analytics keys this ABIS fills for each candidate. */
export interface AbisCandidateScores {
  /** Similarity of the two templates, 0 (unrelated) to 1 (identical). */
  internalScore: number;
  /** -10·log10 of the false match rate at this score, capped at 100: 30 is one in 1,000. */
  scaledScore: number;
}

/** Reads the scores of a candidate; NaN for a score the ABIS did not give. */
export function abisCandidateScores(candidate: AbisCandidate): AbisCandidateScores {
  const a = candidate.analytics ?? {};
  return {
    internalScore: Number(a.internalScore ?? Number.NaN),
    scaledScore: Number(a.scaledScore ?? Number.NaN),
  };
}
