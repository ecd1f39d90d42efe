/** Shown while a page's API calls are in flight. */
export default function Loading() {
  return (
    <div className="skeleton-page" aria-busy="true" aria-label="Loading" data-testid="skeleton">
      <div className="skeleton skeleton-title" />
      <div className="skeleton-row">
        <div className="skeleton skeleton-card" />
        <div className="skeleton skeleton-card" />
        <div className="skeleton skeleton-card" />
      </div>
      <div className="skeleton skeleton-block" />
    </div>
  );
}
