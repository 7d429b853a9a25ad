import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_KEY } from '../../src/emulator/sigv4.js';
import { type Stack, startStack } from '../helpers/stack.js';

/** GET (or another method) without fetch's path normalisation, so `..` reaches the server as sent. */
async function get(stack: Stack, path: string, method = 'GET'): Promise<{ status: number; headers: Headers; body: string }> {
  const res = await fetch(stack.httpUrl + path, { method });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

describe('/phone with the embedded emulator as the Lex back-end', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ embedded: true });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('serves the page with a strict Content-Security-Policy and the other security headers', async () => {
    for (const path of ['/phone', '/phone/']) {
      const r = await get(stack, path);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(r.body).toContain('<script type="module" src="/phone/phone.js"></script>');
      expect(r.headers.get('content-security-policy')).toBe(
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      );
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('referrer-policy')).toBe('no-referrer');
      expect(r.headers.get('x-frame-options')).toBe('DENY');
      expect(r.headers.get('permissions-policy')).toContain('microphone=(self)');
    }
    // No inline script or style: the policy would block them.
    const html = (await get(stack, '/phone')).body;
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>|<style|\sstyle=|\son[a-z]+=/i);
  });

  it.each(['phone.js', 'voice-call.js', 'chat.js', 'log-view.js', 'capture-worklet.js', 'playback-worklet.js', 'resampler.js', 'jitter-buffer.js'])('serves %s as JavaScript', async (file) => {
    const r = await get(stack, `/phone/${file}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('answers HEAD without a body, and 404 for any other path, traversal included', async () => {
    const head = await get(stack, '/phone', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    for (const path of ['/phone/nope.js', '/phone/../package.json', '/phone/%2e%2e/package.json', '/phone/index.html/', '/phone/constructor', '/phonebook']) {
      expect((await get(stack, path)).status, path).toBe(404);
    }
    expect((await get(stack, '/phone', 'POST')).status).toBe(405);
  });

  it('config.json offers the demo credentials and the example bot', async () => {
    const r = await get(stack, '/phone/config.json');
    expect(JSON.parse(r.body)).toEqual({
      backend: 'emulator',
      credentials: { aws_key: DEMO_KEY.accessKeyId, aws_secret: DEMO_KEY.secretAccessKey },
      bot: { route: 'v2', botId: 'ORDERFLWRS', botAliasId: 'TSTALIASID', localeId: 'en_US', botName: 'OrderFlowers', botAlias: '$LATEST' },
      authRequired: false,
      chat: true,
    });
  });
});

describe('/phone with another Lex back-end', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { CONNECTOR_AUTH_TOKEN: 'tok-123456', EXAMPLE_AWS_KEY: 'AKIAEXAMPLEEXAMPLE00', EXAMPLE_AWS_SECRET: 'do-not-serve-me' } });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('config.json carries no credentials at all, and says a connector token is needed', async () => {
    const r = await get(stack, '/phone/config.json');
    const cfg = JSON.parse(r.body);
    expect(cfg).toMatchObject({ backend: 'lex', authRequired: true });
    expect(cfg.credentials).toBeUndefined();
    expect(r.body).not.toContain('do-not-serve-me');
    expect(r.body).not.toContain('AKIAEXAMPLE');
    expect(r.body).not.toContain('tok-123456');
  });
});

describe('PHONE_PAGE=false', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ embedded: true, env: { PHONE_PAGE: 'false' } });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('turns the page off', async () => {
    for (const path of ['/phone', '/phone/phone.js', '/phone/config.json']) expect((await get(stack, path)).status).toBe(404);
  });
});
