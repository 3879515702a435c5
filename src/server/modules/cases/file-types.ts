/**
 * The kinds of file a case may hold, recognised by their first bytes rather than by the name or the type the
 * browser claims, so a renamed executable is not stored as a "PDF".
 */
export type AllowedFile = { contentType: string; extension: string };

const startsWith = (bytes: Buffer, signature: number[]): boolean => signature.every((b, i) => bytes[i] === b);

export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

export const detectFileType = (bytes: Buffer): AllowedFile | null => {
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return { contentType: 'application/pdf', extension: 'pdf' };
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { contentType: 'image/png', extension: 'png' };
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { contentType: 'image/jpeg', extension: 'jpg' };
  // A .docx is a zip; check that it carries a Word document part, not just any zip.
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) && bytes.subarray(0, Math.min(bytes.length, 4096)).includes('word/')) {
    return { contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extension: 'docx' };
  }
  // Plain text: valid UTF-8 without control characters other than tab and line breaks.
  const text = bytes.toString('utf8');
  if (!text.includes('\uFFFD') && !/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(text)) return { contentType: 'text/plain; charset=utf-8', extension: 'txt' };
  return null;
};

export const uploadContentTypes = [
  'application/pdf',
  'image/png',
  'image/jpeg',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'text/plain',
  'application/octet-stream',
];
