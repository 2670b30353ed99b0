import {
  AbisClient,
  type ActorSupervisor,
  type Db,
  sweepFacesAhead,
  type Tech5ClientOptions,
} from '@nexus/actors';

export interface FaceSweep {
  /** Sweeps now, or right after the sweep under way; resolves when that sweep ends. */
  kick(): Promise<void>;
  /** Why the last sweep failed, until one succeeds. */
  lastError(): string | undefined;
  stop(): Promise<void>;
}

/** Often enough that a face left by a failed batch is out within minutes; cheap when there is none. */
export const FACE_SWEEP_INTERVAL_MS = 60_000;

/**
 * The main thread's sweep of faces a micro-batch inserted into ABIS ahead of its decision and
 * left there (ADR 0055, "Faces left in ABIS"): once at start (a crash may have left some), after
 * each dead letter (its record may have left one), and every interval (a clean-up that failed in
 * an outage). A failed sweep changes nothing and is tried again at the next one.
 */
export function startFaceSweep(
  db: Db,
  abisUrl: string,
  supervisor: ActorSupervisor,
  options: { client?: Partial<Tech5ClientOptions>; intervalMs?: number } = {},
): FaceSweep {
  const abis = new AbisClient(abisUrl, options.client);
  let running: Promise<void> = Promise.resolve();
  let queued: Promise<void> | undefined;
  let error: string | undefined;
  const sweep = async () => {
    try {
      await sweepFacesAhead(db, async (id) => {
        await abis.delete(id);
      });
      error = undefined;
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
  };
  // At most one sweep runs and one waits: kicks while one waits join it.
  const kick = () => {
    queued ??= running.then(() => {
      queued = undefined;
      running = sweep();
      return running;
    });
    return queued;
  };
  const onDeadLetter = () => void kick();
  supervisor.on('deadLetter', onDeadLetter);
  const timer = setInterval(() => void kick(), options.intervalMs ?? FACE_SWEEP_INTERVAL_MS);
  timer.unref();
  void kick();
  return {
    kick,
    lastError: () => error,
    // The sweep under way, and one kicked before, end first.
    stop: async () => {
      clearInterval(timer);
      supervisor.off('deadLetter', onDeadLetter);
      await (queued ?? running);
    },
  };
}
