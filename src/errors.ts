/**
 * One error type for the whole code base. The retrieval core, the store and the
 * indexer throw it; the HTTP layer turns it into `{ error: { code, message, details } }`
 * with the status from the catalogue below.
 */
export const ERROR_CATALOGUE = {
  INVALID_INPUT: { status: 400, message: 'The request is invalid' },
  NOT_FOUND: { status: 404, message: 'Not found' },
  METHOD_NOT_ALLOWED: { status: 405, message: 'This path does not accept this method' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'The request body must be JSON (content-type: application/json)' },
  RATE_LIMITED: { status: 429, message: 'Too many requests from this client; retry after the time in Retry-After' },
  OVERLOADED: { status: 503, message: 'The service is busy; retry after the time in Retry-After' },
  DEADLINE_EXCEEDED: { status: 503, message: 'The request took longer than the service allows; retry after the time in Retry-After' },
  PAPER_NOT_FOUND: { status: 404, message: 'No paper with this id' },
  TOPIC_NOT_FOUND: { status: 404, message: 'No topic with this id' },
  // Never seen by the client, which has gone: the status (nginx's) keeps abandoned requests apart in logs and metrics.
  CLIENT_CLOSED: { status: 499, message: 'The client closed the connection before the answer was ready' },
  INDEX_MISSING: { status: 503, message: 'No index has been built yet' },
  INDEX_MODEL_MISMATCH: { status: 500, message: 'The index was built by another embedding model' },
  INDEX_CORRUPT: { status: 500, message: 'The index is damaged or incomplete' },
  INDEX_LOCKED: { status: 409, message: 'Another indexer is writing this index' },
  INDEX_NO_CURRENT: { status: 503, message: 'The index folder holds builds but none is published' },
  MODEL_NOT_FOUND: { status: 500, message: 'The embedding model could not be found' },
  BAD_RECORD: { status: 400, message: 'A record could not be read' },
  UNKNOWN_FORMAT: { status: 400, message: 'The input format could not be recognised' },
  UNAUTHORIZED: { status: 401, message: 'This endpoint needs an API key: Authorization: Bearer <key>' },
  FORBIDDEN: { status: 403, message: 'The API key is not valid' },
  JOB_NOT_FOUND: { status: 404, message: 'No job with this id' },
  QUEUE_UNAVAILABLE: { status: 503, message: 'The ingestion queue cannot accept writes right now' },
  PUBLISH_CONFLICT: { status: 409, message: 'Another build was published first; nothing was published' },
  INTERNAL: { status: 500, message: 'Internal error' },
} as const;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export class PaperscopeError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message?: string, details?: unknown) {
    super(message ?? ERROR_CATALOGUE[code].message);
    this.name = 'PaperscopeError';
    this.code = code;
    this.details = details ?? null;
  }

  get status(): number {
    return ERROR_CATALOGUE[this.code].status;
  }

  toJSON() {
    return { error: { code: this.code, message: this.message, details: this.details } };
  }
}
