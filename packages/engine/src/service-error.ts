import { checkText, TextError, type TextRule } from "./validation/text.ts";

/**
 * A rule a service refuses to break, with the code the API reports it under. The GraphQL layer
 * turns these into GraphQLErrors; anything else stays an internal error.
 */
export type ServiceErrorCode = "BAD_USER_INPUT" | "NOT_FOUND" | "MODEL_NOT_READY" | "FORBIDDEN";

export class ServiceError extends Error {
  constructor(
    readonly code: ServiceErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "ServiceError";
  }
}

export const invalid = (field: string, problem: string) => new ServiceError("BAD_USER_INPUT", `${field}: ${problem}`, field);
export const missing = (what: string) => new ServiceError("NOT_FOUND", `${what} not found`);
export const notReady = (what: string) => new ServiceError("MODEL_NOT_READY", what);

/** checkText's TextError as BAD_USER_INPUT naming the field. */
export function checkServiceText(value: string, field: string, rule: TextRule): string {
  try {
    return checkText(value, field, rule);
  } catch (error) {
    if (error instanceof TextError) throw invalid(error.field, error.problem);
    throw error;
  }
}
