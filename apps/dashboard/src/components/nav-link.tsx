"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

/** A sidebar link that marks itself current; client-side only for usePathname. */
export function NavLink({ href, children }: { href: string; children: React.ReactNode }) {
  const pathname = usePathname();
  const current = href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
  return (
    <Link href={href} className={current ? "nav-link current" : "nav-link"} aria-current={current ? "page" : undefined}>
      {children}
    </Link>
  );
}
