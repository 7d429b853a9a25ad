import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { listen } from '../../src/server/listen.js';

const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

describe('listen', () => {
  it('leaves no listener of its own on the server once listening (regression: the reject stayed attached)', async () => {
    const server = http.createServer();
    servers.push(server);
    const { port } = await listen(server, 0, '127.0.0.1');
    expect(port).toBeGreaterThan(0);
    expect(server.listenerCount('error')).toBe(0);
  });

  it('rejects when the port is taken', async () => {
    const first = http.createServer();
    servers.push(first);
    const { port } = await listen(first, 0, '127.0.0.1');
    const second = http.createServer();
    await expect(listen(second, port, '127.0.0.1')).rejects.toMatchObject({ code: 'EADDRINUSE' });
    expect((first.address() as AddressInfo).port).toBe(port);
  });
});
