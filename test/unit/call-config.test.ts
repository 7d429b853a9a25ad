import { VOICE_NAMES } from '../../src/emulator/voice/voice.js';
import { describe, expect, it } from 'vitest';
import { ConfigFieldError, parseCallConfig } from '../../src/call/call-config.js';
import { parseRoute } from '../../src/call/routes.js';
import { EMULATOR_VOICES, loadConfig } from '../../src/config.js';

const base = { aws_key: 'AKIAABCDEFGHIJKLMNOP', aws_secret: 's' };

describe('parseCallConfig', () => {
  it('applies the original defaults', () => {
    expect(parseCallConfig(base, 'v1')).toMatchObject({ awsRegion: 'us-east-1', sensitivity: 2, silenceMs: 400, clipMinMs: 200, clipMaxMs: 10000, bargeIn: true, hangupOnClose: false });
    expect(parseCallConfig(base, 'conversation').hangupOnClose).toBe(true);
  });

  it('accepts numeric strings and JSON-string attributes', () => {
    const c = parseCallConfig({ ...base, sensitivity: '3', silence_time: '600', lex_session_attributes: '{"tenant":"t1","n":5}' }, 'v2');
    expect(c).toMatchObject({ sensitivity: 3, silenceMs: 600, sessionAttributes: { tenant: 't1', n: '5' } });
  });

  it.each([
    [{ aws_secret: 's' }, 'aws_key'],
    [{ ...base, aws_key: 'short' }, 'aws_key'],
    [{ ...base, sensitivity: 7 }, 'sensitivity'],
    [{ ...base, sensitivity: 1.5 }, 'sensitivity'],
    [{ ...base, aws_region: 'us-east-1.evil.com' }, 'aws_region'],
    [{ ...base, clip_min: 5000, clip_max: 4000 }, 'clip_min'],
    [{ ...base, barge_in: 'maybe' }, 'barge_in'],
    [{ ...base, lex_session_attributes: { 'x-amz-lex:a': '1' } }, 'lex_session_attributes'],
    [{ ...base, lex_request_attributes: { big: 'x'.repeat(13000) } }, 'lex_session_attributes'],
  ])('rejects %j naming %s', (raw, field) => {
    try {
      parseCallConfig(raw as Record<string, unknown>, 'v2');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigFieldError);
      expect((err as ConfigFieldError).field).toBe(field);
    }
  });
});

describe('parseRoute', () => {
  it('parses the three Lex routes and decodes the alias', () => {
    expect(parseRoute('/bot/Flowers/alias/%24LATEST/user/u-1/content')).toEqual({ api: 'v1', botName: 'Flowers', botAlias: '$LATEST', userId: 'u-1' });
    expect(parseRoute('/bots/ABCDEFGHIJ/botAliases/TSTALIASID/botLocales/en_US/sessions/s1:x/utterance?x=1')).toMatchObject({ api: 'v2', sessionId: 's1:x' });
    expect(parseRoute('/bots/ABCDEFGHIJ/botAliases/TSTALIASID/botLocales/en_US/sessions/s1/conversation')).toMatchObject({ api: 'conversation' });
  });

  it.each(['/', '/bot/a/alias/b/user/c', '/bots/x/botAliases/y/botLocales/en_US/sessions/s/utterance', '/bot/a/alias/b/user/%ZZ/content'])('refuses %s', (p) => {
    expect(parseRoute(p)).toBeUndefined();
  });
});

describe('loadConfig', () => {
  it('fails fast naming the key', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT/);
    expect(() => loadConfig({ LEX_ENDPOINT_URL: 'ftp://x' })).toThrow(/LEX_ENDPOINT_URL/);
    expect(() => loadConfig({ VAD_ENGINE: 'magic' })).toThrow(/VAD_ENGINE/);
    expect(() => loadConfig({ EMULATOR_VOICE: 'polly' })).toThrow(/EMULATOR_VOICE must be one of flite, flite-rms, synthetic/);
  });

  it('gives the embedded emulator the intelligible voice unless told otherwise', () => {
    expect(loadConfig({}).emulatorVoice).toBe('flite');
    expect(loadConfig({ EMULATOR_VOICE: 'synthetic' }).emulatorVoice).toBe('synthetic');
    // The server's list (config.ts may not import the emulator) is the emulator's.
    expect([...EMULATOR_VOICES]).toEqual([...VOICE_NAMES]);
  });

  it('uses the emulator by default only outside production', () => {
    expect(loadConfig({}).embeddedEmulator).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production' }).embeddedEmulator).toBe(false);
    expect(loadConfig({ LEX_ENDPOINT_URL: 'http://127.0.0.1:4000' }).embeddedEmulator).toBe(false);
  });
});
