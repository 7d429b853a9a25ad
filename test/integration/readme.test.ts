import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VonagePhone } from '../../src/phones/vonage-phone.js';
import { closeOf, openWs } from '../helpers/raw-ws.js';
import { ROUTES } from '../helpers/routes.js';
import { type Stack, startStack } from '../helpers/stack.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The first fenced block of `lang` after the heading `heading`. */
function block(heading: string, lang: string): string {
  const from = README.indexOf(`\n${heading}\n`);
  expect(from, heading).toBeGreaterThan(0);
  const m = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(README.slice(from));
  return m![1];
}

const PUBLIC = { 'x-forwarded-host': 'YOUR-HOST', 'x-forwarded-proto': 'https' };

/** The README's examples are what the server serves and accepts (docs drift is a test failure). */
describe('README examples', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ embedded: true });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('the NCCO is exactly what GET /answer serves', async () => {
    const served = await (await fetch(`${stack.httpUrl}/answer`, { headers: PUBLIC })).text();
    const normal = served.replaceAll('your-host', 'YOUR-HOST').replace(/sessions\/[0-9a-f-]{36}\//, 'sessions/SESSION/');
    expect(JSON.parse(block('## The NCCO', 'json'))).toEqual(JSON.parse(normal));
  });

  it('the TwiML is exactly what GET /twiml serves', async () => {
    const served = await (await fetch(`${stack.httpUrl}/twiml?CallSid=CA...`, { headers: PUBLIC })).text();
    expect(block('## Twilio', 'xml')).toBe(served.replaceAll('your-host', 'YOUR-HOST'));
  });

  it('the first WebSocket message opens a call on the embedded emulator', async () => {
    const first = JSON.parse(block('### The first WebSocket message', 'json')) as Record<string, unknown>;
    const { event: _event, 'content-type': _type, ...headers } = first;
    const phone = await VonagePhone.connect(stack.wsUrl + ROUTES.v2('readme-first'), { rateHz: 16000, headers });
    phone.sendDtmf('1');
    phone.sendDtmf('#');
    const reply = await phone.nextReply();
    expect(reply.pcm.length).toBeGreaterThan(0);
    phone.hangUp();
  });

  it('a first message with only the content type and keys is closed with the 4000 the README quotes', async () => {
    const quoted = /closed with 4000 `([^`]+)`/.exec(README)![1];
    const ws = await openWs(stack.wsUrl + ROUTES.v2('readme-bad'));
    const closed = closeOf(ws);
    ws.send(JSON.stringify({ 'content-type': 'audio/l16;rate=16000', aws_key: 'AKIALEXEMULATORDEMO1', aws_secret: 'x' }));
    expect(await closed).toEqual({ code: 4000, reason: quoted });
  });

  it("the control-API curl that scripts the emulator works as written (against the emulator's URL)", async () => {
    const curl = /`(curl -X POST [^`]+\/_emulator\/sessions\/SESSION\/script)`/.exec(README)![1];
    const body = /-d '([^']+)'/.exec(curl)![1];
    const res = await fetch(`${stack.emu.url}/_emulator/sessions/SESSION/script`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(res.status).toBe(200);
    expect(stack.emu.session('SESSION').script).toEqual(['I would like to order some flowers']);
  });
});
