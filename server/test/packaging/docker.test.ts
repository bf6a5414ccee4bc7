import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';

// Docker does not run on the build machines: these check the files' structure, not a running image.
const root = path.resolve(import.meta.dirname, '../../..');

test('docker-compose.yml: one service, both ports, a data volume and the documented environment', () => {
  const compose = parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8')) as {
    services: Record<
      string,
      { build: { target: string }; ports: string[]; volumes: string[]; environment: Record<string, string> }
    >;
    volumes: Record<string, unknown>;
  };
  const svc = compose.services.certdesk;
  assert.ok(svc, 'service "certdesk"');
  assert.equal(svc.build.target, 'production');
  assert.deepEqual(
    svc.ports.map((p) => p.split('#')[0]?.trim()),
    ['8080:8080', '8443:8443'],
  );
  const [volume, mount] = (svc.volumes[0] as string).split(':');
  assert.equal(mount, '/data');
  assert.ok(volume && volume in compose.volumes, 'named volume declared');
  assert.equal(svc.environment.CERTDESK_DATA_DIR, '/data');
  assert.equal(svc.environment.CERTDESK_HOST, '0.0.0.0');
  for (const key of [
    'CERTDESK_HTTP_PORT',
    'CERTDESK_HTTPS_PORT',
    'CERTDESK_HTTPS_CONFIRM_SECONDS',
    'CERTDESK_ADMIN_PASSWORD',
  ]) {
    assert.ok(key in svc.environment, `${key} documented`);
  }
});

test('Dockerfile: multi-stage, non-root, volume, ports, health check, copies what the runtime needs', () => {
  const lines = fs
    .readFileSync(path.join(root, 'Dockerfile'), 'utf8')
    .split('\n')
    .map((l) => l.trim());
  const froms = lines.filter((l) => l.startsWith('FROM '));
  assert.ok(froms.length >= 2, 'multi-stage');
  assert.match(froms.at(-1) as string, /AS production$/);
  const finalStage = lines.slice(lines.lastIndexOf(froms.at(-1) as string));
  const user = finalStage.find((l) => l.startsWith('USER '));
  assert.ok(user && !/root|0/.test(user.slice(5)), 'runs as a non-root user');
  assert.ok(finalStage.some((l) => l.startsWith('VOLUME') && l.includes('/data')));
  assert.ok(finalStage.some((l) => l === 'EXPOSE 8080 8443'));
  assert.ok(finalStage.some((l) => l.startsWith('HEALTHCHECK')));
  for (const dir of ['server/dist', 'web/dist', 'shared/dist', 'node_modules', 'bin']) {
    assert.ok(
      finalStage.some((l) => l.startsWith('COPY --from=build') && l.includes(dir)),
      `copies ${dir}`,
    );
  }
  // Every path the build stage copies must exist in the repository.
  for (const l of lines.filter((x) => x.startsWith('COPY ') && !x.includes('--from'))) {
    const srcs = l.split(/\s+/).slice(1, -1);
    for (const src of srcs) assert.ok(fs.existsSync(path.join(root, src)), `${src} exists`);
  }
});
