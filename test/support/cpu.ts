import { readdirSync, readFileSync } from "node:fs";
import type { Database } from "@deepcuts/db";

/** USER_HZ: /proc counts CPU time in ticks of 1/100 s on Linux. */
const TICKS = 100;

interface ProcStat {
  command: string;
  parent: number;
  /** utime + stime, seconds. */
  own: number;
  /** cutime + cstime: children that ended and were waited for, seconds. */
  children: number;
}

/** /proc/<pid>/stat (or a thread's /proc/<pid>/task/<tid>/stat) read; null where it cannot be (not Linux, gone, not ours). */
function procStat(path: string): ProcStat | null {
  let stat: string;
  try {
    stat = readFileSync(`${path}/stat`, "utf8");
  } catch {
    return null;
  }
  const open = stat.indexOf("("),
    close = stat.lastIndexOf(")");
  // Fields after the command, from proc(5)'s field 3 (state): ppid is field 4, utime to cstime 14 to 17.
  const fields = stat.slice(close + 2).split(" ");
  return {
    command: stat.slice(open + 1, close),
    parent: Number(fields[1]),
    own: (Number(fields[11]) + Number(fields[12])) / TICKS,
    children: (Number(fields[13]) + Number(fields[14])) / TICKS,
  };
}

/**
 * CPU seconds (user + system) a process or one of its threads has used, from /proc; null where
 * that is not readable, or where `command` is given and the process is not that command (a pid
 * reused by another program). CPU time is what work costs whatever else runs on the machine;
 * wall-clock rates move with the neighbours' load.
 */
export function cpuSeconds(path: string, command?: string): number | null {
  const stat = procStat(path);
  if (!stat || (command !== undefined && stat.command !== command)) return null;
  return stat.own;
}

/**
 * CPU seconds used so far by the whole PostgreSQL server `db` talks to, where it runs on this
 * machine: every process of its postmaster (backends, WAL writer, checkpointer, autovacuum)
 * plus the postmaster's ended children (a connection closed during the run counts too). Null
 * for the embedded database (it is this process) or a server this machine cannot see.
 */
export async function postgresServerCpuSeconds(db: Database): Promise<number | null> {
  if (db.target !== "postgres") return null;
  const [{ pid }] = await db.query<{ pid: number }>(`SELECT pg_backend_pid() AS pid`);
  const backend = procStat(`/proc/${pid}`);
  if (!backend || backend.command !== "postgres") return null;
  const postmaster = backend.parent;
  let total = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(`/proc/${entry}`);
    if (!stat) continue;
    if (Number(entry) === postmaster) total += stat.own + stat.children;
    else if (stat.parent === postmaster) total += stat.own;
  }
  return total;
}
