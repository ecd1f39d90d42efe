"use client";

import { useEffect, useState } from "react";
import { browserGql } from "../lib/browser-graphql.ts";
import { CancelJobDocument, RecentJobsDocument, type CancelJobMutation, type CancelJobVariables, type JobRowFragment as JobRow, type RecentJobsQuery } from "../lib/generated/graphql.ts";
const POLL_MS = 1500;

// INTERRUPTED: its worker went away; the job queue runs it again, so it is still in flight.
const inFlight = (jobs: JobRow[]) => jobs.some((j) => j.status === "QUEUED" || j.status === "RUNNING" || j.status === "INTERRUPTED");

const cancellable = (j: JobRow) => j.status === "QUEUED" || j.status === "RUNNING" || j.status === "INTERRUPTED";

/**
 * Recent jobs; while one is queued or running, polls the API for progress. With `canCancel`
 * (an admin key and an API that offers cancelJob) running jobs get a Cancel button.
 */
export function JobList({ initial, canCancel = false }: { initial: JobRow[]; canCancel?: boolean }) {
  const [jobs, setJobs] = useState(initial);
  const [pollError, setPollError] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState<ReadonlySet<number>>(new Set());
  const [cancelError, setCancelError] = useState<string | null>(null);
  const cancel = (id: number) => {
    setCancelling((s) => new Set(s).add(id));
    setCancelError(null);
    browserGql<CancelJobMutation>(CancelJobDocument, { id } satisfies CancelJobVariables)
      .then((d) => setJobs((js) => js.map((j) => (j.id === id ? d.cancelJob : j))))
      .catch((e: unknown) => setCancelError(`Job ${id} was not cancelled: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => setCancelling((s) => new Set([...s].filter((x) => x !== id))));
  };
  const polling = inFlight(jobs);
  useEffect(() => {
    if (!polling) return;
    const timer = setInterval(() => {
      browserGql<RecentJobsQuery>(RecentJobsDocument, {})
        .then((d) => (setJobs(d.jobs.edges.map((e) => e.node)), setPollError(null)))
        .catch((e: unknown) => setPollError(String(e instanceof Error ? e.message : e)));
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [polling]);
  if (jobs.length === 0) return <p className="muted">No job has run through the API yet.</p>;
  return (
    <>
      {pollError ? <p className="error small">Progress updates paused: {pollError}</p> : null}
      {cancelError ? <p className="error small" role="alert" data-testid="cancel-error">{cancelError}</p> : null}
      <table className="table" data-testid="jobs">
        <thead>
          <tr>
            <th>Job</th>
            <th>Kind</th>
            <th>Status</th>
            <th>Progress</th>
            <th>Message</th>
            <th>Started</th>
            {canCancel ? <th /> : null}
          </tr>
        </thead>
        <tbody>
          {jobs.map((j) => (
            <tr key={j.id} data-job-id={j.id} data-status={j.status}>
              <td>{j.id}</td>
              <td>{j.kind.toLowerCase()}</td>
              <td>{j.status.toLowerCase().replace("_", " ")}</td>
              <td>
                <progress max={Math.max(1, j.total)} value={j.status === "SUCCEEDED" ? Math.max(1, j.total) : j.done} /> <span className="small muted">{j.total ? `${j.done}/${j.total}` : ""}</span>
              </td>
              <td className="small">{j.error ?? j.message}</td>
              <td className="small muted">{new Date(j.createdAt).toISOString().slice(0, 19).replace("T", " ")}</td>
              {canCancel ? (
                <td>
                  {cancellable(j) ? (
                    <button type="button" className="small-button" onClick={() => cancel(j.id)} disabled={cancelling.has(j.id)} data-testid="cancel-job">
                      {cancelling.has(j.id) ? "Cancelling…" : "Cancel"}
                    </button>
                  ) : null}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
