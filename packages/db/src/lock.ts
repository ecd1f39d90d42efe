import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * PGlite does not lock its data directory, and two processes writing one directory corrupt
 * it. We keep our own lock file beside it: who owns the directory, and, when that owner is the
 * socket server, the port where other processes can reach it.
 */
export interface LockInfo {
  pid: number;
  mode: "in-process" | "server";
  port?: number;
  command: string;
  since: string;
}

export class DatabaseBusyError extends Error {
  constructor(
    readonly dataDir: string,
    readonly owner: LockInfo,
  ) {
    super(
      `the embedded database in ${dataDir} is already open in process ${owner.pid} (${owner.command}, since ${owner.since}); ` +
        `only one process may open it. Stop that process, or start 'deepcuts serve' so other commands go through its socket.`,
    );
    this.name = "DatabaseBusyError";
  }
}

export function lockPath(dataDir: string): string {
  return join(dataDir, "deepcuts.lock");
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The live owner of the directory, or null (a lock left by a dead process is removed). */
export function readLock(dataDir: string): LockInfo | null {
  let info: LockInfo;
  try {
    info = JSON.parse(readFileSync(lockPath(dataDir), "utf8")) as LockInfo;
  } catch {
    return null;
  }
  if (info.pid !== process.pid && !alive(info.pid)) {
    rmSync(lockPath(dataDir), { force: true });
    return null;
  }
  return info;
}

/** Takes the lock atomically (O_EXCL), or throws DatabaseBusyError naming the owner. */
export function acquireLock(dataDir: string, info: Omit<LockInfo, "pid" | "since">): () => void {
  mkdirSync(dataDir, { recursive: true });
  const mine: LockInfo = { ...info, pid: process.pid, since: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lockPath(dataDir), JSON.stringify(mine), { flag: "wx" });
      return () => releaseLock(dataDir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = readLock(dataDir);
      if (owner) throw new DatabaseBusyError(dataDir, owner);
    }
  }
  throw new Error(`could not take the lock ${lockPath(dataDir)}`);
}

/** Rewrites our own lock (for example to publish the server's port). */
export function updateLock(dataDir: string, patch: Partial<LockInfo>): void {
  const current = readLock(dataDir);
  if (!current || current.pid !== process.pid) throw new Error(`lock ${lockPath(dataDir)} is not held by this process`);
  writeFileSync(lockPath(dataDir), JSON.stringify({ ...current, ...patch }));
}

export function releaseLock(dataDir: string): void {
  const current = readLock(dataDir);
  if (current && current.pid === process.pid) rmSync(lockPath(dataDir), { force: true });
}
