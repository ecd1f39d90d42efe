import { Arg, Authorized, Ctx, Int, Mutation, Query, Resolver } from "type-graphql";
import { issueApiKey, listApiKeys, revokeKey } from "@deepcuts/engine/curation/keys-admin.ts";
import type { ApiContext } from "../context.ts";
import { openPage, positiveId } from "../pagination.ts";
import { ApiKeyConnection } from "../types/connections.type.ts";
import { ApiRole, CreatedApiKey } from "../types/curation.type.ts";

@Resolver()
export class KeysResolver {
  @Authorized("ADMIN")
  @Query(() => ApiKeyConnection, { description: "API keys (hashes are never shown).", complexity: ({ args, childComplexity }) => 1 + (args.first ?? 20) * childComplexity })
  async apiKeys(
    @Ctx() ctx: ApiContext,
    @Arg("first", () => Int, { nullable: true, defaultValue: 20 }) first: number,
    @Arg("after", () => String, { nullable: true }) after: string | null,
  ) {
    const page = openPage(ctx, "apiKeys", {}, first, after);
    return page.connect(await listApiKeys(ctx.db, { first: page.size, afterId: page.afterId }));
  }

  @Authorized("ADMIN")
  @Mutation(() => CreatedApiKey, { description: "Issues a key; a LISTENER key names its listener. The secret is in this answer only." })
  createApiKey(
    @Ctx() ctx: ApiContext,
    @Arg("name", () => String) name: string,
    @Arg("role", () => ApiRole) role: ApiRole,
    @Arg("userId", () => Int, { nullable: true }) userId: number | null,
  ) {
    return issueApiKey(ctx.db, { name, role, userId: userId ?? null });
  }

  @Authorized("ADMIN")
  @Mutation(() => Boolean, { description: "Revokes a key; false when it was already revoked." })
  revokeApiKey(@Ctx() ctx: ApiContext, @Arg("id", () => Int) id: number) {
    return revokeKey(ctx.db, positiveId(id, "id"));
  }
}
