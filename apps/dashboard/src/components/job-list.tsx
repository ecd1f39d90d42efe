"use client";

import { useEffect, useState } from "react";
import { browserGql } from "../lib/browser-graphql.ts";
import { browserSubscribe } from "../lib/browser-subscription.ts";
import {
  CancelJobDocument,
  JobUpdatesDocument,
  RecentJobsDocument,
  type CancelJobMutation,
  type CancelJobMutationVariables,
  type JobRowFragment as JobRow,
  type JobUpdatesSubscription,
  type JobUpdatesSubscriptionVariables,
  type RecentJobsQuery,
} from "../lib/generated/graphql.ts";
/** Polling is only the fallback when the live updates fail (an API without subscriptions). */
const POLL_MS = 1500;
/** As many jobs as the page's query shows. */
const SHOWN = 10;

/** The list with `job` in it: replaced where it is, else added in id order (newest first). */
const merge = (jobs: JobRow[], job: JobRow) =>
  jobs.some((j) => j.id === job.id) ? jobs.map((j) => (j.id === job.id ? job : j)) : [job, ...jobs].sort((a, b) => b.id - a.id).slice(0, SHOWN);

// INTERRUPTED: its worker went away; the job queue runs it again, so it is still in flight.
const inFlight = (jobs: JobRow[]) => jobs.some((j) => j.status === "QUEUED" || j.status === "RUNNING" || j.status === "INTERRUPTED");

/** Every job when no kind is given; the Crawl page follows crawls only. */
const ofKind = (j: JobRow, kind: JobRow["kind"] | undefined) => kind === undefined || j.kind === kind;

const cancellable = (j: JobRow) => j.status === "QUEUED" || j.status === "RUNNING" || j.status === "INTERRUPTED";

/**
 * Recent jobs, followed live: the API's jobUpdates subscription (through the dashboard's
 * /api/graphql/stream) brings new jobs, progress and ends from any worker. Should it fail, the
 * list polls while a job is in flight and says so. With `canCancel` (an admin key and an API
 * that offers cancelJob) running jobs get a Cancel button.
 */
export function JobList({ initial, canCancel = false, kind }: { initial: JobRow[]; canCancel?: boolean; kind?: JobRow["kind"] }) {
  const [jobs, setJobs] = useState(initial);
  const [pollError, setPollError] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState<ReadonlySet<number>>(new Set());
  const [cancelError, setCancelError] = useState<string | null>(null);
  const cancel = (id: number) => {
    setCancelling((s) => new Set(s).add(id));
    setCancelError(null);
    browserGql<CancelJobMutation>(CancelJobDocument, { id } satisfies CancelJobMutationVariables)
      .then((d) => setJobs((js) => js.map((j) => (j.id === id ? d.cancelJob : j))))
      .catch((e: unknown) => setCancelError(`Job ${id} was not cancelled: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => setCancelling((s) => new Set([...s].filter((x) => x !== id))));
  };
  const [live, setLive] = useState(true);
  useEffect(() => {
    // The jobs shown in flight are sent first, so nothing between the page's read and now is missed.
    const catchUp = initial.filter(cancellable).map((j) => j.id);
    return browserSubscribe<JobUpdatesSubscription>(JobUpdatesDocument, { catchUp } satisfies JobUpdatesSubscriptionVariables, {
      onData: (d) => {
        if (ofKind(d.jobUpdates, kind)) setJobs((js) => merge(js, d.jobUpdates));
      },
      onError: (e) => (setLive(false), setPollError(`the live connection failed (${e.message}); checking every ${POLL_MS / 1000} s while a job runs`)),
    });
  }, [initial, kind]);
  const polling = !live && inFlight(jobs);
  useEffect(() => {
    if (!polling) return;
    const timer = setInterval(() => {
      browserGql<RecentJobsQuery>(RecentJobsDocument, {})
        .then((d) => setJobs(d.jobs.edges.map((e) => e.node).filter((j) => ofKind(j, kind))))
        .catch((e: unknown) => setPollError(String(e instanceof Error ? e.message : e)));
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [polling, kind]);
  if (jobs.length === 0) return <p className="muted">No job has run through the API yet.</p>;
  return (
    <>
      {pollError ? <p className="error small">Progress updates paused: {pollError}</p> : null}
      {cancelError ? (
        <p className="error small" role="alert" data-testid="cancel-error">
          {cancelError}
        </p>
      ) : null}
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
                <progress max={Math.max(1, j.total)} value={j.status === "SUCCEEDED" ? Math.max(1, j.total) : j.done} />{" "}
                <span className="small muted">{j.total ? `${j.done}/${j.total}` : ""}</span>
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
