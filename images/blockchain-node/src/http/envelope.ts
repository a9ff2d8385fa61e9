// Every API response body: { success, data, error, timestamp } (upstream's envelope).
export interface Envelope<T = unknown> {
  success: boolean;
  data: T | null;
  error: string | null;
  timestamp: string;
}

export const okEnvelope = <T>(data: T): Envelope<T> => ({ success: true, data, error: null, timestamp: new Date().toISOString() });

export const errorEnvelope = (error: string, data: unknown = null): Envelope => ({
  success: false,
  data,
  error,
  timestamp: new Date().toISOString(),
});

/** Thrown by handlers for a client-visible failure with a status code. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}
