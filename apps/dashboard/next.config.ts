import type { NextConfig } from "next";

// The dashboard is a thin shell over the GraphQL API: no images to optimise, no header that
// advertises the framework. Telemetry is turned off through NEXT_TELEMETRY_DISABLED=1.
const config: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // The subscription route's WebSocket client runs as the packages ship (ws loads optional
  // native helpers at run time, which bundling breaks).
  serverExternalPackages: ["ws", "graphql-ws"],
  // The blend's weight list and ranges come from the models package as TypeScript source; the
  // dashboard imports only its dependency-free subpath @deepcuts/models/blend/weights.
  transpilePackages: ["@deepcuts/models"],
};

export default config;
