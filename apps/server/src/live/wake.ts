/** Resolves after `ms`, at the next `wake()`, or when the signal aborts, whichever comes first. */
export class Waker {
  private pending: (() => void) | undefined;
  private woken = false;

  wake = (): void => {
    this.woken = true;
    this.pending?.();
  };

  wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
    if (this.woken || signal?.aborted) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.pending = undefined;
        this.woken = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
      this.pending = done;
    });
  }
}
