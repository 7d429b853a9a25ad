import net from 'node:net';

/** Sends raw bytes to host:port and resolves with everything the server wrote before closing (or after `idleMs` of silence). */
export function rawRequest(port: number, data: string | Buffer, idleMs = 2000): Promise<string> {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    let out = '';
    const done = (): void => {
      sock.destroy();
      resolve(out);
    };
    let timer = setTimeout(done, idleMs);
    sock.on('data', (d) => {
      out += d.toString('latin1');
      clearTimeout(timer);
      timer = setTimeout(done, idleMs);
    });
    sock.on('error', () => undefined);
    sock.on('close', () => {
      clearTimeout(timer);
      resolve(out);
    });
    sock.write(data);
  });
}

/** The status code of a raw HTTP response, or undefined when there is none. */
export function statusOf(response: string): number | undefined {
  const m = /^HTTP\/1\.1 (\d{3})/.exec(response);
  return m ? Number(m[1]) : undefined;
}

/** A GET request with the given extra header lines. */
export function get(path: string, headers: Record<string, string>): string {
  const lines = [`GET ${path} HTTP/1.1`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), 'Connection: close', '', ''];
  return lines.join('\r\n');
}
