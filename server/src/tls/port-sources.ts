import type { ServerSettingsUpdate } from '@certdesk/shared';
import { AppError } from '../errors.js';
import type { PortField, ServerSettings } from '../store/server-settings.js';

/**
 * Which source decides each port: the environment when CERTDESK_HTTP_PORT / CERTDESK_HTTPS_PORT is set,
 * else the stored settings, else the default. One rule, said once at start and shown read-only in the UI.
 */

const VARIABLE: Record<PortField, string> = {
  httpPort: 'CERTDESK_HTTP_PORT',
  httpsPort: 'CERTDESK_HTTPS_PORT',
};
const LABEL: Record<PortField, string> = { httpPort: 'HTTP', httpsPort: 'HTTPS' };

/** The start-up log line, e.g. "ports: HTTP 9090 from CERTDESK_HTTP_PORT (over 8080 in the settings); HTTPS 8443 from the settings". */
export function describePortSources(
  committed: Pick<ServerSettings, PortField>,
  stored: Record<PortField, number | null>,
  fromEnvironment: readonly PortField[],
): string {
  const parts = (['httpPort', 'httpsPort'] as const).map((field) => {
    const port = committed[field];
    if (fromEnvironment.includes(field)) {
      const overridden =
        stored[field] !== null && stored[field] !== port ? ` (over ${stored[field]} in the settings)` : '';
      return `${LABEL[field]} ${port} from ${VARIABLE[field]}${overridden}`;
    }
    return `${LABEL[field]} ${port} from ${stored[field] === null ? 'the defaults' : 'the settings'}`;
  });
  return `ports: ${parts.join('; ')}`;
}

/** A settings change may send the environment's port back unchanged (it read it), never another one. */
export function assertPortsNotFromEnvironment(
  current: Pick<ServerSettings, PortField>,
  update: ServerSettingsUpdate,
  fromEnvironment: readonly PortField[],
): void {
  for (const field of fromEnvironment) {
    const wanted = update[field];
    if (wanted !== undefined && wanted !== current[field]) {
      throw new AppError(
        'PORT_SET_BY_ENVIRONMENT',
        `The ${LABEL[field]} port is ${current[field]}, set by ${VARIABLE[field]}, which wins over the settings. Change ${VARIABLE[field]} and restart certdesk to use ${wanted}.`,
        { field },
      );
    }
  }
}
