import http, { type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EventEnvelope } from '../../src/events/webhook-sink.js';
import { verifyEvent } from '../../src/events/signature.js';

/** One delivery as the receiver saw it. */
export interface Received {
  path: string;
  envelope: EventEnvelope;
  body: string;
  /** The signature checked out with the receiver's secret. */
  valid: boolean;
}

/** A test webhook receiver on 127.0.0.1:0: records deliveries; `hang` never answers (a receiver that is down but accepts connections). */
export interface EventsReceiver {
  url: string;
  received: Received[];
  /** Deliveries whose answer is being held. */
  held: number;
  /** Envelopes of one call, in arrival order. */
  of(callId: string): EventEnvelope[];
  close(): Promise<void>;
}

export async function startEventsReceiver(secret: string, mode: 'ok' | 'hang' = 'ok'): Promise<EventsReceiver> {
  const received: Received[] = [];
  const hung = new Set<ServerResponse>();
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      if (mode === 'hang') {
        hung.add(res);
        r.held++;
        return;
      }
      const valid = verifyEvent(secret, body, String(req.headers['x-lexconn-signature']), String(req.headers['x-lexconn-timestamp']), Math.floor(Date.now() / 1000));
      received.push({ path: req.url ?? '/', envelope: JSON.parse(body) as EventEnvelope, body, valid });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const r: EventsReceiver = {
    url: `http://127.0.0.1:${port}/hooks/lex`,
    received,
    held: 0,
    of: (callId) => received.filter((x) => x.envelope.callId === callId).map((x) => x.envelope),
    close: async () => {
      for (const res of hung) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return r;
}
