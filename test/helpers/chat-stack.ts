import { Writable } from 'node:stream';
import { createConnector, type Connector } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createEmulator, type Emulator } from '../../src/emulator/server.js';
import { DEMO_KEY } from '../../src/emulator/sigv4.js';
import { createFakeTwilio, type FakeTwilio } from '../../src/fakes/twilio/fake-twilio.js';
import { scaledClock } from './scaled-clock.js';

export const ACCOUNT = 'AC' + 'a1'.repeat(16);
export const AUTH_TOKEN = 'twilio-auth-token-chat-0123456789abcd';
export const WORKSPACE = 'WS' + 'b2'.repeat(16);
export const WORKFLOW = 'WW' + 'c3'.repeat(16);
export const BEARER = 'chat-connector-bearer-token-must-not-leak';

/** The OrderFlowers dialog and the bot's answers (emulator "today" is 2026-11-22). */
export const ORDER_DIALOG: [string, string][] = [
  ['I would like to order some flowers', 'What type of flowers would you like to order? Say roses, tulips or lilies, or press 1, 2 or 3.'],
  ['roses', 'What day do you want the roses to be picked up?'],
  ['tomorrow', 'At what time do you want the roses to be picked up?'],
  ['10 am', 'Okay, your roses will be ready for pickup by 10:00 on 2026-11-23. Does this sound okay?'],
  ['yes', 'Thanks, your order for roses has been placed and will be ready for pickup by 10:00 on 2026-11-23. Goodbye.'],
];

/** A Twilio conversation SID from a short label (tests name their conversations). */
export function ch(n: number): string {
  return 'CH' + n.toString(16).padStart(32, '0');
}

/** Connector + Lex emulator + fake Twilio, all on 127.0.0.1:0, with captured logs. */
export interface ChatStack {
  emu: Emulator;
  fake: FakeTwilio;
  connector: Connector;
  httpUrl: string;
  /** `http://127.0.0.1:PORT/chat/twilio` — what a Twilio webhook points at. */
  webhookUrl: string;
  logs: string[];
  /** Resolves once no chat work is queued or running (read from /metrics). */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/** The env of one Twilio tenant pointing at the emulator's OrderFlowers bot. */
export function tenantEnv(): Record<string, string> {
  return {
    TWILIO_ACCOUNT_SID: ACCOUNT,
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    CHAT_BOT_ID: 'ORDERFLWRS',
    CHAT_BOT_ALIAS_ID: 'TSTALIASID',
    CHAT_AWS_KEY: DEMO_KEY.accessKeyId,
    CHAT_AWS_SECRET: DEMO_KEY.secretAccessKey,
    FLEX_WORKSPACE_SID: WORKSPACE,
    FLEX_WORKFLOW_SID: WORKFLOW,
  };
}

export async function startChatStack(opts: { env?: Record<string, string>; serviceWebhook?: boolean } = {}): Promise<ChatStack> {
  const emu = await createEmulator({ today: () => new Date('2026-11-22T12:00:00Z'), conversation: { heartbeatMs: 0 } });
  const fake = await createFakeTwilio({ accounts: [{ accountSid: ACCOUNT, authToken: AUTH_TOKEN }] });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LEX_ENDPOINT_URL: emu.url,
    LOG_LEVEL: 'trace',
    CONNECTOR_AUTH_TOKEN: BEARER,
    TWILIO_API_BASE_URL: fake.url,
    TWILIO_RETRY_BASE_MS: '20',
    TWILIO_RETRY_MAX_MS: '200',
    TWILIO_TIMEOUT_MS: '1000',
    ...tenantEnv(),
    ...opts.env,
  });
  const connector = await createConnector({ config, logger: createLogger('trace', sink), clock: scaledClock(10) });
  const { url } = await connector.listen();
  const webhookUrl = `${url}/chat/twilio`;
  // A service-level webhook (Console set-up) delivers every message in addition to conversation-scoped ones.
  if (opts.serviceWebhook) fake.serviceWebhookUrl = webhookUrl;
  const settled = async (): Promise<void> => {
    for (;;) {
      const text = await (await fetch(`${url}/metrics`)).text();
      if (/^lexconn_chat_active_conversations 0$/m.test(text)) return;
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return {
    emu,
    fake,
    connector,
    httpUrl: url,
    webhookUrl,
    logs,
    settled,
    close: async () => {
      await connector.close();
      await fake.close();
      await emu.close();
    },
  };
}
