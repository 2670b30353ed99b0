import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ABIS_FAILURE_REASONS,
  abisIdentifyResponseSchema,
  abisPendingJobsResponseSchema,
  abisReferenceCountResponseSchema,
  abisRequestSchema,
  abisResponseSchema,
  livenessErrorSchema,
  livenessResponseSchema,
} from '@nexus/schema';
import { syntheticCapture } from './faces/syntheticCapture';
import { startTech5Simulator, type Tech5Simulator } from './simulator';

let sim: Tech5Simulator;
beforeAll(async () => {
  sim = await startTech5Simulator();
});
afterAll(async () => {
  await sim?.close();
});

const dataUrl = (png: Buffer) => `data:image/png;base64,${png.toString('base64')}`;
const face = (person: number, take: number, spoof: 'screen' | 'print' | null = null) =>
  dataUrl(
    syntheticCapture({
      subject: { family: 5000 + person, member: 0 },
      captureSeed: person * 10 + take,
      spoof,
    }).png,
  );

let n = 0;
function message(id: string, fields: Record<string, unknown> = {}) {
  const m = { id, ver: '1.1', requestId: `req-${++n}`, requesttime: new Date().toISOString(), ...fields };
  expect(abisRequestSchema.safeParse(m).success).toBe(true); // what we send is a valid MOSIP message
  return m;
}

async function post(url: string, body: unknown) {
  const response = await fetch(url, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });
  return { status: response.status, json: await response.json() };
}

describe('the simulated T5-ABIS speaks MOSIP ABIS messages', () => {
  it('inserts, identifies, counts, deletes, pings, with MOSIP response shapes', async () => {
    for (let p = 0; p < 5; p++) {
      const r = await post(
        sim.abisUrl,
        message('mosip.abis.insert', { referenceId: `ref-${p}`, referenceURL: face(p, 1) }),
      );
      expect(r.status).toBe(200);
      expect(abisResponseSchema.parse(r.json)).toMatchObject({ id: 'mosip.abis.insert', returnValue: 1 });
    }
    const again = await post(
      sim.abisUrl,
      message('mosip.abis.insert', { referenceId: 'ref-0', referenceURL: face(0, 1) }),
    );
    expect(abisResponseSchema.parse(again.json)).toMatchObject({
      returnValue: 2,
      failureReason: ABIS_FAILURE_REASONS.REFERENCE_ID_ALREADY_EXISTS,
    });

    const byUrl = await post(
      sim.abisUrl,
      message('mosip.abis.identify', { referenceUrl: face(2, 2), flags: { maxResults: 3, targetFPIR: 20 } }),
    );
    const identified = abisIdentifyResponseSchema.parse(byUrl.json);
    expect(identified.returnValue).toBe(1);
    expect(identified.candidateList?.candidates?.[0]?.referenceId).toBe('ref-2');
    expect(Number(identified.candidateList?.candidates?.[0]?.analytics?.scaledScore)).toBeGreaterThan(40);

    const byId = await post(
      sim.abisUrl,
      message('mosip.abis.identify', {
        referenceId: 'ref-1',
        gallery: { referenceIds: [{ referenceId: 'ref-3' }] },
      }),
    );
    expect(abisIdentifyResponseSchema.parse(byId.json).candidateList?.count).toBe(0); // a different person

    const count = await post(sim.abisUrl, message('mosip.abis.referenceCount'));
    expect(abisReferenceCountResponseSchema.parse(count.json).count).toBe(5);
    const pending = await post(sim.abisUrl, message('mosip.abis.pendingJobs'));
    expect(abisPendingJobsResponseSchema.parse(pending.json).jobscount).toBe(0);
    expect(
      abisResponseSchema.parse((await post(sim.abisUrl, message('mosip.abis.ping'))).json).returnValue,
    ).toBe(1);

    expect(
      abisResponseSchema.parse(
        (await post(sim.abisUrl, message('mosip.abis.delete', { referenceId: 'ref-4' }))).json,
      ).returnValue,
    ).toBe(1);
    const gone = await post(sim.abisUrl, message('mosip.abis.delete', { referenceId: 'ref-4' }));
    expect(abisResponseSchema.parse(gone.json)).toMatchObject({
      returnValue: 2,
      failureReason: ABIS_FAILURE_REASONS.REFERENCE_ID_NOT_FOUND,
    });
    expect(sim.stats().abis).toMatchObject({
      insert: 6,
      identify: 2,
      referenceCount: 1,
      pendingJobs: 1,
      ping: 1,
      delete: 2,
    });
  });

  it('answers malformed messages with the MOSIP failure reason that names the fault', async () => {
    const cases: Array<[unknown, number]> = [
      [
        { id: 'mosip.abis.fly', ver: '1.1', requestId: 'x', requesttime: new Date().toISOString() },
        ABIS_FAILURE_REASONS.INVALID_ID,
      ],
      [
        { id: 'mosip.abis.ping', ver: '1.1', requesttime: new Date().toISOString() },
        ABIS_FAILURE_REASONS.MISSING_REQUEST_ID,
      ],
      [{ id: 'mosip.abis.ping', ver: '1.1', requestId: 'x' }, ABIS_FAILURE_REASONS.MISSING_REQUEST_TIME],
      [
        { id: 'mosip.abis.ping', ver: '1.1', requestId: 'x', requesttime: 'yesterday' },
        ABIS_FAILURE_REASONS.INVALID_REQUEST_TIME_FORMAT,
      ],
      [
        {
          id: 'mosip.abis.insert',
          ver: '1.1',
          requestId: 'x',
          requesttime: new Date().toISOString(),
          referenceId: 'r',
        },
        ABIS_FAILURE_REASONS.MISSING_REFERENCE_URL,
      ],
    ];
    for (const [body, reason] of cases) {
      const r = await post(sim.abisUrl, body);
      expect(r.status).toBe(400);
      expect(abisResponseSchema.parse(r.json)).toMatchObject({ returnValue: 2, failureReason: reason });
    }
    const noSample = await post(sim.abisUrl, message('mosip.abis.identify'));
    expect(abisResponseSchema.parse(noSample.json)).toMatchObject({
      returnValue: 2,
      failureReason: ABIS_FAILURE_REASONS.MISSING_REFERENCE_ID,
    });
    const badVersion = await post(sim.abisUrl, { ...message('mosip.abis.ping'), ver: '9.9' });
    expect(abisResponseSchema.parse(badVersion.json)).toMatchObject({
      returnValue: 2,
      failureReason: ABIS_FAILURE_REASONS.INVALID_VERSION,
    });
    const notAnImage = await post(
      sim.abisUrl,
      message('mosip.abis.insert', { referenceId: 'junk', referenceURL: 'data:image/png;base64,aGVsbG8=' }),
    );
    expect(abisResponseSchema.parse(notAnImage.json)).toMatchObject({
      returnValue: 2,
      failureReason: ABIS_FAILURE_REASONS.INVALID_CBEFF_FORMAT,
    });
  });
});

describe('the simulated T5-LDS', () => {
  it('scores a live face live, a spoof as a spoof, and refuses an unreadable image clearly', async () => {
    const live = livenessResponseSchema.parse(
      (await post(`${sim.ldsUrl}/v1/liveness`, { image: face(1, 1) })).json,
    );
    expect(live).toMatchObject({ live: true, threshold: 0.5 });
    expect(live.livenessScore).toBeGreaterThan(0.8);
    expect(live.quality).toBeGreaterThan(0.2);
    for (const kind of ['screen', 'print'] as const) {
      const spoof = livenessResponseSchema.parse(
        (await post(`${sim.ldsUrl}/v1/liveness`, { image: face(1, 1, kind) })).json,
      );
      expect(spoof.live).toBe(false);
      expect(spoof.livenessScore).toBeLessThan(0.3);
    }
    const bad = await post(`${sim.ldsUrl}/v1/liveness`, {
      image: Buffer.from('not an image').toString('base64'),
    });
    expect(bad.status).toBe(422);
    expect(livenessErrorSchema.parse(bad.json).error.code).toBe('LDS.UNREADABLE_IMAGE');
    expect((await post(`${sim.ldsUrl}/v1/liveness`, { picture: 'x' })).status).toBe(400);
  });
});

describe('failure injection', () => {
  it('answers 503, holds requests, drops connections, per service and operation, and counts it all', async () => {
    const ping = () => post(sim.abisUrl, message('mosip.abis.ping'));
    sim.setFaults({ services: ['abis'], unavailable: true });
    expect((await ping()).status).toBe(503);
    expect((await post(`${sim.ldsUrl}/v1/liveness`, { image: face(1, 1) })).status).toBe(200);
    sim.setFaults({ services: ['abis'], unavailable: true, operations: ['insert'] });
    expect((await ping()).status).toBe(200);
    sim.setFaults({ dropRate: 1 });
    await expect(ping()).rejects.toThrow();
    sim.setFaults({ timeoutRate: 1 });
    await expect(
      fetch(sim.abisUrl, {
        method: 'POST',
        body: JSON.stringify(message('mosip.abis.ping')),
        signal: AbortSignal.timeout(300),
      }),
    ).rejects.toThrow();
    sim.setFaults({ latencyMs: 150 });
    const started = performance.now();
    expect((await ping()).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    sim.setFaults({});
    expect(sim.stats().faults).toEqual({ unavailable: 1, timeouts: 1, drops: 1 });
  });
});

describe('fixed-latency mode (--fixed-latency-ms)', () => {
  it('gives the same verdicts, reads each image once, and answers no sooner than the fixed time', async () => {
    const fixed = await startTech5Simulator({ fixedLatencyMs: 120 });
    try {
      const liveness = async (image: string) =>
        livenessResponseSchema.parse((await post(`${fixed.ldsUrl}/v1/liveness`, { image })).json);
      const started = performance.now();
      expect((await liveness(face(7, 1))).live).toBe(true);
      // The answer is held for the fixed time, whatever the work took.
      expect(performance.now() - started).toBeGreaterThanOrEqual(115);
      for (const kind of ['screen', 'print'] as const)
        expect((await liveness(face(7, 1, kind))).live).toBe(false);
      const insert = await post(
        fixed.abisUrl,
        message('mosip.abis.insert', { referenceId: 'fixed-7', referenceURL: face(7, 1) }),
      );
      expect(abisResponseSchema.parse(insert.json)).toMatchObject({ returnValue: 1 });
      await post(
        fixed.abisUrl,
        message('mosip.abis.insert', { referenceId: 'fixed-8', referenceURL: face(8, 1) }),
      );
      // Another capture of person 7 finds person 7 only, as in the normal mode.
      const found = abisIdentifyResponseSchema.parse(
        (await post(fixed.abisUrl, message('mosip.abis.identify', { referenceUrl: face(7, 2) }))).json,
      );
      expect(found.candidateList?.candidates?.map((c) => c.referenceId)).toEqual(['fixed-7']);
      expect((await liveness(face(7, 2))).live).toBe(true);
      // Seven calls on five distinct images (7/1, its screen and print spoofs, 8/1, 7/2): the
      // liveness and insert of 7/1, and the identify and liveness of 7/2, decoded each image once.
      expect(fixed.stats().fixedLatency).toEqual({ imagesRead: 5, memoHits: 2 });
      const bad = await post(`${fixed.ldsUrl}/v1/liveness`, {
        image: Buffer.from('not an image').toString('base64'),
      });
      expect(livenessErrorSchema.parse(bad.json).error.code).toBe('LDS.UNREADABLE_IMAGE');
    } finally {
      await fixed.close();
    }
  });

  it('refuses to add latency on top of a fixed latency', async () => {
    await expect(startTech5Simulator({ fixedLatencyMs: 40, latencyMs: 40 })).rejects.toThrow(/exclude/);
    const { main } = await import('./cli');
    expect(await main(['--latency-ms', '40', '--fixed-latency-ms', '40'])).toBe(2);
    expect(await main(['--fixed-latency-ms', 'soon'])).toBe(2);
  });
});
