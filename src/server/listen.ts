import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Listens on `port`/`host`; rejects if listening fails (EADDRINUSE, EACCES). The error
 * listener used for that is removed once listening, so later server errors reach the
 * owner's own `error` listener.
 */
export function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}
