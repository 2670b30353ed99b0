/**
 * Draws a face procedurally: a head-and-shoulders portrait, every shape an ellipse or a curve in
 * face coordinates (units of the image width, origin at the image centre), seen through the
 * capture's pose, light and sensor. Deterministic: the same subject and capture give the same
 * pixels.
 */
import { pixelNoise } from '../random';
import type { CaptureConditions, FaceShape, Rgb } from './faceModel';
import { boxBlur, createImage, type RgbaImage } from './image';

export const FACE_WIDTH = 128;
export const FACE_HEIGHT = 160;

type Paint = [number, number, number] | null;

const inEllipse = (u: number, v: number, cx: number, cy: number, rx: number, ry: number) => {
  const a = (u - cx) / rx;
  const b = (v - cy) / ry;
  return a * a + b * b;
};

const scaleRgb = (c: Rgb, k: number): [number, number, number] => [c[0] * k, c[1] * k, c[2] * k];

/** The colour of the face at (u, v) in face coordinates; null where the background shows. */
function paintAt(f: FaceShape, c: CaptureConditions, u: number, v: number): Paint {
  const cy = -0.1;
  const rx = f.faceWidth / 2;
  const ry = f.faceHeight / 2;
  const ey = cy + f.eyeHeight;
  const ex = f.eyeSpacing * f.faceWidth * 0.62;
  const noseBottom = ey + f.noseLength;
  const chinY = cy + ry;
  const mouthY = noseBottom + (chinY - noseBottom) * 0.42;
  const light = 1 + c.sideLight * 0.35 * (u / rx);

  // Face: an ellipse whose lower half narrows towards the chin.
  const below = Math.max(0, (v - cy) / ry);
  const faceRx = rx * (1 - 0.28 * f.chin * below * below);
  const face = inEllipse(u, v, 0, cy, faceRx, ry);
  const inHairCap = inEllipse(u, v, 0, cy - ry * 0.32, rx * 1.1, ry * 0.78) < 1 && v < cy - ry * 0.42;

  // Front hair and hair ornaments first (they cover the face).
  if (f.hairStyle !== 'bald' && inHairCap && face < 1.25) return hairPaint(f, u, v);
  if (f.hairStyle === 'bun' && inEllipse(u, v, 0, cy - ry * 1.12, 0.07, 0.06) < 1) return hairPaint(f, u, v);

  if (face < 1) {
    const shade = light * (1 - 0.12 * face);
    // Eyes.
    for (const side of [-1, 1]) {
      const x0 = side * ex;
      const white = inEllipse(u, v, x0, ey, f.eyeSize * 0.62, f.eyeSize * 0.34 * c.eyeOpen + 0.004);
      if (f.glasses) {
        const ring = inEllipse(u, v, x0, ey, f.eyeSize * 1.05, f.eyeSize * 0.78);
        if (ring > 0.78 && ring < 1) return [30, 30, 35];
      }
      if (white < 1) {
        const iris = inEllipse(u, v, x0, ey, f.eyeSize * 0.26, f.eyeSize * 0.26);
        if (iris < 0.3) return [15, 12, 12];
        if (iris < 1) return scaleRgb(f.iris, shade);
        return scaleRgb([245, 243, 238], shade);
      }
      const browY = ey - f.eyeSize * 0.62 + f.browTilt * (u - x0) * side * 0.5;
      if (Math.abs(u - x0) < f.eyeSize * 0.8 && Math.abs(v - browY) < f.browThickness / 2) {
        return scaleRgb(f.hair, 0.85 * shade);
      }
    }
    if (f.glasses && Math.abs(v - ey) < 0.006 && Math.abs(u) < ex - f.eyeSize * 1.0) return [30, 30, 35];
    // Nose: a shaded ridge and two nostrils.
    if (v > ey + 0.01 && v < noseBottom) {
      const t = (v - ey) / f.noseLength;
      const ridge = u - f.noseWidth * 0.18 * t;
      if (Math.abs(ridge) < f.noseWidth * 0.09 * t) return scaleRgb(f.skin, shade * 0.82);
    }
    for (const side of [-1, 1]) {
      if (inEllipse(u, v, side * f.noseWidth * 0.28, noseBottom, 0.014, 0.009) < 1) {
        return scaleRgb(f.skin, shade * 0.5);
      }
    }
    // Mouth: lips along a curve that smiles with the capture's expression.
    const half = (f.mouthWidth * f.faceWidth) / 2;
    if (Math.abs(u) < half) {
      const k = u / half;
      const curve = mouthY + c.smile * 0.02 * (1 - k * k);
      const thickness = f.lipThickness * Math.sqrt(1 - k * k);
      if (Math.abs(v - curve) < 0.0035 + 0.004 * c.smile * (1 - k * k)) return [70, 30, 30];
      if (Math.abs(v - curve) < thickness) return scaleRgb(f.lips, shade);
    }
    if (f.beard && v > mouthY - 0.035 && face > 0.35) return hairPaint(f, u, v);
    return scaleRgb(f.skin, shade);
  }

  // Ears, hair behind the head, neck, shoulders.
  for (const side of [-1, 1]) {
    if (inEllipse(u, v, side * (rx + 0.004), ey + 0.03, f.earSize * 0.33, f.earSize * 0.6) < 1) {
      return scaleRgb(f.skin, light * 0.9);
    }
  }
  if (f.hairStyle === 'long' && inEllipse(u, v, 0, cy + 0.05, rx * 1.32, ry * 1.4) < 1 && v < 0.32) {
    return hairPaint(f, u, v);
  }
  if (f.hairStyle === 'curly' && inEllipse(u, v, 0, cy - 0.06, rx * 1.5, ry * 1.2) < 1)
    return hairPaint(f, u, v);
  if (f.hairStyle !== 'bald' && inHairCap && face < 1.3) return hairPaint(f, u, v);
  if (Math.abs(u) < rx * 0.45 && v > cy && v < chinY + 0.12) return scaleRgb(f.skin, light * 0.8);
  if (inEllipse(u, v, 0, 0.62, 0.5, 0.26) < 1) return scaleRgb(c.clothes, light);
  return null;
}

function hairPaint(f: FaceShape, u: number, v: number): [number, number, number] {
  const strands = 0.88 + 0.12 * Math.sin(u * 180 + Math.sin(v * 90) * 2);
  return scaleRgb(f.hair, f.hairStyle === 'curly' ? strands * (0.9 + 0.1 * Math.sin(v * 160)) : strands);
}

/** The portrait of a subject in one capture: pose, light, tint, sensor noise and blur applied. */
export function renderFace(shape: FaceShape, capture: CaptureConditions): RgbaImage {
  const image = createImage(FACE_WIDTH, FACE_HEIGHT);
  const { data } = image;
  const noise = pixelNoise(capture.seed ^ 0x9e3779b9);
  const cos = Math.cos(capture.roll);
  const sin = Math.sin(capture.roll);
  const bg = capture.background;
  for (let py = 0; py < FACE_HEIGHT; py++) {
    for (let px = 0; px < FACE_WIDTH; px++) {
      // Image -> face coordinates: undo the shift, the roll and the zoom.
      const x = (px + 0.5) / FACE_WIDTH - 0.5 - capture.dx;
      const y = (py + 0.5 - FACE_HEIGHT / 2) / FACE_WIDTH - capture.dy;
      const u = (x * cos + y * sin) / capture.scale;
      const v = (-x * sin + y * cos) / capture.scale;
      const paint = paintAt(shape, capture, u, v);
      const vignette = 1 - 0.25 * ((px / FACE_WIDTH - 0.5) ** 2 + (py / FACE_HEIGHT - 0.5) ** 2);
      const rgb = paint ?? [
        bg[0] * vignette,
        bg[1] * vignette,
        bg[2] * vignette * (1 - 0.1 * (py / FACE_HEIGHT)),
      ];
      const o = (py * FACE_WIDTH + px) * 4;
      const { brightness, tint } = capture;
      data[o] = clamp(rgb[0] * brightness + tint[0] + noise() * capture.noise);
      data[o + 1] = clamp(rgb[1] * brightness + tint[1] + noise() * capture.noise);
      data[o + 2] = clamp(rgb[2] * brightness + tint[2] + noise() * capture.noise);
      data[o + 3] = 255;
    }
  }
  boxBlur(image, capture.blur);
  return image;
}

export function clamp(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
}
