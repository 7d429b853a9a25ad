import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeTwilio } from './fake-twilio.js';

function json(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * The fake's control API under `/_fake/` (unauthenticated: keep the fake on loopback), for
 * driving it from outside the process (`npm run fake-twilio`, docs/chat.md):
 * `GET requests|events|interactions`, `GET conversations/{CH}`, `POST failures`,
 * `DELETE failures`, `POST conversations/{CH}/say` `{ author, body, accountSid?, webhookUrl? }`.
 */
export async function fakeControl(fake: FakeTwilio, req: IncomingMessage, res: ServerResponse, path: string, body: string): Promise<void> {
  let input: Record<string, unknown> = {};
  try {
    if (body) input = JSON.parse(body);
  } catch {
    return json(res, 400, { message: 'invalid JSON' });
  }
  const parts = path.split('/').filter(Boolean).slice(1).map(decodeURIComponent);
  const route = `${req.method} ${parts[0] ?? ''}${parts.length > 2 ? `/*/${parts[2]}` : parts.length === 2 ? '/*' : ''}`;
  const account = typeof input.accountSid === 'string' ? input.accountSid : fake.accounts[0]?.accountSid;
  try {
    switch (route) {
      case 'GET requests':
        return json(res, 200, { requests: fake.requests });
      case 'GET events':
        return json(res, 200, { events: fake.store.events });
      case 'GET interactions':
        return json(res, 200, { interactions: fake.store.interactions });
      case 'POST failures':
        fake.fail(input as never);
        return json(res, 200, { failures: fake.failures });
      case 'DELETE failures':
        fake.failures.length = 0;
        return json(res, 200, { failures: [] });
      case 'GET conversations/*': {
        const q = new URL(req.url ?? '/', 'http://x').searchParams.get('accountSid') ?? account;
        const c = fake.store.get(q, parts[1]);
        return c ? json(res, 200, c) : json(res, 404, { message: 'no such conversation' });
      }
      case 'POST conversations/*/say': {
        if (typeof input.body !== 'string' || typeof input.author !== 'string') return json(res, 400, { message: 'author and body: strings' });
        fake.conversation(account, { sid: parts[1], webhookUrl: typeof input.webhookUrl === 'string' ? input.webhookUrl : undefined });
        return json(res, 200, await fake.say(account, parts[1], input.author, input.body));
      }
      default:
        return json(res, 404, { message: 'unknown control path' });
    }
  } catch (err) {
    return json(res, 400, { message: (err as Error).message });
  }
}
