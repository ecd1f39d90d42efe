import { migrate, openDatabase, pendingMigrations, type Database } from "@deepcuts/db";
import type { CommandContext } from "./command.ts";

/**
 * Opens the configured database for one command, migrating it first when asked (commands
 * that write need the current schema), and always closes it.
 */
export async function withDatabase<T>(ctx: CommandContext, work: (db: Database) => Promise<T>, options: { migrate?: boolean } = {}): Promise<T> {
  const db = await openDatabase({ config: ctx.config.database });
  try {
    if (options.migrate ?? true) {
      await migrate(db);
    } else {
      const pending = await pendingMigrations(db);
      if (pending.length) throw new Error(`the database needs migrating (${pending.join(", ")}): run 'deepcuts db migrate'`);
    }
    return await work(db);
  } finally {
    await db.close();
  }
}
