import type { Metadata } from "next";
import { inter } from "./fonts.ts";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Deepcuts curator", template: "%s · Deepcuts curator" },
  description: "Curator dashboard for the Deepcuts weekly discovery engine",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en" className={inter.variable}>
      <body>{children}</body>
    </html>
  );
}
