/**
 * A minimal HTTP/2 peer for `bench/conversation-response-micro.ts`: answers every request
 * with `:status 200` and `EVENTS` AudioResponseEvents of 640 bytes (the emulator's chunk
 * size), written 10 per macrotask as a reply streams, then a final empty one, and ends.
 * The request body is read and discarded. Prints `{"port":N}`.
 */
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { encodeEvent } from '../../src/emulator/event-stream.js';

const events = Number(process.env.EVENTS ?? 1000);
const chunk = Buffer.alloc(640, 7).toString('base64');
const audio = Buffer.from(encodeEvent('AudioResponseEvent', { eventId: 'RESPONSE-1', contentType: 'audio/pcm', audioChunk: chunk }));
const end = Buffer.from(encodeEvent('AudioResponseEvent', { eventId: 'RESPONSE-2', contentType: 'audio/pcm', audioChunk: '' }));

const server = http2.createServer();
server.on('stream', (stream) => {
  stream.resume();
  stream.on('error', () => {});
  stream.respond({ ':status': 200, 'content-type': 'application/vnd.amazon.eventstream' });
  let sent = 0;
  const burst = (): void => {
    if (stream.destroyed) return;
    for (let i = 0; i < 10 && sent < events; i++, sent++) stream.write(audio);
    if (sent < events) return void setImmediate(burst);
    stream.end(end);
  };
  burst();
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: (server.address() as AddressInfo).port })));
process.on('SIGTERM', () => process.exit(0));
