"use server";

import { redirect } from "next/navigation";
import { ApiError } from "../../../lib/api-error.ts";
import {
  AddCrawlSiteDocument,
  RemoveCrawlSiteDocument,
  StartCrawlDocument,
  type AddCrawlSiteMutationVariables,
  type CrawlSource,
  type RemoveCrawlSiteMutationVariables,
  type StartCrawlMutationVariables,
} from "../../../lib/generated/graphql.ts";
import { gql, type Operation } from "../../../lib/graphql.ts";
import { requireSessionKey } from "../../../lib/session.ts";

const SOURCES: CrawlSource[] = ["BLOG", "REVIEW", "NEWS"];

/** Back to the crawl page with a message for the curator. */
function back(params: Record<string, string>): never {
  redirect(`/crawl?${new URLSearchParams(params)}`);
}

/** Sends a mutation with the session's key; the API's refusals (a bad URL, a private address) come back as the page's message. */
async function send<T>(mutation: Operation<T>, variables: Record<string, unknown>): Promise<T> {
  const key = await requireSessionKey();
  try {
    return await gql<T>(mutation, variables, key);
  } catch (error) {
    if (error instanceof ApiError) back({ error: error.code, message: error.message });
    throw error;
  }
}

const text = (form: FormData, name: string) => {
  const entry = form.get(name);
  return typeof entry === "string" ? entry.trim() : "";
};

export async function addSite(form: FormData): Promise<void> {
  const source = SOURCES.find((s) => s === text(form, "source")) ?? "BLOG";
  const variables: AddCrawlSiteMutationVariables = {
    url: text(form, "url"),
    name: text(form, "name") || null,
    source,
    allowPrivate: form.get("allowPrivate") === "on",
  };
  const data = await send(AddCrawlSiteDocument, variables);
  back({ added: String(data.addCrawlSite.id) });
}

export async function removeSite(form: FormData): Promise<void> {
  const id = Number(text(form, "id"));
  if (!Number.isInteger(id) || id < 1) back({ error: "BAD_USER_INPUT", message: "no site chosen to remove" });
  const data = await send(RemoveCrawlSiteDocument, { id } satisfies RemoveCrawlSiteMutationVariables);
  back({ removed: data.removeCrawlSite.name });
}

/** Queues a crawl of one site (`siteId` in the form) or of every enabled one. */
export async function startCrawl(form: FormData): Promise<void> {
  const raw = text(form, "siteId");
  const siteId = /^\d+$/.test(raw) ? Number(raw) : null;
  const data = await send(StartCrawlDocument, { siteId } satisfies StartCrawlMutationVariables);
  back({ started: String(data.startCrawl.id) });
}
