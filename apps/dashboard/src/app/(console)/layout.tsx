import { NavLink } from "../../components/nav-link.tsx";
import { requireSessionKey } from "../../lib/session.ts";
import { signOut } from "../sign-in/actions.ts";

const PAGES = [
  { href: "/", label: "Overview" },
  { href: "/catalogue", label: "Catalogue" },
  { href: "/vectors", label: "Vectors" },
  { href: "/blend", label: "Blend" },
  { href: "/playlists", label: "Playlists" },
  { href: "/outcomes", label: "Outcomes" },
  { href: "/experiments", label: "Experiments" },
  { href: "/graph", label: "Graph" },
  { href: "/crawl", label: "Crawl" },
  { href: "/training", label: "Training" },
];

/** The signed-in shell: without a session cookie every page sends the curator to sign in. */
export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  await requireSessionKey();
  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Dashboard pages">
        <div className="brand">Deepcuts</div>
        {PAGES.map((p) => (
          <NavLink key={p.href} href={p.href}>
            {p.label}
          </NavLink>
        ))}
        <form action={signOut} className="sign-out">
          <button type="submit" className="link-button">
            Sign out
          </button>
        </form>
      </nav>
      <main className="content">{children}</main>
    </div>
  );
}
