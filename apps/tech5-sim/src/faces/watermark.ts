/**
 * A synthetic capture carries who it shows and how it was taken, hidden in the least significant
 * bit of the blue channel of 680 scattered pixels (17 bytes, each bit 5 times, majority vote, CRC).
 * This is how the simulator "recognises" a generated face: it reads the subject back, and derives
 * the template from it plus the capture's noise. PNG is lossless, so the mark survives any copy;
 * re-encoding as JPEG or resizing would erase it, and the face then counts as an unknown image.
 */
import { numberAt } from '../numberAt';
import { prng } from '../random';
import type { FaceSubject } from './faceModel';
import type { RgbaImage } from './image';
import type { SpoofKind } from './renderSpoof';
import { SPOOF_KINDS } from './renderSpoof';

export interface CaptureMark {
  subject: FaceSubject;
  captureSeed: number;
  /** Bit-flip probability of the capture's template (see faceModel.captureConditions). */
  templateNoise: number;
  spoof: SpoofKind | null;
}

const MAGIC = [0x4e, 0x58, 0x46, 0x31]; // "NXF1"
const BYTES = 17;
const BITS = BYTES * 8;
const COPIES = 5;

/** Pixel positions of the mark's bits, fixed for an image size. */
const positionsBySize = new Map<number, Uint32Array>();
function positions(pixels: number): Uint32Array {
  let p = positionsBySize.get(pixels);
  if (p) return p;
  if (pixels < BITS * COPIES * 2) throw new Error(`image too small for a capture mark (${pixels} pixels)`);
  const rnd = prng(0x7ec5);
  const chosen = new Set<number>();
  p = new Uint32Array(BITS * COPIES);
  for (let i = 0; i < p.length;) {
    const at = Math.floor(rnd() * pixels);
    if (chosen.has(at)) continue;
    chosen.add(at);
    p[i++] = at;
  }
  positionsBySize.set(pixels, p);
  return p;
}

function crc16(bytes: Uint8Array, length: number): number {
  let crc = 0xffff;
  for (let i = 0; i < length; i++) {
    crc ^= numberAt(bytes, i, 'capture mark') << 8;
    for (let b = 0; b < 8; b++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

function encode(mark: CaptureMark): Uint8Array {
  const bytes = new Uint8Array(BYTES);
  const view = new DataView(bytes.buffer);
  bytes.set(MAGIC, 0);
  view.setUint32(4, mark.subject.family >>> 0);
  bytes[8] = mark.subject.member & 0xff;
  view.setUint32(9, mark.captureSeed >>> 0);
  bytes[13] = Math.round(Math.min(1, Math.max(0, mark.templateNoise)) * 255);
  bytes[14] = mark.spoof === null ? 0 : 1 | ((SPOOF_KINDS.indexOf(mark.spoof) + 1) << 1);
  view.setUint16(15, crc16(bytes, 15));
  return bytes;
}

/** Writes the mark into the image, in place. */
export function embedMark(image: RgbaImage, mark: CaptureMark): void {
  const bytes = encode(mark);
  const at = positions(image.width * image.height);
  for (let copy = 0; copy < COPIES; copy++) {
    for (let bit = 0; bit < BITS; bit++) {
      const value = (numberAt(bytes, bit >> 3, 'capture mark') >> (7 - (bit & 7))) & 1;
      const o = numberAt(at, copy * BITS + bit, 'mark positions') * 4 + 2;
      image.data[o] = (numberAt(image.data, o, 'image') & 0xfe) | value;
    }
  }
}

/** The mark of a synthetic capture, or null for any other image. */
export function readMark(image: RgbaImage): CaptureMark | null {
  const pixels = image.width * image.height;
  if (pixels < BITS * COPIES * 2) return null;
  const at = positions(pixels);
  const bytes = new Uint8Array(BYTES);
  for (let bit = 0; bit < BITS; bit++) {
    let ones = 0;
    for (let copy = 0; copy < COPIES; copy++) {
      const o = numberAt(at, copy * BITS + bit, 'mark positions') * 4 + 2;
      ones += numberAt(image.data, o, 'image') & 1;
    }
    if (ones * 2 > COPIES)
      bytes[bit >> 3] = numberAt(bytes, bit >> 3, 'capture mark') | (1 << (7 - (bit & 7)));
  }
  if (MAGIC.some((m, i) => bytes[i] !== m)) return null;
  const view = new DataView(bytes.buffer);
  if (view.getUint16(15) !== crc16(bytes, 15)) return null;
  const flags = view.getUint8(14);
  return {
    subject: { family: view.getUint32(4), member: view.getUint8(8) },
    captureSeed: view.getUint32(9),
    templateNoise: view.getUint8(13) / 255,
    spoof: flags & 1 ? (SPOOF_KINDS[(flags >> 1) - 1] ?? 'screen') : null,
  };
}
