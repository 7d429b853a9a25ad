import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';
import { parseRoute } from '../call/routes.js';
import { ConnectorError, type ErrorCode } from '../errors.js';
import { authorizeUpgrade } from './auth.js';
import { type Admission, CallConnection } from './call-connection.js';
import type { ConnectorContext } from './context.js';
import type { CallRegistry } from './call-registry.js';

const STATUS_TEXT: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 503: 'Service Unavailable' };

/** Writes an HTTP error on a socket that asked to upgrade, and closes it. */
function refuse(socket: Duplex, status: number, message: string): void {
  const body = `${message}\n`;
  socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  socket.destroy();
}

/**
 * WebSocket upgrades: the path must be a call route (404), the request must pass
 * `authorizeUpgrade` (401/403; a Twilio signature already in use on a live connection: 403),
 * and the server must have room (503): a call slot for an authenticated connection, a place in
 * the smaller pending pool for one that still has to authenticate with its first message. All
 * before the WebSocket exists.
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
    const auth = authorizeUpgrade(req, ctx.config);
    if ('refuse' in auth) return reject(auth.refuse);
    const signature = ctx.config.limits.twilioSignatureSingleUse ? auth.twilioSignature : undefined;
    if (signature && registry.signatureInUse(signature)) return reject('SIGNATURE_REPLAYED');
    // Without any auth configured there is nothing to wait for: every connection is a call.
    const authRequired = ctx.config.connectorAuthToken !== undefined || ctx.config.twilioAuthToken !== undefined;
    const holdsSlot = auth.preAuthorized || !authRequired;
    if (holdsSlot && !registry.hasFreeSlot()) return reject('OVERLOADED');
    if (!holdsSlot && !registry.hasPendingRoom()) return reject('PENDING_FULL');
    wss.handleUpgrade(req, socket, head, (ws) => {
      const admission: Admission = {
        preAuthorized: auth.preAuthorized,
        holdsSlot,
        claimSlot: () => {
          if (!registry.claimSlot(call)) return false;
          admission.holdsSlot = true;
          return true;
        },
      };
      const call: CallConnection = new CallConnection(ws, route, ctx, admission, (c) => registry.remove(c));
      registry.add(call, holdsSlot, signature);
    });
  };
}
