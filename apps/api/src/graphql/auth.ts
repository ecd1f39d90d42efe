import type { AuthChecker } from "type-graphql";
import type { ApiContext, Role } from "./context.ts";
import { forbidden, unauthenticated } from "./errors.ts";

const RANK: Record<Role, number> = { LISTENER: 1, CURATOR: 2, ADMIN: 3 };

/**
 * `@Authorized("CURATOR")` admits that role and every higher one. Denials throw, so a client
 * gets FORBIDDEN or UNAUTHENTICATED and never a partial answer.
 */
export const authChecker: AuthChecker<ApiContext, Role> = ({ context }, roles) => {
  const viewer = context.viewer;
  if (!viewer) throw unauthenticated();
  if (roles.length === 0) return true;
  if (roles.some((r) => RANK[viewer.role] >= RANK[r])) return true;
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
