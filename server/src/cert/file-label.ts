/**
 * The name of an uploaded file as it appears in sentences and reports. It is only a label (the format is
 * read from the content, never from the name), so it is kept printable and short.
 */
export function fileLabel(name: string | undefined, fallback: string): string {
  return (name || fallback).replace(/[^\x20-\x7e]/g, '_').slice(0, 100);
}
