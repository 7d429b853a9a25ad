import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { startStack, demoHeaders, type Stack } from '../helpers/stack.js';
import { utterance } from '../helpers/audio.js';
import { TwilioPhone } from '../../src/phones/twilio-phone.js';
import { VonagePhone } from '../../src/phones/vonage-phone.js';
import { ROUTES } from '../helpers/routes.js';

const TOKEN = 'twilio-auth-token-0123456789abcdef';
const BEARER = 'vonage-bearer-token';

/** Twilio's published algorithm, written out independently of src/: HMAC-SHA1(url + sorted k+v), base64. */
function sign(url: string, params: Record<string, string> = {}): string {
  const data =
    url +
    Object.keys(params)
      .sort()
      .map((k) => k + params[k])
      .join('');
  return createHmac('sha1', TOKEN).update(data).digest('base64');
}

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { TWILIO_AUTH_TOKEN: TOKEN, CONNECTOR_AUTH_TOKEN: BEARER } });
});
afterAll(async () => {
  await stack.close();
});

const path = ROUTES.v2('tw-signed');
const params = Object.fromEntries(Object.entries(demoHeaders()).map(([k, v]) => [k, String(v)]));
const host = () => new URL(stack.httpUrl).host;

describe('X-Twilio-Signature on the WebSocket upgrade', () => {
  it.each([
    ['wss:// URL', () => `wss://${host()}${path}`, {}],
    ['https:// URL', () => `https://${host()}${path}`, {}],
    ['wss:// URL with the default port (behind a proxy)', () => `wss://bot.example.com:443${path}`, { 'x-forwarded-host': 'bot.example.com' }],
    ['wss:// URL without the default port (behind a proxy)', () => `wss://bot.example.com${path}`, { 'x-forwarded-host': 'bot.example.com:443' }],
  ])('accepts a signature over the %s', async (_n, url, headers) => {
    const phone = await TwilioPhone.connect(stack.wsUrl + path, { customParameters: params, signature: sign(url()), headers });
    stack.emu.session('tw-signed').script.push('order flowers');
    phone.sendAudio(utterance('order flowers', 8000));
    expect((await phone.nextReply()).frames.length).toBeGreaterThan(0);
    phone.hangUp();
    await phone.closed;
  });

  it('refuses a wrong signature with 403 before the upgrade', async () => {
    await expect(TwilioPhone.connect(stack.wsUrl + path, { customParameters: params, signature: sign(`wss://evil.example.com${path}`) })).rejects.toMatchObject({ status: 403 });
  });

  it('refuses a missing signature with 403 (unless the upgrade carries the connector bearer token)', async () => {
    await expect(TwilioPhone.connect(stack.wsUrl + path, { customParameters: params })).rejects.toMatchObject({ status: 403 });
    // A Vonage call on the same server authenticates with Vonage's websocket `authorization` option.
    const vonage = await VonagePhone.connect(stack.wsUrl + path.replace('tw-signed', 'vonage-side'), { rateHz: 16000, headers: demoHeaders(), authorization: `Bearer ${BEARER}` });
    stack.emu.session('vonage-side').script.push('order flowers');
    vonage.sendAudio(utterance('order flowers', 16000));
    expect((await vonage.nextReply()).frames.length).toBeGreaterThan(0);
    vonage.hangUp();
  });
});

describe('/twiml', () => {
  it('returns <Connect><Stream> TwiML to this host with <Parameter>s when signed (POST form)', async () => {
    const form = { CallSid: 'CA0123456789abcdef', From: '+447700900123', To: '+15550100' };
    const res = await fetch(stack.httpUrl + '/twiml', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': sign(`https://${host()}/twiml`, form) },
      body: new URLSearchParams(form).toString(),
    });
    expect(res.status).toBe(200);
    const xml = await res.text();
    expect(xml).toContain(`<Stream url="ws://${host()}/bots/ORDERFLWRS/botAliases/TSTALIASID/botLocales/en_US/sessions/CA0123456789abcdef/utterance">`);
    expect(xml).toContain('<Parameter name="aws_region" value="us-east-1"/>');
    expect(xml).toContain('<Parameter name="caller_id" value="+447700900123"/>');
    // Twilio forbids a query string in the stream URL: settings travel as <Parameter>s.
    expect(/<Stream url="([^"]*)"/.exec(xml)![1]).not.toContain('?');
  });

  it('accepts a signed GET and refuses a wrong or missing signature with 403', async () => {
    expect((await fetch(stack.httpUrl + '/twiml', { headers: { 'x-twilio-signature': sign(`https://${host()}/twiml`) } })).status).toBe(200);
    expect((await fetch(stack.httpUrl + '/twiml', { headers: { 'x-twilio-signature': 'AAAA' } })).status).toBe(403);
    expect((await fetch(stack.httpUrl + '/twiml')).status).toBe(403);
  });
});
