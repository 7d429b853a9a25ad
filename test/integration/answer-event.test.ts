import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../helpers/stack.js';

type Action = { action: string; eventUrl?: string[] };

describe('/answer eventUrl and the /event webhook', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  it("/answer points the connect action's eventUrl at this connector's own /event by default", async () => {
    const ncco = (await (await fetch(stack.httpUrl + '/answer', { headers: { 'x-forwarded-host': 'bot.example.com', 'x-forwarded-proto': 'https' } })).json()) as Action[];
    expect(ncco.find((a) => a.action === 'connect')?.eventUrl).toEqual(['https://bot.example.com/event']);
  });

  it('/event answers 200 with an empty body, GET or POST, and logs the status at debug without the echoed NCCO headers', async () => {
    const body = {
      status: 'disconnected',
      uuid: 'aaaaaaaa-bbbb-cccc-dddd-0123456789ab',
      conversation_uuid: 'CON-aaaaaaaa',
      headers: { aws_key: 'AKIALEXEMULATORDEMO1', aws_secret: 'never-log-this-secret' },
    };
    const post = await fetch(stack.httpUrl + '/event', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(post.status).toBe(200);
    expect(await post.text()).toBe('');
    const get = await fetch(stack.httpUrl + '/event?status=started&uuid=u1');
    expect(get.status).toBe(200);
    const lines = stack.logs.filter((l) => l.includes('"vonage event"')).map((l) => JSON.parse(l));
    expect(lines.map((l) => l.vonageEvent)).toEqual([
      { status: 'disconnected', uuid: body.uuid, conversation_uuid: body.conversation_uuid },
      { status: 'started', uuid: 'u1' },
    ]);
    expect(lines.every((l) => l.level === 20)).toBe(true);
    expect(stack.logs.join('')).not.toContain('never-log-this-secret');
  });

  it('/event takes a body that is not JSON, and refuses one over 64 KiB with 400', async () => {
    expect((await fetch(stack.httpUrl + '/event', { method: 'POST', body: 'status=ringing' })).status).toBe(200);
    expect((await fetch(stack.httpUrl + '/event', { method: 'POST', body: 'x'.repeat(70_000) })).status).toBe(400);
  });
});

describe('VONAGE_EVENT_URL', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { VONAGE_EVENT_URL: 'https://hooks.example.com/vonage/events' } });
  });
  afterAll(async () => {
    await stack.close();
  });

  it("sets /answer's eventUrl", async () => {
    const ncco = (await (await fetch(stack.httpUrl + '/answer')).json()) as Action[];
    expect(ncco.find((a) => a.action === 'connect')?.eventUrl).toEqual(['https://hooks.example.com/vonage/events']);
  });
});
