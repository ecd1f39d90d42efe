import { cookies } from "next/headers";
import { redirect } from "next/navigation";

/** The HTTP-only cookie that holds the signed-in curator's API key. */
export const SESSION_COOKIE = "deepcuts_session";

/** Eight hours: a working day, after which the curator signs in again. */
export const SESSION_MAX_AGE_S = 8 * 60 * 60;

export async function sessionKey(): Promise<string | null> {
  return (await cookies()).get(SESSION_COOKIE)?.value ?? null;
}

/** The key, or a redirect to the sign-in page when there is none. */
export async function requireSessionKey(): Promise<string> {
  const key = await sessionKey();
  if (!key) redirect("/sign-in");
  return key;
}
