import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { PathTemplate } from '../call/path-template.js';
import type { Config } from '../config.js';
import { asConnectorError, ConnectorError } from '../errors.js';
import type { Metrics, MetricsSource } from '../metrics.js';
import { answerNcco, type Ncco } from './answer.js';
import { bearerAuth, twilioAuth } from './auth.js';
import type { EmbeddedEmulator } from './context.js';
import { vonageEvent } from './event-webhook.js';
import { readForm, send, sendError } from './http.js';
import { phonePage } from './phone-page.js';
import { exampleTwiml } from './twiml.js';

/** State the HTTP endpoints report. */
export interface HttpState {
  draining: boolean;
  /** Calls in progress (as `lexconn_active_calls`). */
  activeCalls(): number;
  /** Connections still waiting to authenticate. */
  pendingConnections(): number;
}

/** What every HTTP route handler gets. */
export interface HttpContext {
  config: Config;
  metrics: Metrics;
  logger: Logger;
  state: HttpState;
  /** example_ncco.json, parsed once. */
  ncco: Ncco;
  /** The chat channel (`src/chat/`): answers every `/chat/…` request itself. */
  chat: { handle(req: IncomingMessage, res: ServerResponse): boolean };
  /** The Lex emulator of this process, when it is the Lex back-end (the browser page offers its demo credentials). */
  emulator?: EmbeddedEmulator;
}

/** One HTTP route: a path (exact; a template whose ids are decoded and checked; or a pattern for a prefix), its methods, its handler. */
export interface HttpRoute {
  path: string | PathTemplate<string> | RegExp;
  methods: readonly string[];
  /** Answers the request; a thrown or rejected `ConnectorError` is answered with its code's status. */
  handle(req: IncomingMessage, res: ServerResponse, ctx: HttpContext, params: Record<string, string>): void | Promise<void>;
}

const READ = ['GET', 'HEAD'] as const;
const READ_POST = ['GET', 'HEAD', 'POST'] as const;
/** For a route that answers every method itself. */
const ANY = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** `/twiml`, with `X-Twilio-Signature` checked when TWILIO_AUTH_TOKEN is set (403 otherwise). */
async function twiml(req: IncomingMessage, res: ServerResponse, { config }: HttpContext): Promise<void> {
  const params = req.method === 'POST' ? await readForm(req) : {};
  if (config.twilioAuthToken && twilioAuth(req, config.twilioAuthToken, ['https', 'http'], config.publicUrl, params) !== 'valid') throw new ConnectorError('SIGNATURE_INVALID');
  send(res, 200, 'text/xml', exampleTwiml(req, config, params));
}

/** `/metrics`, behind `METRICS_AUTH_TOKEN` (bearer) when it is set (401 otherwise). */
async function serveMetrics(req: IncomingMessage, res: ServerResponse, metrics: MetricsSource, token: string | undefined): Promise<void> {
  if (token !== undefined && bearerAuth(req, token) !== 'valid') throw new ConnectorError('UNAUTHORIZED');
  send(res, 200, metrics.contentType, await metrics.scrape());
}

/** The listener of `METRICS_PORT`: `/metrics` only (404 for anything else). */
export function createMetricsHandler(metrics: MetricsSource, token: string | undefined) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const fail = (err: unknown): void => sendError(res, asConnectorError(err));
    if ((req.url ?? '/').split('?')[0] !== '/metrics') return fail(new ConnectorError('ROUTE_NOT_FOUND'));
    if (req.method !== 'GET' && req.method !== 'HEAD') return fail(new ConnectorError('METHOD_NOT_ALLOWED'));
    serveMetrics(req, res, metrics, token).catch(fail);
  };
}

/**
 * The HTTP routes, one line each (WebSocket routes are `call/routes.ts`). A new route is a
 * line here; its handler uses `auth.ts` for bearer tokens or Twilio signatures.
 */
export const HTTP_ROUTES: readonly HttpRoute[] = [
  { path: '/answer', methods: READ_POST, handle: (req, res, ctx) => send(res, 200, 'application/json', JSON.stringify(answerNcco(ctx.ncco, req, ctx.config), null, 2)) },
  { path: '/twiml', methods: READ_POST, handle: twiml },
  { path: '/event', methods: READ_POST, handle: (req, res, { logger }) => vonageEvent(req, res, logger) },
  // The browser client (docs/browser.md): static files and config.json.
  { path: /^\/phone(\/|$)/, methods: READ, handle: (req, res, { config, emulator }) => phonePage(req, res, config, emulator) },
  { path: '/ping', methods: READ, handle: (_req, res) => send(res, 200, 'text/plain', 'ok') },
  {
    path: '/health',
    methods: READ,
    handle: (_req, res, { state }) => send(res, 200, 'application/json', JSON.stringify({ status: 'ok', activeCalls: state.activeCalls(), pendingConnections: state.pendingConnections() })),
  },
  {
    path: '/ready',
    methods: READ,
    handle: (_req, res, { state }) =>
      state.draining ? send(res, 503, 'application/json', JSON.stringify({ ready: false, draining: true })) : send(res, 200, 'application/json', JSON.stringify({ ready: true })),
  },
  { path: '/metrics', methods: READ, handle: (req, res, { metrics, config }) => serveMetrics(req, res, metrics, config.metrics.authToken) },
  // `/chat/twilio` and `/chat/bots/…/text` (docs/chat.md): the channel checks methods, auth and bodies, and answers its own errors.
  { path: /^\/chat\//, methods: ANY, handle: (req, res, { chat }) => void chat.handle(req, res) },
];

function match(route: HttpRoute, path: string): Record<string, string> | undefined {
  if (typeof route.path === 'string') return route.path === path ? {} : undefined;
  if (route.path instanceof RegExp) return route.path.test(path) ? {} : undefined;
  return route.path.parse(path);
}

/** Plain HTTP: the first route of `routes` whose path matches; 404 when none does, 405 for another method. */
export function createHttpHandler(ctx: Omit<HttpContext, 'ncco'>, nccoPath: string, routes: readonly HttpRoute[] = HTTP_ROUTES) {
  const context: HttpContext = { ...ctx, ncco: JSON.parse(readFileSync(nccoPath, 'utf8')) as Ncco };
  const fail = (res: ServerResponse, err: unknown): void => {
    const e = asConnectorError(err);
    if (e.code === 'INTERNAL') context.logger.error({ err }, 'http request failed');
    sendError(res, e);
  };
  return (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?')[0];
    for (const route of routes) {
      const params = match(route, path);
      if (!params) continue;
      if (!route.methods.includes(req.method ?? 'GET')) return fail(res, new ConnectorError('METHOD_NOT_ALLOWED'));
      try {
        const done = route.handle(req, res, context, params);
        if (done) done.catch((err: unknown) => fail(res, err));
      } catch (err) {
        fail(res, err);
      }
      return;
    }
    fail(res, new ConnectorError('ROUTE_NOT_FOUND'));
  };
}
