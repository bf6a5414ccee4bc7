/**
 * Every type of the API and nothing else: `import type` from here costs the browser bundle nothing,
 * while a value import from the barrel (`@certdesk/shared`) would bring TypeBox and every schema along.
 */
export type * from './index.js';
