/** One self-overwriting status line on a terminal; silent when the stream is not a TTY. */
export class ProgressLine {
  private last = '';
  private lastAt = 0;
  private readonly tty: boolean;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    enabled: boolean,
  ) {
    this.tty = enabled && stream.isTTY === true;
  }

  /** Whether anything is drawn (a terminal, not quiet). */
  get enabled(): boolean {
    return this.tty;
  }

  update(text: string): void {
    if (!this.tty || text === this.last) return;
    const now = Date.now();
    if (now - this.lastAt < 100) return;
    this.lastAt = now;
    this.last = text;
    this.stream.write(`\r\x1b[2K${text}`);
  }

  /** A line that stays (a problem report), printed above the progress line. */
  log(text: string): void {
    if (this.tty && this.last) this.stream.write('\r\x1b[2K');
    this.stream.write(`${text}\n`);
    if (this.tty && this.last) this.stream.write(this.last);
  }

  done(): void {
    if (this.tty && this.last) this.stream.write('\n');
    this.last = '';
  }
}
