/** The Microsoft Graph client for GDAP: a peer of the Partner Center client on the same foundation. */
export { GraphClient, type GraphClientOptions, type RelationshipFilter } from "./graphClient";
