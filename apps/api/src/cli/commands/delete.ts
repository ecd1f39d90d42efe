import { deleteListener, findListener } from "@deepcuts/engine/privacy/delete-listener.ts";
import { parse, UsageError } from "../args.ts";
import { emit, type Command } from "../command.ts";
import { withDatabase } from "../db-session.ts";

export const deleteCommand: Command = {
  name: "delete",
  summary: "delete a listener and everything stored about them, in one transaction (docs/privacy.md)",
  usage: "deepcuts delete listener --user <external key|id> --yes [--json]",
  async run(argv, ctx) {
    const { values, positionals } = parse(argv, { user: { type: "string" }, yes: { type: "boolean" }, json: { type: "boolean" } });
    const [what, extra] = positionals;
    if (what !== "listener") throw new UsageError(`the first argument must be listener, got '${what ?? ""}'`);
    if (extra !== undefined) throw new UsageError(`unexpected argument '${extra}'`);
    if (typeof values.user !== "string" || values.user === "") throw new UsageError("delete listener needs --user <external key or id>");
    if (!values.yes) throw new UsageError("deleting a listener cannot be undone: add --yes (export them first with 'deepcuts export listener')");
    const user = values.user;
    const result = await withDatabase(ctx, async (db) => deleteListener(db, (await findListener(db, user)).id), { migrate: false });
    emit(ctx, Boolean(values.json), result, () =>
      [
        `deleted listener ${result.externalKey} (id ${result.userId}):`,
        ...result.tables.map((t) => `  ${t.table}: ${t.rows} rows`),
        `  model versions without them: ${result.modelVersions.join(", ") || "none"}; saved-model rows removed: ${result.artifactRows}`,
      ].join("\n"),
    );
    return 0;
  },
};
