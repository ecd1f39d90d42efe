import type { Database } from "@deepcuts/db";
import {
  DEFAULT_EXPLORATION_SLOTS,
  explain,
  explorationRandom,
  parseBlendConstraints,
  parseBlendWeights,
  pickForListener,
  withExploration,
  type BlendConstraints,
  type BlendHead,
  type BlendWeights,
  type ListenerHistory,
  type ModelState,
  type PlaylistItemPick,
  type PlaylistPick,
} from "@deepcuts/models/blend";
import { assignArm, draftRandom } from "./assign.ts";
import type { ExperimentDesign } from "./experiments.ts";
import { teamDraft } from "./interleave.ts";
import type { Arm } from "./statistics.ts";

/** A blend as generation serves it. */
export interface ServedBlend {
  id: number;
  version: number;
  weights: BlendWeights;
  constraints: BlendConstraints;
}

/** The running experiment, with both blends loaded: what weekly generation honours. */
export interface ServingExperiment {
  id: number;
  design: ExperimentDesign;
  salt: string;
  split: number;
  control: ServedBlend;
  candidate: ServedBlend;
}

/** A served slot with the blend version and experiment arm that placed it. */
export type ServedItem = PlaylistItemPick & { blendVersion: number; arm: Arm | null };

export interface ServedPlaylist extends Omit<PlaylistPick, "items"> {
  items: ServedItem[];
  /** The blend configuration the playlist row names (the A/B arm's; the control's for interleaving). */
  blendId: number;
  /** The experiment log row: null outside an experiment. */
  exposure: { experimentId: number; arm: Arm | null } | null;
}

const asBlend = (r: { id: number; version: number; weights: unknown; constraints: unknown }): ServedBlend => ({
  id: r.id,
  version: r.version,
  weights: parseBlendWeights(r.weights),
  constraints: parseBlendConstraints(r.constraints),
});

/** The running experiment, or null. */
export async function servingExperiment(db: Database): Promise<ServingExperiment | null> {
  const running = await db.prisma.experiment.findFirst({
    where: { status: "RUNNING" },
    include: { controlBlend: true, candidateBlend: true },
    orderBy: { id: "desc" },
  });
  if (!running) return null;
  return {
    id: running.id,
    design: running.design,
    salt: running.salt,
    split: running.split,
    control: asBlend(running.controlBlend),
    candidate: asBlend(running.candidateBlend),
  };
}

/** A listener's playlist from one blend, as outside experiments (with its exploration slots). */
export function servePlain(
  state: ModelState,
  history: ListenerHistory,
  blend: ServedBlend,
  week: string,
  arm: Arm | null = null,
): Omit<ServedPlaylist, "exposure"> {
  const pick = pickForListener(state, history, blend.weights, blend.constraints, { exploration: explorationRandom(history.userId, week, blend.version) });
  return { ...pick, blendId: blend.id, items: pick.items.map((item) => ({ ...item, blendVersion: blend.version, arm })) };
}

/**
 * A listener's playlist while an experiment runs. A/B: the listener's hashed arm serves its
 * blend's playlist (every slot carries the arm). Interleaving: both blends rank the listener's
 * candidates; team-draft interleaving fills the playlist from their re-ranked lists under the
 * control's constraints, each slot credited to the arm that placed it and logged with that arm's
 * scores, rank and version; the control's exploration slots are then drawn from the control's
 * head as outside experiments (arm null).
 */
export function serveExperiment(state: ModelState, history: ListenerHistory, experiment: ServingExperiment, week: string): ServedPlaylist {
  const userId = history.userId;
  if (experiment.design === "AB") {
    const arm = assignArm(experiment, userId);
    const served = servePlain(state, history, arm === "CANDIDATE" ? experiment.candidate : experiment.control, week, arm);
    return { ...served, exposure: { experimentId: experiment.id, arm } };
  }
  const c = experiment.control.constraints;
  let controlHead: BlendHead | null = null,
    candidateHead: BlendHead | null = null;
  const control = pickForListener(state, history, experiment.control.weights, c, { onHead: (h) => (controlHead = h) });
  const candidate = pickForListener(state, history, experiment.candidate.weights, c, { onHead: (h) => (candidateHead = h) });
  const heads = { CONTROL: controlHead as BlendHead | null, CANDIDATE: candidateHead as BlendHead | null };
  const rowOf = (trackId: number) => state.indexOfTrack.get(trackId)!;
  const setup = heads.CONTROL?.setup;
  if (!setup || !heads.CANDIDATE) return { ...servePlain(state, history, experiment.control, week), exposure: null };
  const maxKnown = Math.floor(c.knownArtistShare * c.playlistSize);
  const accept = (row: number, chosen: readonly number[]) => {
    const artist = state.artistOf[row];
    let sameArtist = 0,
      knownSoFar = 0;
    for (const j of chosen) {
      if (state.artistOf[j] === artist) sameArtist++;
      if (history.knownArtists.has(state.artistOf[j])) knownSoFar++;
    }
    if (sameArtist >= c.artistCap) return false;
    return !(history.knownArtists.has(artist) && !setup.cold && knownSoFar >= maxKnown);
  };
  const drafted = teamDraft(
    control.items.map((i) => rowOf(i.trackId)),
    candidate.items.map((i) => rowOf(i.trackId)),
    c.playlistSize,
    draftRandom(experiment.id, userId, week),
    accept,
  );
  const armOf = new Map(drafted.map((d) => [d.row, d.arm]));
  const slots = Math.min(c.explorationSlots ?? DEFAULT_EXPLORATION_SLOTS, c.playlistSize);
  const chosen = withExploration(
    drafted.map((d) => d.row),
    heads.CONTROL!.pool,
    c.playlistSize,
    slots,
    explorationRandom(userId, week, experiment.control.version),
    accept,
  );
  const rankIn = (head: BlendHead) => new Map(head.pool.map((row, r) => [row, r + 1]));
  const ranks = { CONTROL: rankIn(heads.CONTROL!), CANDIDATE: rankIn(heads.CANDIDATE) };
  const items: ServedItem[] = chosen.map(({ row, explored, propensity }) => {
    const arm = explored ? null : (armOf.get(row) ?? "CONTROL");
    const head = heads[arm ?? "CONTROL"]!;
    const scores = head.parts(row);
    const blend = arm === "CANDIDATE" ? experiment.candidate : experiment.control;
    return {
      trackId: state.trackIds[row],
      score: head.total(row),
      scores,
      reason: explain(state, history, setup.basis, row, scores, setup.cold),
      rank: ranks[arm ?? "CONTROL"].get(row) ?? head.pool.length + 1,
      explored,
      propensity,
      blendVersion: blend.version,
      arm,
    };
  });
  const status = setup.cold ? "COLD_START" : items.length < c.playlistSize ? "SHORT" : "COMPLETE";
  return { status, items, effectiveWeights: control.effectiveWeights, blendId: experiment.control.id, exposure: { experimentId: experiment.id, arm: null } };
}
