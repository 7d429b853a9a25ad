import { createConnector } from '../app.js';
import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { createEmulator } from '../emulator/server.js';
import { DEMO_KEY } from '../emulator/sigv4.js';
import { createFakeTwilio, type FakeTwilio } from '../fakes/twilio/fake-twilio.js';

const ACCOUNT = 'AC' + 'de'.repeat(16);
const AUTH_TOKEN = 'fake-twilio-demo-auth-token';
const DIALOG = ['I would like to order some flowers', 'roses', 'tomorrow', '10 am', 'yes'];

async function waitFor(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 5));
}

function botMessages(fake: FakeTwilio, sid: string): string[] {
  return fake
    .messages(ACCOUNT, sid)
    .filter((m) => m.source === 'api')
    .map((m) => m.body);
}

/** The generic API: one POST per customer message. */
async function apiDialog(base: string): Promise<void> {
  const session = `web-${Date.now()}`;
  const url = `${base}/chat/bots/ORDERFLWRS/botAliases/TSTALIASID/botLocales/en_US/sessions/${session}/text`;
  console.log(`1. Generic chat API: POST ${url}\n`);
  for (const text of DIALOG) {
    const t0 = performance.now();
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-aws-key': DEMO_KEY.accessKeyId, 'x-aws-secret': DEMO_KEY.secretAccessKey },
      body: JSON.stringify({ text }),
    });
    const r = (await res.json()) as {
      messages: { text: string }[];
      intent?: { name: string; state: string };
      dialogAction: { type: string; slotToElicit?: string };
      closed: boolean;
      handoff: boolean;
    };
    const ms = Math.round(performance.now() - t0);
    console.log(`customer: ${text}`);
    for (const m of r.messages) console.log(`     bot: ${m.text}`);
    console.log(
      `          ${r.dialogAction.type}${r.dialogAction.slotToElicit ? ` ${r.dialogAction.slotToElicit}` : ''}, intent ${r.intent?.name} ${r.intent?.state}, closed=${r.closed} handoff=${r.handoff} (${ms} ms)\n`,
    );
  }
}

/** The Twilio channel: signed webhooks from the fake, replies posted to the fake. */
async function twilioDialogs(fake: FakeTwilio, webhookUrl: string): Promise<void> {
  const sid = 'CH' + Date.now().toString(16).padStart(32, '0');
  fake.conversation(ACCOUNT, { sid, webhookUrl });
  console.log(`2. Twilio Conversations: signed onMessageAdded webhooks to ${webhookUrl}, replies through the fake Twilio REST API (${fake.url})\n`);
  for (const text of DIALOG) {
    const before = botMessages(fake, sid).length;
    console.log(`customer: ${text}`);
    await fake.say(ACCOUNT, sid, 'customer', text);
    await waitFor(() => botMessages(fake, sid).length > before);
    for (const m of botMessages(fake, sid).slice(before)) console.log(`     bot: ${m}`);
  }
  await waitFor(() => fake.store.get(ACCOUNT, sid)?.state === 'closed');
  console.log(`          conversation ${sid} state: closed\n`);

  const agentSid = 'CH' + (Date.now() + 1).toString(16).padStart(32, '0');
  fake.conversation(ACCOUNT, { sid: agentSid, webhookUrl });
  for (const text of ['I want roses', 'talk to an agent']) {
    const before = botMessages(fake, agentSid).length;
    console.log(`customer: ${text}`);
    await fake.say(ACCOUNT, agentSid, 'customer', text);
    await waitFor(() => botMessages(fake, agentSid).length > before);
    for (const m of botMessages(fake, agentSid).slice(before)) console.log(`     bot: ${m}`);
  }
  await waitFor(() => fake.store.interactions.some((i) => (i.channel.properties as { media_channel_sid?: string }).media_channel_sid === agentSid));
  const interaction = fake.store.interactions.at(-1)!;
  console.log(`          Flex interaction ${interaction.sid} created; task attributes:`);
  console.log(JSON.stringify((interaction.routing.properties as { attributes: unknown }).attributes, null, 2).replace(/^/gm, '          '));
  await fake.say(ACCOUNT, agentSid, 'customer', 'hello?');
  console.log('customer: hello?\n          (handed off: the bot stays silent, the agent answers in Flex)\n');
  const ops = new Map<string, number>();
  for (const r of fake.requests) ops.set(`${r.op} ${r.status}`, (ops.get(`${r.op} ${r.status}`) ?? 0) + 1);
  console.log(`Twilio REST requests the fake recorded: ${[...ops].map(([k, n]) => `${k} x${n}`).join(', ')}\n`);
}

/**
 * `npm run demo -- --chat`: the connector with the embedded Lex emulator and the fake Twilio
 * REST server; a chat dialog through the generic API, then through signed Twilio
 * Conversations webhooks (close at fulfilment, hand-off to Flex). Keeps serving afterwards.
 */
export async function chatDemo(logLevel = 'warn'): Promise<void> {
  const logger = createLogger(logLevel);
  const emulator = await createEmulator({ host: '127.0.0.1', logger });
  const fake = await createFakeTwilio({ accounts: [{ accountSid: ACCOUNT, authToken: AUTH_TOKEN }] });
  const config = loadConfig({
    ...process.env,
    LEX_ENDPOINT_URL: emulator.url,
    TWILIO_API_BASE_URL: fake.url,
    TWILIO_ACCOUNT_SID: ACCOUNT,
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    CHAT_BOT_ID: 'ORDERFLWRS',
    CHAT_BOT_ALIAS_ID: 'TSTALIASID',
    CHAT_AWS_KEY: DEMO_KEY.accessKeyId,
    CHAT_AWS_SECRET: DEMO_KEY.secretAccessKey,
    FLEX_WORKSPACE_SID: 'WS' + 'de'.repeat(16),
    FLEX_WORKFLOW_SID: 'WW' + 'de'.repeat(16),
    CONNECTOR_AUTH_TOKEN: '',
  });
  const connector = await createConnector({ config, logger });
  const { port } = await connector.listen();
  const base = `http://127.0.0.1:${port}`;
  console.log(`Lex connector on ${base}  (Lex emulator on ${emulator.url}, fake Twilio on ${fake.url})\n`);
  await apiDialog(base);
  await twilioDialogs(fake, `${base}/chat/twilio`);
  console.log('Still serving. Try the generic API yourself:');
  console.log(
    `  curl -s -H 'content-type: application/json' -H 'x-aws-key: ${DEMO_KEY.accessKeyId}' -H 'x-aws-secret: ${DEMO_KEY.secretAccessKey}' \\\n` +
      `    -d '{"text":"I want tulips"}' ${base}/chat/bots/ORDERFLWRS/botAliases/TSTALIASID/botLocales/en_US/sessions/me-1/text`,
  );
  console.log('Ctrl-C to stop.');
  const stop = (): void =>
    void connector
      .drain()
      .then(() => Promise.all([emulator.close(), fake.close()]))
      .then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
