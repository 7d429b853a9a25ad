import http, { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * A Node HTTP server with deadlines a slow client cannot stretch: the whole request (headers and
 * body) within `requestTimeoutMs` (408), headers within the smaller of that and 10 s, checked
 * every second. A request Node cannot parse gets a 4xx answer (400, 431 for oversized headers,
 * 408 for a deadline) before its socket is closed, never a silent reset.
 */
export function createHttpServer(handler: http.RequestListener, requestTimeoutMs: number): http.Server {
  const server = http.createServer(
    {
      requestTimeout: requestTimeoutMs,
      headersTimeout: Math.min(requestTimeoutMs, 10_000),
      connectionsCheckingInterval: Math.min(1000, requestTimeoutMs),
    },
    handler,
  );
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => answerClientError(err, socket));
  // No proxy here: CONNECT gets 405 rather than a silently dropped socket.
  server.on('connect', (_req, socket: Duplex) => {
    socket.on('error', () => socket.destroy());
    socket.end('HTTP/1.1 405 Method Not Allowed\r\nConnection: close\r\nContent-Length: 0\r\n\r\n', () => socket.destroy());
  });
  return server;
}

/** The status for a request the HTTP parser refused. */
function statusOf(err: NodeJS.ErrnoException): number {
  if (err.code === 'HPE_HEADER_OVERFLOW') return 431;
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT' || err.code === 'HPE_HEADERS_TIMEOUT') return 408;
  return 400;
}

function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  // A reset or a socket already answered needs nothing more.
  if (err.code !== 'ECONNRESET' && socket.writable && !(socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent) {
    const status = statusOf(err);
    socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  }
  socket.destroy();
}
