import { TestPki } from '../support/pki.js';

/** The crash test's pieces that do not depend on its run: randomness, certificates, an HTTP client. */

export const PASSWORD = 'crash test password 1';

export function rand(n: number): number {
  return Math.floor(Math.random() * n);
}

/** A CA (added as trust anchor) and leaf certificates for localhost, each with its key. */
export function makePki(count: number): { caPem: string; leaves: { certPem: string; keyPem: string }[] } {
  const pki = new TestPki();
  try {
    const root = pki.root('Crash Test Root', { endDays: 30 });
    const leaves = Array.from({ length: count }, (_, i) =>
      pki.leaf('localhost', root, {
        subject: `/CN=localhost/OU=crash ${i}`,
        endDays: 20,
        ext: [
          'basicConstraints=CA:FALSE',
          'keyUsage=critical,digitalSignature',
          'extendedKeyUsage=serverAuth',
          'subjectAltName=DNS:localhost,IP:127.0.0.1',
        ],
      }),
    );
    return { caPem: root.certPem, leaves: leaves.map(({ certPem, keyPem }) => ({ certPem, keyPem })) };
  } finally {
    pki.cleanup();
  }
}

export class Client {
  cookie = '';
  csrf = '';

  constructor(
    public base: string,
    private readonly httpsBase: string,
  ) {}

  /** Signs in; in committed HTTPS mode plain HTTP redirects, so the client moves to the HTTPS listener. */
  async login(): Promise<void> {
    const attempt = () =>
      fetch(`${this.base}/api/auth/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: PASSWORD }),
      });
    let res = await attempt();
    if (res.status === 307) {
      this.base = this.httpsBase;
      res = await attempt();
    }
    if (res.status !== 200) throw new Error(`login ${res.status}`);
    this.cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] as string;
    this.csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
  }

  async call(method: string, url: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { cookie: this.cookie, 'x-csrf-token': this.csrf };
    let payload: FormData | string | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    return fetch(`${this.base}${url}`, {
      method,
      headers,
      body: payload,
      redirect: 'manual',
      signal: AbortSignal.timeout(10_000),
    });
  }
}
