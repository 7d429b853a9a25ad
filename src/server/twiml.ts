import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import { exampleCredentials, exampleRoute, type Config } from '../config.js';
import { LEX_IDS, routePath } from '../call/routes.js';
import { publicOrigin } from './public-url.js';

function xml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/**
 * `/twiml`: example TwiML that connects a Twilio call to this server with a bidirectional
 * `<Connect><Stream>` to the example bot's route; per-call settings go in `<Parameter>`s
 * because Twilio forbids a query string in the stream URL; `<Hangup/>` after `</Connect>` runs
 * when the connector closes the stream (docs/handoff.md has a hand-off variant). The Twilio twin of `/answer`.
 */
export function exampleTwiml(req: IncomingMessage, config: Config, params: Record<string, string>): string {
  const { ws } = publicOrigin(req, config.publicUrl);
  const e = config.example;
  const callSid = params.CallSid ?? new URL(req.url ?? '/', 'http://x').searchParams.get('CallSid') ?? '';
  const path = routePath(exampleRoute(e, LEX_IDS.sessionId.test(callSid) ? callSid : randomUUID()));
  const { awsKey, awsSecret } = exampleCredentials(e);
  const parameters: [string, string][] = [
    ['aws_key', awsKey],
    ['aws_secret', awsSecret],
    ['aws_region', 'us-east-1'],
  ];
  if (e.route === 'conversation') parameters.push(['welcome_message', 'Hello, I am Lex, how can I help you?']);
  // The caller's number becomes the `callerId` session attribute and the hand-off's context; the CallSid comes with `start`.
  if (params.From) parameters.push(['caller_id', params.From]);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<Response>',
    ...(e.route === 'conversation' ? [] : ['  <Say>Hello, I am Lex, how can I help you?</Say>']),
    '  <Connect>',
    `    <Stream url="${xml(ws + path)}">`,
    ...parameters.map(([n, v]) => `      <Parameter name="${xml(n)}" value="${xml(v)}"/>`),
    '    </Stream>',
    '  </Connect>',
    '  <Hangup/>',
    '</Response>',
  ];
  return lines.join('\n') + '\n';
}
