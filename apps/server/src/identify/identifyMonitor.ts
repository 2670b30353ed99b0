import { EventEmitter } from 'node:events';

/** One `/identify` call as metrics and the live overview count it. */
export interface IdentifyOutcome {
  result: 'answered' | 'invalid' | 'failed';
  /** Contacts created (a new primary, or a secondary with new information). */
  created: number;
  /** Primaries demoted into an older family. */
  joined: number;
  ms: number;
}

/** Where the identify adapters report their calls; the metrics and the live hub listen. */
export class IdentifyMonitor {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  report(outcome: IdentifyOutcome): void {
    this.emitter.emit('outcome', outcome);
  }

  onOutcome(listener: (outcome: IdentifyOutcome) => void): () => void {
    this.emitter.on('outcome', listener);
    return () => this.emitter.off('outcome', listener);
  }
}
