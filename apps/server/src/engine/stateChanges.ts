import { EventEmitter } from 'node:events';

/**
 * `records_stored`: records are waiting in the outbox (a batch accepted, a job's page stored, a
 * dedupe file loaded), for the relay to publish now rather than at its next tick.
 * `state_changed`: anything else a live feed may show (a resolution, a cancel, a job's state).
 */
export type StateChange = 'records_stored' | 'state_changed';

/**
 * What changed, announced by whoever changed it once its transaction has committed. Services
 * announce; the relay and the live hub subscribe (the engine and LiveHub.start do), so a service
 * needs to know nothing of who listens, and the dashboard cannot go stale because one caller
 * forgot to wake one of them. Stored records are a state change too: both hear of them.
 */
export class StateChanges {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  announce(change: StateChange): void {
    if (change === 'records_stored') this.emitter.emit('records_stored');
    this.emitter.emit('state_changed');
  }

  /** Returns the function that stops listening. */
  on(change: StateChange, listener: () => void): () => void {
    this.emitter.on(change, listener);
    return () => this.emitter.off(change, listener);
  }
}
