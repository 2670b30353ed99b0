/** Client of T5-LDS: is this face a live person in front of the camera? */
import { randomUUID } from 'node:crypto';
import { livenessResponseSchema, type LivenessResponse } from '@nexus/schema';
import { TransientTech5Error } from './errors';
import { ResilientCaller, type Tech5ClientOptions } from './resilientCaller';

export class LdsClient {
  readonly caller: ResilientCaller;

  constructor(
    private readonly baseUrl: string,
    options: Partial<Tech5ClientOptions> = {},
  ) {
    this.caller = new ResilientCaller('lds', options);
  }

  /**
   * Liveness of one image (base64 or a data: URL). An image the service cannot read is a
   * Tech5RequestError with serviceCode LDS.UNREADABLE_IMAGE; an outage is Tech5UnavailableError.
   */
  check(image: string, requestId: string = randomUUID()): Promise<LivenessResponse> {
    return this.caller.call(
      'liveness',
      `${this.baseUrl.replace(/\/+$/, '')}/v1/liveness`,
      () => ({ requestId, image }),
      ({ json }) => {
        const parsed = livenessResponseSchema.safeParse(json);
        if (!parsed.success)
          throw new TransientTech5Error(`lds answered an unexpected body: ${parsed.error.message}`);
        return parsed.data;
      },
    );
  }
}
