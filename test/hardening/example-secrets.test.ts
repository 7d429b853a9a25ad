import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../helpers/stack.js';
import { twilioSignature } from '../../src/transports/twilio/signature.js';

// Issue 10.8: with EXAMPLE_AWS_KEY/SECRET set, unauthenticated GET /answer and /twiml served the
// secret. The example endpoints now emit a placeholder unless EXAMPLE_EXPOSE_CREDENTIALS=true.
const SECRET = 'exampleSecretThatMustNotBeServed/0123456789';
const KEY = 'AKIAEXAMPLEKEY000001';
const TWILIO = 'twilio-auth-token-for-example-test';

describe('example endpoints never serve a secret by default', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      env: {
        EXAMPLE_AWS_KEY: KEY,
        EXAMPLE_AWS_SECRET: SECRET,
        CONNECTOR_AUTH_TOKEN: 'a-token',
        TWILIO_AUTH_TOKEN: TWILIO,
        PUBLIC_URL: 'https://connector.example.com',
        METRICS_AUTH_TOKEN: 'metrics-token',
      },
    });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('/answer has neither the key nor the secret', async () => {
    const body = await (await fetch(stack.httpUrl + '/answer')).text();
    expect(body).not.toContain(SECRET);
    expect(body).not.toContain(KEY);
    expect(body).toContain('YOUR_AWS_SECRET_ACCESS_KEY');
  });

  it('/twiml (signed by Twilio) has neither the key nor the secret', async () => {
    const params = { CallSid: 'CA0123456789abcdef0123456789abcdef', From: '+15551234567' };
    const res = await fetch(stack.httpUrl + '/twiml', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(TWILIO, 'https://connector.example.com/twiml', params) },
      body: new URLSearchParams(params).toString(),
    });
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).not.toContain(SECRET);
    expect(body).not.toContain(KEY);
  });

  it('/metrics asks for METRICS_AUTH_TOKEN when it is set', async () => {
    expect((await fetch(stack.httpUrl + '/metrics')).status).toBe(401);
    expect((await fetch(stack.httpUrl + '/metrics', { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const ok = await fetch(stack.httpUrl + '/metrics', { headers: { authorization: 'Bearer metrics-token' } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('lexconn_active_calls');
  });
});

describe('EXAMPLE_EXPOSE_CREDENTIALS=true (local development) serves them', () => {
  it('/answer carries the example credentials', async () => {
    const stack = await startStack({ env: { EXAMPLE_AWS_KEY: KEY, EXAMPLE_AWS_SECRET: SECRET, EXAMPLE_EXPOSE_CREDENTIALS: 'true' } });
    try {
      const body = await (await fetch(stack.httpUrl + '/answer')).text();
      expect(body).toContain(SECRET);
    } finally {
      await stack.close();
    }
  });
});

describe('METRICS_PORT serves /metrics apart from the call port', () => {
  it('the call port has no /metrics; the metrics port has it', async () => {
    const stack = await startStack({ env: { METRICS_PORT: '0' } });
    try {
      expect((await fetch(stack.httpUrl + '/metrics')).status).toBe(404);
      const url = stack.connector.metricsUrl!;
      expect(await (await fetch(url + '/metrics')).text()).toContain('lexconn_active_calls');
    } finally {
      await stack.close();
    }
  });
});
