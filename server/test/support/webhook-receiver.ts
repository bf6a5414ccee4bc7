import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedHook {
  path: string;
  headers: http.IncomingHttpHeaders;
  raw: string;
  body: unknown;
}

/**
 * A node:http server on 127.0.0.1 standing in for Slack, Teams or any JSON receiver. `answer` decides
 * each response (status, headers, or no answer at all); change it between requests to fail then recover.
 */
export async function startWebhookReceiver(
  answer: (n: number) => { status: number; headers?: Record<string, string> } | 'hang' = () => ({
    status: 200,
  }),
) {
  const hooks: ReceivedHook[] = [];
  const state = { answer };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown = null;
      try {
        body = JSON.parse(raw);
      } catch {
        body = null;
      }
      hooks.push({ path: req.url ?? '', headers: req.headers, raw, body });
      const a = state.answer(hooks.length);
      if (a === 'hang') return;
      res.writeHead(a.status, a.headers ?? {});
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path = '/hook') => `http://127.0.0.1:${port}${path}`,
    hooks,
    state,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
