"use server";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { ApiError } from "../../lib/api-error.ts";
import { MeDocument, type MeQuery } from "../../lib/generated/graphql.ts";
import { gql } from "../../lib/graphql.ts";
import { SESSION_COOKIE, SESSION_MAX_AGE_S } from "../../lib/session.ts";

/** Why a sign-in failed, as the `error` query parameter the sign-in page explains. */
export type SignInError = "empty" | "unknown" | "listener" | "api-down" | "api-error";

function reasonOf(error: ApiError): SignInError {
  if (error.code === "FORBIDDEN") return "listener";
  if (error.code === "UNAUTHENTICATED") return "unknown";
  if (error.code === "API_DOWN") return "api-down";
  return "api-error";
}

/**
 * Checks the key against the API before keeping it: `me` names the key's role, so a listener
 * key is refused here, and an unknown or revoked key comes back UNAUTHENTICATED.
 */
export async function signIn(form: FormData): Promise<void> {
  const entry = form.get("key");
  const key = (typeof entry === "string" ? entry : "").trim();
  if (!key) redirect("/sign-in?error=empty");
  let reason: SignInError | null = null;
  try {
    const { me } = await gql<MeQuery>(MeDocument, {}, key);
    if (me.role === "LISTENER") reason = "listener";
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    reason = reasonOf(error);
  }
  if (reason) redirect(`/sign-in?error=${reason}`);
  const secure = (await headers()).get("x-forwarded-proto") === "https";
  (await cookies()).set(SESSION_COOKIE, key, { httpOnly: true, sameSite: "lax", secure, path: "/", maxAge: SESSION_MAX_AGE_S });
  redirect("/");
}

export async function signOut(): Promise<void> {
  (await cookies()).delete(SESSION_COOKIE);
  redirect("/sign-in");
}
