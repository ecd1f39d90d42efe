import type { Metadata } from "next";
import { signIn, type SignInError } from "./actions.ts";

export const metadata: Metadata = { title: "Sign in" };

const MESSAGES: Record<SignInError | "expired", string> = {
  empty: "Paste an API key to sign in.",
  unknown: "The API does not know this key, or it was revoked. Check it, or make a new one with `deepcuts keys create --role curator`.",
  listener: "This is a listener key. The dashboard is for curators and admins: sign in with a curator or admin key (`deepcuts keys create --role curator`).",
  "api-down": "The Deepcuts API is not answering, so the key could not be checked. Start it with `npm start` or `deepcuts serve` and try again.",
  "api-error": "The API could not check this key just now. Try again in a moment.",
  expired: "Your key is no longer accepted by the API (revoked?). Sign in again.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const { error } = await searchParams;
  const message = error && error in MESSAGES ? MESSAGES[error as keyof typeof MESSAGES] : null;
  return (
    <main className="sign-in">
      <form action={signIn} className="panel sign-in-form">
        <h1>Deepcuts curator</h1>
        <p className="muted">Sign in with a curator or admin API key. It is kept in an HTTP-only cookie and sent only to the API.</p>
        {message ? (
          <p className="error" role="alert" data-testid="sign-in-error">
            {message}
          </p>
        ) : null}
        <label htmlFor="key">API key</label>
        <input id="key" name="key" type="password" autoComplete="off" required placeholder="dc_curator_..." />
        <button type="submit">Sign in</button>
        <p className="muted small">
          <code>npm start</code> prints a local curator key; more with <code>deepcuts keys create --role curator</code>.
        </p>
      </form>
    </main>
  );
}
