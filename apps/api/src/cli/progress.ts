/**
 * Progress on stderr: a redrawn bar on a terminal, a line every few seconds otherwise (CI logs),
 * nothing in --quiet mode. Stdout stays clean for --json output.
 */
export class ProgressBar {
  private lastDraw = 0;
  private lastLine = "";
  private readonly started = Date.now();
  private readonly tty: boolean;

  constructor(
    private readonly label: string,
    private readonly enabled = true,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.tty = Boolean(stream.isTTY);
  }

  update(message: string, done: number, total: number): void {
    if (!this.enabled) return;
    const now = Date.now();
    const finished = total > 0 && done >= total;
    if (!finished && now - this.lastDraw < (this.tty ? 100 : 5000)) return;
    this.lastDraw = now;
    const share = total > 0 ? Math.min(1, done / total) : 0;
    const elapsed = (now - this.started) / 1000;
    const eta = share > 0 && !finished ? ` eta ${formatSeconds((elapsed / share) * (1 - share))}` : "";
    const counts = total > 0 ? ` ${done}/${total}` : "";
    if (this.tty) {
      const width = 24;
      const filled = Math.round(share * width);
      const line = `${this.label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}%${counts} ${message}${eta}`;
      this.stream.write(`\r${line.slice(0, (this.stream.columns || 120) - 1).padEnd(this.lastLine.length)}`);
      this.lastLine = line;
    } else {
      this.stream.write(`${this.label}: ${(share * 100).toFixed(0)}%${counts} ${message}${eta}\n`);
    }
  }

  /** Ends the bar with a final line. */
  done(message: string): void {
    if (!this.enabled) return;
    const elapsed = formatSeconds((Date.now() - this.started) / 1000);
    if (this.tty) this.stream.write(`\r${" ".repeat(this.lastLine.length)}\r`);
    this.stream.write(`${this.label}: ${message} (${elapsed})\n`);
  }

  /** The callback shape every long operation in the project accepts. */
  get callback(): (message: string, done: number, total: number) => void {
    return (message, done, total) => this.update(message, done, total);
  }
}

export function formatSeconds(s: number): string {
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${String(Math.round(s - m * 60)).padStart(2, "0")}s`;
}
