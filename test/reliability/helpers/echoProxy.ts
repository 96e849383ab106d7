import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A hostile provider for the secret scan: a proxy in front of an emulator that passes every request
 * through, except those `echo` selects, which it refuses with an error body quoting the request's
 * headers and body back (Authorization, API keys, signed-request fields...). Providers do echo
 * credentials in error texts; qbridge must not print them.
 */
export interface EchoProxy {
  /** Replaces the emulator's origin with the proxy's in a URL. */
  rewrite(url: string): string;
  /** How many requests were refused with an echo. */
  readonly echoed: () => number;
  close(): Promise<void>;
}

export async function startEchoProxy(
  targetUrl: string,
  echo: (method: string, path: string) => boolean,
  status: number,
): Promise<EchoProxy> {
  const target = new URL(targetUrl);
  let echoed = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const method = req.method ?? 'GET';
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (echo(method, path)) {
        echoed++;
        const said = `invalid credentials in request: headers ${JSON.stringify(req.headers)} body ${body.toString('utf8')}`;
        res.writeHead(status, { 'content-type': 'application/json' });
        // Every field a provider's error body may use, so each adapter's error reader finds the echo.
        res.end(
          JSON.stringify({
            statusCode: status,
            error: 'Unauthorized',
            message: said,
            Message: said,
            errorMessage: said,
            errors: [{ code: String(status), message: said }],
          }),
        );
        return;
      }
      const headers: IncomingHttpHeaders = { ...req.headers, host: target.host };
      const up = httpRequest({ host: target.hostname, port: target.port, method, path: req.url, headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      up.on('error', () => res.destroy());
      up.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    rewrite: (url) => url.replace(target.origin, `http://127.0.0.1:${port}`),
    echoed: () => echoed,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
