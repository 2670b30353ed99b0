import { describe, expect, it } from 'vitest';
import {
  abisCandidateScores,
  abisIdentifyRequestSchema,
  abisIdentifyResponseSchema,
  abisInsertRequestSchema,
  abisRequestSchema,
  abisResponseSchema,
} from './abis';

// The examples of the MOSIP ABIS API specification (version 1.1), as MOSIP writes them.
const insert = {
  id: 'mosip.abis.insert',
  ver: '1.1',
  requestId: '91234567-89AB-CDEF-0123-456789ABCDEF',
  requesttime: '2020-03-29T07:01:24.692Z',
  referenceId: '01234567-89AB-CDEF-0123-456789ABCDEF',
  referenceURL: 'https://mosip.io/biometric/45678',
};
const identify = {
  id: 'mosip.abis.identify',
  ver: '1.1',
  requestId: '01234567-89AB-CDEF-0123-456789ABCDEF',
  requesttime: '2020-03-29T07:01:24.692Z',
  referenceId: '987654321-89AB-CDEF-0123-456789ABCDEF',
  referenceUrl: 'https://mosip.io/registrationprocessor/v1/bio-dedupe/biometricfile/2cce7b7d',
  flags: { maxResults: 10, targetFPIR: 30, flag1: 'value1' },
  gallery: { referenceIds: [{ referenceId: '2abe7b7d-b58a-4466-a006-c79297281123' }] },
};
const identified = {
  id: 'mosip.abis.identify',
  requestId: '01234567-89AB-CDEF-0123-456789ABCDEF',
  responsetime: '2020-03-29T07:01:24.692Z',
  returnValue: 1,
  candidateList: {
    count: '1',
    candidates: [
      {
        referenceId: '7acce7b7d-b58a-4466-a006-c79297281456',
        analytics: { internalScore: '112', confidence: '90', scaledScore: '48.5' },
        modalities: [{ biometricType: 'FID', analytics: { confidence: '90', internalScore: '112' } }],
      },
    ],
  },
};

describe('MOSIP ABIS message shapes', () => {
  it('read the specification examples', () => {
    expect(abisInsertRequestSchema.parse(insert).referenceURL).toBe(insert.referenceURL);
    const request = abisIdentifyRequestSchema.parse(identify);
    expect(request.flags).toMatchObject({ maxResults: 10, targetFPIR: 30, flag1: 'value1' });
    expect(abisRequestSchema.parse(identify).id).toBe('mosip.abis.identify');
    const response = abisIdentifyResponseSchema.parse(identified);
    expect(response.candidateList?.count).toBe(1);
    expect(abisCandidateScores(response.candidateList!.candidates![0]!)).toEqual({
      internalScore: 112,
      scaledScore: 48.5,
    });
    expect(abisResponseSchema.parse({ ...identified, returnValue: '2', failureReason: '7' })).toMatchObject({
      returnValue: 2,
      failureReason: 7,
    });
  });

  it('refuse messages that are not MOSIP ABIS', () => {
    expect(abisRequestSchema.safeParse({ ...insert, id: 'mosip.abis.fly' }).success).toBe(false);
    expect(abisRequestSchema.safeParse({ ...insert, referenceURL: undefined }).success).toBe(false);
    expect(abisRequestSchema.safeParse({ ...insert, requesttime: 'yesterday' }).success).toBe(false);
    expect(abisRequestSchema.safeParse({ ...identify, flags: { maxResults: 0 } }).success).toBe(false);
    expect(abisRequestSchema.safeParse({ ...identify, gallery: { referenceIds: ['a'] } }).success).toBe(
      false,
    );
    expect(abisResponseSchema.safeParse({ ...identified, returnValue: 3 }).success).toBe(false);
  });
});
