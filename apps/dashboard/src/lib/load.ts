import { redirect } from "next/navigation";
import { ApiError } from "./api-error.ts";
import { dashboardConfig } from "./config.ts";

/** A failed call, as plain data a page can render. */
export interface ApiProblemInfo {
  code: string;
  message: string;
  apiUrl: string;
}

export type Loaded<T> = { ok: true; value: T } | { ok: false; problem: ApiProblemInfo };

/**
 * Runs a page's API calls and turns an ApiError into a problem the page renders. A key the
 * API no longer knows sends the curator back to sign in; anything else is rethrown.
 */
export async function load<T>(run: () => Promise<T>): Promise<Loaded<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.code === "UNAUTHENTICATED") redirect("/sign-in?error=expired");
    return { ok: false, problem: { code: error.code, message: error.message, apiUrl: dashboardConfig().apiUrl } };
  }
}
