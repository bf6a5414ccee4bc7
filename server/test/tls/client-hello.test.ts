import assert from 'node:assert/strict';
import net from 'node:net';
import { before, describe, test } from 'node:test';
import tls from 'node:tls';
import { MAX_CLIENT_HELLO_BYTES, parseClientHello } from '../../src/tls/client-hello.js';

/** Real ClientHellos, as Node's TLS client writes them, caught by a TCP server that never answers. */
async function clientHello(servername: string | undefined): Promise<Buffer> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  try {
    const caught = new Promise<Buffer>((resolve) =>
      server.once('connection', (socket) => {
        const parts: Buffer[] = [];
        socket.on('data', (d: Buffer) => {
          parts.push(d);
          const all = Buffer.concat(parts);
          if (all.length >= 5 && all.length >= 5 + all.readUInt16BE(3)) {
            resolve(all);
            socket.destroy();
          }
        });
      }),
    );
    const client = tls.connect({ host: '127.0.0.1', port, servername, rejectUnauthorized: false });
    client.on('error', () => {});
    const hello = await caught;
    client.destroy();
    return hello;
  } finally {
    server.close();
  }
}

describe('reading the server name from a ClientHello', () => {
  let named: Buffer;
  let anonymous: Buffer;
  before(async () => {
    named = await clientHello('API.Example.test');
    anonymous = await clientHello(undefined);
  });

  test('the name a client asks for, lower-cased; none when it sends no SNI', () => {
    assert.deepEqual(parseClientHello(named), { complete: true, serverName: 'api.example.test' });
    assert.deepEqual(parseClientHello(anonymous), { complete: true, serverName: null });
  });

  test('arriving a few bytes at a time: incomplete until the whole message is there', () => {
    for (let n = 0; n < named.length; n += 7) {
      assert.deepEqual(parseClientHello(named.subarray(0, n)), { complete: false }, `at ${n} bytes`);
    }
    assert.equal(parseClientHello(named).complete, true);
  });

  test('a ClientHello split over two TLS records is joined', () => {
    const body = named.subarray(5);
    const cut = 40;
    const record = (part: Buffer) =>
      Buffer.concat([Buffer.from([22, 3, 1, part.length >> 8, part.length & 0xff]), part]);
    const split = Buffer.concat([record(body.subarray(0, cut)), record(body.subarray(cut))]);
    assert.deepEqual(parseClientHello(split.subarray(0, 5 + cut + 3)), { complete: false });
    assert.deepEqual(parseClientHello(split), { complete: true, serverName: 'api.example.test' });
  });

  test('bytes after the ClientHello are not read as part of it; a first record of 2 bytes is joined too', () => {
    const trailing = Buffer.concat([named, Buffer.from([22, 3, 3, 0, 4, 1, 2, 3, 4])]);
    assert.deepEqual(parseClientHello(trailing), { complete: true, serverName: 'api.example.test' });
    const lying = Buffer.from(anonymous);
    lying.writeUInt16BE(0xffff, 5 + 4 + 2 + 32 + 1 + lying[5 + 4 + 2 + 32]!);
    assert.deepEqual(parseClientHello(Buffer.concat([lying, named])), { complete: true, serverName: null });
    const body = named.subarray(5);
    const record = (part: Buffer) =>
      Buffer.concat([Buffer.from([22, 3, 1, part.length >> 8, part.length & 0xff]), part]);
    const tiny = Buffer.concat([record(body.subarray(0, 2)), record(body.subarray(2))]);
    assert.deepEqual(parseClientHello(tiny), { complete: true, serverName: 'api.example.test' });
  });

  test('not TLS, or damaged: complete with no name (the default certificate then refuses or serves it)', () => {
    assert.deepEqual(parseClientHello(Buffer.from('GET / HTTP/1.1\r\n')), {
      complete: true,
      serverName: null,
    });
    const damaged = Buffer.from(named);
    damaged[5] = 2; // not a ClientHello
    assert.deepEqual(parseClientHello(damaged), { complete: true, serverName: null });
    const lying = Buffer.from(named);
    lying.writeUInt16BE(0xffff, 5 + 4 + 2 + 32 + 1 + lying[5 + 4 + 2 + 32]!); // cipher list runs past the end
    assert.deepEqual(parseClientHello(lying), { complete: true, serverName: null });
    assert.ok(MAX_CLIENT_HELLO_BYTES >= 16 * 1024);
  });
});
