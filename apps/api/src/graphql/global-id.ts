import { badInput } from "./errors.ts";
import { NODE_TYPES, type NodeTypeName } from "./types/node.type.ts";

/**
 * Global ids (Relay's Global Object Identification): "<Type>:<database id>" in base64url. They
 * are opaque to clients but not secret: whether a key may read the object is checked when it
 * is fetched, exactly as for the type's own lookup.
 */
export function toGlobalId(type: NodeTypeName, id: number): string {
  return Buffer.from(`${type}:${id}`).toString("base64url");
}

/** The type and database id inside a global id, or BAD_USER_INPUT naming `field`. */
export function fromGlobalId(globalId: string, field = "id"): { type: NodeTypeName; id: number } {
  const refuse = () => badInput(field, `is not a global id this API issued (an object's \`id\` field), got ${JSON.stringify(globalId.slice(0, 60))}`);
  if (globalId.length > 100 || !/^[A-Za-z0-9_-]+$/.test(globalId)) throw refuse();
  const text = Buffer.from(globalId, "base64url").toString();
  const colon = text.indexOf(":");
  const type = text.slice(0, colon) as NodeTypeName;
  const id = Number(text.slice(colon + 1));
  if (colon < 1 || !NODE_TYPES.includes(type) || !/^[1-9][0-9]{0,9}$/.test(text.slice(colon + 1)) || id > 2147483647) throw refuse();
  // Only the canonical spelling is accepted, so each object has exactly one global id.
  if (toGlobalId(type, id) !== globalId) throw refuse();
  return { type, id };
}
