import type { AuthChecker } from "type-graphql";
import type { Exposure } from "../config.ts";
import type { ApiContext } from "../graphql/context.ts";
import { forbidden, unauthenticated } from "../graphql/errors.ts";
import { hasRole, type Role } from "./roles.ts";

/**
 * `@Authorized("CURATOR")` admits that role and every higher one. Denials throw, so a client
 * gets FORBIDDEN or UNAUTHENTICATED and never a partial answer.
 */
export const authChecker: AuthChecker<ApiContext, Role> = ({ context }, roles) => {
  const viewer = context.viewer;
  if (!viewer) throw unauthenticated();
  if (roles.length === 0) return true;
  if (roles.some((r) => hasRole(viewer.role, r))) return true;
  throw forbidden(`this operation needs a ${roles.join(" or ")} key`);
};

/** Listener keys may only touch their own listener; curators and admins any. */
export function assertOwnListener(context: ApiContext, userId: number): void {
  const viewer = context.viewer;
  if (!viewer) throw unauthenticated();
  if (viewer.role === "LISTENER" && viewer.userId !== userId) throw forbidden("a listener key can only see its own listener");
}

/**
 * Writing a listener's data (events, saves, not-for-me): that listener's own key or an admin.
 * Curators read everything but do not act as listeners.
 */
export function assertWritesListener(context: ApiContext, userId: number): void {
  const viewer = context.viewer;
  if (!viewer) throw unauthenticated();
  if (viewer.role === "ADMIN") return;
  if (viewer.role === "LISTENER" && viewer.userId === userId) return;
  throw forbidden(
    viewer.role === "CURATOR" ? "a curator key reads listeners' data but cannot write it" : "a listener key can only write its own listener's data",
  );
}

/** Whether the caller of `context` may use a feature exposed to `who` (introspection, field suggestions). */
export function mayUse(who: Exposure, context: ApiContext): boolean {
  const role = context.viewer?.role;
  switch (who) {
    case "everyone":
      return true;
    case "keys":
      return role !== undefined;
    case "curators":
      return role !== undefined && hasRole(role, "CURATOR");
    case "nobody":
      return false;
  }
}
