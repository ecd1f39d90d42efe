export { main } from "./cli/main.ts";
export { startApi } from "./server.ts";
export { appConfig } from "./config.ts";
