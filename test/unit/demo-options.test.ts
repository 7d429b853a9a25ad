import { readFileSync } from 'node:fs';
import { parse } from 'dotenv';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { demoOptions } from '../../src/demo-options.js';
import { takeOverSdkNodeWarning } from '../../src/node-version.js';

const example = parse(readFileSync(new URL('../../.env.example', import.meta.url)));

describe('npm run demo options', () => {
  it('`cp .env.example .env` changes neither the demo log level nor its Lex back-end', () => {
    expect(demoOptions([], { ...example })).toEqual({ lexEndpoint: undefined, logLevel: 'warn', chat: false });
    // The server reads the same file without complaint.
    expect(() => loadConfig({ ...example })).not.toThrow();
  });

  it('LEX_ENDPOINT_URL and LOG_LEVEL from the environment are the server’s, not the demo’s', () => {
    expect(demoOptions([], { LEX_ENDPOINT_URL: 'http://127.0.0.1:4000', LOG_LEVEL: 'debug', EMBEDDED_EMULATOR: 'false' })).toEqual({ lexEndpoint: undefined, logLevel: 'warn', chat: false });
  });

  it('is told otherwise only explicitly: --lex-endpoint / DEMO_LEX_ENDPOINT_URL, --log-level / DEMO_LOG_LEVEL', () => {
    expect(demoOptions(['--lex-endpoint=http://127.0.0.1:4000/', '--log-level', 'info'], {})).toEqual({ lexEndpoint: 'http://127.0.0.1:4000', logLevel: 'info', chat: false });
    expect(demoOptions(['--chat'], { DEMO_LEX_ENDPOINT_URL: 'http://localhost:4000', DEMO_LOG_LEVEL: 'debug' })).toEqual({ lexEndpoint: 'http://localhost:4000', logLevel: 'debug', chat: true });
    expect(() => demoOptions(['--log-level=loud'], {})).toThrow('--log-level / DEMO_LOG_LEVEL must be one of');
    expect(() => demoOptions(['--lex-endpoint=ftp://x'], {})).toThrow('must be an http(s) URL');
  });

  it('.env.example sets no LOG_LEVEL (the server default, info, applies)', () => {
    expect(example.LOG_LEVEL).toBeUndefined();
    expect(loadConfig({ ...example }).logLevel).toBe('info');
  });
});

describe("the AWS SDK's Node.js version warning", () => {
  it('becomes one notice of ours below Node 22 and turns the SDK’s own off, unless the environment decided', () => {
    const env: Record<string, string | undefined> = {};
    expect(takeOverSdkNodeWarning(env, 'v20.20.2')).toBe('Node.js v20.20.2: AWS SDK releases after the first week of January 2027 need Node.js >= 22');
    expect(env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBe('true');
    const decided = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'false' };
    takeOverSdkNodeWarning(decided, 'v20.1.0');
    expect(decided.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBe('false');
  });

  it('says nothing on Node 22 and later', () => {
    const env: Record<string, string | undefined> = {};
    expect(takeOverSdkNodeWarning(env, 'v22.22.0')).toBeUndefined();
    expect(env).toEqual({});
  });
});
