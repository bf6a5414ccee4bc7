/**
 * Issue 15, item 3 asks for "an optional worker per core for the HTTPS listener if the measurements show it
 * pays". This is the measurement's subject (tls-ab.ts REFS=cluster, not part of `npm run bench`): the bare
 * Fastify app of bare-fastify.ts run as WORKERS node:cluster workers on one port. Node's primary process
 * accepts each connection and hands its socket to a worker over IPC (round-robin, Linux's default), and
 * each worker does the TLS handshake and the HTTP work, so the figure per server CPU-second (primary and
 * workers together) shows what the hand-over costs on top of one process doing both.
 *   WORKERS=2 node --conditions=source --import tsx server/bench/cluster-fastify.ts <port> <fullchain.pem> <key.pem>
 */
import cluster from 'node:cluster';
import fs from 'node:fs';
import Fastify from 'fastify';
import { HARDENED_TLS_OPTIONS } from '../src/tls/options.js';

const [port, certFile, keyFile] = process.argv.slice(2) as [string, string, string];

if (cluster.isPrimary) {
  const count = Number(process.env.WORKERS ?? 2);
  for (let i = 0; i < count; i++) cluster.fork();
  process.on('SIGTERM', () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
    process.exit(0);
  });
} else {
  const app = Fastify({
    https: { ...HARDENED_TLS_OPTIONS, cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile) },
    keepAliveTimeout: 10_000,
  });
  app.get('/api/health', async () => ({ status: 'ok' }));
  await app.listen({ host: '127.0.0.1', port: Number(port) });
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
}
