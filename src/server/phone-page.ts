import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config.js';
import { ConnectorError } from '../errors.js';
import type { EmbeddedEmulator } from './context.js';

/** The page's files (`public/phone/`, next to `src/` and `dist/`): a fixed list, so no request path ever reaches the file system. */
const FILES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'phone.css': 'text/css; charset=utf-8',
  'phone.js': 'text/javascript; charset=utf-8',
  'voice-call.js': 'text/javascript; charset=utf-8',
  'log-view.js': 'text/javascript; charset=utf-8',
  'chat.js': 'text/javascript; charset=utf-8',
  'capture-worklet.js': 'text/javascript; charset=utf-8',
  'playback-worklet.js': 'text/javascript; charset=utf-8',
  'resampler.js': 'text/javascript; charset=utf-8',
  'jitter-buffer.js': 'text/javascript; charset=utf-8',
  'icon.svg': 'image/svg+xml',
};

/** Where the page's files are: `public/phone/` of the package (from `src/server/` and from `dist/server/` alike). */
export const PHONE_DIR = fileURLToPath(new URL('../../public/phone/', import.meta.url));

/**
 * The page's security headers: scripts, styles, worklets and connections (fetch and the call's
 * WebSocket) from this origin only, nothing inline, no framing, no referrer, the microphone for
 * this origin only.
 */
export const PAGE_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'permissions-policy': 'microphone=(self), camera=(), geolocation=(), payment=(), usb=()',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-cache',
};

const cache = new Map<string, Buffer>();

function file(name: string): Buffer {
  let body = cache.get(name);
  if (!body) {
    body = readFileSync(PHONE_DIR + name);
    cache.set(name, body);
  }
  return body;
}

/** What the page needs to know about this connector (`GET /phone/config.json`). */
export interface PhoneConfig {
  /** `emulator` when the Lex back-end is the emulator embedded in this process; `lex` otherwise. */
  backend: 'emulator' | 'lex';
  /** The emulator's demo key pair; only with the embedded emulator (it is public, and useless against AWS). */
  credentials?: { aws_key: string; aws_secret: string };
  /** The example bot (`EXAMPLE_*`), to pre-fill the form. */
  bot: { route: string; botId: string; botAliasId: string; localeId: string; botName: string; botAlias: string };
  /** True when CONNECTOR_AUTH_TOKEN is set: the page asks for it. */
  authRequired: boolean;
  /** The generic chat API is on (`CHAT_API`). */
  chat: boolean;
}

/** The page's settings for this connector; no secret but the emulator's public demo pair. */
export function phoneConfig(config: Config, emulator: EmbeddedEmulator | undefined): PhoneConfig {
  const e = config.example;
  return {
    backend: emulator ? 'emulator' : 'lex',
    ...(emulator ? { credentials: { aws_key: emulator.demoKey.accessKeyId, aws_secret: emulator.demoKey.secretAccessKey } } : {}),
    bot: { route: e.route, botId: e.botId, botAliasId: e.botAliasId, localeId: e.localeId, botName: e.botName, botAlias: e.botAlias },
    authRequired: config.connectorAuthToken !== undefined,
    chat: config.chat.apiEnabled,
  };
}

/**
 * `GET /phone`, `/phone/…`: the browser client's static files and `config.json`, with
 * `PAGE_HEADERS`. 404 for any other path under `/phone/`, and for all of them when
 * `PHONE_PAGE=false`.
 */
export function phonePage(req: IncomingMessage, res: ServerResponse, config: Config, emulator: EmbeddedEmulator | undefined): void {
  if (!config.phonePage) throw new ConnectorError('ROUTE_NOT_FOUND');
  const path = (req.url ?? '/').split('?')[0];
  const name = path === '/phone' || path === '/phone/' ? 'index.html' : path.slice('/phone/'.length);
  let body: Buffer;
  let type: string;
  if (name === 'config.json') {
    body = Buffer.from(JSON.stringify(phoneConfig(config, emulator)));
    type = 'application/json';
  } else {
    if (!Object.hasOwn(FILES, name)) throw new ConnectorError('ROUTE_NOT_FOUND');
    type = FILES[name];
    body = file(name);
  }
  res.writeHead(200, { ...PAGE_HEADERS, 'content-type': type, 'content-length': body.length });
  res.end(req.method === 'HEAD' ? undefined : body);
}
