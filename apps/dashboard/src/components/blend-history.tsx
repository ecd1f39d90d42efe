import { activateBlendConfig } from "../app/(console)/blend/actions.ts";
import { WEIGHT_NAMES, type BlendConfig } from "../lib/blend.ts";

/** Saved versions, newest first, with who saved them, when, and a button to activate. */
export function BlendHistory({ configs, total }: { configs: BlendConfig[]; total: number }) {
  return (
    <section className="panel">
      <h2>History</h2>
      <p className="muted small">
        {total} {total === 1 ? "version" : "versions"}
        {total > configs.length ? `, newest ${configs.length} shown` : ""}
      </p>
      <table className="table" data-testid="blend-history">
        <thead>
          <tr>
            <th>Version</th>
            <th>Note</th>
            <th>By</th>
            <th>When</th>
            <th>Weights</th>
            <th>Cap / known / diversity / exploration</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {configs.map((c) => (
            <tr key={c.id} data-version={c.version}>
              <td>v{c.version}</td>
              <td>{c.note || <span className="muted">–</span>}</td>
              <td>{c.author}</td>
              <td>{new Date(c.createdAt).toISOString().slice(0, 16).replace("T", " ")} UTC</td>
              <td className="small">{WEIGHT_NAMES.map((n) => `${n.slice(0, 4)} ${c.weights[n]}`).join(", ")}</td>
              <td className="small">
                {c.constraints.artistCap} / {c.constraints.knownArtistShare} / {c.constraints.diversity} / {c.constraints.explorationSlots}
              </td>
              <td>
                {c.isActive ? (
                  <strong className="active-badge">active</strong>
                ) : (
                  <form action={activateBlendConfig}>
                    <input type="hidden" name="id" value={c.id} />
                    <button type="submit" className="small-button">
                      Activate
                    </button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
