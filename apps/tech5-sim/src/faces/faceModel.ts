/**
 * What a synthetic face is made of. A subject (who) fixes the face's shape and colours; a capture
 * (when and how the photo was taken) fixes pose, light, expression, noise and blur. Members of one
 * family (twins, siblings) share most of the shape: they are the look-alikes that make a biometric
 * engine's false matches.
 */
import { between, gaussian, mixSeed, pick, prng } from '../random';

export interface FaceSubject {
  /** Seed of the family's shared looks; most people are alone in theirs. */
  family: number;
  /** 0 for the family's first member; 1..255 for relatives who look alike. */
  member: number;
}

export type Rgb = readonly [number, number, number];

export interface FaceShape {
  skin: Rgb;
  faceWidth: number;
  faceHeight: number;
  chin: number;
  hairStyle: 'short' | 'long' | 'bald' | 'curly' | 'bun';
  hair: Rgb;
  eyeSpacing: number;
  eyeSize: number;
  eyeHeight: number;
  iris: Rgb;
  browThickness: number;
  browTilt: number;
  noseLength: number;
  noseWidth: number;
  mouthWidth: number;
  lipThickness: number;
  lips: Rgb;
  earSize: number;
  beard: boolean;
  glasses: boolean;
}

export interface CaptureConditions {
  /** Seed of the capture's noise; also decides the template's capture noise in the simulator. */
  seed: number;
  dx: number;
  dy: number;
  scale: number;
  /** Head roll, radians. */
  roll: number;
  brightness: number;
  /** Side light: -1 (from the left) .. 1 (from the right). */
  sideLight: number;
  tint: Rgb;
  background: Rgb;
  clothes: Rgb;
  smile: number;
  eyeOpen: number;
  noise: number;
  blur: 0 | 1 | 2;
  /** Probability that one bit of the face template differs from the person's own (capture noise). */
  templateNoise: number;
}

const SKIN: Rgb[] = [
  [255, 224, 196],
  [241, 194, 160],
  [224, 172, 130],
  [198, 134, 96],
  [161, 102, 68],
  [121, 76, 48],
  [88, 56, 38],
];
const HAIR: Rgb[] = [
  [20, 16, 14],
  [60, 40, 28],
  [110, 74, 40],
  [170, 120, 60],
  [210, 180, 110],
  [150, 60, 30],
  [140, 140, 140],
];
const IRIS: Rgb[] = [
  [60, 40, 25],
  [90, 60, 30],
  [60, 100, 140],
  [70, 110, 70],
  [40, 30, 20],
];
const LIPS: Rgb[] = [
  [190, 100, 100],
  [170, 80, 80],
  [150, 70, 70],
  [120, 60, 55],
];
const STYLES = ['short', 'long', 'bald', 'curly', 'bun'] as const;

/** Looks of a family, then each relative's own small differences. */
export function faceShape(subject: FaceSubject): FaceShape {
  const r = prng(mixSeed(subject.family, 0xface));
  const shape: FaceShape = {
    skin: pick(r, SKIN),
    faceWidth: between(r, 0.4, 0.5),
    faceHeight: between(r, 0.5, 0.6),
    chin: between(r, 0.0, 1.0),
    hairStyle: pick(r, STYLES),
    hair: pick(r, HAIR),
    eyeSpacing: between(r, 0.3, 0.44),
    eyeSize: between(r, 0.07, 0.1),
    eyeHeight: between(r, -0.1, -0.03),
    iris: pick(r, IRIS),
    browThickness: between(r, 0.015, 0.035),
    browTilt: between(r, -0.25, 0.25),
    noseLength: between(r, 0.11, 0.17),
    noseWidth: between(r, 0.08, 0.15),
    mouthWidth: between(r, 0.28, 0.48),
    lipThickness: between(r, 0.022, 0.045),
    lips: pick(r, LIPS),
    earSize: between(r, 0.1, 0.15),
    beard: r() < 0.15,
    glasses: r() < 0.15,
  };
  if (subject.member === 0) return shape;
  // A relative: the same palette and style, features moved a little.
  const m = prng(mixSeed(subject.family, subject.member, 0x5151));
  const nudge = (v: number, spread: number) => v + gaussian(m) * spread;
  return {
    ...shape,
    faceWidth: nudge(shape.faceWidth, 0.012),
    faceHeight: nudge(shape.faceHeight, 0.012),
    chin: Math.min(1, Math.max(0, nudge(shape.chin, 0.2))),
    eyeSpacing: nudge(shape.eyeSpacing, 0.015),
    eyeSize: nudge(shape.eyeSize, 0.006),
    noseLength: nudge(shape.noseLength, 0.015),
    mouthWidth: nudge(shape.mouthWidth, 0.03),
    beard: m() < 0.5 ? shape.beard : !shape.beard,
  };
}

/**
 * One capture's conditions. Most captures are good; some are poor (dim, blurred, turned), and
 * a few are bad enough that the person's two photos hardly look alike: the realistic overlap.
 */
export function captureConditions(seed: number): CaptureConditions {
  const r = prng(mixSeed(seed, 0xca97));
  const poor = r() < 0.12;
  const bad = r() < 0.02;
  const roll = gaussian(r) * (bad ? 0.16 : poor ? 0.1 : 0.05);
  const brightness = bad ? between(r, 0.55, 0.7) : poor ? between(r, 0.7, 0.85) : between(r, 0.88, 1.1);
  const noise = bad ? between(r, 10, 16) : poor ? between(r, 6, 10) : between(r, 2, 5);
  const blur: 0 | 1 | 2 = bad ? 2 : poor ? 1 : 0;
  const templateNoise = Math.min(
    0.42,
    0.035 + 0.2 * Math.abs(roll) + 0.008 * noise + 0.04 * blur + 0.15 * Math.abs(1 - brightness) + r() * 0.03,
  );
  const background = (): Rgb => {
    const g = between(r, 150, 235);
    return [g + between(r, -25, 25), g + between(r, -25, 25), g + between(r, -25, 25)];
  };
  return {
    seed,
    dx: gaussian(r) * 0.025,
    dy: gaussian(r) * 0.025,
    scale: between(r, 0.94, 1.06),
    roll,
    brightness,
    sideLight: between(r, -0.35, 0.35),
    tint: [between(r, -12, 12), between(r, -8, 8), between(r, -12, 12)],
    background: background(),
    clothes: [between(r, 20, 230), between(r, 20, 230), between(r, 20, 230)],
    smile: between(r, -0.2, 1),
    eyeOpen: between(r, 0.6, 1),
    noise,
    blur,
    templateNoise,
  };
}
