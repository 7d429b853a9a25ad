import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { loadConfig } from '../../src/config.js';
import { mulawEncode } from '../../src/audio/mulaw.js';
import { createFakeTwilio } from '../../src/fakes/twilio/fake-twilio.js';
import { TwilioPhone } from '../../src/phones/twilio-phone.js';
import { utterance } from '../helpers/audio.js';
import { startProcess } from '../helpers/process.js';
import { ROUTES } from '../helpers/routes.js';
import { demoHeaders, startStack } from '../helpers/stack.js';

// With platform credentials the connector moves calls: which call (`call_uuid`, Twilio's
// `start.callSid`) and where to (`handoff_to`) come from the call's own settings. Without
// authentication anyone who reaches the port chooses them, and the operator's Vonage
// application or Twilio account transfers any live call it knows the id of, to any number.
// Like CHAT_SERVER_CREDENTIALS, such credentials are only accepted behind authentication.
const APP_ID = randomUUID();
const keys = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const ACCOUNT = `AC${'f'.repeat(32)}`;
const VONAGE = { VONAGE_APPLICATION_ID: APP_ID, VONAGE_PRIVATE_KEY: keys.privateKey.replace(/\n/g, '\\n') };
const TWILIO = { HANDOFF_TWILIO_ACCOUNT_SID: ACCOUNT, HANDOFF_TWILIO_API_KEY_SID: `SK${'1'.repeat(32)}`, HANDOFF_TWILIO_API_KEY_SECRET: 'api-key-secret-0001' };

describe('platform hand-off credentials need authenticated calls', () => {
  it('the real process refuses Vonage application credentials without CONNECTOR_AUTH_TOKEN (exit 78, naming the key)', async () => {
    const start = startProcess({ ...VONAGE, EMULATOR_VOICE: 'synthetic' });
    const outcome = await start.then(
      async (p) => {
        p.proc.kill('SIGKILL');
        await p.exit;
        return 'listening';
      },
      (err: Error) => err.message,
    );
    expect(outcome).toMatch(/^exited early \(78\)/);
    expect(outcome).toContain('VONAGE_APPLICATION_ID needs CONNECTOR_AUTH_TOKEN');
  });

  it.each([
    ['Vonage application', VONAGE, 'VONAGE_APPLICATION_ID needs CONNECTOR_AUTH_TOKEN'],
    ['Twilio API key', TWILIO, 'HANDOFF_TWILIO_ACCOUNT_SID needs TWILIO_AUTH_TOKEN or CONNECTOR_AUTH_TOKEN'],
    // The REST password alone does not sign anything: the Media Streams upgrades stay open.
    ['Twilio REST token only', { HANDOFF_TWILIO_ACCOUNT_SID: ACCOUNT, HANDOFF_TWILIO_AUTH_TOKEN: 'rest-only' }, 'HANDOFF_TWILIO_ACCOUNT_SID needs TWILIO_AUTH_TOKEN or CONNECTOR_AUTH_TOKEN'],
  ])('%s credentials without authentication: CONFIG_INVALID', (_name, env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it.each([
    ['Vonage application, CONNECTOR_AUTH_TOKEN', { ...VONAGE, CONNECTOR_AUTH_TOKEN: 'tok' }],
    ['Twilio API key, CONNECTOR_AUTH_TOKEN', { ...TWILIO, CONNECTOR_AUTH_TOKEN: 'tok' }],
    ['Twilio API key, TWILIO_AUTH_TOKEN', { ...TWILIO, TWILIO_AUTH_TOKEN: 'signs-every-upgrade' }],
  ])('%s: accepted', (_name, env) => {
    expect(() => loadConfig(env)).not.toThrow();
  });

  it('a Twilio start whose callSid is not a CallSid never reaches the Calls API path', async () => {
    const fake = await createFakeTwilio({ accounts: [{ accountSid: ACCOUNT, authToken: 'twilio-rest-token-0002' }] });
    const stack = await startStack({
      env: { CONNECTOR_AUTH_TOKEN: 'conn-token-0002', HANDOFF_TWILIO_ACCOUNT_SID: ACCOUNT, HANDOFF_TWILIO_AUTH_TOKEN: 'twilio-rest-token-0002', TWILIO_API_BASE_URL: fake.url },
    });
    try {
      const ws = new WebSocket(stack.wsUrl + ROUTES.v2('bad-callsid'), { headers: { authorization: 'Bearer conn-token-0002' } });
      await new Promise((r) => ws.once('open', r));
      const streamSid = `MZ${'4'.repeat(32)}`;
      ws.send(JSON.stringify({ event: 'connected', protocol: 'Call', version: '1.0.0' }));
      ws.send(
        JSON.stringify({
          event: 'start',
          streamSid,
          start: {
            streamSid,
            accountSid: ACCOUNT,
            callSid: `CA${'5'.repeat(32)}%2F..%2FCalls`,
            mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
            customParameters: demoHeaders({ handoff_to: '+15550001111' }),
          },
        }),
      );
      ws.on('message', (d) => {
        const m = JSON.parse(String(d));
        // Echo playout marks at once, as Twilio does when a prompt has played.
        if (m.event === 'mark') ws.send(JSON.stringify({ event: 'mark', streamSid, mark: m.mark }));
      });
      stack.emu.session('bad-callsid').script.push('talk to an agent');
      const pcm = utterance('talk to an agent', 8000);
      const samples = new Int16Array(pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + pcm.byteLength));
      for (let off = 0; off + 160 <= samples.length; off += 160) {
        ws.send(JSON.stringify({ event: 'media', streamSid, media: { payload: Buffer.from(mulawEncode(samples.slice(off, off + 160))).toString('base64') } }));
      }
      const closed = await new Promise<{ code: number; reason: string }>((r) => ws.once('close', (code, reason) => r({ code, reason: String(reason) })));
      expect(closed).toEqual({ code: 4010, reason: 'handed off: handoff-intent:Agent' });
      expect(fake.requests.filter((r) => r.op === 'call.update')).toEqual([]);
    } finally {
      await stack.close();
      await fake.close();
    }
  });

  it('a Twilio start without the account of the credentials is handed off by closing the stream, never by a call update', async () => {
    const fake = await createFakeTwilio({ accounts: [{ accountSid: ACCOUNT, authToken: 'twilio-rest-token-0001' }] });
    const stack = await startStack({
      env: { CONNECTOR_AUTH_TOKEN: 'conn-token-0001', HANDOFF_TWILIO_ACCOUNT_SID: ACCOUNT, HANDOFF_TWILIO_AUTH_TOKEN: 'twilio-rest-token-0001', TWILIO_API_BASE_URL: fake.url },
    });
    try {
      // An authenticated client that leaves out start.accountSid (Twilio always sends it).
      const phone = await TwilioPhone.connect(stack.wsUrl + ROUTES.v2('no-account'), {
        accountSid: '',
        headers: { authorization: 'Bearer conn-token-0001' },
        customParameters: demoHeaders({ handoff_to: '+15550001111' }) as Record<string, string>,
      });
      stack.emu.session('no-account').script.push('talk to an agent');
      phone.sendAudio(utterance('talk to an agent', 8000));
      await phone.nextReply();
      expect(await phone.closed).toEqual({ code: 4010, reason: 'handed off: handoff-intent:Agent' });
      expect(fake.store.callUpdates).toEqual([]);
    } finally {
      await stack.close();
      await fake.close();
    }
  });
});
