import { createHmac, timingSafeEqual } from "node:crypto";

/** A Jupyter message as it travels between the transport worker and the kernel (wire protocol 5.3). */
export interface MessageHeader {
  msg_id: string;
  session: string;
  username: string;
  date: string;
  msg_type: string;
  version: string;
  [extra: string]: unknown;
}

export interface JupyterMessage<C = Record<string, unknown>> {
  header: MessageHeader;
  parent_header: Partial<MessageHeader>;
  metadata: Record<string, unknown>;
  content: C;
  buffers?: Uint8Array[];
}

const DELIMITER = Buffer.from("<IDS|MSG>");

export class WireError extends Error {}

function sign(key: string, parts: Buffer[]): string {
  if (!key) return "";
  const hmac = createHmac("sha256", key);
  for (const part of parts) hmac.update(part);
  return hmac.digest("hex");
}

/** Frames for one message: routing identities, delimiter, signature, four JSON parts, raw buffers. */
export function encodeMessage(key: string, identities: Uint8Array[], msg: JupyterMessage<unknown>): Buffer[] {
  const parts = [msg.header, msg.parent_header, msg.metadata, msg.content].map((part) => Buffer.from(JSON.stringify(part ?? {})));
  return [
    ...identities.map((id) => Buffer.from(id)),
    DELIMITER,
    Buffer.from(sign(key, parts)),
    ...parts,
    ...(msg.buffers ?? []).map((b) => Buffer.from(b)),
  ];
}

/** Splits and verifies incoming frames; throws WireError for anything that is not a valid signed message. */
export function decodeMessage(key: string, frames: Buffer[]): { identities: Buffer[]; msg: JupyterMessage } {
  const delimiterAt = frames.findIndex((f) => f.equals(DELIMITER));
  if (delimiterAt < 0 || frames.length < delimiterAt + 6) {
    throw new WireError("malformed message: missing delimiter or parts");
  }
  const identities = frames.slice(0, delimiterAt);
  const signature = frames[delimiterAt + 1];
  const parts = frames.slice(delimiterAt + 2, delimiterAt + 6);
  if (key) {
    const expected = Buffer.from(sign(key, parts));
    if (expected.length !== signature.length || !timingSafeEqual(expected, signature)) {
      throw new WireError("invalid message signature");
    }
  }
  const [header, parent_header, metadata, content] = parts.map((p) => JSON.parse(p.toString("utf8")));
  if (!header || typeof header.msg_type !== "string" || typeof header.msg_id !== "string") {
    throw new WireError("malformed message header");
  }
  return {
    identities,
    msg: {
      header,
      parent_header: parent_header ?? {},
      metadata: metadata ?? {},
      content: content ?? {},
      buffers: frames.slice(delimiterAt + 6),
    },
  };
}
