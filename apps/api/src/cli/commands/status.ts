import { pendingMigrations } from "@deepcuts/db";
import { catalogueCounts } from "@deepcuts/engine/catalogue-stats.ts";
import { parse } from "../args.ts";
import { emit, type Command } from "../command.ts";
import { withDatabase } from "../db-session.ts";

export const statusCommand: Command = {
  name: "status",
  summary: "what is in the database: counts, model versions, the active blend, the last weekly generation",
  usage: "deepcuts status [--json]",
  async run(argv, ctx) {
    const { values } = parse(argv, { json: { type: "boolean" } }, false);
    const status = await withDatabase(
      ctx,
      async (db) => {
        const pending = await pendingMigrations(db);
        if (pending.length) return { database: db.location, target: db.target, pendingMigrations: pending };
        const models = await db.prisma.modelVersion.findMany({
          where: { isActive: true },
          select: { id: true, kind: true, status: true, createdAt: true, metrics: true },
          orderBy: { kind: "asc" },
        });
        const blend = await db.prisma.blendConfig.findFirst({ where: { isActive: true }, select: { version: true, author: true, note: true } });
        const last = await db.prisma.weeklyPlaylist.findFirst({ orderBy: { generatedAt: "desc" }, select: { generatedAt: true, weekStart: true } });
        return {
          database: db.location,
          target: db.target,
          pendingMigrations: [],
          counts: await catalogueCounts(db),
          activeModels: models,
          activeBlend: blend,
          lastPlaylistAt: last?.generatedAt ?? null,
        };
      },
      { migrate: false },
    );
    emit(ctx, Boolean(values.json), status, () => {
      if (status.pendingMigrations.length) return `database ${status.database} (${status.target}) needs migrating: ${status.pendingMigrations.join(", ")}`;
      const s = status as Required<typeof status>;
      const counts = Object.entries(s.counts)
        .map(([k, v]) => `${v} ${k}`)
        .join(", ");
      const models = s.activeModels.map((m) => `${m.kind} v${m.id}`).join(", ") || "none (run deepcuts train)";
      return [
        `database: ${s.database} (${s.target})`,
        `catalogue: ${counts}`,
        `active models: ${models}`,
        `active blend: ${s.activeBlend ? `v${s.activeBlend.version} by ${s.activeBlend.author}` : "none yet"}`,
        `last playlist made: ${s.lastPlaylistAt ? new Date(s.lastPlaylistAt).toISOString() : "never"}`,
      ].join("\n");
    });
    return 0;
  },
};
