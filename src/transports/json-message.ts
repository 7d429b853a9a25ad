import { ConnectorError } from '../errors.js';

/** A JSON object from a text message; throws MESSAGE_MALFORMED (close 4000) for anything else. */
export function parseJsonObject(data: Buffer | string): Record<string, unknown> {
  let msg: unknown;
  try {
    msg = JSON.parse(typeof data === 'string' ? data : data.toString('utf8'));
  } catch {
    throw new ConnectorError('MESSAGE_MALFORMED');
  }
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) throw new ConnectorError('MESSAGE_MALFORMED');
  return msg as Record<string, unknown>;
}
