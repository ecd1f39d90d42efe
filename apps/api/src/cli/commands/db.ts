import { listMigrations, migrate, openDatabase, pendingMigrations } from "@deepcuts/db";
import { parse, UsageError } from "../args.ts";
import { emit, type Command } from "../command.ts";

export const dbCommand: Command = {
  name: "db",
  summary: "database maintenance: 'db migrate' applies pending migrations, 'db status' lists them",
  usage: "deepcuts db migrate|status [--json]",
  async run(argv, ctx) {
    const { values, positionals } = parse(argv, { json: { type: "boolean" } });
    const action = positionals[0];
    if (action !== "migrate" && action !== "status") throw new UsageError(`expected 'migrate' or 'status', got '${action ?? ""}'`);
    const db = await openDatabase({ config: ctx.config.database });
    try {
      if (action === "migrate") {
        const result = await migrate(db);
        emit(ctx, Boolean(values.json), { location: db.location, ...result }, () =>
          result.applied.length
            ? `applied ${result.applied.length} migration(s) to ${db.location}: ${result.applied.join(", ")}`
            : `${db.location} is up to date (${result.alreadyApplied} migration(s) applied)`,
        );
      } else {
        const pending = await pendingMigrations(db);
        const all = listMigrations().map((m) => m.name);
        emit(ctx, Boolean(values.json), { location: db.location, migrations: all, pending }, () =>
          all.map((n) => `${pending.includes(n) ? "pending " : "applied "} ${n}`).join("\n"),
        );
      }
      return 0;
    } finally {
      await db.close();
    }
  },
};
