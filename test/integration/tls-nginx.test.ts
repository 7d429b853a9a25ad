import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import net from 'node:net';
import https from 'node:https';
import { startStack, demoHeaders, type Stack } from '../helpers/stack.js';
import { utterance } from '../helpers/audio.js';
import { VonagePhone } from '../../src/phones/vonage-phone.js';
import { ROUTES } from '../helpers/routes.js';

function has(cmd: string): boolean {
  try {
    execFileSync(cmd, ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    try {
      execFileSync(cmd, ['version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  }
}

const available = has('nginx') && has('openssl');
if (!available) console.warn('tls-nginx test SKIPPED: nginx or openssl not installed (.ci/run installs nginx-light)');

function freePort(): Promise<number> {
  return new Promise((res) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => res(port));
    });
  });
}

describe.skipIf(!available)('TLS (wss://) through Debian nginx with the documented configuration', () => {
  let stack: Stack;
  let nginx: ChildProcess;
  let dir: string;
  let port: number;
  let cert: Buffer;

  beforeAll(async () => {
    stack = await startStack();
    dir = mkdtempSync(join(tmpdir(), 'lexconn-nginx-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    cert = readFileSync(join(dir, 'cert.pem'));
    port = await freePort();
    const upstream = new URL(stack.httpUrl).host;
    writeFileSync(
      join(dir, 'nginx.conf'),
      `daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events {}
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  map $http_upgrade $connection_upgrade { default upgrade; '' close; }
  upstream lex_connector { server ${upstream}; }
  server {
    listen 127.0.0.1:${port} ssl;
    ssl_certificate ${dir}/cert.pem;
    ssl_certificate_key ${dir}/key.pem;
    include ${resolve('deploy/nginx/lex-connector-locations.conf')};
  }
}
`,
    );
    nginx = spawn('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: 'ignore' });
    // Ready when the TLS port accepts connections.
    for (;;) {
      const ok = await new Promise<boolean>((res) => {
        const s = net.connect(port, '127.0.0.1', () => {
          s.destroy();
          res(true);
        });
        s.on('error', () => res(false));
      });
      if (ok) break;
      if (nginx.exitCode !== null) throw new Error(`nginx exited: ${readFileSync(join(dir, 'error.log'), 'utf8')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  });

  afterAll(async () => {
    nginx?.kill('SIGQUIT');
    await stack?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a Vonage call over wss:// completes a turn through nginx', async () => {
    const phone = await VonagePhone.connect(`wss://localhost:${port}${ROUTES.v2('tls-call')}`, {
      rateHz: 16000,
      headers: demoHeaders(),
      ca: cert,
    });
    stack.emu.session('tls-call').script.push('order flowers');
    phone.sendAudio(utterance('order flowers', 16000));
    const reply = await phone.nextReply();
    expect(reply.frames.length).toBeGreaterThan(50);
    for (const f of reply.frames) expect(f.length).toBe(640);
    phone.hangUp();
    expect((await phone.closed).code).toBe(1000);
  });

  it('/answer over https points the NCCO at wss:// on the public host', async () => {
    const body = await new Promise<string>((res, rej) => {
      https
        .get({ host: '127.0.0.1', port, path: '/answer', ca: cert, servername: 'localhost', headers: { host: `localhost:${port}` } }, (r) => {
          let d = '';
          r.on('data', (c) => (d += c));
          r.on('end', () => res(d));
        })
        .on('error', rej);
    });
    const uri = (JSON.parse(body) as { endpoint?: { uri: string }[] }[]).find((a) => a.endpoint)!.endpoint![0].uri;
    expect(uri).toMatch(new RegExp(`^wss://localhost:${port}/bots/`));
  });
});
