/**
 * The IPC messages between the cluster primary and its workers (`process.send` over the channel
 * `node:cluster` opens; JSON-serialised).
 */

/** A worker to the primary. */
export type WorkerMessage =
  /** The connector listens (on the shared port). */
  | { type: 'lexconn:listening'; port: number }
  /** Calls in progress on this worker, sent on every change: what the primary counts as lost if the worker dies. */
  | { type: 'lexconn:active-calls'; active: number }
  /** A `/metrics` request: the primary answers with every worker's metrics summed. */
  | { type: 'lexconn:scrape'; id: number }
  /** The answer to `lexconn:collect`: this worker's registry as `getMetricsAsJSON()` gives it. */
  | { type: 'lexconn:metrics'; id: number; metrics?: unknown[]; error?: string }
  /** A browser call scripts the next transcripts of a Lex session on the primary's embedded emulator. */
  | { type: 'lexconn:script'; sessionId: string; transcripts: string[] };

/** The primary to a worker. */
export type PrimaryMessage =
  /** Stop taking calls, drain (DRAIN_TIMEOUT_MS) and exit. */
  | { type: 'lexconn:drain' }
  /** Send your metrics (`lexconn:metrics`), for the sum the primary serves. */
  | { type: 'lexconn:collect'; id: number }
  /** The answer to `lexconn:scrape`: the exposition text, or why there is none. */
  | { type: 'lexconn:scrape-result'; id: number; text?: string; error?: string };

function typeOf(m: unknown): string | undefined {
  return typeof m === 'object' && m !== null && typeof (m as { type?: unknown }).type === 'string' ? (m as { type: string }).type : undefined;
}

/** Narrows an IPC message from a worker; anything else (prom-client's, malformed) is undefined. */
export function asWorkerMessage(m: unknown): WorkerMessage | undefined {
  const o = m as Record<string, unknown>;
  switch (typeOf(m)) {
    case 'lexconn:listening':
      return typeof o.port === 'number' ? (o as WorkerMessage) : undefined;
    case 'lexconn:active-calls':
      return Number.isInteger(o.active) && (o.active as number) >= 0 ? (o as WorkerMessage) : undefined;
    case 'lexconn:scrape':
      return typeof o.id === 'number' ? (o as WorkerMessage) : undefined;
    case 'lexconn:metrics':
      return typeof o.id === 'number' && (o.metrics === undefined || Array.isArray(o.metrics)) ? (o as WorkerMessage) : undefined;
    case 'lexconn:script':
      return typeof o.sessionId === 'string' && Array.isArray(o.transcripts) && o.transcripts.every((t) => typeof t === 'string') ? (o as WorkerMessage) : undefined;
    default:
      return undefined;
  }
}

/** Narrows an IPC message from the primary. */
export function asPrimaryMessage(m: unknown): PrimaryMessage | undefined {
  const o = m as Record<string, unknown>;
  switch (typeOf(m)) {
    case 'lexconn:drain':
      return o as PrimaryMessage;
    case 'lexconn:scrape-result':
    case 'lexconn:collect':
      return typeof o.id === 'number' ? (o as PrimaryMessage) : undefined;
    default:
      return undefined;
  }
}
