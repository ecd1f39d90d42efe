"use client";

import { useEffect, useState } from "react";
import { browserGql } from "../lib/browser-graphql.ts";
import { JOB_FIELDS, type JobRow } from "../lib/jobs.ts";

const JOBS = `{ jobs(first: 10) { edges { node { ${JOB_FIELDS} } } } }`;
const POLL_MS = 1500;

const inFlight = (jobs: JobRow[]) => jobs.some((j) => j.status === "QUEUED" || j.status === "RUNNING");

/** Recent jobs; while one is queued or running, polls the API for progress. */
export function JobList({ initial }: { initial: JobRow[] }) {
  const [jobs, setJobs] = useState(initial);
  const [pollError, setPollError] = useState<string | null>(null);
  const polling = inFlight(jobs);
  useEffect(() => {
    if (!polling) return;
    const timer = setInterval(() => {
      browserGql<{ jobs: { edges: { node: JobRow }[] } }>(JOBS, {})
        .then((d) => (setJobs(d.jobs.edges.map((e) => e.node)), setPollError(null)))
        .catch((e: unknown) => setPollError(String(e instanceof Error ? e.message : e)));
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [polling]);
  if (jobs.length === 0) return <p className="muted">No job has run through the API yet.</p>;
  return (
    <>
      {pollError ? <p className="error small">Progress updates paused: {pollError}</p> : null}
      <table className="table" data-testid="jobs">
        <thead>
          <tr>
            <th>Job</th>
            <th>Kind</th>
            <th>Status</th>
            <th>Progress</th>
            <th>Message</th>
            <th>Started</th>
          </tr>
        </thead>
        <tbody>
          {jobs.map((j) => (
            <tr key={j.id} data-job-id={j.id} data-status={j.status}>
              <td>{j.id}</td>
              <td>{j.kind.toLowerCase()}</td>
              <td>{j.status.toLowerCase()}</td>
              <td>
                <progress max={Math.max(1, j.total)} value={j.status === "SUCCEEDED" ? Math.max(1, j.total) : j.done} /> <span className="small muted">{j.total ? `${j.done}/${j.total}` : ""}</span>
              </td>
              <td className="small">{j.error ?? j.message}</td>
              <td className="small muted">{new Date(j.createdAt).toISOString().slice(0, 19).replace("T", " ")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
