import { PartnerCenterError } from "./partnerCenterError";

/**
 * Encodes one path segment of a request (an ID, a domain), refusing an empty one: an empty ID would silently address
 * the collection instead. Shared by the Partner Center and Graph clients.
 */
export function pathSegment(value: string, operation: string): string {
  if (typeof value !== "string" || value.trim() === "") {
    throw new PartnerCenterError({ kind: "config", operation, description: "an id or name is required" });
  }
  return encodeURIComponent(value.trim());
}
