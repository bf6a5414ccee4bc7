/**
 * The floor of any Node HTTPS server (tls.bench.ts): a plain `tls.createServer` on the same Node with
 * certdesk's hardened options and the same certificate chain, and nothing above the TLS layer: no HTTP
 * server, no parser, no per-connection timers but Node's own handshake timeout. A connection that sends
 * a request gets one fixed answer written by hand (the bytes Fastify sends for /api/health) and is ended,
 * so "full handshake + GET" costs the handshake, one record each way and the close. Whatever certdesk or
 * bare Fastify spend beyond this per handshake is Node's HTTP layer and above; whatever this spends beyond
 * nginx is Node's TLS layer (TLSWrap, the JS TLSSocket, libuv) around the same OpenSSL work.
 * It does not speak HTTP keep-alive: the bench runs it on the handshake loads only.
 *   node --conditions=source --import tsx server/bench/raw-tls.ts <port> <fullchain.pem> <key.pem>
 */
import fs from 'node:fs';
import tls from 'node:tls';
import { HARDENED_TLS_OPTIONS } from '../src/tls/options.js';

const [port, certFile, keyFile] = process.argv.slice(2) as [string, string, string];
const BODY = '{"status":"ok"}';
const ANSWER = Buffer.from(
  `HTTP/1.1 200 OK\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${BODY.length}\r\nconnection: close\r\n\r\n${BODY}`,
);

function ignore(): void {}

function answer(this: tls.TLSSocket): void {
  this.end(ANSWER);
}

const server = tls.createServer(
  { ...HARDENED_TLS_OPTIONS, cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile) },
  (socket) => {
    socket.on('error', ignore); // a client that closes right after its handshake resets the connection
    socket.once('data', answer);
  },
);
server.on('tlsClientError', ignore);
server.listen(Number(port), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
