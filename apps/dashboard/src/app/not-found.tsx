import Link from "next/link";

export default function NotFound() {
  return (
    <main className="sign-in">
      <section className="panel">
        <h1>Page not found</h1>
        <p>
          There is no such dashboard page. <Link href="/">Back to the overview</Link>.
        </p>
      </section>
    </main>
  );
}
