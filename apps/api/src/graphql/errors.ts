import { GraphQLError } from "graphql";

export const badInput = (field: string, problem: string) => new GraphQLError(`${field}: ${problem}`, { extensions: { code: "BAD_USER_INPUT", field } });
export const notFound = (what: string) => new GraphQLError(`${what} not found`, { extensions: { code: "NOT_FOUND" } });
export const forbidden = (why = "this key may not do that") => new GraphQLError(why, { extensions: { code: "FORBIDDEN" } });
export const unauthenticated = () => new GraphQLError("send an API key as 'Authorization: Bearer <key>'", { extensions: { code: "UNAUTHENTICATED" } });
export const modelNotReady = (what: string) => new GraphQLError(`${what} is not trained yet`, { extensions: { code: "MODEL_NOT_READY" } });
