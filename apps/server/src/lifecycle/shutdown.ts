/**
 * One shutdown registry: servers, consumers, the actor pool, database and search clients all
 * close through it, last registered first, each once, even if an earlier step fails.
 */
export class ShutdownRegistry {
  private readonly steps: Array<{ name: string; close: () => Promise<void> | void }> = [];
  private running: Promise<string[]> | undefined;

  /** After shutdown has begun, a late registration (a start still under way) closes at once. */
  register(name: string, close: () => Promise<void> | void): void {
    if (this.running) {
      void this.running.then(async () => close());
      return;
    }
    this.steps.push({ name, close });
  }

  /** Resolves with the errors of the steps that failed (empty when all closed cleanly). */
  shutdown(): Promise<string[]> {
    this.running ??= (async () => {
      const errors: string[] = [];
      for (const step of [...this.steps].reverse()) {
        try {
          await step.close();
        } catch (error) {
          errors.push(`${step.name}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      return errors;
    })();
    return this.running;
  }
}
