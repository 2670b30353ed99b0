/**
 * One synthetic face capture as a PNG: the subject drawn under one capture's conditions, shown
 * again as a spoof when asked, and marked so that the simulator can recognise it.
 */
import { captureConditions, faceShape, type FaceSubject } from './faceModel';
import { encodePng } from './png';
import { renderFace } from './renderFace';
import { renderSpoof, type SpoofKind } from './renderSpoof';
import { embedMark, type CaptureMark } from './watermark';

export interface SyntheticCaptureOptions {
  subject: FaceSubject;
  captureSeed: number;
  spoof?: SpoofKind | null;
}

export function syntheticCapture(options: SyntheticCaptureOptions): { png: Buffer; mark: CaptureMark } {
  const capture = captureConditions(options.captureSeed);
  const live = renderFace(faceShape(options.subject), capture);
  const spoof = options.spoof ?? null;
  const image = spoof ? renderSpoof(live, spoof, options.captureSeed) : live;
  const mark: CaptureMark = {
    subject: options.subject,
    captureSeed: options.captureSeed,
    templateNoise: capture.templateNoise,
    spoof,
  };
  embedMark(image, mark);
  return { png: encodePng(image), mark };
}
