import { type CSSVariablesResolver, createTheme, DEFAULT_THEME } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'blue',
  defaultRadius: 'sm',
  fontFamily:
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "Liberation Sans", sans-serif',
  fontFamilyMonospace: 'ui-monospace, SFMono-Regular, "DejaVu Sans Mono", Menlo, Consolas, monospace',
  headings: { fontWeight: '650' },
  components: {
    Table: { defaultProps: { verticalSpacing: 'sm', highlightOnHover: true } },
    Tooltip: { defaultProps: { withArrow: true } },
    // The toast's close button is an icon only: name it for screen readers (axe button-name).
    Notification: { defaultProps: { closeButtonProps: { 'aria-label': 'Dismiss notification' } } },
    Modal: { defaultProps: { closeButtonProps: { 'aria-label': 'Close dialog' } } },
    // The "x" that clears a chosen file or option is an icon only too.
    FileInput: { defaultProps: { clearButtonProps: { 'aria-label': 'Clear the chosen file' } } },
    Select: { defaultProps: { clearButtonProps: { 'aria-label': 'Clear the selection' } } },
    MultiSelect: { defaultProps: { clearButtonProps: { 'aria-label': 'Clear the selection' } } },
    // A validation message is read out when it appears, not only when the field is focused again.
    InputWrapper: { defaultProps: { errorProps: { role: 'alert' } } },
    Pagination: {
      defaultProps: {
        getControlProps: (control: 'first' | 'previous' | 'last' | 'next') => ({
          'aria-label': {
            first: 'First page',
            previous: 'Previous page',
            next: 'Next page',
            last: 'Last page',
          }[control],
        }),
        getItemProps: (page: number) => ({ 'aria-label': `Page ${page}` }),
      },
    },
  },
});

type Rgb = [number, number, number];

function hexToRgb(hex: string): Rgb {
  const n = Number.parseInt(hex.replace('#', ''), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function toHex(rgb: Rgb): string {
  return `#${rgb.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;
}

function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

/** WCAG relative luminance. */
function luminance(rgb: Rgb): number {
  const [r, g, b] = rgb.map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** The colour, darkened step by step until it reads at WCAG AA (4.5:1, with a margin) against `background`. */
function readable(color: Rgb, background: Rgb): string {
  let c = color;
  for (let i = 0; i < 30 && contrast(c, background) < 4.7; i++) c = mix(c, [0, 0, 0], 0.06);
  return toHex(c);
}

const WHITE: Rgb = [255, 255, 255];
/** The darkest background text sits on: a striped or hovered table row (gray-1). */
const ROW: Rgb = hexToRgb(DEFAULT_THEME.colors.gray[1]);

/**
 * Mantine's default shades put white text on red-6 or teal-6 and blue-6 text on a pale blue tint, all below
 * 4.5:1. Every colour keeps its hue but gets shades dark enough for text, filled backgrounds, light
 * variants (tinted background) and outlines; dimmed text becomes gray-7.
 */
export const cssVariablesResolver: CSSVariablesResolver = (t) => {
  const light: Record<string, string> = { '--mantine-color-dimmed': 'var(--mantine-color-gray-7)' };
  for (const [name, shades] of Object.entries(t.colors)) {
    if (name === 'dark') continue;
    const base = hexToRgb(shades[6] ?? '#000000');
    const tint = mix(ROW, base, 0.12);
    const text = readable(base, ROW);
    light[`--mantine-color-${name}-text`] = text;
    light[`--mantine-color-${name}-outline`] = text;
    light[`--mantine-color-${name}-filled`] = readable(base, WHITE);
    light[`--mantine-color-${name}-filled-hover`] = readable(mix(base, [0, 0, 0], 0.15), WHITE);
    light[`--mantine-color-${name}-light-color`] = readable(base, tint);
  }
  light['--mantine-color-anchor'] = light[`--mantine-color-${t.primaryColor}-text`] ?? '';
  light['--mantine-color-error'] = light['--mantine-color-red-text'] ?? '';
  return { variables: {}, light, dark: {} };
};
