import { required } from '@nexus/schema';
/**
 * Faces for a synthetic population: each person gets a face subject (a few are look-alike
 * relatives of another person: the biometric engine's hard cases), each record a capture of its
 * person (pose, light, expression, noise differ), and some records a presentation attack instead
 * of a live capture. A separate random stream from the demographics, so a seed's people stay the
 * same with or without faces.
 */
import type { FaceSubject, SpoofKind } from '@nexus/tech5-sim';
import { SPOOF_KINDS } from '@nexus/tech5-sim';
import { prng, type GeneratedRecord } from './syntheticPeople';

export interface FaceSpec {
  subject: FaceSubject;
  captureSeed: number;
  spoof: SpoofKind | null;
}

export type GeneratedRecordWithFace = GeneratedRecord & { face: FaceSpec };

export interface FaceOptions {
  seed?: number;
  /** Share of records whose face is a spoof (a screen or a print shown to the camera). */
  spoofRate?: number;
  /** Share of people who are look-alike relatives of someone else in the population. */
  relativeRate?: number;
}

export function withFaces(
  population: readonly GeneratedRecord[],
  options: FaceOptions = {},
): GeneratedRecordWithFace[] {
  const rnd = prng(((options.seed ?? 42) ^ 0x5eedface) >>> 0);
  const spoofRate = options.spoofRate ?? 0;
  const relativeRate = options.relativeRate ?? 0.005;
  const subjects = new Map<string, FaceSubject>();
  const families: FaceSubject[] = [];
  const subjectOf = (personId: string): FaceSubject => {
    let subject = subjects.get(personId);
    if (subject) return subject;
    const relativeOf =
      families.length > 0 && rnd() < relativeRate ? families[Math.floor(rnd() * families.length)] : undefined;
    subject = relativeOf
      ? { family: relativeOf.family, member: 1 + Math.floor(rnd() * 255) }
      : { family: Math.floor(rnd() * 0x100000000) >>> 0, member: 0 };
    if (!relativeOf) families.push(subject);
    subjects.set(personId, subject);
    return subject;
  };
  const spoofKind = (u: number) => {
    const i = Math.floor(u * SPOOF_KINDS.length);
    return required(SPOOF_KINDS[i], `syntheticFaces: spoof kind ${i} of ${SPOOF_KINDS.length}`);
  };
  return population.map((r) => ({
    ...r,
    face: {
      subject: subjectOf(r.personId),
      captureSeed: Math.floor(rnd() * 0x100000000) >>> 0,
      spoof: rnd() < spoofRate ? spoofKind(rnd()) : null,
    },
  }));
}
