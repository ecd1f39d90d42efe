import "reflect-metadata";
import { buildSchema } from "type-graphql";
import type { GraphQLSchema } from "graphql";
import { authChecker } from "./auth.ts";
import { HealthResolver, TrackResolver, UserResolver } from "./resolvers/catalog.resolver.ts";

export const resolvers = [HealthResolver, TrackResolver, UserResolver] as const;

let cached: Promise<GraphQLSchema> | null = null;

/** The executable schema (built once per process). */
export function apiSchema(): Promise<GraphQLSchema> {
  cached ??= buildSchema({ resolvers: [...resolvers], authChecker, validate: false });
  return cached;
}
