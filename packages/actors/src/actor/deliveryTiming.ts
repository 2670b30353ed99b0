/**
 * When a record's message reached the main thread and its worker task, as wall-clock
 * milliseconds since the epoch (comparable with the records table's timestamps), so the time
 * between the bus and the decision can be split into fetch, mailbox wait and task.
 */
export interface DeliveryTiming {
  /** The bus fetch that brought the message into the actor's mailbox returned. */
  fetchedAt: number;
  /** The task holding it was handed to the worker pool. */
  dispatchedAt: number;
  /** The worker's answer came back. */
  answeredAt: number;
}

/** Wall-clock now with sub-millisecond precision. */
export const wallClockMs = () => performance.timeOrigin + performance.now();
