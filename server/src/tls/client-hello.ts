import type net from 'node:net';

/**
 * The server name a TLS client asks for (SNI), read from its ClientHello before any TLS object exists,
 * so the connection can be handed to the TLS server that holds only that name's certificate.
 *
 * Why not Node's SNICallback: Node installs the SNI certificate into the connection next to the default
 * one, each in the slot of its key type; with an RSA default and an ECDSA binding, a client that prefers
 * RSA would get the default certificate for the bound name (and the other way round). One TLS server per
 * certificate serves exactly one certificate per connection, whatever the key types.
 */

const HANDSHAKE = 22;
const CLIENT_HELLO = 1;
const SERVER_NAME_EXTENSION = 0;
const HOST_NAME = 0;
/** A ClientHello with post-quantum key shares is about 1.8 KiB; past this it is not worth reading on. */
export const MAX_CLIENT_HELLO_BYTES = 16 * 1024;

export type ClientHelloResult = { complete: false } | { complete: true; serverName: string | null };

/**
 * Parses what has arrived so far. `complete: false` asks for more bytes; anything that is not a
 * well-formed ClientHello is complete with no name (the default TLS server then refuses or serves it).
 */
export function parseClientHello(data: Buffer): ClientHelloResult {
  const none = { complete: true, serverName: null } as const;
  if (data.length === 0) return { complete: false };
  if (data[0] !== HANDSHAKE) return none;
  // The usual case, the whole ClientHello in its first record: read in place, nothing copied.
  const recordLength = data.length >= 9 ? data.readUInt16BE(3) : 0;
  if (recordLength >= 4) {
    if (data[5] !== CLIENT_HELLO) return none;
    const messageLength = data.readUIntBE(6, 3);
    if (recordLength >= 4 + messageLength && data.length >= 9 + messageLength)
      return {
        complete: true,
        serverName: serverNameOf(data.subarray(5, 9 + messageLength), 4 + messageLength),
      };
  }
  // The handshake message may span several records: join their payloads.
  const payload: Buffer[] = [];
  let size = 0;
  let offset = 0;
  while (offset + 5 <= data.length) {
    if (data[offset] !== HANDSHAKE) return none;
    const length = data.readUInt16BE(offset + 3);
    if (offset + 5 + length > data.length) break;
    payload.push(data.subarray(offset + 5, offset + 5 + length));
    size += length;
    offset += 5 + length;
    const message = Buffer.concat(payload, size);
    if (message.length >= 4) {
      if (message[0] !== CLIENT_HELLO) return none;
      const messageLength = message.readUIntBE(1, 3);
      if (message.length >= 4 + messageLength)
        return { complete: true, serverName: serverNameOf(message, 4 + messageLength) };
    }
  }
  return { complete: false };
}

/** The host_name entry of the server_name extension, lower-cased; null when absent or malformed. */
function serverNameOf(hello: Buffer, end: number): string | null {
  try {
    let p = 4 + 2 + 32; // handshake header, client_version, random
    p += 1 + hello.readUInt8(p); // session_id
    p += 2 + hello.readUInt16BE(p); // cipher_suites
    p += 1 + hello.readUInt8(p); // compression_methods
    if (p + 2 > end) return null; // no extensions
    const extensionsEnd = Math.min(end, p + 2 + hello.readUInt16BE(p));
    p += 2;
    while (p + 4 <= extensionsEnd) {
      const type = hello.readUInt16BE(p);
      const length = hello.readUInt16BE(p + 2);
      p += 4;
      if (type === SERVER_NAME_EXTENSION) {
        const listEnd = Math.min(p + length, p + 2 + hello.readUInt16BE(p));
        for (let q = p + 2; q + 3 <= listEnd; ) {
          const nameType = hello.readUInt8(q);
          const nameLength = hello.readUInt16BE(q + 1);
          if (nameType === HOST_NAME && q + 3 + nameLength <= listEnd) {
            const name = hello.toString('ascii', q + 3, q + 3 + nameLength).toLowerCase();
            return /^[a-z0-9.*_-]+$/.test(name) ? name : null;
          }
          q += 3 + nameLength;
        }
        return null;
      }
      p += length;
    }
    return null;
  } catch {
    return null; // a length field pointing past the end
  }
}

/** What has been read off a connection whose ClientHello is awaited. */
interface Peek {
  received: Buffer | null;
  timer: NodeJS.Timeout;
  route: (socket: net.Socket, serverName: string | null) => void;
}

const peeks = new WeakMap<net.Socket, Peek>();

/**
 * Reads the ClientHello off a fresh connection, puts the bytes back, and calls `route` with the socket
 * and the name (or null). A peer that sends nothing, or not enough, within `timeoutMs` is disconnected,
 * as the TLS handshake timeout would. Runs once per connection: the listeners are shared functions and
 * the state one small record, no closures per connection.
 */
export function readServerName(
  socket: net.Socket,
  timeoutMs: number,
  route: (socket: net.Socket, serverName: string | null) => void,
): void {
  const timer = setTimeout(dropSocket, timeoutMs, socket);
  timer.unref();
  peeks.set(socket, { received: null, timer, route });
  socket.on('data', onPeekData);
  socket.on('error', onPeekEnd);
  socket.on('end', onPeekEnd);
}

function onPeekData(this: net.Socket, chunk: Buffer): void {
  const peek = peeks.get(this);
  if (!peek) return;
  const received = peek.received ? Buffer.concat([peek.received, chunk]) : chunk;
  const hello = parseClientHello(received);
  if (!hello.complete && received.length < MAX_CLIENT_HELLO_BYTES) {
    peek.received = received;
    return;
  }
  stopPeek(this, peek);
  this.pause();
  // Back into the socket's buffer: the TLS socket that wraps it next reads them first.
  this.unshift(received);
  peek.route(this, hello.complete ? hello.serverName : null);
}

function onPeekEnd(this: net.Socket): void {
  dropSocket(this);
}

function dropSocket(socket: net.Socket): void {
  const peek = peeks.get(socket);
  if (peek) stopPeek(socket, peek);
  socket.destroy();
}

function stopPeek(socket: net.Socket, peek: Peek): void {
  peeks.delete(socket);
  clearTimeout(peek.timer);
  socket.off('data', onPeekData);
  socket.off('error', onPeekEnd);
  socket.off('end', onPeekEnd);
}
