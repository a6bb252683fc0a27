/** Zod wire schemas of the Partner Center REST API (loose responses, strict requests). */
export * from "./agreement";
export * from "./attestation";
export * from "./collection";
export * from "./common";
export * from "./customer";
export * from "./error";
export * from "./validation";
