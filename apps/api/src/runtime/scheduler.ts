import type { Database } from "@deepcuts/db";
import { generateDuePlaylists, type GenerateReport } from "@deepcuts/engine/weekly/generate.ts";

/**
 * Runs the weekly generation on its own schedule: every `intervalMs` it makes whatever
 * playlists have come due (listeners' Mondays arrive hour by hour across time zones). Runs
 * never overlap; `trigger()` lets a curator start one now.
 */
export class WeeklyScheduler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<GenerateReport> | null = null;
  lastReport: GenerateReport | null = null;
  lastError: string | null = null;

  constructor(private readonly db: Database, private readonly intervalMs = 15 * 60_000) {}

  start(): void {
    this.timer = setInterval(() => void this.trigger().catch(() => {}), this.intervalMs);
    this.timer.unref();
  }

  trigger(): Promise<GenerateReport> {
    this.running ??= generateDuePlaylists(this.db)
      .then((report) => {
        this.lastReport = report;
        this.lastError = null;
        return report;
      })
      .catch((error: Error) => {
        this.lastError = error.message;
        throw error;
      })
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => {});
  }
}
