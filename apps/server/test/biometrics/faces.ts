import { randomUUID } from 'node:crypto';
import type { CanonicalRecord, RawRecordMessage } from '@nexus/schema';
import { syntheticCapture, type FaceSubject, type SpoofKind } from '@nexus/tech5-sim';
import type { Tech5ClientOptions } from '@nexus/actors';
import { withFaces } from '../../src/generate/syntheticFaces';
import { generatePopulation } from '../../src/generate/syntheticPeople';

/**
 * Tech5 clients that give up fast on an outage (refused or unavailable), so outages in tests take
 * seconds, not minutes. The timeout stays long: on a loaded 2-core machine an in-process simulator
 * call can take seconds, and a timed-out call that is retried is counted twice by the simulator
 * (the suites count calls exactly, e.g. one liveness check per spoof).
 */
export const FAST_TECH5: Partial<Tech5ClientOptions> = {
  timeoutMs: 15_000,
  maxAttempts: 3,
  baseBackoffMs: 20,
  maxBackoffMs: 100,
  breakerFailures: 5,
  breakerOpenMs: 500,
};

export function faceDataUrl(
  subject: FaceSubject,
  captureSeed: number,
  spoof: SpoofKind | null = null,
): string {
  return `data:image/png;base64,${syntheticCapture({ subject, captureSeed, spoof }).png.toString('base64')}`;
}

export function message(record: Omit<CanonicalRecord, 'attributes'>, source = 'registry'): RawRecordMessage {
  return {
    recordId: randomUUID(),
    batchId: null,
    source,
    record: { ...record, attributes: {} },
    receivedAt: new Date().toISOString(),
  };
}

/** A generated population whose records carry their face as a data: URL, and the truth. */
export function facePopulation(options: {
  people: number;
  dupRate: number;
  spoofRate: number;
  seed: number;
  prefix?: string;
}) {
  const people = generatePopulation({
    people: options.people,
    dupRate: options.dupRate,
    seed: options.seed,
    prefix: options.prefix,
  });
  return withFaces(people, { seed: options.seed, spoofRate: options.spoofRate }).map((p) => ({
    ...p,
    record: { ...p.record, face_image: faceDataUrl(p.face.subject, p.face.captureSeed, p.face.spoof) },
  }));
}
