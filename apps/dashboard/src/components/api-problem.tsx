import type { ApiProblemInfo } from "../lib/load.ts";

/** Explains a failed API call in terms a curator can act on. */
export function ApiProblem({ problem }: { problem: ApiProblemInfo }) {
  if (problem.code === "API_DOWN") {
    return (
      <section className="panel problem" role="alert" data-testid="api-down">
        <h2>The Deepcuts API is not answering</h2>
        <p>
          The dashboard could not reach the GraphQL API at <code>{problem.apiUrl}</code>.
        </p>
        <p>
          Start it with <code>npm start</code> (or <code>deepcuts serve</code> if the demo world is already loaded), or point <code>DEEPCUTS_API_URL</code> at a
          running API, then reload this page.
        </p>
      </section>
    );
  }
  if (problem.code === "MODEL_NOT_READY") {
    return (
      <section className="panel problem" role="alert" data-testid="model-not-ready">
        <h2>A model is not trained yet</h2>
        <p>{problem.message}.</p>
        <p>
          Train it from the Training page or with <code>deepcuts train</code>, then reload.
        </p>
      </section>
    );
  }
  if (problem.code === "FORBIDDEN") {
    return (
      <section className="panel problem" role="alert">
        <h2>This key may not do that</h2>
        <p>{problem.message}. Sign in with an admin key for this page.</p>
      </section>
    );
  }
  if (problem.code === "NOT_FOUND") {
    return (
      <section className="panel notice" role="alert" data-testid="not-found">
        <h2>Not found</h2>
        <p>
          {problem.message}. It may have been removed, or the link is wrong: <a href="/">back to the overview</a>.
        </p>
      </section>
    );
  }
  return (
    <section className="panel problem" role="alert" data-testid="api-refused">
      <h2>The API refused this request</h2>
      <p>
        <code>{problem.code}</code>: {problem.message}
      </p>
    </section>
  );
}
