import { ValidationError } from '@cache/core';

/** Throws `ValidationError` `VALUE_TOO_LARGE` when codec output exceeds `maxValueBytes`. */
export function assertValueSize(codecBytes: Uint8Array, maxValueBytes: number): void {
  if (codecBytes.byteLength <= maxValueBytes) return;
  throw new ValidationError(
    `Cache value too large: ${codecBytes.byteLength} bytes after encoding exceeds maxValueBytes (${maxValueBytes})`,
    { code: 'VALUE_TOO_LARGE', context: { data_size: codecBytes.byteLength, max_value_bytes: maxValueBytes } },
  );
}
