/** Max size read in the browser before sending to a tool (keys and CSRs are a few KB). */
export const MAX_TOOL_FILE_BYTES = 128 * 1024;

/**
 * A picked file as the tools API takes it: PEM stays text; binary (DER) goes as base64.
 * Nothing is uploaded until the admin presses the tool's button.
 */
export async function readFileForApi(file: File): Promise<string> {
  if (file.size > MAX_TOOL_FILE_BYTES) {
    throw new Error(
      `${file.name} is ${Math.round(file.size / 1024)} KB; a key or CSR is only a few KB. Pick the right file.`,
    );
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  const text = new TextDecoder('latin1').decode(bytes);
  if (text.includes('-----BEGIN')) return text;
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}
