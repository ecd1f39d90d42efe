"use client";

/**
 * The last resort, when the root layout itself fails: it replaces the whole document, so it
 * brings its own <html> and minimal styles (globals.css may not have loaded).
 */
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: "system-ui, sans-serif", padding: 32, color: "#1b1f24" }}>
        <main role="alert" data-testid="global-error">
          <h1 style={{ fontSize: 22 }}>The dashboard failed to start this page</h1>
          <p>{error.digest ? `Reference ${error.digest} in the dashboard's log.` : "See the dashboard's log for details."}</p>
          <button type="button" onClick={reset} style={{ font: "inherit", padding: "8px 14px" }}>
            Try again
          </button>{" "}
          <a href="/">Back to the overview</a>
        </main>
      </body>
    </html>
  );
}
