/**
 * The Confluent wire format: one magic byte 0x00, the schema id as a 4-byte
 * big-endian integer, then the serialized payload (here, JSON text).
 */
export const MAGIC_BYTE = 0;
export const HEADER_LENGTH = 5;

export type WireFrame = { ok: true; schemaId: number; payload: Buffer } | { ok: false; reason: string };

/** Splits a record value into its schema id and payload, or says why it is not in the wire format. */
export function readWireFrame(value: Buffer | null | undefined): WireFrame {
  if (!value || value.length === 0) return { ok: false, reason: 'empty value' };
  if (value[0] !== MAGIC_BYTE)
    return { ok: false, reason: `first byte is 0x${value[0]!.toString(16).padStart(2, '0')}, not the magic byte 0x00` };
  if (value.length < HEADER_LENGTH)
    return { ok: false, reason: `only ${value.length} bytes, shorter than the 5-byte header` };
  return { ok: true, schemaId: value.readUInt32BE(1), payload: value.subarray(HEADER_LENGTH) };
}

/** Frames a payload with the magic byte and schema id. */
export function writeWireFrame(schemaId: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(HEADER_LENGTH);
  header.writeUInt8(MAGIC_BYTE, 0);
  header.writeUInt32BE(schemaId, 1);
  return Buffer.concat([header, payload]);
}
