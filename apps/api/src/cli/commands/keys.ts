import { createApiKey, revokeApiKey, type Role } from "@deepcuts/engine/keys.ts";
import { checkText, TEXT_LIMITS, TextError } from "@deepcuts/engine/validation/text.ts";
import { numberFlag, parse, UsageError } from "../args.ts";
import { emit, type Command } from "../command.ts";
import { withDatabase } from "../db-session.ts";

const ROLES = ["listener", "curator", "admin"];

export const keysCommand: Command = {
  name: "keys",
  summary: "API keys: create (printed once, stored hashed), list, revoke",
  usage: "deepcuts keys create --role listener|curator|admin [--user <listener external key>] [--name <label>] | keys list | keys revoke <id> [--json]",
  async run(argv, ctx) {
    const { values, positionals } = parse(argv, { role: { type: "string" }, user: { type: "string" }, name: { type: "string" }, json: { type: "boolean" } });
    const action = positionals[0];
    const json = Boolean(values.json);
    return withDatabase(ctx, async (db) => {
      if (action === "create") {
        const role = String(values.role ?? "").toLowerCase();
        if (!ROLES.includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(", ")}, got '${values.role ?? ""}'`);
        let userId: number | null = null;
        if (values.user) {
          const user = await db.prisma.user.findUnique({ where: { externalKey: String(values.user) } });
          if (!user) throw new UsageError(`--user: no listener with key '${values.user}'`);
          userId = user.id;
        }
        const name = String(values.name ?? `${role} key`);
        try {
          checkText(name, "--name", TEXT_LIMITS.label);
        } catch (error) {
          if (error instanceof TextError) throw new UsageError(error.message);
          throw error;
        }
        const created = await createApiKey(db, { name: name.trim(), role: role.toUpperCase() as Role, userId });
        emit(ctx, json, created, () => `${created.role} key ${created.id}: ${created.key}\n(shown once; only its hash is stored)`);
      } else if (action === "list") {
        const keys = await db.prisma.apiKey.findMany({
          orderBy: { id: "asc" },
          select: { id: true, name: true, prefix: true, role: true, userId: true, createdAt: true, lastUsedAt: true, revokedAt: true },
        });
        emit(
          ctx,
          json,
          keys,
          () => keys.map((k) => `${k.id}\t${k.role}\t${k.prefix}...\t${k.name}${k.revokedAt ? "\t(revoked)" : ""}`).join("\n") || "no keys",
        );
      } else if (action === "revoke") {
        const id = numberFlag(positionals[1], "id", NaN, { min: 1, integer: true });
        const revoked = await revokeApiKey(db, id);
        if (!revoked) throw new Error(`no active key with id ${id}`);
        emit(ctx, json, { revoked: id }, () => `revoked key ${id}`);
      } else {
        throw new UsageError(`expected create, list or revoke, got '${action ?? ""}'`);
      }
      return 0;
    });
  },
};
