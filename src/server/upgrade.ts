import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';
import { parseRoute } from '../call/routes.js';
import { ConnectorError, type ErrorCode } from '../errors.js';
import { authorizeUpgrade } from './auth.js';
import { CallConnection } from './call-connection.js';
import type { ConnectorContext } from './context.js';
import type { HttpState } from './http-routes.js';

const STATUS_TEXT: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 503: 'Service Unavailable' };

/** Writes an HTTP error on a socket that asked to upgrade, and closes it. */
function refuse(socket: Duplex, status: number, message: string): void {
  const body = `${message}\n`;
  socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  socket.destroy();
}

/** The calls in progress and whether new ones are taken. */
export interface CallRegistry extends HttpState {
  readonly calls: Set<CallConnection>;
  draining: boolean;
  /** Runs when a call has ended and been removed. */
  onCallEnded(): void;
}

/**
 * WebSocket upgrades: the path must be a call route (404), the server must take calls (503),
 * and the request must pass `authorizeUpgrade` (401/403), all before the WebSocket exists.
 */
export function createUpgradeHandler(ctx: ConnectorContext, wss: WebSocketServer, registry: CallRegistry) {
  return (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => socket.destroy());
    const reject = (code: ErrorCode): void => {
      const err = new ConnectorError(code);
      ctx.metrics.rejected.inc({ status: String(err.status) });
      refuse(socket, err.status, err.message);
    };
    const route = parseRoute(req.url ?? '/');
    if (!route) return reject('ROUTE_NOT_FOUND');
    if (registry.draining) return reject('DRAINING');
    if (registry.calls.size >= ctx.config.maxCalls) return reject('OVERLOADED');
    const auth = authorizeUpgrade(req, ctx.config);
    if ('refuse' in auth) return reject(auth.refuse);
    wss.handleUpgrade(req, socket, head, (ws) => {
      const call = new CallConnection(ws, route, ctx, auth.preAuthorized, (c) => {
        registry.calls.delete(c);
        registry.onCallEnded();
      });
      registry.calls.add(call);
    });
  };
}
