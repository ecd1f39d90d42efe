/**
 * What went wrong talking to the API. `code` is the API's `extensions.code`
 * (UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT, NOT_FOUND, MODEL_NOT_READY...) or one of the
 * dashboard's own: API_DOWN (no answer), API_BAD_RESPONSE (an answer that is not GraphQL).
 */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly apiUrl: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}
