import { proxyDownload } from "../../../../lib/export-proxy.ts";

/** GET /api/export/vectors?…: the API's `GET /export/vectors` with the session's key (lib/export-proxy.ts). */
export function GET(request: Request): Promise<Response> {
  return proxyDownload(request, "export/vectors");
}
