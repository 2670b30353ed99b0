import { numberAt } from '../numberAt';

/** An 8-bit RGBA image, row by row: what the renderer draws and the detectors read. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array;
}

export function createImage(width: number, height: number): RgbaImage {
  return { width, height, data: new Uint8Array(width * height * 4) };
}

/** Luma (BT.601) of every pixel, as floats 0..255. */
export function grayscale(image: RgbaImage): Float32Array {
  const { width, height, data } = image;
  const out = new Float32Array(width * height);
  for (let i = 0, p = 0; i < out.length; i++, p += 4) {
    out[i] =
      0.299 * numberAt(data, p, 'image') +
      0.587 * numberAt(data, p + 1, 'image') +
      0.114 * numberAt(data, p + 2, 'image');
  }
  return out;
}

/** Bilinear sample of one channel at a fractional position, clamped to the edges. */
export function sample(image: RgbaImage, x: number, y: number, channel: number): number {
  // No inner helper: the TypeScript loader names every closure, which costs a call per pixel.
  const { width, height, data } = image;
  const cx = Math.min(width - 1, Math.max(0, x));
  const cy = Math.min(height - 1, Math.max(0, y));
  const x0 = Math.floor(cx);
  const y0 = Math.floor(cy);
  const x1 = Math.min(width - 1, x0 + 1);
  const y1 = Math.min(height - 1, y0 + 1);
  const fx = cx - x0;
  const fy = cy - y0;
  const top =
    numberAt(data, (y0 * width + x0) * 4 + channel, 'image') * (1 - fx) +
    numberAt(data, (y0 * width + x1) * 4 + channel, 'image') * fx;
  const bottom =
    numberAt(data, (y1 * width + x0) * 4 + channel, 'image') * (1 - fx) +
    numberAt(data, (y1 * width + x1) * 4 + channel, 'image') * fx;
  return top * (1 - fy) + bottom * fy;
}

/** Box blur of the colour channels, radius r, in place (r = 0 leaves the image as it is). */
export function boxBlur(image: RgbaImage, r: number): void {
  if (r <= 0) return;
  const { width, height, data } = image;
  const src = Uint8Array.from(data);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        let n = 0;
        for (let yy = Math.max(0, y - r); yy <= Math.min(height - 1, y + r); yy++) {
          for (let xx = Math.max(0, x - r); xx <= Math.min(width - 1, x + r); xx++) {
            sum += numberAt(src, (yy * width + xx) * 4 + c, 'image');
            n++;
          }
        }
        data[(y * width + x) * 4 + c] = Math.round(sum / n);
      }
    }
  }
}
