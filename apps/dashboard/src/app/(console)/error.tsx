"use client";

import Link from "next/link";
import { useEffect } from "react";

/**
 * A page that threw (a bug, or an answer the page could not read): says so inside the shell,
 * with the error's digest to find in the dashboard's server log, and a way to try again.
 * API refusals and an API that is down are rendered by the pages themselves (ApiProblem).
 */
export default function ConsoleError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => console.error(error), [error]);
  return (
    <section className="panel problem" role="alert" data-testid="page-error">
      <h1>This page failed to load</h1>
      <p>
        Something went wrong while drawing it
        {error.digest ? (
          <>
            {" "}
            (reference <code>{error.digest}</code> in the dashboard&apos;s log)
          </>
        ) : null}
        . Nothing was changed.
      </p>
      <p className="actions">
        <button type="button" onClick={reset}>
          Try again
        </button>{" "}
        <Link href="/">Back to the overview</Link>
      </p>
    </section>
  );
}
