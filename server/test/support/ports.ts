import net from 'node:net';

/**
 * A loopback port nothing listens on right now (the kernel picks it; closed again before it is returned).
 * Another process may take it before the caller binds it: callers that start a server retry or fail loudly.
 */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
