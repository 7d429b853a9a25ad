import { parseArgs } from 'node:util';
import { createFakeTwilio, type FakeAccount } from './fake-twilio.js';

const USAGE = `Usage: npm run fake-twilio -- [options]
  --host HOST              listen address (default 127.0.0.1)
  --port PORT              listen port (default 4010, 0 = any free port)
  --account AC...:TOKEN    accept this account (repeatable; default: a demo account)
  --api-key SK...:SECRET   API key of the last --account (repeatable)
  --webhook URL            service-level onMessageAdded webhook (e.g. http://127.0.0.1:5000/chat/twilio)`;

const DEMO: FakeAccount = { accountSid: 'AC' + 'de'.repeat(16), authToken: 'fake-twilio-demo-auth-token' };

function pair(v: string, flag: string): [string, string] {
  const i = v.indexOf(':');
  if (i < 1) throw new TypeError(`${flag} must be SID:SECRET`);
  return [v.slice(0, i), v.slice(i + 1)];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '4010' },
      account: { type: 'string', multiple: true },
      'api-key': { type: 'string', multiple: true },
      webhook: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const accounts: FakeAccount[] = (values.account ?? []).map((a) => {
    const [accountSid, authToken] = pair(a, '--account');
    return { accountSid, authToken, apiKeys: [] };
  });
  if (accounts.length === 0) accounts.push(DEMO);
  for (const k of values['api-key'] ?? []) {
    const [sid, secret] = pair(k, '--api-key');
    (accounts.at(-1)!.apiKeys ??= []).push({ sid, secret });
  }
  const fake = await createFakeTwilio({ accounts, host: values.host, port: Number(values.port), serviceWebhookUrl: values.webhook });
  console.log(`Fake Twilio REST API listening on ${fake.url}`);
  console.log(`  TWILIO_API_BASE_URL=${fake.url}`);
  for (const a of accounts) console.log(`  account ${a.accountSid}${a === DEMO ? ` (auth token ${a.authToken})` : ''}`);
  console.log(
    `  a customer message: curl -s -X POST ${fake.url}/_fake/conversations/CH${'0'.repeat(31)}1/say -d '{"author":"me","body":"I want roses","webhookUrl":"http://127.0.0.1:5000/chat/twilio"}'`,
  );
  console.log(`  recorded: ${fake.url}/_fake/requests, /_fake/events, /_fake/interactions (docs/chat.md)`);
  const stop = (): void => void fake.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: Error) => {
  console.error(`fake-twilio: ${err.message}`);
  process.exit(1);
});
