/**
 * Presentation attacks: a live portrait shown to the camera again, as a phone screen (dark bezel,
 * moiré from the screen's pixel grid beating against the sensor's, a glare band, a cold cast) or
 * as a printed photo (paper edge, halftone dots, washed-out colour). These are the tell-tales the
 * liveness detector looks for; a person sees them at a glance too.
 */
import { between, pixelNoise, prng } from '../random';
import { createImage, sample, type RgbaImage } from './image';
import { clamp } from './renderFace';

export const SPOOF_KINDS = ['screen', 'print'] as const;
export type SpoofKind = (typeof SPOOF_KINDS)[number];

function roundedRect(
  x: number,
  y: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  r: number,
): boolean {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const dx = Math.max(x0 + r - x, 0, x - (x1 - r));
  const dy = Math.max(y0 + r - y, 0, y - (y1 - r));
  return dx * dx + dy * dy <= r * r;
}

export function renderSpoof(live: RgbaImage, kind: SpoofKind, seed: number): RgbaImage {
  const { width, height } = live;
  const out = createImage(width, height);
  const rnd = prng(seed ^ 0x51f00f);
  const margin = between(rnd, 0.07, 0.11) * width;
  const x0 = margin + between(rnd, -3, 3);
  const y0 = margin + between(rnd, -3, 3);
  const x1 = width - margin + between(rnd, -3, 3);
  const y1 = height - margin + between(rnd, -3, 3);
  const frame = kind === 'screen' ? 6 : 5;
  const angle = between(rnd, 0.2, 1.3);
  const period = between(rnd, 3.2, 4.4);
  const room: [number, number, number] = [
    between(rnd, 60, 160),
    between(rnd, 50, 150),
    between(rnd, 40, 140),
  ];
  const glareAt = between(rnd, 0.2, 0.8);
  const noise = pixelNoise(seed ^ 0x7a11);
  const rgb: [number, number, number] = [0, 0, 0];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      if (!roundedRect(x, y, x0, y0, x1, y1, kind === 'screen' ? 9 : 1)) {
        rgb[0] = room[0];
        rgb[1] = room[1] * (1 - (0.2 * y) / height);
        rgb[2] = room[2];
      } else if (x < x0 + frame || x > x1 - frame || y < y0 + frame || y > y1 - frame) {
        rgb[0] = kind === 'screen' ? 22 : 242;
        rgb[1] = kind === 'screen' ? 22 : 240;
        rgb[2] = kind === 'screen' ? 26 : 232;
      } else {
        // The portrait, shrunk into the screen or paper.
        const sx = ((x - x0 - frame) / (x1 - x0 - 2 * frame)) * (width - 1);
        const sy = ((y - y0 - frame) / (y1 - y0 - 2 * frame)) * (height - 1);
        rgb[0] = sample(live, sx, sy, 0);
        rgb[1] = sample(live, sx, sy, 1);
        rgb[2] = sample(live, sx, sy, 2);
        if (kind === 'screen') screenPixel(rgb, x, y, angle, period, glareAt, width, height);
        else printPixel(rgb, x, y);
      }
      out.data[o] = clamp(rgb[0] + noise() * 2.5);
      out.data[o + 1] = clamp(rgb[1] + noise() * 2.5);
      out.data[o + 2] = clamp(rgb[2] + noise() * 2.5);
      out.data[o + 3] = 255;
    }
  }
  return out;
}

function screenPixel(
  rgb: [number, number, number],
  x: number,
  y: number,
  angle: number,
  period: number,
  glareAt: number,
  width: number,
  height: number,
): void {
  const phase = (2 * Math.PI * (x * Math.cos(angle) + y * Math.sin(angle))) / period;
  const moire = 1 + 0.22 * Math.sin(phase);
  const diagonal = (x / width + y / height) / 2 - glareAt;
  const glare = 90 * Math.exp(-(diagonal * diagonal) / 0.004);
  rgb[0] = rgb[0] * 0.9 * moire + glare;
  rgb[1] = rgb[1] * 0.95 * moire + glare;
  rgb[2] = rgb[2] * moire + 18 + glare;
}

function printPixel(rgb: [number, number, number], x: number, y: number): void {
  const gray = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2];
  const dots = 0.8 + 0.2 * Math.cos((2 * Math.PI * x) / 3) * Math.cos((2 * Math.PI * y) / 3);
  rgb[0] = (40 + 0.8 * (gray + (rgb[0] - gray) * 0.5)) * dots + 8;
  rgb[1] = (40 + 0.8 * (gray + (rgb[1] - gray) * 0.5)) * dots + 4;
  rgb[2] = (40 + 0.8 * (gray + (rgb[2] - gray) * 0.5)) * dots - 6;
}
