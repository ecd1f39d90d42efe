export * from "./config.ts";
export * from "./database.ts";
export * from "./lock.ts";
export * from "./migrate.ts";
export * from "./migrations.ts";
export * from "./vectors.ts";
export * from "./server.ts";
export { Prisma, PrismaClient } from "./generated/client.ts";
export * from "./generated/enums.ts";
