/**
 * Shown where a page needs operations the API does not offer yet (the API is being extended
 * alongside the dashboard): names them, and never stands in fake data.
 */
export function MissingOperations({ feature, missing }: { feature: string; missing: string[] }) {
  return (
    <section className="panel notice" data-testid="not-available">
      <h2>{feature}: not available in this API version yet</h2>
      <p>This needs GraphQL operations that the connected API does not offer:</p>
      <ul>
        {missing.map((op) => (
          <li key={op}>
            <code>{op}</code>
          </li>
        ))}
      </ul>
      <p>It will appear here once the API is upgraded; nothing on this page is invented in the meantime.</p>
    </section>
  );
}

/** Shown where the API offers the operations but this dashboard version does not draw them yet. */
export function NotDrawnYet({ feature, operations }: { feature: string; operations: string[] }) {
  return (
    <section className="panel notice" data-testid="not-drawn">
      <h2>{feature}: not drawn by this dashboard version</h2>
      <p>
        The API now offers{" "}
        {operations.map((op, i) => (
          <span key={op}>
            {i > 0 ? ", " : ""}
            <code>{op}</code>
          </span>
        ))}
        ; use it through the GraphQL API until the dashboard catches up.
      </p>
    </section>
  );
}

/** Missing operations when some are absent, else the "not drawn yet" note. */
export function PlannedFeature({ feature, needed, missing }: { feature: string; needed: string[]; missing: string[] }) {
  return missing.length > 0 ? <MissingOperations feature={feature} missing={missing} /> : <NotDrawnYet feature={feature} operations={needed} />;
}
