import { artistTerms, resolveArtist } from "@deepcuts/engine/text-terms.ts";
import { numberFlag, parse, UsageError } from "../args.ts";
import { emit, type Command } from "../command.ts";
import { withDatabase } from "../db-session.ts";

const KIND_LABELS = { N2: "bigrams (n2)", NP: "noun phrases (np)", ADJ: "adjectives (adj)" } as const;

export const termsCommand: Command = {
  name: "terms",
  summary: "an artist's top terms under the active text model, and the artists described most alike",
  usage: "deepcuts terms <artist name, part of it, or id> [--limit 10] [--similar 5] [--json]",
  async run(argv, ctx) {
    const { values, positionals } = parse(argv, { limit: { type: "string" }, similar: { type: "string" }, json: { type: "boolean" } });
    if (positionals.length === 0) throw new UsageError('name an artist, e.g. deepcuts terms "Bob Marley"');
    const limit = numberFlag(values.limit, "limit", 10, { min: 1, max: 100, integer: true });
    const similar = numberFlag(values.similar, "similar", 5, { min: 0, max: 50, integer: true });
    const result = await withDatabase(ctx, async (db) => artistTerms(db, await resolveArtist(db, positionals.join(" ")), { limit, similar }), {
      migrate: false,
    });
    emit(ctx, Boolean(values.json), result, () => {
      const lines = [`${result.artist.name} (artist ${result.artist.id}), text model v${result.modelVersionId}, ${result.documents} documents`];
      for (const kind of ["N2", "NP", "ADJ"] as const) {
        const terms = result.terms[kind].map((t) => `${t.term} ${t.weight.toFixed(3)}`).join(", ");
        lines.push(`  ${KIND_LABELS[kind].padEnd(18)} ${terms || "(none)"}`);
      }
      if (result.describedLike.length) {
        lines.push("  described like:");
        for (const s of result.describedLike) lines.push(`    ${s.artist.name} (${s.score.toFixed(2)}: ${s.sharedTerms.join(", ")})`);
      }
      return lines.join("\n");
    });
    return 0;
  },
};
