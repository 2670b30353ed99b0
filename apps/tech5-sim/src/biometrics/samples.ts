/**
 * Biometric samples as the ABIS receives them: by URL, as in MOSIP (a `data:` URL carries the
 * image itself; an http(s) URL is fetched). A sample becomes a template: from its capture mark
 * when it is a synthetic capture, from its pixels otherwise.
 */
import { ABIS_FAILURE_REASONS, type AbisFailureReason } from '@nexus/schema';
import { decodeImage, UnreadableImageError } from '../faces/png';
import { readMark } from '../faces/watermark';
import { captureTemplate, pixelTemplate } from './templates';

export class SampleError extends Error {
  constructor(
    readonly failureReason: AbisFailureReason,
    message: string,
  ) {
    super(message);
  }
}

const MAX_SAMPLE_BYTES = 16 * 1024 * 1024;

export function decodeDataUrl(url: string): Uint8Array {
  const comma = url.indexOf(',');
  if (!url.startsWith('data:') || comma < 0)
    throw new SampleError(ABIS_FAILURE_REASONS.UNABLE_TO_FETCH_BIOMETRIC_DETAILS, 'not a data: URL');
  const meta = url.slice(5, comma);
  const payload = url.slice(comma + 1);
  return meta.endsWith(';base64')
    ? Buffer.from(payload, 'base64')
    : Buffer.from(decodeURIComponent(payload), 'latin1');
}

export async function fetchSample(url: string, timeoutMs = 5000): Promise<Uint8Array> {
  if (url.startsWith('data:')) return decodeDataUrl(url);
  if (!/^https?:\/\//i.test(url)) {
    throw new SampleError(
      ABIS_FAILURE_REASONS.UNABLE_TO_FETCH_BIOMETRIC_DETAILS,
      'the sample URL must be a data: or http(s) URL',
    );
  }
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.length > MAX_SAMPLE_BYTES) throw new Error('the sample is too large');
    return bytes;
  } catch (error) {
    throw new SampleError(
      ABIS_FAILURE_REASONS.UNABLE_TO_FETCH_BIOMETRIC_DETAILS,
      `cannot fetch the sample: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

export interface SampleTemplate {
  template: Uint32Array;
  /** The capture mark says this was a presentation attack (only the simulator's counters use it). */
  spoof: boolean;
  synthetic: boolean;
}

export function templateOf(bytes: Uint8Array): SampleTemplate {
  if (bytes.length === 0)
    throw new SampleError(ABIS_FAILURE_REASONS.CBEFF_HAS_NO_DATA, 'the sample is empty');
  try {
    const image = decodeImage(bytes);
    const mark = readMark(image);
    if (mark) return { template: captureTemplate(mark), spoof: mark.spoof !== null, synthetic: true };
    return { template: pixelTemplate(image), spoof: false, synthetic: false };
  } catch (error) {
    if (error instanceof UnreadableImageError)
      throw new SampleError(ABIS_FAILURE_REASONS.INVALID_CBEFF_FORMAT, error.message);
    throw error;
  }
}
