// Loaded with `node --import` by .ci/run: fails the process if anything imports tsx, to show that
// the compiled production code (dist/, NODE_ENV=production) runs on plain Node.
import { register } from "node:module";

const hook = `export async function resolve(specifier, context, next) {
  if (specifier === "tsx" || specifier.startsWith("tsx/")) throw new Error("tsx imported in production by " + context.parentURL);
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);
