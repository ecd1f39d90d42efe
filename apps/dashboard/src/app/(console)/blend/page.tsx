import type { Metadata } from "next";
import { ApiProblem } from "../../../components/api-problem.tsx";
import { BlendEditor } from "../../../components/blend-editor.tsx";
import { BlendHistory } from "../../../components/blend-history.tsx";
import { BlendPageDocument, type BlendPageQuery } from "../../../lib/generated/graphql.ts";
import { gql } from "../../../lib/graphql.ts";
import { load } from "../../../lib/load.ts";
import { requireSessionKey } from "../../../lib/session.ts";

export const metadata: Metadata = { title: "Blend" };

export default async function BlendPage({ searchParams }: { searchParams: Promise<{ saved?: string; activated?: string; error?: string }> }) {
  const key = await requireSessionKey();
  const { saved, activated, error } = await searchParams;
  const result = await load(() => gql<BlendPageQuery>(BlendPageDocument, {}, key));
  if (!result.ok) return <ApiProblem problem={result.problem} />;
  const data = result.value;
  return (
    <>
      <h1>Blend</h1>
      {saved ? (
        <p className="panel ok" role="status" data-testid="blend-message">
          Saved as version {saved}; activate it below to use it for the weekly playlists.
        </p>
      ) : null}
      {activated ? (
        <p className="panel ok" role="status" data-testid="blend-message">
          Version {activated} is now active.
        </p>
      ) : null}
      {error ? (
        <p className="panel problem" role="alert" data-testid="blend-message">
          {error}
        </p>
      ) : null}
      {/* Keyed by the active version: activating another starts the editor afresh from its settings. */}
      <BlendEditor key={data.activeBlendConfig.version} active={data.activeBlendConfig} listeners={data.users.edges.map((e) => e.node)} />
      <BlendHistory configs={data.blendConfigs.edges.map((e) => e.node)} total={data.blendConfigs.totalCount} />
    </>
  );
}
