import localFont from "next/font/local";

// next/font/google downloads at build time, which fails offline: ship Inter from the
// @fontsource/inter package instead.
export const inter = localFont({
  src: [
    { path: "../../../../node_modules/@fontsource/inter/files/inter-latin-400-normal.woff2", weight: "400", style: "normal" },
    { path: "../../../../node_modules/@fontsource/inter/files/inter-latin-600-normal.woff2", weight: "600", style: "normal" },
  ],
  display: "swap",
  variable: "--font-inter",
});
