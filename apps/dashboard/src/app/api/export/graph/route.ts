import { proxyDownload } from "../../../../lib/export-proxy.ts";

/** GET /api/export/graph?…: the API's `GET /export/graph` with the session's key (lib/export-proxy.ts). */
export function GET(request: Request): Promise<Response> {
  return proxyDownload(request, "export/graph");
}
