/** Where a one-shot command's time went, phase by phase (`nexus dedupe` prints it on stderr). */
export class PhaseClock {
  private readonly phases: Array<[string, number]> = [];

  constructor(private last = performance.now()) {}

  lap(phase: string): void {
    const now = performance.now();
    this.phases.push([phase, (now - this.last) / 1000]);
    this.last = now;
  }

  text(): string {
    return this.phases.map(([phase, s]) => `${phase} ${s.toFixed(1)}`).join(', ');
  }
}
