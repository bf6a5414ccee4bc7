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

if (cluster.isPrimary) {
  const count = Number(process.env.WORKERS ?? 2);
  for (let i = 0; i < count; i++) cluster.fork();
  process.on('SIGTERM', () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
    process.exit(0);
  });
} else {
  // A worker is bare-fastify.ts itself (same arguments): its listen() is the cluster's shared port.
  await import('./bare-fastify.js');
}
