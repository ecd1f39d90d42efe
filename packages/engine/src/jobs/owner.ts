import { hostname } from "node:os";

/** This process as a job owner: `host:pid`, written on every job it runs. */
export const thisOwner = `${hostname()}:${process.pid}`;

/**
 * True when `owner` names a process on this machine that no longer exists (a server stopped
 * with Ctrl+C or SIGKILL): such a job needs no heartbeat timeout to be known ownerless.
 */
export function ownerIsGoneHere(owner: string | null): boolean {
  if (!owner) return true;
  const at = owner.lastIndexOf(":");
  if (owner.slice(0, at) !== hostname()) return false;
  const pid = Number(owner.slice(at + 1));
  if (!Number.isInteger(pid) || pid <= 0) return true;
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}
