import { Arg, Args, Authorized, Ctx, Int, Mutation, Query, Resolver } from "type-graphql";
import { issueApiKey, listApiKeys, revokeKey } from "@deepcuts/engine/curation/keys-admin.ts";
import type { ApiContext } from "../context.ts";
import { openPage, pageComplexity, PageArgs, positiveId } from "../pagination.ts";
import { ApiKeyConnection } from "../types/connections.type.ts";
import { ApiRole, CreatedApiKey } from "../types/curation.type.ts";

@Resolver()
export class KeysResolver {
  @Authorized("ADMIN")
  @Query(() => ApiKeyConnection, { description: "API keys (hashes are never shown).", complexity: pageComplexity })
  async apiKeys(@Ctx() ctx: ApiContext, @Args(() => PageArgs) paging: PageArgs) {
    const page = openPage(ctx, "apiKeys", {}, paging);
    return page.connect(await listApiKeys(ctx.db, page.keyset));
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
