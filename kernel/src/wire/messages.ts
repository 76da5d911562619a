import { randomUUID } from "node:crypto";
import type { JupyterMessage, MessageHeader } from "./wire";

export const PROTOCOL_VERSION = "5.3";

/** A new message in reply to (or caused by) `parent`, as every Jupyter kernel builds them. */
export function createMessage<C>(
  session: string,
  msgType: string,
  content: C,
  parent?: JupyterMessage<unknown>,
  metadata: Record<string, unknown> = {},
): JupyterMessage<C> {
  const header: MessageHeader = {
    msg_id: randomUUID(),
    session,
    username: "labtrail",
    date: new Date().toISOString(),
    msg_type: msgType,
    version: PROTOCOL_VERSION,
  };
  return { header, parent_header: parent?.header ?? {}, metadata, content };
}

/** `foo_request` → `foo_reply`. */
export function replyType(msgType: string): string {
  return msgType.endsWith("_request") ? `${msgType.slice(0, -"_request".length)}_reply` : `${msgType}_reply`;
}
