import { type ChildProcess, spawn } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { TestPki } from './pki.js';
import { freePort } from './ports.js';

/**
 * A real ACME CA on loopback: Debian's pebble (/usr/bin/pebble) with its own TLS certificate (from the
 * test PKI), a config naming the console's HTTP port as the port its validator connects to, and a tiny
 * DNS responder (pebble -dnsserver) answering A 127.0.0.1 for every name and the TXT records a test
 * puts in place. Stopped by PID.
 */

export const PEBBLE = '/usr/bin/pebble';

export interface PebbleOptions {
  /** The console's HTTP listener: pebble's validator fetches http://<name>:<httpPort>/.well-known/… */
  httpPort: number;
  /** externalAccountBindingRequired with these kid → base64url HMAC keys. */
  eab?: Record<string, string>;
  /** Lifetime of issued certificates in seconds (default 47 days). */
  validitySeconds?: number;
  /** PEBBLE_VA_ALWAYS_VALID=1 (skips validation); off unless a test says so. */
  alwaysValid?: boolean;
}

export interface Pebble {
  directoryUrl: string;
  /** The CA certificate of pebble's own HTTPS API (trust it for this directory only). */
  apiCaPem: string;
  /** The root pebble issues under (from its management interface): a trust anchor for the import. */
  issuingRootPem: () => Promise<string>;
  dns: TestDns;
  stop: () => Promise<void>;
}

export class TestDns {
  readonly txt = new Map<string, string[]>();
  /** Also answers TXT from files named after the record in this directory (what a test DNS hook writes). */
  txtDir: string | null = null;
  private constructor(
    private readonly socket: dgram.Socket,
    readonly port: number,
  ) {}

  static async start(): Promise<TestDns> {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const dns = new TestDns(socket, socket.address().port);
    socket.on('message', (msg, rinfo) => {
      const reply = dns.answer(msg);
      if (reply) socket.send(reply, rinfo.port, rinfo.address);
    });
    return dns;
  }

  /** A for every name is 127.0.0.1; TXT from `txt`; anything else an empty NOERROR answer. */
  private answer(msg: Buffer): Buffer | null {
    if (msg.length < 12) return null;
    let o = 12;
    const labels: string[] = [];
    while (o < msg.length && msg[o] !== 0) {
      const len = msg[o] as number;
      labels.push(msg.subarray(o + 1, o + 1 + len).toString('latin1'));
      o += len + 1;
    }
    const qEnd = o + 5;
    if (qEnd > msg.length) return null;
    const qtype = msg.readUInt16BE(o + 1);
    const name = labels.join('.').toLowerCase();
    const answers: Buffer[] = [];
    const rr = (type: number, rdata: Buffer) => {
      const head = Buffer.alloc(12);
      head.writeUInt16BE(0xc00c, 0);
      head.writeUInt16BE(type, 2);
      head.writeUInt16BE(1, 4);
      head.writeUInt32BE(1, 6);
      head.writeUInt16BE(rdata.length, 10);
      answers.push(Buffer.concat([head, rdata]));
    };
    if (qtype === 1) rr(1, Buffer.from([127, 0, 0, 1]));
    if (qtype === 16) {
      const fromFile =
        this.txtDir && fs.existsSync(path.join(this.txtDir, name))
          ? fs.readFileSync(path.join(this.txtDir, name), 'utf8').split('\n').filter(Boolean)
          : [];
      for (const v of [...(this.txt.get(name) ?? []), ...fromFile])
        rr(16, Buffer.concat([Buffer.from([v.length]), Buffer.from(v)]));
    }
    const header = Buffer.from(msg.subarray(0, 12));
    header.writeUInt16BE(0x8580, 2); // response, authoritative, recursion desired + available, NOERROR
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answers.length, 6);
    header.writeUInt16BE(0, 8);
    header.writeUInt16BE(0, 10);
    return Buffer.concat([header, msg.subarray(12, qEnd), ...answers]);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}

function get(url: string, ca: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.get(url, { ca, timeout: 3000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

export async function startPebble(opts: PebbleOptions): Promise<Pebble> {
  const pki = new TestPki();
  const root = pki.root('pebble API test root');
  const leaf = pki.leaf('127.0.0.1', root, { sans: ['IP:127.0.0.1', 'DNS:localhost'] });
  const [port, mgmt] = [await freePort(), await freePort()];
  const dns = await TestDns.start();
  const config = {
    pebble: {
      listenAddress: `127.0.0.1:${port}`,
      managementListenAddress: `127.0.0.1:${mgmt}`,
      certificate: leaf.certPath,
      privateKey: leaf.keyPath,
      httpPort: opts.httpPort,
      tlsPort: await freePort(),
      ocspResponderURL: '',
      externalAccountBindingRequired: !!opts.eab,
      ...(opts.eab ? { externalAccountMACKeys: opts.eab } : {}),
      certificateValidityPeriod: opts.validitySeconds ?? 47 * 86400,
    },
  };
  const configPath = path.join(pki.dir, 'pebble.json');
  fs.writeFileSync(configPath, JSON.stringify(config));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PEBBLE_VA_NOSLEEP: '1',
    PEBBLE_WFE_NONCEREJECT: '0',
    // Pebble reuses a valid authorization half the time by default, so a test that expects validation to
    // fail (nothing answers HTTP-01) would pass or fail by chance. At 0 it still reuses one in a hundred
    // (it compares rand.Intn(100) > percent): such a test also deactivates the valid ones first.
    PEBBLE_AUTHZREUSE: '0',
  };
  delete env.PEBBLE_VA_ALWAYS_VALID;
  if (opts.alwaysValid) env.PEBBLE_VA_ALWAYS_VALID = '1';
  const child: ChildProcess = spawn(
    PEBBLE,
    ['-config', configPath, '-dnsserver', `127.0.0.1:${dns.port}`, '-strict=false'],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  child.stdout?.on('data', (d) => {
    log += d;
    if (process.env.LOG) process.stderr.write(d);
  });
  child.stderr?.on('data', (d) => {
    log += d;
    if (process.env.LOG) process.stderr.write(d);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    const alive = () => child.exitCode === null && child.signalCode === null;
    if (alive() && child.pid) process.kill(child.pid, 'SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
    if (alive() && child.pid) process.kill(child.pid, 'SIGKILL');
    await dns.close();
    pki.cleanup();
  };
  const directoryUrl = `https://127.0.0.1:${port}/dir`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      if ((await get(directoryUrl, root.certPem)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || child.exitCode !== null) {
      await stop();
      throw new Error(`pebble did not start: ${log.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    directoryUrl,
    apiCaPem: root.certPem,
    issuingRootPem: async () => (await get(`https://127.0.0.1:${mgmt}/roots/0`, root.certPem)).body,
    dns,
    stop,
  };
}
