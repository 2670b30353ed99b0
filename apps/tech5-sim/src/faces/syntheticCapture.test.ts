import { describe, expect, it } from 'vitest';
import { captureTemplate, hammingDistance } from '../biometrics/templates';
import { scaledScore } from '../biometrics/scores';
import { templateOf } from '../biometrics/samples';
import { assessLiveness } from '../liveness/livenessDetector';
import { decodeImage, UnreadableImageError } from './png';
import { SPOOF_KINDS } from './renderSpoof';
import { syntheticCapture } from './syntheticCapture';
import { readMark } from './watermark';

const PEOPLE = 40;
const capture = (person: number, take: number, spoof: (typeof SPOOF_KINDS)[number] | null = null) =>
  syntheticCapture({
    subject: { family: 1000 + person * 7919, member: 0 },
    captureSeed: person * 100 + take,
    spoof,
  });

describe('synthetic captures', () => {
  it('carry their subject and capture in the pixels, and decode as real PNGs', () => {
    const { png, mark } = capture(3, 1, 'print');
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    const image = decodeImage(png);
    expect([image.width, image.height]).toEqual([128, 160]);
    expect(readMark(image)).toEqual({ ...mark, templateNoise: Math.round(mark.templateNoise * 255) / 255 });
  });

  it('score the same person high and different people low, with little overlap', () => {
    const first = Array.from({ length: PEOPLE }, (_, p) => templateOf(capture(p, 1).png).template);
    const second = Array.from({ length: PEOPLE }, (_, p) => templateOf(capture(p, 2).png).template);
    const genuine = first.map((a, p) => scaledScore(hammingDistance(a, second[p]!)));
    const impostor = first.flatMap((a, p) =>
      second.filter((_, q) => q !== p).map((b) => scaledScore(hammingDistance(a, b))),
    );
    const median = (v: number[]) => [...v].sort((x, y) => x - y)[Math.floor(v.length / 2)]!;
    expect(median(genuine)).toBeGreaterThan(60);
    expect(median(impostor)).toBeLessThan(10);
    // Ranking: a person's second capture is their best match among everyone's second captures.
    let top1 = 0;
    first.forEach((a, p) => {
      const best = second
        .map((b, q) => [q, hammingDistance(a, b)] as const)
        .sort((x, y) => x[1] - y[1])[0]![0];
      if (best === p) top1++;
    });
    expect(top1 / PEOPLE).toBeGreaterThanOrEqual(0.95);
    // Separation: the share of impostor pairs above the 5th percentile genuine score is tiny.
    const p5 = [...genuine].sort((x, y) => x - y)[Math.floor(PEOPLE * 0.05)]!;
    expect(impostor.filter((s) => s >= p5).length / impostor.length).toBeLessThan(0.005);
  });

  it('are live when live and spoofs when shown on a screen or a print', () => {
    for (let p = 0; p < 12; p++) {
      expect(assessLiveness(decodeImage(capture(p, 1).png)).live).toBe(true);
      for (const kind of SPOOF_KINDS)
        expect(assessLiveness(decodeImage(capture(p, 1, kind).png)).live).toBe(false);
    }
  });

  it('refuse what is not a PNG', () => {
    expect(() => decodeImage(Buffer.from('hello'))).toThrow(UnreadableImageError);
    expect(() => decodeImage(Buffer.alloc(0))).toThrow(UnreadableImageError);
  });

  it('relatives look alike to the engine: between strangers and the person', () => {
    const mark = (member: number, captureSeed: number) => ({
      subject: { family: 77, member },
      captureSeed,
      templateNoise: 0.05,
      spoof: null,
    });
    const self = hammingDistance(captureTemplate(mark(0, 1)), captureTemplate(mark(0, 2)));
    const relative = hammingDistance(captureTemplate(mark(0, 1)), captureTemplate(mark(3, 2)));
    expect(self).toBeLessThan(relative);
    expect(relative).toBeLessThan(220);
  });
});
