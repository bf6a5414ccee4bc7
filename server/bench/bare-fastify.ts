/**
 * The reference for certdesk's own overhead (tls.bench.ts): a bare Fastify app on the same Node and the
 * same TLS settings (certdesk's hardened options, one certificate), answering GET /api/health with the
 * same body. No logger, no hooks, no plugins.
 *   node --conditions=source --import tsx server/bench/bare-fastify.ts <port> <fullchain.pem> <key.pem>
 */
import fs from 'node:fs';
import Fastify from 'fastify';
import { HARDENED_TLS_OPTIONS } from '../src/tls/options.js';

const [port, certFile, keyFile] = process.argv.slice(2) as [string, string, string];
const app = Fastify({
  https: { ...HARDENED_TLS_OPTIONS, cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile) },
  keepAliveTimeout: 10_000,
});
app.get('/api/health', async () => ({ status: 'ok' }));
await app.listen({ host: '127.0.0.1', port: Number(port) });
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
